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
}

impl DatabaseConfig {
    /// A config for `url` with the defaults otherwise (tests, tools).
    pub fn for_url(url: impl Into<String>) -> Self {
        DatabaseConfig {
            database_url: url.into(),
            database_max_connections: 10,
            database_acquire_timeout: 5,
        }
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
    pub limits: crate::guard::QueryLimits,
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
