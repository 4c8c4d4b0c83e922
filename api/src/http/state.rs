//! What every handler can reach: [`AppState`], and how it is built.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::http::HeaderMap;
use sea_orm::DatabaseConnection;

use crate::{
    cache::{CacheConfig, ResponseCache, persisted::PersistedQueries},
    config::{ConnectionConfig, HttpConfig},
    db::StatementCounter,
    feed::ChangeHub,
    graphql::Schemas,
    limits::QueryLimits,
    metrics::Metrics,
    rate::{Limiter, RateLimits},
};

/// Longest time a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The schemas for clients with a token, anonymous clients and subscriptions.
    pub schemas: Schemas,
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
    /// The execution slots: a GraphQL execution runs only while it holds one (see
    /// [`crate::config::Config::max_concurrent_executions`]).
    pub executions: Arc<tokio::sync::Semaphore>,
    /// The body limit and CORS origins.
    pub http: HttpConfig,
    /// Connection deadlines; the WebSocket ones are kept by [`websocket::serve`].
    pub connections: ConnectionConfig,
    /// The rate-limit budgets, and the limiter that keeps them (None: off).
    pub rate: RateLimits,
    pub limiter: Option<Arc<Limiter>>,
    /// The response cache settings, the cache of anonymous query results and the persisted queries.
    pub cache_config: CacheConfig,
    pub cache: Arc<ResponseCache>,
    pub persisted: Arc<PersistedQueries>,
    /// What `/metrics` reports.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// State over an open database; starts the change hub (so it needs a Tokio runtime).
    pub fn new(db: DatabaseConnection, statements: StatementCounter) -> Self {
        let hub = ChangeHub::start(db.clone());
        let limits = QueryLimits::default();
        let metrics = Arc::new(Metrics::new(&statements));
        let cache_config = CacheConfig::default();
        let cache = ResponseCache::new(cache_config.response_cache_max_bytes, metrics.clone());
        cache.follow(db.clone(), &hub);
        AppState {
            schemas: Schemas::new(&db, hub.clone(), limits),
            limits,
            db,
            statements,
            hub,
            public_url: None,
            request_timeout: REQUEST_TIMEOUT,
            executions: Arc::new(tokio::sync::Semaphore::new(
                crate::config::default_concurrent_executions(),
            )),
            http: HttpConfig::default(),
            connections: ConnectionConfig::default(),
            rate: RateLimits::default(),
            limiter: Limiter::new(RateLimits::default()),
            cache_config,
            cache,
            persisted: PersistedQueries::new(cache_config.persisted_queries_max),
            metrics,
        }
    }

    /// The same state with other response-cache settings (a fresh, empty cache).
    pub fn with_cache(mut self, config: CacheConfig) -> Self {
        self.cache_config = config;
        self.cache = ResponseCache::new(config.response_cache_max_bytes, self.metrics.clone());
        self.cache.follow(self.db.clone(), &self.hub);
        self.persisted = PersistedQueries::new(config.persisted_queries_max);
        self
    }

    /// The same state with other rate-limit budgets (a fresh limiter).
    pub fn with_rate_limits(mut self, rate: RateLimits) -> Self {
        self.rate = rate;
        self.limiter = Limiter::new(rate);
        self
    }

    /// The address an anonymous request is charged to: the first `X-Forwarded-For` entry when trusted, else
    /// the peer's address.
    pub(super) fn client_address(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
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
        self.schemas = Schemas::new(&self.db, self.hub.clone(), limits);
        self
    }

    /// The same state with another request timeout.
    pub fn with_request_timeout(mut self, request_timeout: Duration) -> Self {
        self.request_timeout = request_timeout;
        self
    }

    /// The same state with `n` execution slots.
    pub fn with_concurrent_executions(mut self, n: usize) -> Self {
        self.executions = Arc::new(tokio::sync::Semaphore::new(n.max(1)));
        self
    }

    /// The same state with these HTTP settings (already checked by [`HttpConfig::check`]).
    pub fn with_http(mut self, http: HttpConfig) -> Self {
        self.http = http;
        self
    }

    /// Uses these connection deadlines (the WebSocket ones apply to the router; the server applies the
    /// rest).
    pub fn with_connections(mut self, connections: ConnectionConfig) -> Self {
        self.connections = connections;
        self
    }

    /// The same state with a public base URL (already checked by [`crate::config::public_url`]).
    pub fn with_public_url(mut self, public_url: Option<String>) -> Self {
        self.public_url = public_url;
        self
    }
}
