//! Editing: tokens and roles, and the audit log that only admins read.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{Value, json};

use super::{HANDLINGSDEL, MEASURE_CREATE, node, ok, refused, who};

on_both!(tokens_and_roles);
async fn tokens_and_roles(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let input = json!({ "input": { "plan": plan, "title": "Nytt tiltak" } });
    // No token: UNAUTHENTICATED, nothing written.
    refused(
        &w.anonymous,
        MEASURE_CREATE,
        input.clone(),
        "UNAUTHENTICATED",
    )
    .await;
    // Malformed, unknown, expired and revoked tokens: 401 for the whole request, nothing written.
    let expired = oppvekstgraf_api::auth::create_token(
        &app.state.db,
        "expiring",
        oppvekstgraf_entity::enums::Role::Editor,
        Some("1539"),
        Some(chrono::Utc::now() + chrono::Duration::milliseconds(300)),
    )
    .await
    .expect("token");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let revoked = oppvekstgraf_api::auth::create_token(
        &app.state.db,
        "revoked",
        oppvekstgraf_entity::enums::Role::Editor,
        Some("1539"),
        None,
    )
    .await
    .expect("token");
    oppvekstgraf_api::auth::revoke_token(&app.state.db, revoked.token.id)
        .await
        .expect("revoke");
    let secret = w.rauma.secret();
    let forged = format!("{}x", &secret[..secret.len() - 1]);
    for bad in [
        "Bearer nonsense",
        "Basic abc",
        &format!("Bearer {forged}"),
        &format!("Bearer {}", expired.secret),
        &format!("Bearer {}", revoked.secret),
    ] {
        let before = app.dump().await;
        let (status, body) = app
            .gql_with(&[("authorization", bad)], MEASURE_CREATE, input.clone())
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{bad}"
        );
        assert_eq!(app.dump().await, before);
    }
    // A preview without a token is refused too.
    let (status, _) = app
        .gql_with(
            &[("x-preview", "true")],
            "{ plans { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The right token writes, as a draft, recorded with who did it.
    let created = ok(&w.rauma, MEASURE_CREATE, input.clone()).await;
    let measure = &created["measureCreate"];
    assert_eq!(measure["measure"]["status"], "DRAFT");
    assert_eq!(measure["measure"]["version"], 1);
    assert_eq!(measure["measure"]["municipality"]["number"], "1539");
    assert_eq!(measure["revision"]["action"], "CREATE");
    assert_eq!(measure["revision"]["actorName"], "test token");
    // Another municipality's editor may not add measures to Rauma's plan.
    refused(&w.moss, MEASURE_CREATE, input.clone(), "FORBIDDEN").await;
    // Admins name the owner.
    refused(&w.admin, MEASURE_CREATE, input.clone(), "VALIDATION").await;
    let owned_by = |title: &str, number: &str| json!({ "input": { "plan": plan, "title": title, "municipality": number } });
    let by_admin = ok(&w.admin, MEASURE_CREATE, owned_by("Admins tiltak", "1539")).await;
    assert_eq!(
        by_admin["measureCreate"]["measure"]["municipality"]["number"],
        "1539"
    );
    // Editors cannot name another owner.
    refused(
        &w.rauma,
        MEASURE_CREATE,
        owned_by("X", "3103"),
        "VALIDATION",
    )
    .await;
}

on_both!(audit_log_for_admins);
async fn audit_log_for_admins(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let logged = json!({ "input": { "plan": plan, "title": "Logget" } });
    ok(&w.rauma, MEASURE_CREATE, logged).await;
    let (theme, version) = node(app, "theme(slug: \"barnefattigdom\")").await;
    const THEME_UPDATE: &str =
        "mutation($i: ThemeUpdateInput!) { themeUpdate(input: $i) { theme { id } } }";
    let described = json!({ "i": { "id": theme, "version": version, "description": "Ny" } });
    ok(&w.admin, THEME_UPDATE, described).await;
    const LOG: &str = "query($f: AuditLogFilter) { auditLog(filter: $f) { totalCount nodes { nodeType action actorName } } }";
    let log = |filter: Value| ok(&w.admin, LOG, json!({ "f": filter }));
    let all = log(Value::Null).await;
    assert_eq!(all["auditLog"]["totalCount"], 2);
    let rauma = log(json!({ "municipality": "1539" })).await;
    assert_eq!(rauma["auditLog"]["nodes"][0]["nodeType"], "Measure");
    assert_eq!(rauma["auditLog"]["totalCount"], 1);
    let themes = log(json!({ "nodeType": "Theme", "actor": "TEST" })).await;
    assert_eq!(themes["auditLog"]["totalCount"], 1);
    let future = log(json!({ "from": "2999-01-01T00:00:00Z" })).await;
    assert_eq!(future["auditLog"]["totalCount"], 0);
    let editor = w.rauma.gql(LOG, json!({ "f": null })).await;
    assert_eq!(editor["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let anonymous = app.gql_as(None, LOG, json!({ "f": null })).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}
