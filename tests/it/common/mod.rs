//! Test support: a fresh database per test on SQLite and on PostgreSQL, the real migrations and seed
//! content, and GraphQL over HTTP through the real router.
#![allow(dead_code)]

mod database;
mod process;

pub use database::{TestApp, postgres_base};
pub use process::{ApiProcess, http_get, websocket};

use axum::{
    Router,
    body::Body,
    http::{Request, header},
};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

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
    let body = json!({ "query": query, "variables": variables }).to_string();
    Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("request")
}

/// Sends a request through `router` (for a router over a differently configured state) and returns status
/// and JSON body (null when the body is not JSON).
pub async fn send_via(router: Router, request: Request<Body>) -> (axum::http::StatusCode, Value) {
    let response = router.oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
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
