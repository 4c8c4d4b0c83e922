//! Database connections: SQLite (embedded default) and PostgreSQL.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::DatabaseConfig;

/// Counts the SQL statements a connection runs (used by tests and the benchmark).
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// Statements run so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Opens a pool for `config`. SQLite files are created when missing and run in WAL mode with a busy
/// timeout and foreign keys on.
pub async fn connect(
    config: &DatabaseConfig,
) -> Result<(DatabaseConnection, StatementCounter), DbErr> {
    let mut options = ConnectOptions::new(config.database_url.clone());
    options
        .max_connections(config.database_max_connections)
        .acquire_timeout(config.acquire_timeout())
        .connect_timeout(config.acquire_timeout())
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
                .create_if_missing(true)
        });
    let mut db = Database::connect(options).await?;
    let counter = StatementCounter::default();
    let count = counter.0.clone();
    db.set_metric_callback(move |info| {
        count.fetch_add(1, Ordering::Relaxed);
        tracing::trace!(
            elapsed_us = info.elapsed.as_micros() as u64,
            failed = info.failed,
            "sql"
        );
    });
    Ok((db, counter))
}
