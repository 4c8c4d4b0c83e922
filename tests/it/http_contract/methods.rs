//! The HTTP contract: GET runs queries and never mutations, POST accepts JSON only.

use crate::common;

use axum::http::StatusCode;
use serde_json::json;

use super::{
    GRAPHQL_RESPONSE, JSON, RAUMA, THEME_CREATE, THEME_CREATE_INLINE, body, call, encode, get, post,
};

on_both!(get_runs_queries);
async fn get_runs_queries(app: &common::TestApp) {
    let reply = call(
        &app.router,
        get(
            &[("query", RAUMA)],
            &[("accept", "application/graphql-response+json")],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.content_type(), GRAPHQL_RESPONSE);
    assert_eq!(reply.text, r#"{"data":{"municipality":{"name":"Rauma"}}}"#);

    // Variables (as JSON text) and the operation name come from the query string too.
    let reply = call(
        &app.router,
        get(
            &[
                (
                    "query",
                    "query A { __typename } query B($n: String!) { municipality(number: $n) { name } }",
                ),
                ("operationName", "B"),
                ("variables", r#"{"n":"1539"}"#),
            ],
            &[("accept", "application/json")],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.content_type(), JSON);
    assert_eq!(reply.text, r#"{"data":{"municipality":{"name":"Rauma"}}}"#);

    // No query at all, or variables that are not an object: 400.
    let reply = call(&app.router, get(&[], &[("accept", "application/json")])).await;
    reply.assert_refusal(
        StatusCode::BAD_REQUEST,
        "BAD_REQUEST",
        "`query` is missing: send the GraphQL document as `query`",
    );
    let reply = call(
        &app.router,
        get(&[("query", RAUMA), ("variables", "[1]")], &[]),
    )
    .await;
    reply.assert_refusal(
        StatusCode::BAD_REQUEST,
        "BAD_REQUEST",
        "`variables` must be a JSON object or null",
    );
    assert_eq!(reply.content_type(), GRAPHQL_RESPONSE);
}

on_both!(get_never_runs_mutations);
async fn get_never_runs_mutations(app: &common::TestApp) {
    let admin = app.token("admin", None).await;
    let bearer = format!("Bearer {admin}");
    let auth = [("authorization", bearer.as_str())];
    let before = app.dump().await;
    let variables = json!({ "input": { "label": "Skolevegring" } }).to_string();
    for params in [
        vec![("query", THEME_CREATE), ("variables", variables.as_str())],
        vec![("query", THEME_CREATE_INLINE)],
        // The mutation chosen among several operations by name.
        vec![
            (
                "query",
                "query Read { __typename } mutation Create { themeCreate(input: { label: \"Skolevegring\" }) { theme { slug } } }",
            ),
            ("operationName", "Create"),
        ],
    ] {
        for accept in ["application/graphql-response+json", "application/json"] {
            let headers = [auth[0], ("accept", accept)];
            let reply = call(&app.router, get(&params, &headers)).await;
            reply.assert_refusal(
                StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                "mutations are accepted over POST only; send this request as a POST with a JSON body",
            );
            assert_eq!(reply.header("allow"), "POST");
            assert_eq!(app.dump().await, before, "{params:?}: nothing written");
        }
    }
    // The query of a document that also holds a mutation runs.
    let reply = call(
        &app.router,
        get(
            &[
                (
                    "query",
                    "query Read { __typename } mutation Create { __typename }",
                ),
                ("operationName", "Read"),
            ],
            &auth,
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.text, r#"{"data":{"__typename":"QueryRoot"}}"#);

    // The same mutation over POST does write: the refusals above are what kept the database unchanged.
    let reply = call(
        &app.router,
        post(
            &[auth[0], ("content-type", "application/json")],
            json!({ "query": THEME_CREATE_INLINE }).to_string(),
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        reply.json,
        json!({ "data": { "themeCreate": { "theme": { "slug": "skolevegring" } } } })
    );
    assert_ne!(app.dump().await, before);
}

on_both!(post_accepts_json_only);
async fn post_accepts_json_only(app: &common::TestApp) {
    let admin = app.token("admin", None).await;
    let bearer = format!("Bearer {admin}");
    let mutation = json!({ "query": THEME_CREATE_INLINE }).to_string();
    let before = app.dump().await;
    let form = format!("query={}", encode(THEME_CREATE_INLINE));
    let multipart = format!(
        "--x\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{mutation}\r\n--x--\r\n"
    );
    for (content_type, body, message) in [
        (
            Some("text/plain"),
            mutation.clone(),
            r#"the Content-Type "text/plain" is not accepted"#,
        ),
        (
            Some("text/plain;charset=UTF-8"),
            mutation.clone(),
            r#"the Content-Type "text/plain" is not accepted"#,
        ),
        (
            Some("application/x-www-form-urlencoded"),
            form,
            r#"the Content-Type "application/x-www-form-urlencoded" is not accepted"#,
        ),
        (
            Some("multipart/form-data; boundary=x"),
            multipart,
            r#"the Content-Type "multipart/form-data" is not accepted"#,
        ),
        (
            Some("application/graphql"),
            THEME_CREATE_INLINE.to_string(),
            r#"the Content-Type "application/graphql" is not accepted"#,
        ),
        (
            Some("application/json; charset=iso-8859-1"),
            mutation.clone(),
            r#"the charset "iso-8859-1" is not accepted (UTF-8 only)"#,
        ),
        (None, mutation.clone(), "the request has no Content-Type"),
    ] {
        let mut headers = vec![("authorization", bearer.as_str())];
        if let Some(content_type) = content_type {
            headers.push(("content-type", content_type));
        }
        let reply = call(&app.router, post(&headers, body)).await;
        reply.assert_refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            &format!("{message}: send the request as JSON with `Content-Type: application/json`"),
        );
        assert_eq!(reply.content_type(), GRAPHQL_RESPONSE);
        assert_eq!(
            app.dump().await,
            before,
            "{content_type:?}: nothing written"
        );
    }
    // `application/json` with or without a UTF-8 charset is the way in.
    for content_type in ["application/json", "Application/JSON; charset=\"UTF-8\""] {
        let reply = call(
            &app.router,
            post(&[("content-type", content_type)], body(RAUMA, json!({}))),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{content_type}");
        assert_eq!(reply.text, r#"{"data":{"municipality":{"name":"Rauma"}}}"#);
    }
}
