//! The HTTP surface: GraphQL over GET and POST, the console routes, health checks, request ids, and errors
//! that never leak database text.

use crate::common;

use axum::{
    body::Body,
    http::{HeaderMap, Request, StatusCode, header},
};
use serde_json::json;

async fn get(app: &common::TestApp, uri: &str, accept: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let request = Request::get(uri)
        .header(header::ACCEPT, accept)
        .body(Body::empty())
        .expect("request");
    let response = common::router::call(&app.router, request).await;
    (response.status, response.headers, response.body.to_vec())
}

/// Header `name`'s value as text (empty when it is not text).
fn text(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers[name].to_str().unwrap_or_default()
}

on_both!(graphql_over_get_and_the_console);
async fn graphql_over_get_and_the_console(app: &common::TestApp) {
    let (status, headers, body) = get(
        app,
        "/graphql?query=%7Bmunicipality(number%3A%221539%22)%7Bname%7D%7D",
        "application/json",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers.contains_key("x-request-id"),
        "every response carries a request id"
    );
    let json: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(json["data"]["municipality"]["name"], "Rauma");

    for uri in ["/graphql", "/graphiql", "/graphiql/"] {
        let (status, headers, body) = get(app, uri, "text/html,application/xhtml+xml").await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let content_type = text(&headers, header::CONTENT_TYPE);
        assert!(content_type.starts_with("text/html"), "{uri}");
        assert!(text(&headers, header::CONTENT_SECURITY_POLICY).contains("script-src 'self'"));
        let html = String::from_utf8_lossy(&body);
        assert!(
            html.contains("/graphiql/assets/"),
            "{uri} serves the built console"
        );
        // Every script the page names is served as JavaScript.
        for src in html
            .split("src=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            let (status, headers, _) = get(app, src, "*/*").await;
            assert_eq!(status, StatusCode::OK, "{src}");
            let content_type = text(&headers, header::CONTENT_TYPE);
            assert!(content_type.starts_with("text/javascript"), "{src}");
        }
    }
    let (status, _, _) = get(app, "/graphiql/assets/no-such-file.js", "*/*").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

on_both!(health_checks);
async fn health_checks(app: &common::TestApp) {
    assert_eq!(get(app, "/healthz", "*/*").await.0, StatusCode::OK);
    assert_eq!(get(app, "/readyz", "*/*").await.0, StatusCode::OK);
}

on_both!(errors_carry_codes_and_hide_database_text);
async fn errors_carry_codes_and_hide_database_text(app: &common::TestApp) {
    // A broken request body.
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{ not json"))
        .expect("request");
    let (status, _) = app.send(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The database fails under a query: the client sees INTERNAL and a generic message, never SQL.
    app.execute("DROP TABLE measure_theme").await;
    let response = app
        .gql(
            r#"{ measures(filter: { theme: "barnefattigdom" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    let error = &response["errors"][0];
    assert_eq!(error["extensions"]["code"], "INTERNAL", "{response}");
    let text = response.to_string().to_lowercase();
    for leak in common::DATABASE_TEXT.into_iter().chain([".rs"]) {
        assert!(
            !text.contains(leak),
            "the response leaks {leak:?}: {response}"
        );
    }
}
