//! Test support: a fresh database per test on SQLite and on PostgreSQL, the real migrations and seed
//! content, and GraphQL over HTTP through the real router.
#![allow(dead_code)]

mod database;
mod documents;
mod editors;
mod process;
pub mod router;

pub use database::{TestApp, postgres_base};
pub use documents::fan_out;
pub use editors::{Caller, Who, merged, ok, preview, who};
pub use process::{ApiProcess, http_get, websocket};

use axum::{
    Router,
    body::Body,
    http::{Request, header},
};
use serde_json::{Value, json};

/// Which engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Defines `mod $name { sqlite, postgres }`: the async fn `$name(&TestApp)` runs once on each engine, each
/// time with a fresh database, seeded unless `empty` is given as the second argument.
#[macro_export]
macro_rules! on_both {
    ($name:ident) => {
        $crate::on_both!($name, seeded);
    };
    ($name:ident, $setup:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::common::TestApp::$setup($crate::common::Backend::Sqlite)
                    .await
                    .expect("sqlite is always there");
                super::$name(&app).await;
                app.finish().await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(app) =
                    $crate::common::TestApp::$setup($crate::common::Backend::Postgres).await
                else {
                    return;
                };
                super::$name(&app).await;
                app.finish().await;
            }
        }
    };
}

/// A GraphQL POST of `query` with `variables` to `/graphql`.
pub fn graphql_post(query: &str, variables: Value) -> Request<Body> {
    graphql_post_with(&[], query, variables)
}

/// [`graphql_post`] with these extra headers.
pub fn graphql_post_with(headers: &[(&str, &str)], query: &str, variables: Value) -> Request<Body> {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let request = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
    router::with_headers(request, headers)
        .body(Body::from(body))
        .expect("request")
}

/// A POST of a bare `{ "query": … }` body (no variables) to `/graphql`.
pub fn query_post(query: &str) -> Request<Body> {
    json_post(&json!({ "query": query }))
}

/// A POST of `body`, a GraphQL request as JSON, to `/graphql`.
pub fn json_post(body: &Value) -> Request<Body> {
    Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

/// Sends a request through `router` (for a router over a differently configured state) and returns status
/// and JSON body (null when the body is not JSON).
pub async fn send_via(router: Router, request: Request<Body>) -> (axum::http::StatusCode, Value) {
    let response = router::call(&router, request).await;
    (response.status, response.json())
}

/// Words of a failing query's database text (table, SQL, driver) that no response may show, after a test
/// drops the `measure_theme` table under it.
pub const DATABASE_TEXT: [&str; 5] = [
    "measure_theme",
    "select",
    "no such table",
    "does not exist",
    "sqlx",
];

/// The `nodes` of a connection, which must be a list (the test fails naming `what` when it is not).
pub fn nodes<'a>(connection: &'a Value, what: &str) -> &'a Vec<Value> {
    connection["nodes"].as_array().expect(what)
}

/// `edges[].node.<field>` of a connection as strings.
pub fn node_values(connection: &Value, field: &str) -> Vec<String> {
    connection["edges"]
        .as_array()
        .map(|edges| {
            edges
                .iter()
                .map(|e| match &e["node"][field] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// base64url without padding, to build global IDs of nodes that do not exist.
pub fn base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}
