//! The HTTP contract: CORS and its preflight, the security headers, and the request id in every error.

use crate::common;

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use oppvekstgraf_api::{config::HttpConfig, http::middleware::API_CSP};
use serde_json::json;

use super::{RAUMA, bare_get, body, call, get, post};

fn preflight(origin: &str, headers: &str) -> Request<Body> {
    Request::options("/graphql")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", headers)
        .body(Body::empty())
        .expect("request")
}

on_both!(cors_allow_list, empty);
async fn cors_allow_list(app: &common::TestApp) {
    const ALLOWED: &str = "https://oppvekst.kommune.example";
    let router = oppvekstgraf_api::app(app.state.clone().with_http(HttpConfig {
        cors_allowed_origins: vec![ALLOWED.into()],
        ..HttpConfig::default()
    }));

    let reply = call(
        &router,
        preflight(ALLOWED, "authorization, content-type, x-preview"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("access-control-allow-origin"), ALLOWED);
    assert_eq!(reply.header("access-control-allow-methods"), "GET,POST");
    assert_eq!(
        reply.header("access-control-allow-headers"),
        "authorization,content-type,x-preview"
    );
    assert_eq!(reply.header("access-control-max-age"), "3600");
    assert!(reply.header("vary").contains("origin"));
    assert!(
        reply
            .headers
            .get("access-control-allow-credentials")
            .is_none()
    );

    // Another origin gets no CORS headers: the browser refuses to send the request.
    let reply = call(
        &router,
        preflight("https://evil.example", "authorization, content-type"),
    )
    .await;
    assert!(
        reply.headers.get("access-control-allow-origin").is_none(),
        "{:?}",
        reply.headers
    );

    // The request itself: the allowed origin may read the response and its request id.
    let request = Request::post("/graphql")
        .header("origin", ALLOWED)
        .header("content-type", "application/json")
        .body(Body::from(body("{ __typename }", json!({}))))
        .expect("request");
    let reply = call(&router, request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("access-control-allow-origin"), ALLOWED);
    assert_eq!(
        reply.header("access-control-expose-headers"),
        "x-request-id"
    );

    // `*`: any origin, anonymous reads only (no Authorization, no x-preview).
    let anyone = oppvekstgraf_api::app(app.state.clone().with_http(HttpConfig {
        cors_allowed_origins: vec!["*".into()],
        ..HttpConfig::default()
    }));
    let reply = call(&anyone, preflight("https://anyone.example", "content-type")).await;
    assert_eq!(reply.header("access-control-allow-origin"), "*");
    assert_eq!(reply.header("access-control-allow-headers"), "content-type");

    // The default: no origins, no CORS headers at all.
    let reply = call(&app.router, preflight(ALLOWED, "content-type")).await;
    assert!(reply.headers.get("access-control-allow-origin").is_none());
    let request = Request::post("/graphql")
        .header("origin", ALLOWED)
        .header("content-type", "application/json")
        .body(Body::from(body("{ __typename }", json!({}))))
        .expect("request");
    let reply = call(&app.router, request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.headers.get("access-control-allow-origin").is_none());
}

on_both!(security_headers_everywhere);
async fn security_headers_everywhere(app: &common::TestApp) {
    let requests = || {
        [
            post(
                &[("content-type", "application/json")],
                body(RAUMA, json!({})),
            ),
            post(&[("content-type", "text/plain")], "x"),
            get(&[("query", "{ __typename }")], &[]),
            bare_get("/healthz"),
            bare_get("/ld/municipality/00000000-0000-0000-0000-000000000000"),
            bare_get("/no-such-route"),
        ]
    };
    for request in requests() {
        let uri = request.uri().clone();
        let reply = call(&app.router, request).await;
        assert_eq!(reply.header("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(reply.header("referrer-policy"), "no-referrer", "{uri}");
        assert_eq!(reply.header("x-frame-options"), "DENY", "{uri}");
        assert_eq!(reply.header("content-security-policy"), API_CSP, "{uri}");
        assert!(reply.headers.get("strict-transport-security").is_none());
        reply.request_id();
    }
    // The console keeps its own policy.
    for uri in ["/graphiql", "/graphql"] {
        let request = Request::get(uri)
            .header("accept", "text/html")
            .body(Body::empty())
            .expect("request");
        let reply = call(&app.router, request).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(
            reply.header("content-security-policy"),
            oppvekstgraf_api::console::CSP
        );
        assert_eq!(reply.header("x-frame-options"), "DENY");
    }
    // HSTS when the server is public over https.
    let public = oppvekstgraf_api::app(
        app.state
            .clone()
            .with_public_url(Some("https://oppvekst.example.no".into())),
    );
    for request in requests() {
        let reply = call(&public, request).await;
        assert_eq!(
            reply.header("strict-transport-security"),
            "max-age=31536000"
        );
    }
}

on_both!(request_id_in_every_error);
async fn request_id_in_every_error(app: &common::TestApp) {
    let errors = || {
        [
            // A document that does not validate.
            post(
                &[("content-type", "application/json")],
                body("{ nope }", json!({})),
            ),
            // A field error during execution.
            post(
                &[("content-type", "application/json")],
                body("{ measures(first: 1000) { totalCount } }", json!({})),
            ),
            // A bad token, a bad body, a bad media type, a mutation over GET, an unknown linked-data node.
            post(
                &[
                    ("content-type", "application/json"),
                    ("authorization", "Bearer nonsense"),
                ],
                body(RAUMA, json!({})),
            ),
            post(&[("content-type", "application/json")], "{"),
            post(&[("content-type", "text/plain")], "{}"),
            get(&[("query", "mutation { __typename }")], &[]),
            bare_get("/ld/municipality/00000000-0000-0000-0000-000000000000"),
        ]
    };
    for request in errors() {
        let uri = request.uri().clone();
        let reply = call(&app.router, request).await;
        let id = reply.request_id();
        let errors = reply.json["errors"].as_array().expect("errors");
        assert!(!errors.is_empty(), "{uri}: {}", reply.text);
        for error in errors {
            assert_eq!(
                error["extensions"]["requestId"], id,
                "{uri}: {}",
                reply.text
            );
            assert!(error["extensions"]["code"].is_string(), "{}", reply.text);
        }
    }
    // A client's own request id is kept, in the header and in the errors.
    for mut request in errors() {
        request.headers_mut().insert(
            "x-request-id",
            "client-chosen-id-42".parse().expect("header"),
        );
        let reply = call(&app.router, request).await;
        assert_eq!(reply.request_id(), "client-chosen-id-42");
        assert_eq!(
            reply.json["errors"][0]["extensions"]["requestId"],
            "client-chosen-id-42"
        );
    }
}
