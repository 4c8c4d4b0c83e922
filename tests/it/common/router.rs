//! Test support: requests sent through a router in process, and their responses read in full.

use axum::{
    Router,
    body::{Body, Bytes},
    http::{HeaderMap, Request, StatusCode, request},
};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// A response read in full: status, headers and body.
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Response {
    /// The body as JSON (Null when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// A header's value, when it is there and is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request` through `router` and reads the whole response.
pub async fn call(router: &Router, request: Request<Body>) -> Response {
    read(router.clone().oneshot(request).await.expect("response")).await
}

/// Reads a response the router gave: status, headers and the whole body.
pub async fn read(response: axum::response::Response) -> Response {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Response {
        status,
        headers,
        body,
    }
}

/// `request` with these extra headers, in order.
pub fn with_headers(mut request: request::Builder, headers: &[(&str, &str)]) -> request::Builder {
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
}
