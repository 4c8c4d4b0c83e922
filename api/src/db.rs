//! Database connections: SQLite (embedded default) and PostgreSQL.

use std::time::Duration;

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::DatabaseConfig;

/// Counts the SQL statements a connection runs (used by tests and the benchmark).
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(prometheus_client::metrics::counter::Counter);

impl StatementCounter {
    /// Statements run so far.
    pub fn get(&self) -> u64 {
        self.0.get()
    }

    /// The counter, for `/metrics`.
    pub fn counter(&self) -> prometheus_client::metrics::counter::Counter {
        self.0.clone()
    }
}

/// How long SQLite waits for another writer's lock before a statement fails (as SERVICE_UNAVAILABLE).
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// A pooled connection idle this long is closed (the pool opens a new one when needed).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// A pooled connection is replaced after this long, so none outlives a failover or a server restart for
/// long.
pub const MAX_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// Opens a pool for `config`. SQLite files are created when missing and run in WAL mode with a busy
/// timeout and foreign keys on. On PostgreSQL every connection gets the configured `statement_timeout`.
///
/// Recovery: every connection is pinged before the pool hands it out, so connections that the server
/// closed (a restart, `pg_terminate_backend`) are replaced instead of failing a request; a connection that
/// cannot be had within the acquire timeout (server down, pool exhausted) fails fast with
/// SERVICE_UNAVAILABLE, and the pool reconnects by itself once the server answers again.
pub async fn connect(
    config: &DatabaseConfig,
) -> Result<(DatabaseConnection, StatementCounter), DbErr> {
    let mut options = ConnectOptions::new(config.database_url.clone());
    options
        .max_connections(config.database_max_connections)
        .acquire_timeout(config.acquire_timeout())
        .connect_timeout(config.acquire_timeout())
        .test_before_acquire(true)
        .idle_timeout(IDLE_TIMEOUT)
        .max_lifetime(MAX_LIFETIME)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
                .create_if_missing(true)
        });
    if let Some(timeout) = config.statement_timeout() {
        options.statement_timeout(timeout);
    }
    let mut db = Database::connect(options).await?;
    let counter = StatementCounter::default();
    let count = counter.0.clone();
    db.set_metric_callback(move |info| {
        count.inc();
        tracing::trace!(
            elapsed_us = info.elapsed.as_micros() as u64,
            failed = info.failed,
            sql = %info.statement,
            "sql"
        );
    });
    Ok((db, counter))
}
