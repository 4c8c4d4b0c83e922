//! The HTTP surface: `/graphql` (GraphQL over HTTP, see [`protocol`]), the GraphiQL console, linked data,
//! health checks, and what stands around them all ([`guard`]: body limit, deadline, CORS, security headers).

pub mod middleware;
pub mod protocol;
pub mod reply;
pub mod state;
pub mod websocket;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use axum::{
    Router,
    body::{Body, Bytes},
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
};
use crate::{
    auth::Viewer,
    cache::{Deps, ResponseCache, etag_of},
    error::{ApiError, ApiResult, RequestError},
    loader::{Activity, Scope, Tracked},
    rate::ClientKey,
};

/// Longest time `/readyz` waits for the database before it answers 503.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// Decrements a gauge when dropped: what is counted stops being counted however its future ends.
struct Counted<'a>(&'a prometheus_client::metrics::gauge::Gauge);

impl<'a> Counted<'a> {
    fn new(gauge: &'a prometheus_client::metrics::gauge::Gauge) -> Self {
        gauge.inc();
        Counted(gauge)
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// An execution slot, held while a GraphQL execution runs (see [`AppState::executions`]).
struct ExecutionSlot<'a> {
    _permit: tokio::sync::SemaphorePermit<'a>,
    _running: Counted<'a>,
}

impl AppState {
    /// Waits for a free execution slot, first come first served. The semaphore is never closed; if it were,
    /// the request would fail as INTERNAL.
    async fn execution_slot(&self) -> ApiResult<ExecutionSlot<'_>> {
        let permit = match self.executions.try_acquire() {
            Ok(permit) => permit,
            Err(_) => {
                let _waiting = Counted::new(&self.metrics.executions_waiting);
                self.executions
                    .acquire()
                    .await
                    .map_err(|_| ApiError::Internal)?
            }
        };
        Ok(ExecutionSlot {
            _permit: permit,
            _running: Counted::new(&self.metrics.executions_running),
        })
    }
}

/// The response-cache key of a request.
fn cache_key(request: &async_graphql::Request) -> crate::cache::Key {
    let variables = serde_json::to_string(&request.variables).unwrap_or_default();
    ResponseCache::key(
        &request.query,
        request.operation_name.as_deref(),
        &variables,
    )
}

/// A GraphQL response as it goes on the wire, serialized straight from async-graphql's values (no intermediate
/// JSON tree) with the members in the spec's order. A request error (one that stopped the request before
/// execution) has no `data` member at all.
#[derive(serde::Serialize)]
struct ResponseBody<'a> {
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [async_graphql::ServerError],
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

impl<'a> ResponseBody<'a> {
    fn of(response: &'a async_graphql::Response) -> Self {
        ResponseBody {
            errors: &response.errors,
            data: (!protocol::is_request_error(response)).then_some(&response.data),
            extensions: &response.extensions,
        }
    }
}

/// What a GraphQL response varies by.
const VARY: &str = "accept, authorization, x-preview";
/// `Cache-Control` of what no cache may keep: editors' reads, previews, errors and mutations.
const NO_STORE: &str = "private, no-store";

/// Whether an `If-None-Match` value names `etag` (or is `*`); weak tags compare by their opaque part.
fn matches_etag(wanted: &str, etag: &[u8]) -> bool {
    wanted
        .split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/").as_bytes() == etag)
}

/// The header that asks for a preview: drafts and archived content the token may see.
pub const PREVIEW_HEADER: &str = "x-preview";

impl AppState {
    /// Runs one GraphQL request for whoever its headers name, with its own loaders, and answers in `media`:
    /// every error gets a `code` and the request id, a request that failed before execution has no `data`
    /// and, under `application/graphql-response+json`, the status 400.
    pub async fn execute(
        &self,
        headers: &HeaderMap,
        peer: Option<SocketAddr>,
        media: Media,
        mut request: async_graphql::Request,
        get: bool,
    ) -> Response {
        let (viewer, scope) = match self.viewer(headers).await {
            Ok(found) => found,
            // An invalid token is 401; a database that cannot check the token is 503.
            Err(err @ ApiError::Unauthenticated(_)) => {
                return unauthenticated(&err, headers, media);
            }
            Err(err) => {
                return error_response(
                    err.status(),
                    media,
                    &err.message(),
                    err.code(),
                    request_id(headers).as_deref(),
                );
            }
        };
        let (schema, client) = match &viewer {
            Viewer::Anonymous => (
                &self.schemas.public,
                ClientKey(format!("addr:{}", self.client_address(headers, peer))),
            ),
            Viewer::Actor(actor) => (
                &self.schemas.editor,
                ClientKey(format!("token:{}", actor.token_id)),
            ),
        };
        self.metrics.graphql_requests.inc();
        let anonymous = matches!(viewer, Viewer::Anonymous) && scope == Scope::Published;
        // Anonymous reads may come from (and go into) the response cache. A GET was looked up already, before
        // its document was parsed (`cached`): looking again would only count a second miss.
        let key = (anonymous && self.cache.enabled()).then(|| cache_key(&request));
        if !get
            && let Some(key) = &key
            && let Some(entry) = self.cache.get(key)
        {
            return self.respond_ok(
                headers,
                media,
                get,
                entry.body.clone(),
                Some(entry.etag.clone()),
            );
        }
        let seen = self.cache.watermark();
        let request_id = request_id(headers);
        let admitted = protocol::check_variables(&mut request).and_then(|()| {
            let rate = self.limiter.as_deref().map(|limiter| (limiter, &client));
            crate::limits::admit(
                &self.schemas.env.registry,
                &request.query,
                &request.variables,
                self.limits,
                rate,
            )
            .map_err(|error| vec![error])
        });
        let (mut response, deps) = match admitted {
            Ok((document, measured)) => {
                request.set_parsed_query(document);
                let activity = Arc::new(Activity::default());
                let mut request = request.data(viewer).data(scope);
                crate::loader::data_loaders(&mut request.data, &self.db, &activity);
                let deps = key.as_ref().map(|_| Arc::new(Deps::default()));
                match &deps {
                    Some(deps) => request = request.data(deps.clone()),
                    // A mutation settles this process's cache before it answers.
                    None => request = request.data(self.cache.clone()),
                }
                let response = match self.execution_slot().await {
                    Ok(_slot) => Tracked::new(activity, schema.execute(request)).await,
                    Err(err) => async_graphql::Response::from_errors(vec![{
                        use async_graphql::ErrorExtensions;
                        err.extend()
                            .into_server_error(async_graphql::Pos::default())
                    }]),
                };
                let response = if protocol::is_request_error(&response) {
                    response
                } else {
                    crate::limits::report(response, measured, self.limits)
                };
                (response, deps)
            }
            Err(errors) => (async_graphql::Response::from_errors(errors), None),
        };
        for error in &mut response.errors {
            classify(error);
            if let Some(id) = &request_id {
                error
                    .extensions
                    .get_or_insert_with(Default::default)
                    .set("requestId", id.as_str());
            }
        }
        let retry_after = response.errors.iter().find_map(|e| {
            let ext = e.extensions.as_ref()?;
            match (ext.get("code"), ext.get("retryAfter")) {
                (
                    Some(async_graphql::Value::String(code)),
                    Some(async_graphql::Value::Number(n)),
                ) if code == "RATE_LIMITED" => n.as_u64(),
                _ => None,
            }
        });
        let status = match retry_after {
            Some(_) => StatusCode::TOO_MANY_REQUESTS,
            None => media.status(&response),
        };
        let body = match serde_json::to_vec(&ResponseBody::of(&response)) {
            Ok(body) => Bytes::from(body),
            Err(err) => {
                tracing::error!(error = %err, "a GraphQL response does not serialize");
                return error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    media,
                    &ApiError::Internal.message(),
                    ApiError::Internal.code(),
                    request_id.as_deref(),
                );
            }
        };
        if response.is_ok() && anonymous {
            let etag = etag_of(&body);
            if let (Some(key), Some(deps)) = (key, &deps) {
                self.cache
                    .insert(key, body.clone(), etag.clone(), deps, seen);
            }
            let mut http = self.respond_ok(headers, media, get, body, Some(etag));
            http.headers_mut().extend(response.http_headers);
            return http;
        }
        let mut http = (
            status,
            [
                (header::CONTENT_TYPE, media.content_type()),
                (header::VARY, HeaderValue::from_static(VARY)),
                (header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE)),
            ],
            body,
        )
            .into_response();
        http.headers_mut().extend(response.http_headers);
        if let Some(seconds) = retry_after {
            http.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        http
    }

    /// The cached answer to an anonymous request, if there is one: checked before anything else is done
    /// with the request (only successful anonymous queries are ever stored, so a hit needs no parsing).
    fn cached(
        &self,
        headers: &HeaderMap,
        media: Media,
        get: bool,
        request: &async_graphql::Request,
    ) -> Option<Response> {
        if !self.cache.enabled()
            || headers.contains_key(header::AUTHORIZATION)
            || headers.contains_key(PREVIEW_HEADER)
        {
            return None;
        }
        let entry = self.cache.get(&cache_key(request))?;
        self.metrics.graphql_requests.inc();
        Some(self.respond_ok(
            headers,
            media,
            get,
            entry.body.clone(),
            Some(entry.etag.clone()),
        ))
    }

    /// A successful anonymous read: 200 with its `ETag`, or 304 when the client already has it
    /// (`If-None-Match`); `Cache-Control` lets shared caches keep GET reads.
    fn respond_ok(
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

    /// Who the headers name (`Authorization`) and what they may see (`x-preview`); an invalid token or a
    /// preview without a token is UNAUTHENTICATED.
    pub(crate) async fn viewer(&self, headers: &HeaderMap) -> Result<(Viewer, Scope), ApiError> {
        let authorization = match headers.get(header::AUTHORIZATION) {
            None => None,
            Some(value) => Some(value.to_str().map_err(|_| {
                ApiError::Unauthenticated("the Authorization header is not text".into())
            })?),
        };
        let preview = headers
            .get(PREVIEW_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| matches!(v.trim(), "1" | "true" | "drafts"));
        self.viewer_of(authorization, preview).await
    }

    /// The viewer and scope of an `Authorization` value and a preview wish.
    async fn viewer_of(
        &self,
        authorization: Option<&str>,
        preview: bool,
    ) -> Result<(Viewer, Scope), ApiError> {
        let viewer = match authorization {
            None => Viewer::Anonymous,
            Some(value) => Viewer::Actor(crate::auth::authenticate(&self.db, value).await?),
        };
        let scope = match (&viewer, preview) {
            (_, false) => Scope::Published,
            (Viewer::Anonymous, true) => {
                return Err(ApiError::Unauthenticated(format!(
                    "`{PREVIEW_HEADER}` needs a token"
                )));
            }
            (Viewer::Actor(actor), true) => match actor.municipality_id {
                Some(id) if !actor.is_admin() => Scope::Municipality(id),
                _ => Scope::Everything,
            },
        };
        Ok((viewer, scope))
    }
}

/// The connection data of a graphql-ws connection: its `connection_init` payload may carry
/// `{"authorization": "Bearer …", "preview": true}` (as the `Authorization` and `x-preview` headers do for
/// HTTP); without one the subscriber is anonymous.
async fn connection_data(
    state: AppState,
    payload: serde_json::Value,
) -> async_graphql::Result<async_graphql::Data> {
    let field = |name: &str| {
        payload
            .as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
            .map(|(_, v)| v.clone())
    };
    let authorization = field("authorization").and_then(|v| v.as_str().map(str::to_owned));
    let preview = field(PREVIEW_HEADER)
        .or_else(|| field("preview"))
        .is_some_and(|v| v == serde_json::json!(true) || v == serde_json::json!("true"));
    let (viewer, scope) = state
        .viewer_of(authorization.as_deref(), preview)
        .await
        .map_err(|err| {
            use async_graphql::ErrorExtensions;
            err.extend()
        })?;
    let mut data = async_graphql::Data::default();
    data.insert(viewer);
    data.insert(scope);
    Ok(data)
}

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
                    .on_connection_init(move |payload| connection_data(state, payload))
            };
            let stopping = stopping.map(|axum::Extension(stopping)| stopping);
            websocket::serve(socket, graphql, &limits, &metrics, stopping).await;
        })
}

fn error_response(
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
fn unauthenticated(err: &ApiError, headers: &HeaderMap, media: Media) -> Response {
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

/// Gives every error a `code`. Errors from our resolvers carry one already; the rest come from parsing and
/// validating the document (no path: `GRAPHQL_VALIDATION_FAILED`) or are unexpected failures inside
/// execution, whose text is logged and replaced (`INTERNAL`).
fn classify(error: &mut async_graphql::ServerError) {
    if error
        .extensions
        .as_ref()
        .is_some_and(|ext| ext.get("code").is_some())
    {
        return;
    }
    // Input coercion errors (a variable of the wrong type, an unknown enum value, a scalar where an input
    // object belongs) arrive with a path but say only what the client sent.
    let coercion = [
        "Failed to parse",
        "Invalid value for argument",
        "Expected input type",
    ]
    .iter()
    .any(|p| error.message.starts_with(p));
    let code = if error.path.is_empty() || coercion {
        "GRAPHQL_VALIDATION_FAILED"
    } else {
        tracing::error!(message = %error.message, path = ?error.path, "unexpected error in a resolver");
        error.message = crate::error::ApiError::Internal.message();
        "INTERNAL"
    };
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
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
