//! The HTTP contract of `/graphql` (GraphQL over HTTP): GET for queries only, POST for JSON only, `Accept`
//! negotiation and the status codes of each media type, the body limit, CORS, the security headers, and the
//! request id in every error.

mod bodies;
mod headers;
mod methods;
mod negotiation;

use crate::common;

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Request, StatusCode},
};
use serde_json::{Value, json};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

/// What came back.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
    /// The body as JSON (Null when it is not JSON).
    json: Value,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    fn content_type(&self) -> &str {
        self.header("content-type")
    }

    fn request_id(&self) -> &str {
        let id = self.header("x-request-id");
        assert!(!id.is_empty(), "every response has a request id");
        id
    }

    /// The one-error body a refusal has: `message`, `code` and this response's request id.
    fn assert_refusal(&self, status: StatusCode, code: &str, message: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.json,
            json!({ "errors": [{
                "message": message,
                "extensions": { "code": code, "requestId": self.request_id() },
            }] }),
            "{}",
            self.text
        );
    }
}

async fn call(router: &Router, request: Request<Body>) -> Reply {
    let response = common::router::call(router, request).await;
    let mut text = response.text();
    let mut json = response.json();
    // The cost report (tested in tests/it/limits.rs) is left out so bodies compare exactly.
    if let Some(extensions) = json.get_mut("extensions").and_then(Value::as_object_mut)
        && extensions.remove("cost").is_some()
    {
        if extensions.is_empty()
            && let Some(object) = json.as_object_mut()
        {
            object.remove("extensions");
        }
        text = json.to_string();
    }
    Reply {
        status: response.status,
        headers: response.headers,
        text,
        json,
    }
}

/// A POST to `/graphql` with these headers and body.
fn post(headers: &[(&str, &str)], body: impl Into<Body>) -> Request<Body> {
    common::router::with_headers(Request::post("/graphql"), headers)
        .body(body.into())
        .expect("request")
}

/// A JSON POST to `/graphql` of `body`, accepting `accept`.
fn post_accepting(accept: &str, body: impl Into<Body>) -> Request<Body> {
    post(
        &[("content-type", "application/json"), ("accept", accept)],
        body,
    )
}

/// A GET of `uri` without headers.
fn bare_get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("request")
}

/// A GET of `/graphql` with these parameters (percent-encoded here) and headers.
fn get(params: &[(&str, &str)], headers: &[(&str, &str)]) -> Request<Body> {
    let query: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect();
    let request = Request::get(format!("/graphql?{}", query.join("&")));
    common::router::with_headers(request, headers)
        .body(Body::empty())
        .expect("request")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn body(query: &str, variables: Value) -> String {
    json!({ "query": query, "variables": variables }).to_string()
}

const RAUMA: &str = r#"{ municipality(number: "1539") { name } }"#;
const THEME_CREATE: &str =
    "mutation($input: ThemeCreateInput!) { themeCreate(input: $input) { theme { slug } } }";
const THEME_CREATE_INLINE: &str =
    r#"mutation Create { themeCreate(input: { label: "Skolevegring" }) { theme { slug } } }"#;

on_both!(the_editing_api_still_works);
async fn the_editing_api_still_works(app: &common::TestApp) {
    // A token and the preview header over POST, asking for the new media type.
    let editor = app.token("editor", Some("1539")).await;
    let (status, response) = app
        .gql_with(
            &[
                ("authorization", &format!("Bearer {editor}")),
                ("x-preview", "true"),
                ("accept", "application/graphql-response+json"),
            ],
            "{ plans { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{response}");
    assert!(response["data"]["plans"]["totalCount"].as_i64() > Some(0));
}
