//! The one typed configuration, parsed once in `main` from flags and environment.

use std::{net::SocketAddr, time::Duration};

/// Where the data lives.
#[derive(clap::Args, Debug, Clone)]
pub struct DatabaseConfig {
    /// Database URL. The default is a SQLite file `oppvekstgraf.db` in the working directory, created when
    /// missing; `postgres://user@host/db` selects PostgreSQL.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://oppvekstgraf.db?mode=rwc"
    )]
    pub database_url: String,
    /// Most connections in the pool.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 10)]
    pub database_max_connections: u32,
    /// How long a request may wait for a free connection, in seconds, before it fails with
    /// SERVICE_UNAVAILABLE.
    #[arg(long, env = "DATABASE_ACQUIRE_TIMEOUT", default_value_t = 5)]
    pub database_acquire_timeout: u64,
    /// PostgreSQL only: the server cancels any statement of the API that runs longer than this many
    /// milliseconds (`statement_timeout` on every pooled connection), and the request gets TIMEOUT. 0 turns
    /// it off. Migrations, seed loads and the command-line tools run without it.
    #[arg(long, env = "DATABASE_STATEMENT_TIMEOUT_MS", default_value_t = 10_000)]
    pub database_statement_timeout_ms: u64,
}

impl DatabaseConfig {
    /// A config for `url` with the defaults otherwise (tests, tools).
    pub fn for_url(url: impl Into<String>) -> Self {
        DatabaseConfig {
            database_url: url.into(),
            database_max_connections: 10,
            database_acquire_timeout: 5,
            database_statement_timeout_ms: 10_000,
        }
    }

    /// The same database without a statement timeout: for migrations, seed loads, imports and exports,
    /// whose statements may rightly take longer than a request's.
    pub fn without_statement_timeout(&self) -> Self {
        DatabaseConfig {
            database_statement_timeout_ms: 0,
            ..self.clone()
        }
    }

    /// The statement timeout, if there is one.
    pub fn statement_timeout(&self) -> Option<Duration> {
        (self.database_statement_timeout_ms > 0)
            .then(|| Duration::from_millis(self.database_statement_timeout_ms))
    }

    /// The acquire timeout as a duration.
    pub fn acquire_timeout(&self) -> Duration {
        Duration::from_secs(self.database_acquire_timeout)
    }
}

/// Configuration of `oppvekstgraf serve`.
#[derive(clap::Args, Debug, Clone)]
pub struct Config {
    #[command(flatten)]
    pub database: DatabaseConfig,
    #[command(flatten)]
    pub limits: crate::limits::QueryLimits,
    #[command(flatten)]
    pub rate: crate::rate::RateLimits,
    /// Address and port to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Open the GraphiQL console in the default browser once the server listens.
    #[arg(long, env = "OPEN_CONSOLE", default_value_t = false)]
    pub open: bool,
    /// Do not load the seed content into an empty database.
    #[arg(long, env = "NO_SEED", default_value_t = false)]
    pub no_seed: bool,
    /// The public base URL of this server (scheme, host and an optional path prefix, e.g.
    /// `https://oppvekst.example.no`), used in the `@id`s of the linked-data view (`/ld/…`). When unset,
    /// each request's `Host` header is used with `http://`: set it behind a proxy or TLS terminator so
    /// the ids stay stable.
    #[arg(long, env = "PUBLIC_URL", value_parser = public_url)]
    pub public_url: Option<String>,
    /// Longest time one HTTP request may take, in seconds; a request still running then is answered with
    /// 503 and the code TIMEOUT (its database work is abandoned).
    #[arg(long, env = "REQUEST_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout_secs: u64,
    /// On SIGTERM or SIGINT the server stops accepting connections and lets the requests in flight finish
    /// for up to this many seconds; then it closes what is left and exits with status 0.
    #[arg(long, env = "SHUTDOWN_GRACE_SECS", default_value_t = 10)]
    pub shutdown_grace_secs: u64,
    /// Most GraphQL executions that run at once; more wait in line (first come, first served) until one
    /// ends, or until the request timeout. Each running execution holds its rows and its response in memory
    /// and competes for the CPUs and the connection pool, so this bounds the server's memory under load and
    /// lets the requests in line finish sooner than if all of them shared the CPUs. Answers from the response
    /// cache do not wait. Default: four per CPU.
    #[arg(long, env = "GRAPHQL_MAX_CONCURRENT_EXECUTIONS", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_concurrent_executions: Option<u32>,
    #[command(flatten)]
    pub http: HttpConfig,
    #[command(flatten)]
    pub connections: ConnectionConfig,
    #[command(flatten)]
    pub cache: CacheConfig,
}

/// How long clients may hold a connection without finishing what they send, and how many connections may
/// be open at once. Slow or silent clients are closed; clients past the cap are refused with a 503.
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct ConnectionConfig {
    /// Longest time, in seconds, a client may take to send a request's headers: counted from the connection's
    /// opening for its first request and from the first byte of each later one. A connection whose headers
    /// are not complete by then is closed (a client sending them a byte at a time holds nothing for long).
    #[arg(long, env = "HTTP_HEADER_READ_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout_secs: u64,
    /// Longest time, in seconds, a keep-alive connection may stay open with no request in flight and no
    /// byte sent either way; then it is closed (a response its client stopped reading counts as idle too).
    #[arg(long, env = "HTTP_IDLE_TIMEOUT_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout_secs: u64,
    /// Most connections open at once, WebSockets included. A connection past the cap gets `503` with the
    /// code SERVICE_UNAVAILABLE and `Retry-After: 1`, and is closed. Default: three quarters of the
    /// process's open-file limit (768 under the common limit of 1,024), so the database connections and
    /// files always have descriptors left.
    #[arg(long, env = "HTTP_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,
    /// Longest time, in seconds, a WebSocket client may take after the upgrade to send `connection_init`;
    /// then the server closes it with 4408 (as the graphql-ws protocol says).
    #[arg(long, env = "WS_INIT_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub ws_init_timeout_secs: u64,
    /// WebSocket liveness, in seconds: after this long without a frame from the client the server sends a
    /// ping, and closes the connection (1008) when no frame arrives within this long again. A client answers
    /// pings by itself, but not while it is in the middle of a frame, so a message left unfinished (or sent
    /// a byte at a time) ends the connection too.
    #[arg(long, env = "WS_MESSAGE_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub ws_message_timeout_secs: u64,
}

impl Default for ConnectionConfig {
    fn default() -> Self {
        ConnectionConfig {
            header_read_timeout_secs: 10,
            idle_timeout_secs: 60,
            max_connections: None,
            ws_init_timeout_secs: 10,
            ws_message_timeout_secs: 30,
        }
    }
}

impl ConnectionConfig {
    /// The header-read timeout as a duration.
    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_secs(self.header_read_timeout_secs)
    }

    /// The idle timeout as a duration.
    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.idle_timeout_secs)
    }

    /// The WebSocket `connection_init` timeout as a duration.
    pub fn ws_init_timeout(&self) -> Duration {
        Duration::from_secs(self.ws_init_timeout_secs)
    }

    /// The WebSocket liveness timeout as a duration.
    pub fn ws_message_timeout(&self) -> Duration {
        Duration::from_secs(self.ws_message_timeout_secs)
    }

    /// The connection cap: the configured one, or three quarters of the open-file limit (at least 16).
    pub fn max_connections(&self) -> usize {
        match self.max_connections {
            Some(n) => n as usize,
            None => {
                let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile)
                    .current
                    .unwrap_or(u64::MAX)
                    .min(1 << 20);
                usize::try_from(limit - limit / 4).map_or(16, |n| n.max(16))
            }
        }
    }
}

/// Executions per CPU that may run at once when `GRAPHQL_MAX_CONCURRENT_EXECUTIONS` is not set.
pub const EXECUTIONS_PER_CPU: usize = 4;

/// How many GraphQL executions may run at once when `GRAPHQL_MAX_CONCURRENT_EXECUTIONS` is not set.
pub fn default_concurrent_executions() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from) * EXECUTIONS_PER_CPU
}

impl Config {
    /// How many GraphQL executions may run at once (see [`Config::max_concurrent_executions`]).
    pub fn concurrent_executions(&self) -> usize {
        self.max_concurrent_executions
            .map_or_else(default_concurrent_executions, |n| n as usize)
    }

    /// The request timeout as a duration.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// The shutdown grace period as a duration.
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_secs)
    }
}

/// The default of [`HttpConfig::max_body_bytes`]: 256 KiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 256 * 1024;

/// What the HTTP layer accepts: body sizes and cross-origin callers.
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// Largest request body accepted, in bytes; a larger one (announced by `Content-Length` or found while
    /// reading a chunked body) is refused with 413 PAYLOAD_TOO_LARGE.
    #[arg(long, env = "MAX_BODY_BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Origins that browsers may call the API from (CORS), comma-separated, e.g.
    /// `https://oppvekst.example.no,https://kommune.example.no`: they may send `Authorization`,
    /// `Content-Type` and `x-preview`. `*` alone lets any origin make anonymous reads (only `Content-Type` is
    /// allowed, so no browser sends a token cross-origin). Empty (the default): no CORS headers at all.
    #[arg(
        long,
        env = "CORS_ALLOWED_ORIGINS",
        value_delimiter = ',',
        value_parser = cors_origin
    )]
    pub cors_allowed_origins: Vec<String>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            cors_allowed_origins: Vec::new(),
        }
    }
}

impl HttpConfig {
    /// Checks what one value at a time cannot: `*` stands alone.
    pub fn check(&self) -> Result<(), String> {
        if self.cors_any_origin() && self.cors_origins().count() > 1 {
            return Err(
                "CORS_ALLOWED_ORIGINS: `*` (anonymous reads from any origin) cannot be combined with named \
                 origins"
                    .into(),
            );
        }
        if self.max_body_bytes == 0 {
            return Err("MAX_BODY_BYTES must be at least 1".into());
        }
        Ok(())
    }

    /// The configured CORS origins (empty entries, as from `CORS_ALLOWED_ORIGINS=""`, left out).
    pub fn cors_origins(&self) -> impl Iterator<Item = &str> {
        self.cors_allowed_origins
            .iter()
            .map(String::as_str)
            .filter(|origin| !origin.is_empty())
    }

    /// Whether `*` is configured: any origin, anonymous reads only.
    pub fn cors_any_origin(&self) -> bool {
        self.cors_origins().any(|origin| origin == "*")
    }
}

/// Checks one CORS origin: `*`, or an absolute `http`/`https` URL of scheme, host and optional port only;
/// returns it as browsers send it in `Origin` (e.g. `https://oppvekst.example.no`). An empty entry stays
/// empty and is ignored.
pub fn cors_origin(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text == "*" {
        return Ok(text.to_string());
    }
    let url = url::Url::parse(text).map_err(|err| {
        format!("{text:?} is not an origin ({err}); write e.g. https://oppvekst.example.no")
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "{text:?} must be an http or https origin, e.g. https://oppvekst.example.no"
        ));
    }
    if url.path() != "/"
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
    {
        return Err(format!(
            "{text:?} must be an origin only (scheme, host and port), without a path, e.g. \
             https://oppvekst.example.no"
        ));
    }
    Ok(url.origin().ascii_serialization())
}

/// Checks a public base URL: absolute `http` or `https`, no query or fragment; returns it without a
/// trailing slash.
pub fn public_url(text: &str) -> Result<String, String> {
    let url = url::Url::parse(text.trim()).map_err(|err| {
        format!("{text:?} is not a URL ({err}); write e.g. https://oppvekst.example.no")
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "{text:?} must be an http or https URL with a host, e.g. https://oppvekst.example.no"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{text:?} must not have a query or a fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// The default of [`CacheConfig::response_cache_max_bytes`]: 64 MiB.
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;

/// Response caching: the in-process cache and what HTTP caches are told.
#[derive(clap::Args, Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheConfig {
    /// Memory for cached anonymous query results, in bytes (bodies plus their dependency tags); the least
    /// recently used results are dropped beyond it. 0 turns the response cache off.
    #[arg(long, env = "RESPONSE_CACHE_MAX_BYTES", default_value_t = DEFAULT_MAX_BYTES)]
    pub response_cache_max_bytes: usize,
    /// `max-age` of the `Cache-Control` header on anonymous GET reads, in seconds: how long browsers and
    /// CDNs may reuse a response without asking (they revalidate with `If-None-Match` after that).
    #[arg(long, env = "HTTP_CACHE_MAX_AGE_SECS", default_value_t = 10)]
    pub http_cache_max_age_secs: u32,
    /// `stale-while-revalidate` of anonymous GET reads, in seconds: how long after `max-age` a cache may
    /// still serve a response while it revalidates in the background.
    #[arg(
        long,
        env = "HTTP_CACHE_STALE_WHILE_REVALIDATE_SECS",
        default_value_t = 60
    )]
    pub http_cache_stale_while_revalidate_secs: u32,
    /// Most automatic persisted queries remembered (documents by their SHA-256); the least recently used are
    /// forgotten beyond it, and clients send the document again when told PERSISTED_QUERY_NOT_FOUND.
    #[arg(long, env = "PERSISTED_QUERIES_MAX", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub persisted_queries_max: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            response_cache_max_bytes: DEFAULT_MAX_BYTES,
            http_cache_max_age_secs: 10,
            http_cache_stale_while_revalidate_secs: 60,
            persisted_queries_max: 10_000,
        }
    }
}

impl CacheConfig {
    /// The `Cache-Control` value of an anonymous GET read.
    pub fn public_cache_control(&self) -> String {
        format!(
            "public, max-age={}, stale-while-revalidate={}",
            self.http_cache_max_age_secs, self.http_cache_stale_while_revalidate_secs
        )
    }
}
