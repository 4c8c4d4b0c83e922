//! The HTTP surface: `/graphql` (GraphQL over HTTP, see [`protocol`]), the GraphiQL console, linked data,
//! health checks, and what stands around them all ([`middleware`]: body limit, deadline, CORS, security headers).

mod execute;
pub mod middleware;
pub mod protocol;
pub mod reply;
pub mod state;
mod viewer;
pub mod websocket;

use std::{net::SocketAddr, time::Duration};

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use axum::{
    Router,
    body::Body,
    extract::{ConnectInfo, State, WebSocketUpgrade},
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri, header},
    response::{IntoResponse, Response},
    routing::get,
};
use sea_orm::ConnectionTrait;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

pub use self::{
    middleware::REQUEST_TIMEOUT,
    protocol::Media,
    reply::{REQUEST_ID_HEADER, error_body, request_id},
    state::AppState,
    viewer::PREVIEW_HEADER,
};
use crate::error::RequestError;
pub use reply::refuse;

/// Longest time `/readyz` waits for the database before it answers 503.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// GraphQL subscriptions over WebSocket (graphql-ws and the older graphql-transport-ws subprotocols). A
/// message may be as large as a request body.
async fn graphql_ws(
    State(state): State<AppState>,
    headers: HeaderMap,
    stopping: Option<axum::Extension<crate::server::Stopping>>,
    upgrade: WebSocketUpgrade,
) -> Response {
    // The first subprotocol offered that we speak (graphql-transport-ws or graphql-ws), else 400.
    let Some(protocol) = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|value| value.to_str().ok())
        .and_then(|offered| {
            offered.split(',').find_map(|p| {
                p.trim()
                    .parse::<async_graphql::http::WebSocketProtocols>()
                    .ok()
            })
        })
    else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let schema = state.schemas.websocket.clone();
    let max = state.http.max_body_bytes;
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| async move {
            let limits = state.connections.clone();
            let metrics = state.metrics.clone();
            let graphql = move |messages| {
                async_graphql::http::WebSocket::new(schema, messages, protocol)
                    .on_connection_init(move |payload| viewer::connection_data(state, payload))
            };
            let stopping = stopping.map(|axum::Extension(stopping)| stopping);
            websocket::serve(socket, graphql, &limits, &metrics, stopping).await;
        })
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// `POST /graphql`: a JSON body (anything else is 415), read up to the body limit (413 past it).
async fn graphql_post(
    State(state): State<AppState>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let peer = peer.map(|p| p.0.0);
    let Some(media) = Media::negotiate(&headers) else {
        return refuse(&RequestError::NotAcceptable, &headers);
    };
    if let Err(err) = protocol::check_content_type(&headers) {
        return refuse(&err, &headers);
    }
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(err) if middleware::too_large(&err) => {
            let limit = state.http.max_body_bytes;
            return refuse(&RequestError::PayloadTooLarge { limit }, &headers);
        }
        Err(err) => {
            tracing::warn!(error = %err, "reading a request body failed");
            let err = RequestError::BadRequest("the request body could not be read".into());
            return refuse(&err, &headers);
        }
    };
    let mut request = match protocol::from_json_body(&bytes) {
        Ok(request) => request,
        Err(err) => return refuse(&err, &headers),
    };
    if let Err(err) = state.persisted.resolve(&mut request) {
        return refuse(&err, &headers);
    }
    state.execute(&headers, peer, media, request, false).await
}

/// `GET /graphql`: a query in the URL (a mutation is 405: GET never changes anything), or the console for a
/// browser that asks for HTML.
async fn graphql_get(
    State(state): State<AppState>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let peer = peer.map(|p| p.0.0);
    if wants_html(&headers) {
        return crate::console::index().await;
    }
    let Some(media) = Media::negotiate(&headers) else {
        return refuse(&RequestError::NotAcceptable, &headers);
    };
    let mut request = match protocol::from_query_string(uri.query()) {
        Ok(request) => request,
        Err(err) => return refuse(&err, &headers),
    };
    if let Err(err) = state.persisted.resolve(&mut request) {
        return refuse(&err, &headers);
    }
    if let Some(hit) = state.cached(&headers, media, true, &request) {
        return hit;
    }
    if protocol::selects_mutation(&mut request) {
        return refuse(&RequestError::MutationOverGet, &headers);
    }
    state.execute(&headers, peer, media, request, true).await
}

/// The process's metrics in the Prometheus text format.
async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        )],
        state.metrics.encode(),
    )
        .into_response()
}

/// Liveness: the process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers and the migrations are applied, within [`READY_TIMEOUT`] (a probe never
/// hangs, whatever the database does).
async fn readyz(State(state): State<AppState>) -> Response {
    use oppvekstgraf_migration::MigratorTrait;
    let check = async {
        state.db.execute_unprepared("SELECT 1").await?;
        oppvekstgraf_migration::Migrator::get_pending_migrations(&state.db)
            .await
            .map(|pending| pending.len())
    };
    match tokio::time::timeout(READY_TIMEOUT, check).await {
        Ok(Ok(0)) => (StatusCode::OK, "ready").into_response(),
        Ok(Ok(pending)) => {
            tracing::warn!(pending, "not ready: migrations are pending");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "not ready: migrations are pending",
            )
                .into_response()
        }
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "not ready: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "not ready: the database does not answer",
            )
                .into_response()
        }
        Err(_) => {
            tracing::warn!(
                timeout_ms = READY_TIMEOUT.as_millis() as u64,
                "not ready: the database did not answer in time"
            );
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "not ready: the database did not answer in time",
            )
                .into_response()
        }
    }
}

/// The router over `state`. Around the routes, from the inside out: the body limit, the deadline, CORS (when
/// origins are configured), the security headers, then request ids and tracing, so every response — a
/// refusal by any layer included — carries an `x-request-id`.
pub fn app(state: AppState) -> Router {
    let request_id = HeaderName::from_static(REQUEST_ID_HEADER);
    let limit = state.http.max_body_bytes;
    let timeout = state.request_timeout;
    let cors = middleware::cors(&state.http);
    let hsts = state
        .public_url
        .as_deref()
        .is_some_and(|url| url.starts_with("https://"));
    let mut router = Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/graphql/ws", get(graphql_ws))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .merge(crate::console::router())
        .merge(crate::linked_data::router())
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            limit,
            middleware::limit_body,
        ))
        .layer(axum::middleware::from_fn_with_state(
            timeout,
            middleware::deadline,
        ));
    if let Some(cors) = cors {
        router = router.layer(cors);
    }
    middleware::security_headers(router, hsts)
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}
