//! What stands around every route: the body limit, the deadline, CORS and the security headers.

use std::{error::Error as StdError, time::Duration};

use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderName, HeaderValue, Method, header},
    middleware::Next,
    response::Response,
};
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    set_header::SetResponseHeaderLayer,
};

pub use super::state::REQUEST_TIMEOUT;
use super::{
    reply::{REQUEST_ID_HEADER, refuse},
    viewer::PREVIEW_HEADER,
};
use crate::{config::HttpConfig, error::RequestError};

/// How long a browser may cache a CORS preflight answer.
pub const CORS_MAX_AGE: Duration = Duration::from_secs(3600);

/// The Content-Security-Policy of everything but the console (which has its own,
/// [`crate::console::CSP`]): API responses load nothing and may not be framed.
pub const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Bounds every request body to `limit` bytes: a `Content-Length` over it is refused at once, and a body
/// without one (chunked) is cut off where it passes the limit, which the handler reading it reports as
/// [`RequestError::PayloadTooLarge`] (see [`too_large`]). Both answer 413 with a JSON error.
pub async fn limit_body(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return refuse(&RequestError::PayloadTooLarge { limit }, request.headers());
    }
    next.run(request.map(|body| Body::new(http_body_util::Limited::new(body, limit))))
        .await
}

/// Whether reading a body failed because it passed the limit of [`limit_body`].
pub fn too_large(err: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(err);
    while let Some(err) = current {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        current = err.source();
    }
    false
}

/// Answers 503 `TIMEOUT` (a JSON error with the request id) when a request takes longer than `timeout`
/// (`REQUEST_TIMEOUT_SECS`); dropping it abandons its database work, and PostgreSQL's `statement_timeout`
/// bounds statements separately.
pub async fn deadline(State(timeout): State<Duration>, request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(timeout_ms = timeout.as_millis() as u64, "request timed out");
            refuse(
                &RequestError::Timeout {
                    seconds: timeout.as_secs_f64(),
                },
                &headers,
            )
        }
    }
}

/// The CORS layer of the configured origins; `None` when there are none (no CORS headers at all).
///
/// Named origins may send `Authorization`, `Content-Type` and `x-preview`. `*` allows any origin but only
/// `Content-Type`: a browser then refuses to send a token cross-origin, so other sites can make anonymous
/// reads and nothing else. No credentials (cookies) are ever allowed: the API does not use them.
pub fn cors(config: &HttpConfig) -> Option<CorsLayer> {
    // No origins: no layer.
    config.cors_origins().next()?;
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .expose_headers([HeaderName::from_static(REQUEST_ID_HEADER)])
        .max_age(CORS_MAX_AGE);
    Some(if config.cors_any_origin() {
        layer
            .allow_origin(AllowOrigin::any())
            .allow_headers([header::CONTENT_TYPE])
    } else {
        let origins: Vec<HeaderValue> = config
            .cors_origins()
            .filter_map(|origin| HeaderValue::from_str(origin).ok())
            .collect();
        layer.allow_origin(origins).allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static(PREVIEW_HEADER),
        ])
    })
}

/// Adds the security headers to every response that does not set its own: `nosniff`, no referrer, no
/// framing, the API's CSP, and HSTS when the server is public over https.
pub fn security_headers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    hsts: bool,
) -> Router<S> {
    let headers = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CONTENT_SECURITY_POLICY, API_CSP),
    ];
    let mut router = router;
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    if hsts {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ));
    }
    router
}
