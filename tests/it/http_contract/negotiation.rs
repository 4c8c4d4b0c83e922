//! The HTTP contract: `Accept` negotiation, and the status codes of request errors per media type.

use crate::common;

use axum::http::StatusCode;
use serde_json::json;

use super::{GRAPHQL_RESPONSE, JSON, RAUMA, body, call, get, post, post_accepting};

on_both!(accept_negotiation, empty);
async fn accept_negotiation(app: &common::TestApp) {
    let query = body("{ __typename }", json!({}));
    for (accept, content_type) in [
        (Some("application/graphql-response+json"), GRAPHQL_RESPONSE),
        (Some("application/json"), JSON),
        (
            Some("application/graphql-response+json, application/json;q=0.9"),
            GRAPHQL_RESPONSE,
        ),
        (
            Some("application/graphql-response+json;q=0.5, application/json"),
            JSON,
        ),
        // The console's fetcher.
        (Some("application/json, multipart/mixed"), JSON),
        (Some("*/*"), GRAPHQL_RESPONSE),
        (Some("application/*"), GRAPHQL_RESPONSE),
        (None, GRAPHQL_RESPONSE),
    ] {
        let mut headers = vec![("content-type", "application/json")];
        headers.extend(accept.map(|accept| ("accept", accept)));
        let reply = call(&app.router, post(&headers, query.clone())).await;
        assert_eq!(reply.status, StatusCode::OK, "{accept:?}");
        assert_eq!(reply.content_type(), content_type, "{accept:?}");
        assert_eq!(reply.text, r#"{"data":{"__typename":"QueryRoot"}}"#);
    }
    // Neither media type acceptable: 406, answered in plain application/json.
    for accept in ["text/plain", "application/xml", "application/json;q=0"] {
        let reply = call(&app.router, post_accepting(accept, query.clone())).await;
        reply.assert_refusal(
            StatusCode::NOT_ACCEPTABLE,
            "NOT_ACCEPTABLE",
            "the Accept header allows neither application/graphql-response+json nor application/json",
        );
        assert_eq!(reply.content_type(), JSON);
        let reply = call(
            &app.router,
            get(&[("query", "{ __typename }")], &[("accept", accept)]),
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_ACCEPTABLE, "GET {accept}");
    }
    // A browser asking for HTML still gets the console.
    let reply = call(
        &app.router,
        get(
            &[],
            &[(
                "accept",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            )],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type().starts_with("text/html"));
}

on_both!(request_errors_and_status_codes);
async fn request_errors_and_status_codes(app: &common::TestApp) {
    // Requests that fail before execution: a document that does not parse, one that does not validate,
    // variables that do not coerce, an unknown operation name.
    let failing = [
        (body("{", json!({})), "GRAPHQL_VALIDATION_FAILED"),
        (
            body("{ 8f31403dfe404bccbb0e835f2629c6a7 }", json!({})),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            body(
                "query($n: String!) { municipality(number: $n) { name } }",
                json!({ "n": null }),
            ),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            body(
                "query($n: String!) { municipality(number: $n) { name } }",
                json!({}),
            ),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            body(
                "query($n: String!) { municipality(number: $n) { name } }",
                json!({ "n": 1539 }),
            ),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            json!({ "query": "query A { __typename }", "operationName": "B" }).to_string(),
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ];
    for (media, status, content_type) in [
        (
            "application/graphql-response+json",
            StatusCode::BAD_REQUEST,
            GRAPHQL_RESPONSE,
        ),
        ("application/json", StatusCode::OK, JSON),
    ] {
        for (request, code) in &failing {
            let reply = call(&app.router, post_accepting(media, request.clone())).await;
            assert_eq!(reply.status, status, "{media} {request}: {}", reply.text);
            assert_eq!(reply.content_type(), content_type);
            let object = reply.json.as_object().expect("an object");
            assert!(
                !object.contains_key("data"),
                "no data entry before execution: {}",
                reply.text
            );
            let errors = reply.json["errors"].as_array().expect("errors");
            assert!(!errors.is_empty());
            for error in errors {
                assert_eq!(error["extensions"]["code"], *code, "{}", reply.text);
                assert_eq!(error["extensions"]["requestId"], reply.request_id());
            }
        }
    }
    // Once execution began, the status is 200 whatever the errors: a field error keeps the data entry.
    for media in ["application/graphql-response+json", "application/json"] {
        let reply = call(
            &app.router,
            post_accepting(media, body(
                    r#"{ ok: municipality(number: "1539") { name } bad: measures(first: 1000) { totalCount } }"#,
                    json!({}),
                ),
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{media}: {}", reply.text);
        assert_eq!(reply.json["data"]["ok"]["name"], "Rauma", "{}", reply.text);
        assert_eq!(reply.json["errors"][0]["extensions"]["code"], "VALIDATION");
        assert_eq!(
            reply.json["errors"][0]["extensions"]["requestId"],
            reply.request_id()
        );
    }
    // An invalid token is 401 under either media type, with WWW-Authenticate and nothing run.
    for (media, content_type) in [
        ("application/graphql-response+json", GRAPHQL_RESPONSE),
        ("application/json", JSON),
    ] {
        let reply = call(
            &app.router,
            post(
                &[
                    ("content-type", "application/json"),
                    ("accept", media),
                    ("authorization", "Bearer nonsense"),
                ],
                body(RAUMA, json!({})),
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.content_type(), content_type);
        assert_eq!(reply.header("www-authenticate"), "Bearer");
        assert_eq!(
            reply.json["errors"][0]["extensions"]["code"],
            "UNAUTHENTICATED"
        );
        assert_eq!(
            reply.json["errors"][0]["extensions"]["requestId"],
            reply.request_id()
        );
        assert!(reply.json.get("data").is_none());
    }
}
