//! Response caching: editors and errors never cached, automatic persisted queries, and the metrics.

use crate::common;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use common::TestApp;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{MOSS, RAUMA, cost, get, get_uri, ok, send};

on_both!(editors_and_errors_are_never_cached);
async fn editors_and_errors_are_never_cached(app: &TestApp) {
    let editor = app.token("editor", Some("1539")).await;
    let bearer = format!("Bearer {editor}");
    for extra in [
        vec![("authorization", bearer.as_str())],
        vec![("authorization", bearer.as_str()), ("x-preview", "true")],
    ] {
        for _ in 0..2 {
            let (reply, statements, hits) = cost(app, get(app, RAUMA, json!({}), &extra)).await;
            ok(&reply);
            assert_eq!(reply.header("cache-control"), Some("private, no-store"));
            assert!(reply.header("etag").is_none());
            assert!(
                statements > 0 && hits == 0,
                "an editor's read is never cached"
            );
        }
    }
    // Errors are not cached either, and say no-store.
    for _ in 0..2 {
        let (reply, _, hits) = cost(
            app,
            get(
                app,
                "{ municipality(number: \"x\") { name } }",
                json!({}),
                &[],
            ),
        )
        .await;
        assert_eq!(
            reply.header("cache-control"),
            Some("private, no-store"),
            "{}",
            reply.text()
        );
        assert_eq!(hits, 0);
    }
    // The change feed is never cached.
    for _ in 0..2 {
        let (reply, statements, hits) = cost(
            app,
            get(app, "{ changes(first: 5) { hasMore } }", json!({}), &[]),
        )
        .await;
        ok(&reply);
        assert!(statements > 0 && hits == 0);
    }
    // An anonymous POST read shares the cache but tells browsers to revalidate.
    let (status, _) = app.gql_with(&[], MOSS, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let request = common::query_post(MOSS);
    let (reply, statements, hits) = cost(app, send(app, request)).await;
    ok(&reply);
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    assert!(reply.header("etag").is_some());
    assert_eq!((statements, hits), (0, 1));
}

on_both!(persisted_queries);
async fn persisted_queries(app: &TestApp) {
    let hash = hex::encode(Sha256::digest(MOSS.as_bytes()));
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let by_hash = || {
        Request::get(get_uri("", &json!({}), Some(&extensions)))
            .header(header::ACCEPT, "application/graphql-response+json")
            .body(Body::empty())
            .expect("request")
    };
    // Unknown hash: PERSISTED_QUERY_NOT_FOUND, with the message Apollo clients look for.
    let unknown = send(app, by_hash()).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        unknown.json()["errors"][0]["message"],
        "PersistedQueryNotFound"
    );
    assert_eq!(
        unknown.json()["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_FOUND"
    );
    // A hash that is not the document's: refused, nothing remembered.
    let wrong = json!({ "persistedQuery": { "version": 1, "sha256Hash": "0".repeat(64) } });
    let request = common::json_post(&json!({ "query": MOSS, "extensions": wrong }));
    let refused = send(app, request).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused.json()["errors"][0]["extensions"]["code"],
        "BAD_REQUEST"
    );
    assert!(refused.text().contains("sha256Hash"), "{}", refused.text());
    // Document and hash together: executed and remembered; then the hash alone is enough.
    let request = common::json_post(&json!({ "query": MOSS, "extensions": extensions }));
    let full = send(app, request).await;
    let expected = ok(&full);
    let short = send(app, by_hash()).await;
    assert_eq!(ok(&short), expected);
    assert!(short.header("etag").is_some());
    // A persisted mutation is still refused over GET.
    let mutation = "mutation { measureUpdate(input: {id: \"x\", version: 1}) { measure { id } } }";
    let request = common::json_post(
        &json!({ "query": mutation, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hex::encode(Sha256::digest(mutation.as_bytes())) } } }),
    );
    send(app, request).await;
    let over_get = Request::get(get_uri(
        "",
        &json!({}),
        Some(&json!({ "persistedQuery": { "version": 1, "sha256Hash": hex::encode(Sha256::digest(mutation.as_bytes())) } })),
    ))
    .header(header::ACCEPT, "application/graphql-response+json")
    .body(Body::empty())
    .expect("request");
    assert_eq!(
        send(app, over_get).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

on_both!(metrics_are_exposed);
async fn metrics_are_exposed(app: &TestApp) {
    ok(&get(app, MOSS, json!({}), &[]).await);
    ok(&get(app, MOSS, json!({}), &[]).await);
    let reply = send(
        app,
        Request::get("/metrics")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    for name in [
        "oppvekstgraf_sql_statements_total",
        "oppvekstgraf_graphql_requests_total 2",
        "oppvekstgraf_response_cache_hits_total 1",
        // A GET miss is looked up (and counted) once.
        "oppvekstgraf_response_cache_misses_total 1",
        "oppvekstgraf_response_cache_entries 1",
    ] {
        assert!(reply.text().contains(name), "{name} in\n{}", reply.text());
    }
}
