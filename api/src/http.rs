//! The HTTP surface: `/graphql` (GraphQL over HTTP, see [`protocol`]), the GraphiQL console, linked data,
//! health checks, and what stands around them all ([`guard`]: body limit, deadline, CORS, security headers).

pub mod guard;
pub mod protocol;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::{
    Router,
    body::Body,
    extract::{ConnectInfo, State, WebSocketUpgrade},
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri, header},
    response::{IntoResponse, Response},
    routing::get,
};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::json;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

pub use self::{guard::REQUEST_TIMEOUT, protocol::Media};
use crate::{
    auth::Viewer,
    config::HttpConfig,
    db::StatementCounter,
    error::{ApiError, RequestError},
    feed::ChangeHub,
    graphql::AppSchema,
    guard::QueryLimits,
    loader::Scope,
    rate::{ClientKey, Limiter, RateLimits},
};

/// Longest time `/readyz` waits for the database before it answers 503.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// The header that carries the request id (set on the request when the client sent none, copied to the
/// response, and given as `extensions.requestId` in every error).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The schema for clients with a token (errors suggest field names).
    pub schema: AppSchema,
    /// The schema for anonymous clients: no field suggestions.
    pub public_schema: AppSchema,
    /// The query limits both schemas apply.
    pub limits: QueryLimits,
    pub db: DatabaseConnection,
    pub statements: StatementCounter,
    /// This process's view of the change feed (wakes subscriptions).
    pub hub: Arc<ChangeHub>,
    /// The public base URL for linked-data `@id`s (see [`crate::config::Config::public_url`]); None: derive
    /// it from each request's `Host` header.
    pub public_url: Option<String>,
    /// Longest time one request may take before it is answered with TIMEOUT.
    pub request_timeout: Duration,
    /// The body limit and CORS origins.
    pub http: HttpConfig,
    /// The rate-limit budgets, and the limiter that keeps them (None: off).
    pub rate: RateLimits,
    pub limiter: Option<Arc<Limiter>>,
}

impl AppState {
    /// State over an open database; starts the change hub (so it needs a Tokio runtime).
    pub fn new(db: DatabaseConnection, statements: StatementCounter) -> Self {
        let hub = ChangeHub::start(db.clone());
        let limits = QueryLimits::default();
        AppState {
            schema: crate::graphql::schema_with(Some((&db, hub.clone())), limits, true),
            public_schema: crate::graphql::schema_with(Some((&db, hub.clone())), limits, false),
            limits,
            db,
            statements,
            hub,
            public_url: None,
            request_timeout: REQUEST_TIMEOUT,
            http: HttpConfig::default(),
            rate: RateLimits::default(),
            limiter: Limiter::new(RateLimits::default()),
        }
    }

    /// The same state with other rate-limit budgets (a fresh limiter).
    pub fn with_rate_limits(mut self, rate: RateLimits) -> Self {
        self.rate = rate;
        self.limiter = Limiter::new(rate);
        self
    }

    /// The address an anonymous request is charged to: the first `X-Forwarded-For` entry when trusted, else
    /// the peer's address.
    fn client_address(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
        if self.rate.trust_forwarded_for
            && let Some(forwarded) = headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        {
            return forwarded.to_string();
        }
        peer.map(|p| p.ip().to_string())
            .unwrap_or_else(|| "unknown".into())
    }

    /// The same state with other query limits.
    pub fn with_limits(mut self, limits: QueryLimits) -> Self {
        self.limits = limits;
        self.schema = crate::graphql::schema_with(Some((&self.db, self.hub.clone())), limits, true);
        self.public_schema =
            crate::graphql::schema_with(Some((&self.db, self.hub.clone())), limits, false);
        self
    }

    /// The same state with another request timeout.
    pub fn with_request_timeout(mut self, request_timeout: Duration) -> Self {
        self.request_timeout = request_timeout;
        self
    }

    /// The same state with these HTTP settings (already checked by [`HttpConfig::check`]).
    pub fn with_http(mut self, http: HttpConfig) -> Self {
        self.http = http;
        self
    }

    /// The same state with a public base URL (already checked by [`crate::config::public_url`]).
    pub fn with_public_url(mut self, public_url: Option<String>) -> Self {
        self.public_url = public_url;
        self
    }
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
        request: async_graphql::Request,
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
                    &err.to_string(),
                    err.code(),
                    request_id(headers).as_deref(),
                );
            }
        };
        let (schema, client) = match &viewer {
            Viewer::Anonymous => (
                &self.public_schema,
                ClientKey(format!("addr:{}", self.client_address(headers, peer))),
            ),
            Viewer::Actor(actor) => (&self.schema, ClientKey(format!("token:{}", actor.token_id))),
        };
        let request_id = request_id(headers);
        let mut request = request.data(viewer).data(scope).data(client);
        if let Some(limiter) = &self.limiter {
            request = request.data(limiter.clone());
        }
        let mut response = match protocol::check_variables(&mut request) {
            Ok(()) => schema.execute(request).await,
            Err(errors) => async_graphql::Response::from_errors(errors),
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
        let mut body = match serde_json::to_value(&response) {
            Ok(body) => body,
            Err(err) => {
                tracing::error!(error = %err, "a GraphQL response does not serialize");
                return error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    media,
                    &ApiError::Internal.to_string(),
                    ApiError::Internal.code(),
                    request_id.as_deref(),
                );
            }
        };
        if protocol::is_request_error(&response)
            && let Some(object) = body.as_object_mut()
        {
            object.remove("data");
        }
        let mut http = (
            status,
            [
                (header::CONTENT_TYPE, media.content_type()),
                (
                    header::VARY,
                    HeaderValue::from_static("accept, authorization, x-preview"),
                ),
            ],
            body.to_string(),
        )
            .into_response();
        if response.is_ok()
            && let Some(value) = response.cache_control.value()
            && let Ok(value) = HeaderValue::from_str(&value)
        {
            http.headers_mut().insert(header::CACHE_CONTROL, value);
        }
        http.headers_mut().extend(response.http_headers);
        if let Some(seconds) = retry_after {
            http.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        http
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

/// GraphQL subscriptions over WebSocket (graphql-ws and the older graphql-transport-ws subprotocols).
async fn graphql_ws(
    State(state): State<AppState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let schema = state.public_schema.clone();
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| {
            GraphQLWebSocket::new(stream, schema, protocol)
                .on_connection_init(move |payload| connection_data(state, payload))
                .serve()
        })
}

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
        &err.to_string(),
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
        error.message = crate::error::ApiError::Internal.to_string();
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
        Err(err) if guard::too_large(&err) => {
            let limit = state.http.max_body_bytes;
            return refuse(&RequestError::PayloadTooLarge { limit }, &headers);
        }
        Err(err) => {
            tracing::warn!(error = %err, "reading a request body failed");
            let err = RequestError::BadRequest("the request body could not be read".into());
            return refuse(&err, &headers);
        }
    };
    match protocol::from_json_body(&bytes) {
        Ok(request) => state.execute(&headers, peer, media, request).await,
        Err(err) => refuse(&err, &headers),
    }
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
    if protocol::selects_mutation(&mut request) {
        return refuse(&RequestError::MutationOverGet, &headers);
    }
    state.execute(&headers, peer, media, request).await
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
    let cors = guard::cors(&state.http);
    let hsts = state
        .public_url
        .as_deref()
        .is_some_and(|url| url.starts_with("https://"));
    let mut router = Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/graphql/ws", get(graphql_ws))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(crate::console::router())
        .merge(crate::linked_data::router())
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            limit,
            guard::limit_body,
        ))
        .layer(axum::middleware::from_fn_with_state(
            timeout,
            guard::deadline,
        ));
    if let Some(cors) = cors {
        router = router.layer(cors);
    }
    guard::security_headers(router, hsts)
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}
