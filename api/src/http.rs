//! The HTTP surface: `/graphql`, the GraphiQL console, health checks.

use std::{sync::Arc, time::Duration};

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLResponse, GraphQLWebSocket};
use axum::{
    Router,
    extract::{State, WebSocketUpgrade},
    http::{HeaderMap, HeaderName, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use tower_http::{
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::{
    auth::Viewer, db::StatementCounter, error::ApiError, feed::ChangeHub, graphql::AppSchema,
    guard::QueryLimits, loader::Scope,
};

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Longest time a request may take unless the configuration says otherwise (`REQUEST_TIMEOUT_SECS`).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest time `/readyz` waits for the database before it answers 503.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);

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
        }
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

    /// The same state with a public base URL (already checked by [`crate::config::public_url`]).
    pub fn with_public_url(mut self, public_url: Option<String>) -> Self {
        self.public_url = public_url;
        self
    }
}

/// The header that asks for a preview: drafts and archived content the token may see.
pub const PREVIEW_HEADER: &str = "x-preview";

impl AppState {
    /// Runs one GraphQL request for whoever its headers name, with its own loaders.
    pub async fn execute(&self, headers: &HeaderMap, request: GraphQLRequest) -> Response {
        let (viewer, scope) = match self.viewer(headers).await {
            Ok(found) => found,
            // An invalid token is 401; a database that cannot check the token is 503.
            Err(err) => return err.response(),
        };
        let schema = match viewer {
            Viewer::Anonymous => &self.public_schema,
            Viewer::Actor(_) => &self.schema,
        };
        let request = request.into_inner().data(viewer).data(scope);
        let mut response = schema.execute(request).await;
        for error in &mut response.errors {
            classify(error);
        }
        GraphQLResponse::from(response).into_response()
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
    // Input coercion errors (a variable of the wrong type, an unknown enum value) arrive with a path but
    // say only what the client sent.
    let coercion = ["Failed to parse", "Invalid value for argument"]
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

async fn graphql_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> Response {
    state.execute(&headers, request).await
}

/// `GET /graphql`: a query in the URL, or the console for a browser that asks for HTML.
async fn graphql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Result<GraphQLRequest, async_graphql_axum::rejection::GraphQLRejection>,
) -> Response {
    if wants_html(&headers) {
        return crate::console::index().await;
    }
    match request {
        Ok(request) => state.execute(&headers, request).await,
        Err(rejection) => rejection.into_response(),
    }
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

/// Answers a request that runs longer than the state's request timeout with 503 and the code TIMEOUT
/// (dropping it abandons its database work; PostgreSQL's `statement_timeout` bounds statements
/// separately).
async fn request_timeout(
    State(timeout): State<Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(timeout_ms = timeout.as_millis() as u64, "request timed out");
            ApiError::Timeout.response()
        }
    }
}

/// The router over `state`, with request ids, tracing, a body limit and the request timeout.
pub fn app(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/graphql/ws", get(graphql_ws))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(crate::console::router())
        .merge(crate::linked_data::router())
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.request_timeout,
            request_timeout,
        ))
        .with_state(state)
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}
