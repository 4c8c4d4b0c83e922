//! Editing: tokens and roles, and the audit log that only admins read.

use crate::common;

use common::TestApp;
use serde_json::json;

use super::{HANDLINGSDEL, MEASURE_CREATE, node, ok, refused, who};

on_both!(tokens_and_roles);
async fn tokens_and_roles(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, None, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let input = json!({ "input": { "plan": plan, "title": "Nytt tiltak" } });
    // No token: UNAUTHENTICATED, nothing written.
    refused(app, None, MEASURE_CREATE, input.clone(), "UNAUTHENTICATED").await;
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
    let forged = format!("{}x", &w.rauma[..w.rauma.len() - 1]);
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
        assert_eq!(
            status,
            axum::http::StatusCode::UNAUTHORIZED,
            "{bad}: {body}"
        );
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
    assert_eq!(status, axum::http::StatusCode::UNAUTHORIZED);
    // The right token writes, as a draft, recorded with who did it.
    let created = ok(app, Some(&w.rauma), MEASURE_CREATE, input.clone()).await;
    let measure = &created["measureCreate"];
    assert_eq!(measure["measure"]["status"], "DRAFT");
    assert_eq!(measure["measure"]["version"], 1);
    assert_eq!(measure["measure"]["municipality"]["number"], "1539");
    assert_eq!(measure["revision"]["action"], "CREATE");
    assert_eq!(measure["revision"]["actorName"], "test token");
    // Another municipality's editor may not add measures to Rauma's plan.
    refused(
        app,
        Some(&w.moss),
        MEASURE_CREATE,
        input.clone(),
        "FORBIDDEN",
    )
    .await;
    // Admins name the owner.
    refused(
        app,
        Some(&w.admin),
        MEASURE_CREATE,
        input.clone(),
        "VALIDATION",
    )
    .await;
    let by_admin = ok(
        app,
        Some(&w.admin),
        MEASURE_CREATE,
        json!({ "input": { "plan": plan, "title": "Admins tiltak", "municipality": "1539" } }),
    )
    .await;
    assert_eq!(
        by_admin["measureCreate"]["measure"]["municipality"]["number"],
        "1539"
    );
    // Editors cannot name another owner.
    refused(
        app,
        Some(&w.rauma),
        MEASURE_CREATE,
        json!({ "input": { "plan": plan, "title": "X", "municipality": "3103" } }),
        "VALIDATION",
    )
    .await;
}

on_both!(audit_log_for_admins);
async fn audit_log_for_admins(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, None, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    ok(
        app,
        Some(&w.rauma),
        MEASURE_CREATE,
        json!({ "input": { "plan": plan, "title": "Logget" } }),
    )
    .await;
    let (theme, version) = node(app, None, "theme(slug: \"barnefattigdom\")").await;
    ok(
        app,
        Some(&w.admin),
        "mutation($i: ThemeUpdateInput!) { themeUpdate(input: $i) { theme { id } } }",
        json!({ "i": { "id": theme, "version": version, "description": "Ny" } }),
    )
    .await;
    const LOG: &str = "query($f: AuditLogFilter) { auditLog(filter: $f) { totalCount nodes { nodeType action actorName } } }";
    let all = ok(app, Some(&w.admin), LOG, json!({ "f": null })).await;
    assert_eq!(all["auditLog"]["totalCount"], 2);
    let rauma = ok(
        app,
        Some(&w.admin),
        LOG,
        json!({ "f": { "municipality": "1539" } }),
    )
    .await;
    assert_eq!(rauma["auditLog"]["nodes"][0]["nodeType"], "Measure");
    assert_eq!(rauma["auditLog"]["totalCount"], 1);
    let themes = ok(
        app,
        Some(&w.admin),
        LOG,
        json!({ "f": { "nodeType": "Theme", "actor": "TEST" } }),
    )
    .await;
    assert_eq!(themes["auditLog"]["totalCount"], 1);
    let future = ok(
        app,
        Some(&w.admin),
        LOG,
        json!({ "f": { "from": "2999-01-01T00:00:00Z" } }),
    )
    .await;
    assert_eq!(future["auditLog"]["totalCount"], 0);
    let editor = app.gql_as(Some(&w.rauma), LOG, json!({ "f": null })).await;
    assert_eq!(editor["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let anonymous = app.gql_as(None, LOG, json!({ "f": null })).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}
