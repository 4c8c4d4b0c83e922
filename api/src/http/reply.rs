//! The pieces of a reply every surface shares: the request id, and the body of an error.

use axum::http::HeaderMap;
use serde_json::json;

/// The header that carries the request id (set on the request when the client sent none, copied to the
/// response, and given as `extensions.requestId` in every error).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The request id the request-id layer gave this request (the client's own `x-request-id` when it sent one).
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}

/// The body of an error response: one error in the shape of a GraphQL error, with its code and the request id.
pub fn error_body(message: &str, code: &str, request_id: Option<&str>) -> serde_json::Value {
    let mut extensions = json!({ "code": code });
    if let Some(id) = request_id {
        extensions["requestId"] = json!(id);
    }
    json!({ "errors": [{ "message": message, "extensions": extensions }] })
}
