//! Response caching of anonymous reads: GET with `ETag`/`If-None-Match` and `Cache-Control`, automatic
//! persisted queries, and an in-process cache that a write invalidates precisely — what the write touched,
//! and only that — in the writing process at once and in every other process through the change feed.

use crate::common;

use std::time::{Duration, Instant};

use axum::{
    body::Body,
    http::{HeaderMap, Request, StatusCode, header},
};
use common::{Backend, TestApp};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

const RAUMA: &str = "{ municipality(number: \"1539\") { name measures(first: 20) { totalCount nodes { id title version } } } }";
const MOSS: &str =
    "{ municipality(number: \"3103\") { name plans(first: 20) { totalCount nodes { title } } } }";
const CITED_BY: &str = "query($id: ID!) { node(id: $id) { ... on LegalReference { citation measures(first: 50) { totalCount nodes { id } } } } }";
const UPDATE: &str = "mutation($input: MeasureUpdateInput!) { measureUpdate(input: $input) { measure { id version title } } }";
const LINK: &str = "mutation($input: MeasureLinkLegalReferenceInput!) { measureLinkLegalReference(input: $input) { measure { id } } }";

/// A response: status, headers and the body as text.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn get_uri(query: &str, variables: &Value, extensions: Option<&Value>) -> String {
    let mut url = url::form_urlencoded::Serializer::new(String::new());
    if !query.is_empty() {
        url.append_pair("query", query);
    }
    url.append_pair("variables", &variables.to_string());
    if let Some(extensions) = extensions {
        url.append_pair("extensions", &extensions.to_string());
    }
    format!("/graphql?{}", url.finish())
}

async fn send(app: &TestApp, request: Request<Body>) -> Reply {
    let response = app.router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// GET /graphql with a query, optionally as a token holder and with extra headers.
async fn get(app: &TestApp, query: &str, variables: Value, extra: &[(&str, &str)]) -> Reply {
    let mut request = Request::get(get_uri(query, &variables, None))
        .header(header::ACCEPT, "application/graphql-response+json");
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::empty()).expect("request")).await
}

/// What a read cost: (statements run, cache hits) during `f`.
async fn cost<F: std::future::Future<Output = Reply>>(app: &TestApp, f: F) -> (Reply, u64, u64) {
    let statements = app.state.statements.get();
    let hits = app.state.metrics.cache_hits.get();
    let reply = f.await;
    (
        reply,
        app.state.statements.get() - statements,
        app.state.metrics.cache_hits.get() - hits,
    )
}

fn ok(reply: &Reply) -> Value {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = reply.json();
    assert!(body.get("errors").is_none(), "{body:#}");
    body["data"].clone()
}

/// Rauma's first measure (id, version) and a legal reference it does not cite, read by an editor (so
/// nothing is cached yet).
async fn fixtures(app: &TestApp, editor: &str) -> (String, i64, String) {
    let data = app.gql_as(Some(editor), RAUMA, json!({})).await["data"].clone();
    let measure = &data["municipality"]["measures"]["nodes"][0];
    let id = measure["id"].as_str().expect("measure id").to_string();
    let version = measure["version"].as_i64().expect("version");
    let refs = app
        .gql_as(
            Some(editor),
            "query($id: ID!) { legalReferences(first: 100) { nodes { id measures(first: 100) { nodes { id } } } } node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await["data"]
        .clone();
    let uncited = refs["legalReferences"]["nodes"]
        .as_array()
        .expect("references")
        .iter()
        .find(|r| {
            !r["measures"]["nodes"]
                .as_array()
                .expect("measures")
                .iter()
                .any(|m| m["id"] == json!(id))
        })
        .expect("a legal reference the measure does not cite")["id"]
        .as_str()
        .expect("id")
        .to_string();
    (id, version, uncited)
}

on_both!(anonymous_reads_are_cached_and_invalidated_precisely);
async fn anonymous_reads_are_cached_and_invalidated_precisely(app: &TestApp) {
    let editor = app.token("editor", Some("1539")).await;
    let (measure, version, reference) = fixtures(app, &editor).await;

    // First read: computed, stored, with an ETag and public Cache-Control.
    let (first, statements, hits) = cost(app, get(app, RAUMA, json!({}), &[])).await;
    ok(&first);
    assert!(statements > 0, "the first read runs SQL");
    assert_eq!(hits, 0);
    let etag = first.header("etag").expect("an ETag").to_string();
    assert_eq!(
        first.header("cache-control"),
        Some("public, max-age=10, stale-while-revalidate=60")
    );
    // Second read: from the cache, byte for byte, without SQL.
    let (second, statements, hits) = cost(app, get(app, RAUMA, json!({}), &[])).await;
    assert_eq!(second.body, first.body);
    assert_eq!(second.header("etag"), Some(etag.as_str()));
    assert_eq!((statements, hits), (0, 1), "a repeated read is a cache hit");
    // A client that has it gets 304 without a body.
    let (not_modified, statements, _) = cost(
        app,
        get(app, RAUMA, json!({}), &[("if-none-match", etag.as_str())]),
    )
    .await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert!(not_modified.body.is_empty());
    assert_eq!(not_modified.header("etag"), Some(etag.as_str()));
    assert_eq!(statements, 0);
    let stale_etag = get(app, RAUMA, json!({}), &[("if-none-match", "\"other\"")]).await;
    assert_eq!(stale_etag.status, StatusCode::OK);

    // Prime two unrelated reads: Moss's plans and the measures citing the reference.
    ok(&get(app, MOSS, json!({}), &[]).await);
    let cited = get(app, CITED_BY, json!({ "id": reference }), &[]).await;
    let cited_before = ok(&cited)["node"]["measures"]["totalCount"]
        .as_i64()
        .expect("count");
    let (_, statements, hits) =
        cost(app, get(app, CITED_BY, json!({ "id": reference }), &[])).await;
    assert_eq!((statements, hits), (0, 1));

    // An editor renames the measure: Rauma's read is recomputed at once, Moss's and the reference's stay.
    let renamed = app
        .gql_as(
            Some(&editor),
            UPDATE,
            json!({ "input": { "id": measure, "version": version, "title": "Omdøpt tiltak i hurtigbufferen" } }),
        )
        .await;
    assert!(renamed.get("errors").is_none(), "{renamed:#}");
    let (after, statements, hits) = cost(app, get(app, RAUMA, json!({}), &[])).await;
    assert!(
        after.body.contains("Omdøpt tiltak i hurtigbufferen"),
        "{}",
        after.body
    );
    assert!(
        statements > 0 && hits == 0,
        "the changed read is recomputed"
    );
    assert_ne!(after.header("etag"), Some(etag.as_str()));
    // The old ETag no longer matches.
    let revalidated = get(app, RAUMA, json!({}), &[("if-none-match", etag.as_str())]).await;
    assert_eq!(revalidated.status, StatusCode::OK);
    let (_, statements, hits) = cost(app, get(app, MOSS, json!({}), &[])).await;
    assert_eq!(
        (statements, hits),
        (0, 1),
        "Moss's plans did not change: still cached"
    );
    let (_, statements, hits) =
        cost(app, get(app, CITED_BY, json!({ "id": reference }), &[])).await;
    assert_eq!(
        (statements, hits),
        (0, 1),
        "the reference's citing measures did not change: still cached"
    );

    // Linking the measure to the reference changes the reference's connection: that read is recomputed.
    let linked = app
        .gql_as(
            Some(&editor),
            LINK,
            json!({ "input": { "measure": measure, "legalReference": reference } }),
        )
        .await;
    assert!(linked.get("errors").is_none(), "{linked:#}");
    let (cited, _, hits) = cost(app, get(app, CITED_BY, json!({ "id": reference }), &[])).await;
    assert_eq!(hits, 0);
    let data = ok(&cited);
    assert_eq!(
        data["node"]["measures"]["totalCount"],
        json!(cited_before + 1)
    );
    assert!(cited.body.contains(&measure));
    let (_, statements, hits) = cost(app, get(app, MOSS, json!({}), &[])).await;
    assert_eq!((statements, hits), (0, 1), "Moss's plans are still cached");
}

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
            reply.body
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
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "query": MOSS }).to_string()))
        .expect("request");
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
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({ "query": MOSS, "extensions": wrong }).to_string(),
        ))
        .expect("request");
    let refused = send(app, request).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused.json()["errors"][0]["extensions"]["code"],
        "BAD_REQUEST"
    );
    assert!(refused.body.contains("sha256Hash"), "{}", refused.body);
    // Document and hash together: executed and remembered; then the hash alone is enough.
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({ "query": MOSS, "extensions": extensions }).to_string(),
        ))
        .expect("request");
    let full = send(app, request).await;
    let expected = ok(&full);
    let short = send(app, by_hash()).await;
    assert_eq!(ok(&short), expected);
    assert!(short.header("etag").is_some());
    // A persisted mutation is still refused over GET.
    let mutation = "mutation { measureUpdate(input: {id: \"x\", version: 1}) { measure { id } } }";
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({ "query": mutation, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hex::encode(Sha256::digest(mutation.as_bytes())) } } })
                .to_string(),
        ))
        .expect("request");
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
        assert!(reply.body.contains(name), "{name} in\n{}", reply.body);
    }
}

/// A counter from a process's `/metrics`.
async fn metric(addr: std::net::SocketAddr, name: &str) -> u64 {
    let (_, body) = common::http_get(addr, "/metrics").await;
    body.lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or(0)
}

on_both!(no_process_serves_the_old_result);
async fn no_process_serves_the_old_result(app: &TestApp) {
    let editor = app.token("editor", Some("1539")).await;
    let (measure, version, _) = fixtures(app, &editor).await;
    // Two more API processes over the same database; the change is made through this one.
    let others = [
        common::ApiProcess::start(&app.url).await,
        common::ApiProcess::start(&app.url).await,
    ];
    let rauma = get_uri(RAUMA, &json!({}), None);
    let moss = get_uri(MOSS, &json!({}), None);
    for process in &others {
        for target in [&rauma, &moss] {
            let (status, first) = common::http_get(process.1, target).await;
            assert_eq!(status, 200, "{first}");
            let (_, second) = common::http_get(process.1, target).await;
            assert_eq!(first, second);
        }
        assert_eq!(
            metric(process.1, "oppvekstgraf_response_cache_hits_total").await,
            2,
            "each process answers the repeated reads from its cache"
        );
    }
    ok(&get(app, RAUMA, json!({}), &[]).await);

    let title = "Endret i én prosess, sett i alle";
    let changed = app
        .gql_as(
            Some(&editor),
            UPDATE,
            json!({ "input": { "id": measure, "version": version, "title": title } }),
        )
        .await;
    assert!(changed.get("errors").is_none(), "{changed:#}");
    // The writing process answers with the new title at once.
    assert!(get(app, RAUMA, json!({}), &[]).await.body.contains(title));
    // Every other process drops its old result as soon as the change reaches it (NOTIFY on PostgreSQL,
    // the feed poll on SQLite), and from then on never serves it again.
    let bound = match app.backend {
        Backend::Postgres => Duration::from_secs(2),
        Backend::Sqlite => Duration::from_secs(5),
    };
    for process in &others {
        let started = Instant::now();
        loop {
            let (_, body) = common::http_get(process.1, &rauma).await;
            if body.contains(title) {
                break;
            }
            assert!(
                started.elapsed() < bound,
                "a process still serves the old result after {bound:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        eprintln!(
            "[{:?}] invalidation reached another process within {:?}",
            app.backend,
            started.elapsed()
        );
        for _ in 0..5 {
            let (_, body) = common::http_get(process.1, &rauma).await;
            assert!(body.contains(title), "{body}");
        }
        // Moss's plans were not touched: still answered from the cache.
        let hits = metric(process.1, "oppvekstgraf_response_cache_hits_total").await;
        let (_, _) = common::http_get(process.1, &moss).await;
        assert_eq!(
            metric(process.1, "oppvekstgraf_response_cache_hits_total").await,
            hits + 1,
            "an unrelated result stays cached in the other process"
        );
    }
}
