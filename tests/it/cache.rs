//! Response caching of anonymous reads: GET with `ETag`/`If-None-Match` and `Cache-Control`, automatic
//! persisted queries, and an in-process cache that a write invalidates precisely — what the write touched,
//! and only that — in the writing process at once and in every other process through the change feed.

mod invalidation;
mod requests;

use crate::common;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use common::{TestApp, router::Response as Reply};
use serde_json::{Value, json};

const RAUMA: &str = "{ municipality(number: \"1539\") { name measures(first: 20) { totalCount nodes { id title version } } } }";
const MOSS: &str =
    "{ municipality(number: \"3103\") { name plans(first: 20) { totalCount nodes { title } } } }";
const CITED_BY: &str = "query($id: ID!) { node(id: $id) { ... on LegalReference { citation measures(first: 50) { totalCount nodes { id } } } } }";
const UPDATE: &str = "mutation($input: MeasureUpdateInput!) { measureUpdate(input: $input) { measure { id version title } } }";
const LINK: &str = "mutation($input: MeasureLinkLegalReferenceInput!) { measureLinkLegalReference(input: $input) { measure { id } } }";

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
    common::router::call(&app.router, request).await
}

/// GET /graphql with a query, optionally as a token holder and with extra headers.
async fn get(app: &TestApp, query: &str, variables: Value, extra: &[(&str, &str)]) -> Reply {
    let request = Request::get(get_uri(query, &variables, None))
        .header(header::ACCEPT, "application/graphql-response+json");
    let request = common::router::with_headers(request, extra);
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
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
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
    let uncited = common::nodes(&refs["legalReferences"], "references")
        .iter()
        .find(|r| {
            !common::nodes(&r["measures"], "measures")
                .iter()
                .any(|m| m["id"] == json!(id))
        })
        .expect("a legal reference the measure does not cite")["id"]
        .as_str()
        .expect("id")
        .to_string();
    (id, version, uncited)
}
