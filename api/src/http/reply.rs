//! Replies: the request id and error body every surface shares, a refusal before GraphQL, a GraphQL response
//! as it goes on the wire, and a successful anonymous read with its cache headers.

use axum::{
    body::Bytes,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::{
    protocol::{self, Media},
    state::AppState,
};
use crate::error::{ApiError, RequestError};

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

/// What a GraphQL response varies by.
pub(super) const VARY: &str = "accept, authorization, x-preview";

/// `Cache-Control` of what no cache may keep: editors' reads, previews, errors and mutations.
pub(super) const NO_STORE: &str = "private, no-store";

/// Whether an `If-None-Match` value names `etag` (or is `*`); weak tags compare by their opaque part.
pub(super) fn matches_etag(wanted: &str, etag: &[u8]) -> bool {
    wanted
        .split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/").as_bytes() == etag)
}

/// A GraphQL response as it goes on the wire, serialized straight from async-graphql's values (no intermediate
/// JSON tree) with the members in the spec's order. A request error (one that stopped the request before
/// execution) has no `data` member at all.
#[derive(serde::Serialize)]
pub(super) struct ResponseBody<'a> {
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [async_graphql::ServerError],
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

impl<'a> ResponseBody<'a> {
    pub(super) fn of(response: &'a async_graphql::Response) -> Self {
        ResponseBody {
            errors: &response.errors,
            data: (!protocol::is_request_error(response)).then_some(&response.data),
            extensions: &response.extensions,
        }
    }
}

/// An error response in `media` with one error of `code`.
pub(super) fn error_response(
    status: StatusCode,
    media: Media,
    message: &str,
    code: &str,
    request_id: Option<&str>,
) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, media.content_type())],
        error_body(message, code, request_id).to_string(),
    )
        .into_response()
}

/// The answer to a request refused before GraphQL: its status, a JSON error body in the media type the client
/// accepts (`application/json` when it accepts neither), and `Allow: POST` for a mutation over GET.
pub fn refuse(err: &RequestError, headers: &HeaderMap) -> Response {
    let media = Media::negotiate(headers).unwrap_or(Media::Json);
    let mut response = error_response(
        err.status(),
        media,
        &err.to_string(),
        err.code(),
        request_id(headers).as_deref(),
    );
    if matches!(err, RequestError::MutationOverGet) {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
    }
    response
}

/// 401 with a GraphQL error body and `WWW-Authenticate`.
pub(super) fn unauthenticated(err: &ApiError, headers: &HeaderMap, media: Media) -> Response {
    let mut response = error_response(
        StatusCode::UNAUTHORIZED,
        media,
        &err.message(),
        err.code(),
        request_id(headers).as_deref(),
    );
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

impl AppState {
    /// A successful anonymous read: 200 with its `ETag`, or 304 when the client already has it
    /// (`If-None-Match`); `Cache-Control` lets shared caches keep GET reads.
    pub(super) fn respond_ok(
        &self,
        headers: &HeaderMap,
        media: Media,
        get: bool,
        body: Bytes,
        etag: Option<String>,
    ) -> Response {
        let cache_control = if get {
            HeaderValue::from_str(&self.cache_config.public_cache_control())
                .unwrap_or(HeaderValue::from_static(NO_STORE))
        } else {
            HeaderValue::from_static("no-cache")
        };
        let etag = etag.and_then(|e| HeaderValue::from_str(&e).ok());
        let not_modified = etag.as_ref().is_some_and(|etag| {
            headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|wanted| matches_etag(wanted, etag.as_bytes()))
        });
        let mut response = if not_modified {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, media.content_type())],
                body,
            )
                .into_response()
        };
        let out = response.headers_mut();
        out.insert(header::VARY, HeaderValue::from_static(VARY));
        out.insert(header::CACHE_CONTROL, cache_control);
        if let Some(etag) = etag {
            out.insert(header::ETAG, etag);
        }
        response
    }
}
