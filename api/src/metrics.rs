//! Operational metrics in the Prometheus text format at `/metrics`: SQL statements, GraphQL requests and
//! the response cache.

use prometheus_client::{
    encoding::text::encode,
    metrics::{counter::Counter, gauge::Gauge},
    registry::Registry,
};

use crate::db::StatementCounter;

/// The process's metrics.
pub struct Metrics {
    registry: Registry,
    /// GraphQL requests executed or answered from the cache.
    pub graphql_requests: Counter,
    /// Anonymous reads answered from the response cache.
    pub cache_hits: Counter,
    /// Anonymous reads the response cache did not hold.
    pub cache_misses: Counter,
    /// Results stored in the response cache.
    pub cache_stores: Counter,
    /// Results not stored because content changed while they were computed.
    pub cache_stale_skips: Counter,
    /// Cached results dropped because content they depend on changed.
    pub cache_invalidated: Counter,
    /// Cached results dropped to stay within the memory budget.
    pub cache_evictions: Counter,
    /// Results in the response cache.
    pub cache_entries: Gauge,
    /// Bytes the response cache holds (bodies and dependency tags).
    pub cache_bytes: Gauge,
    /// GraphQL executions running now.
    pub executions_running: Gauge,
    /// GraphQL executions waiting for a free execution slot now.
    pub executions_waiting: Gauge,
    /// HTTP connections open now (WebSockets included).
    pub http_connections_open: Gauge,
    /// Connections refused because the connection cap was reached.
    pub http_connections_refused: Counter,
    /// Connections closed because their request headers did not arrive in time.
    pub http_connections_slow_headers: Counter,
    /// Keep-alive connections closed for being idle.
    pub http_connections_idle_closed: Counter,
    /// WebSockets closed for not initialising, or not answering a ping, in time.
    pub websocket_timeouts: Counter,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// The metrics of a process whose connection counts its statements in `statements`.
    pub fn new(statements: &StatementCounter) -> Metrics {
        let mut registry = Registry::with_prefix("oppvekstgraf");
        let metrics = Metrics {
            registry: Registry::default(),
            graphql_requests: Counter::default(),
            cache_hits: Counter::default(),
            cache_misses: Counter::default(),
            cache_stores: Counter::default(),
            cache_stale_skips: Counter::default(),
            cache_invalidated: Counter::default(),
            cache_evictions: Counter::default(),
            cache_entries: Gauge::default(),
            cache_bytes: Gauge::default(),
            executions_running: Gauge::default(),
            executions_waiting: Gauge::default(),
            http_connections_open: Gauge::default(),
            http_connections_refused: Counter::default(),
            http_connections_slow_headers: Counter::default(),
            http_connections_idle_closed: Counter::default(),
            websocket_timeouts: Counter::default(),
        };
        metrics.register_executions(&mut registry, statements);
        metrics.register_connections(&mut registry);
        metrics.register_requests_and_cache(&mut registry);
        Metrics {
            registry,
            ..metrics
        }
    }

    /// Registers the SQL statement count and the GraphQL execution slots.
    fn register_executions(&self, registry: &mut Registry, statements: &StatementCounter) {
        registry.register("sql_statements", "SQL statements run", statements.counter());
        registry.register(
            "graphql_executions_running",
            "GraphQL executions running now (at most GRAPHQL_MAX_CONCURRENT_EXECUTIONS)",
            self.executions_running.clone(),
        );
        registry.register(
            "graphql_executions_waiting",
            "GraphQL executions waiting for a free execution slot now",
            self.executions_waiting.clone(),
        );
    }

    /// Registers the HTTP connection and WebSocket counts.
    fn register_connections(&self, registry: &mut Registry) {
        let connections = registry.sub_registry_with_prefix("http_connections");
        connections.register(
            "open",
            "HTTP connections open now, WebSockets included (at most HTTP_MAX_CONNECTIONS)",
            self.http_connections_open.clone(),
        );
        connections.register(
            "refused",
            "Connections refused with 503 because HTTP_MAX_CONNECTIONS were open",
            self.http_connections_refused.clone(),
        );
        connections.register(
            "slow_headers",
            "Connections closed because request headers took longer than HTTP_HEADER_READ_TIMEOUT_SECS",
            self.http_connections_slow_headers.clone(),
        );
        connections.register(
            "idle_closed",
            "Keep-alive connections closed after HTTP_IDLE_TIMEOUT_SECS without traffic",
            self.http_connections_idle_closed.clone(),
        );
        registry.register(
            "websocket_timeouts",
            "WebSockets closed for not sending connection_init, or not answering a ping, in time",
            self.websocket_timeouts.clone(),
        );
    }

    /// Registers the GraphQL request count and the response cache's.
    fn register_requests_and_cache(&self, registry: &mut Registry) {
        registry.register(
            "graphql_requests",
            "GraphQL requests executed or answered from the response cache",
            self.graphql_requests.clone(),
        );
        let cache = registry.sub_registry_with_prefix("response_cache");
        cache.register(
            "hits",
            "Anonymous reads answered from the response cache",
            self.cache_hits.clone(),
        );
        cache.register(
            "misses",
            "Anonymous reads the response cache did not hold",
            self.cache_misses.clone(),
        );
        cache.register(
            "stores",
            "Results stored in the response cache",
            self.cache_stores.clone(),
        );
        cache.register(
            "stale_skips",
            "Results not stored because content changed while they were computed",
            self.cache_stale_skips.clone(),
        );
        cache.register(
            "invalidated",
            "Cached results dropped because content they depend on changed",
            self.cache_invalidated.clone(),
        );
        cache.register(
            "evictions",
            "Cached results dropped to stay within the memory budget",
            self.cache_evictions.clone(),
        );
        cache.register(
            "entries",
            "Results in the response cache",
            self.cache_entries.clone(),
        );
        cache.register(
            "bytes",
            "Bytes the response cache holds",
            self.cache_bytes.clone(),
        );
    }

    /// The metrics in the OpenMetrics text format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if let Err(err) = encode(&mut out, &self.registry) {
            tracing::error!(error = %err, "could not encode the metrics");
        }
        out
    }
}
