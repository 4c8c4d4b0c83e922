//! Linked data: drafts, unknown ids, hidden database text, and ids under the public URL.

use crate::common;

use axum::http::{StatusCode, header};
use serde_json::json;

use super::{assert_json_ld, doc, get, get_on, ids, links};

on_both!(drafts_need_a_token_and_a_preview);
async fn drafts_need_a_token_and_a_preview(app: &common::TestApp) {
    app.execute("UPDATE measure SET status = 'draft' WHERE slug = 'rauma-etablere-oppvekstforum'")
        .await;
    let (rauma, moss, admin) = (
        app.token("editor", Some("1539")).await,
        app.token("editor", Some("3103")).await,
        app.token("admin", None).await,
    );
    let draft = r#"{ measure(slug: "rauma-etablere-oppvekstforum") { uuid id plan { uuid } } }"#;
    let data = app.gql_preview(&rauma, draft, json!({})).await;
    let auth = |token: &str| format!("Bearer {token}");
    let (rauma, moss, admin) = (auth(&rauma), auth(&moss), auth(&admin));
    let uuid = data["data"]["measure"]["uuid"]
        .as_str()
        .expect("the draft")
        .to_string();
    let plan = data["data"]["measure"]["plan"]["uuid"]
        .as_str()
        .expect("plan")
        .to_string();
    let uri = format!("/ld/measure/{uuid}");

    // Anonymous: a 404 with a JSON code, by any URL form.
    for uri in [
        uri.clone(),
        format!("/ld/{uuid}"),
        format!(
            "/ld/{}",
            data["data"]["measure"]["id"].as_str().unwrap_or_default()
        ),
    ] {
        let got = get(app, &uri).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(got.content_type().starts_with("application/json"));
        assert_eq!(got.code(), "NOT_FOUND", "{}", got.json);
    }
    // A token without a preview, and another municipality's preview, see published content only.
    for headers in [
        vec![("authorization", rauma.as_str())],
        vec![("authorization", moss.as_str()), ("x-preview", "true")],
    ] {
        let got = get_on(&app.router, &uri, &headers).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{headers:?}");
        assert_eq!(got.code(), "NOT_FOUND");
    }
    // The owner's and an admin's previews see the draft.
    for token in [&rauma, &admin] {
        let got = get_on(
            &app.router,
            &uri,
            &[("authorization", token.as_str()), ("x-preview", "true")],
        )
        .await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.json);
        assert_eq!(got.content_type(), "application/ld+json");
        assert_json_ld(&got.json);
        assert_eq!(got.json["schema:creativeWorkStatus"], "draft");
        assert_eq!(
            got.headers[header::VARY].to_str().unwrap_or_default(),
            "authorization, x-preview"
        );
    }
    // Links follow the same rule: the plan names the draft only in a preview.
    let plan_uri = format!("/ld/plan/{plan}");
    let public = doc(app, &plan_uri).await;
    assert!(
        !links(&public, "dct:hasPart")
            .iter()
            .any(|l| l.ends_with(&uuid))
    );
    let preview = get_on(
        &app.router,
        &plan_uri,
        &[("authorization", rauma.as_str()), ("x-preview", "true")],
    )
    .await;
    assert!(
        links(&preview.json, "dct:hasPart")
            .iter()
            .any(|l| l.ends_with(&uuid))
    );

    // An invalid token, or a preview without a token, is a 401 whatever the node.
    for headers in [
        vec![("authorization", "Bearer ogt_nonsense")],
        vec![("x-preview", "true")],
    ] {
        let got = get_on(&app.router, &format!("/ld/plan/{plan}"), &headers).await;
        assert_eq!(got.status, StatusCode::UNAUTHORIZED, "{headers:?}");
        assert_eq!(got.code(), "UNAUTHENTICATED");
        assert_eq!(got.headers[header::WWW_AUTHENTICATE], "Bearer");
    }
}

on_both!(unknown_ids_are_not_found);
async fn unknown_ids_are_not_found(app: &common::TestApp) {
    let nobody = "3f1c2b8e-0000-4000-8000-000000000000";
    for uri in [
        format!("/ld/measure/{nobody}"),
        format!("/ld/{nobody}"),
        format!("/ld/{}", common::base64(&format!("Measure:{nobody}"))),
        format!("/ld/revision/{nobody}"),
        format!("/ld/{}", common::base64(&format!("Revision:{nobody}"))),
        format!("/ld/no-such-type/{nobody}"),
        "/ld/measure/not-a-uuid".to_string(),
        "/ld/not-an-id".to_string(),
    ] {
        let got = get(app, &uri).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(got.content_type().starts_with("application/json"), "{uri}");
        assert_eq!(got.code(), "NOT_FOUND", "{uri}: {}", got.json);
    }
}

on_both!(failures_hide_database_text);
async fn failures_hide_database_text(app: &common::TestApp) {
    let (uuid, _) = ids(app, r#"measure(slug: "rauma-arshjul")"#).await;
    app.execute("DROP TABLE measure_theme").await;
    let got = get(app, &format!("/ld/measure/{uuid}")).await;
    assert_eq!(got.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(got.code(), "INTERNAL");
    let text = got.json.to_string().to_lowercase();
    for leak in common::DATABASE_TEXT {
        assert!(!text.contains(leak), "leaks {leak:?}: {text}");
    }
}

on_both!(ids_use_the_public_url);
async fn ids_use_the_public_url(app: &common::TestApp) {
    let (uuid, _) = ids(app, r#"municipality(number: "1539")"#).await;
    let uri = format!("/ld/municipality/{uuid}");
    // Configured: every @id and link starts with the public URL.
    let public_url = oppvekstgraf_api::config::public_url("https://oppvekst.example.no/data/")
        .expect("a valid public URL");
    let router = oppvekstgraf_api::app(app.state.clone().with_public_url(Some(public_url)));
    let got = get_on(&router, &uri, &[("host", "ignored.example")]).await;
    assert_eq!(
        got.json["@id"],
        format!("https://oppvekst.example.no/data/ld/municipality/{uuid}")
    );
    // Not configured: the Host header.
    let got = get_on(&app.router, &uri, &[("host", "api.example.no:8080")]).await;
    assert_eq!(
        got.json["@id"],
        format!("http://api.example.no:8080/ld/municipality/{uuid}")
    );
    assert!(oppvekstgraf_api::config::public_url("ftp://example.no").is_err());
    assert!(oppvekstgraf_api::config::public_url("not a url").is_err());
}
