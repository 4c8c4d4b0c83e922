//! The HTTP contract: malformed bodies are 400, bodies over the limit are 413.

use crate::common;

use axum::{body::Body, http::StatusCode};
use oppvekstgraf_api::config::HttpConfig;
use serde_json::json;

use super::{GRAPHQL_RESPONSE, JSON, THEME_CREATE_INLINE, body, call, post, post_accepting};

on_both!(malformed_bodies_are_400, empty);
async fn malformed_bodies_are_400(app: &common::TestApp) {
    for (accept, content_type) in [
        ("application/graphql-response+json", GRAPHQL_RESPONSE),
        ("application/json", JSON),
    ] {
        for (body, message) in [
            (
                r#"{ "not a JSON"#,
                "the request body is not valid JSON: EOF while parsing a string at line 1 column 13",
            ),
            (
                "",
                "the request body is empty; send a JSON object with a `query` string",
            ),
            (
                r#"[{"query":"{ __typename }"}]"#,
                "batched requests are not supported: send one JSON object with a `query` string per request",
            ),
            (
                r#""{ __typename }""#,
                "the request body must be a JSON object with a `query` string",
            ),
            (
                r#"{"qeury":"{ __typename }"}"#,
                "`query` is missing: send the GraphQL document as `query`",
            ),
            (r#"{"query":{"a":1}}"#, "`query` must be a string"),
            (
                r#"{"query":"{ __typename }","operationName":0}"#,
                "`operationName` must be a string or null",
            ),
            (
                r#"{"query":"{ __typename }","variables":"{}"}"#,
                "`variables` must be a JSON object or null",
            ),
            (
                r#"{"query":"{ __typename }","extensions":[]}"#,
                "`extensions` must be a JSON object or null",
            ),
        ] {
            let reply = call(&app.router, post_accepting(accept, body)).await;
            reply.assert_refusal(StatusCode::BAD_REQUEST, "BAD_REQUEST", message);
            assert_eq!(reply.content_type(), content_type, "{body}");
        }
    }
    // `null` is the same as absent.
    let reply = call(
        &app.router,
        post(
            &[("content-type", "application/json")],
            r#"{"query":"{ __typename }","operationName":null,"variables":null,"extensions":null}"#,
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.text, r#"{"data":{"__typename":"QueryRoot"}}"#);
}

on_both!(bodies_over_the_limit_are_413);
async fn bodies_over_the_limit_are_413(app: &common::TestApp) {
    const LIMIT: usize = 256 * 1024;
    assert_eq!(HttpConfig::default().max_body_bytes, LIMIT);
    let admin = app.token("admin", None).await;
    let bearer = format!("Bearer {admin}");
    // A JSON body of exactly `size` bytes: a mutation padded with spaces.
    let padded = |size: usize| {
        let mut text = json!({ "query": THEME_CREATE_INLINE }).to_string();
        text.pop();
        let padding = size - text.len() - 1;
        text.push_str(&" ".repeat(padding));
        text.push('}');
        assert_eq!(text.len(), size);
        text
    };
    let before = app.dump().await;
    let message = format!("the request body is larger than the limit of {LIMIT} bytes");
    let oversized = padded(LIMIT + 1);

    // Announced by Content-Length: refused before a byte is read.
    let length = oversized.len().to_string();
    let reply = call(
        &app.router,
        post(
            &[
                ("content-type", "application/json"),
                ("content-length", &length),
                ("authorization", &bearer),
            ],
            oversized.clone(),
        ),
    )
    .await;
    reply.assert_refusal(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", &message);
    assert_eq!(reply.content_type(), GRAPHQL_RESPONSE);

    // Chunked, with no Content-Length: cut off where it passes the limit.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = oversized
        .as_bytes()
        .chunks(16 * 1024)
        .map(|chunk| Ok(chunk.to_vec()))
        .collect();
    let reply = call(
        &app.router,
        post(
            &[
                ("content-type", "application/json"),
                ("accept", "application/json"),
                ("authorization", &bearer),
            ],
            Body::from_stream(futures_util::stream::iter(chunks)),
        ),
    )
    .await;
    reply.assert_refusal(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", &message);
    assert_eq!(reply.content_type(), JSON);
    assert_eq!(app.dump().await, before, "nothing written");

    // Exactly the limit is accepted (and the mutation in it runs).
    let reply = call(
        &app.router,
        post(
            &[
                ("content-type", "application/json"),
                ("authorization", &bearer),
            ],
            padded(LIMIT),
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        reply.json["data"]["themeCreate"]["theme"]["slug"],
        "skolevegring"
    );

    // The limit is a setting.
    let small = oppvekstgraf_api::app(app.state.clone().with_http(HttpConfig {
        max_body_bytes: 100,
        ..HttpConfig::default()
    }));
    let reply = call(
        &small,
        post(&[("content-type", "application/json")], padded(101)),
    )
    .await;
    reply.assert_refusal(
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
        "the request body is larger than the limit of 100 bytes",
    );
    let reply = call(
        &small,
        post(
            &[("content-type", "application/json")],
            body("{ __typename }", json!({})),
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}
