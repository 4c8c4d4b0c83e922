//! Writes the synthetic rows in one transaction: on PostgreSQL with `COPY … FROM STDIN`, on SQLite with
//! large multi-row `INSERT` statements, each kept under the engine's limit of bound parameters.

mod copy;
mod detach;
mod insert;
mod nodes;

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use oppvekstgraf_catalog::LinkDef;
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbBackend, TransactionTrait, Value, sqlx};
use uuid::Uuid;

use super::rows::{Dataset, Link};

/// Every synthetic node is created and last updated at this instant.
pub fn stamp() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
        .and_utc()
}

/// Rows written and seconds taken per table, in the order written.
pub type Counts = Vec<(&'static str, usize, f64)>;

/// A transaction of one pooled PostgreSQL connection.
type PgTx = sqlx::Transaction<'static, sqlx::Postgres>;

/// Where rows go: multi-row `INSERT` statements in a sea-orm transaction, or on PostgreSQL `COPY … FROM
/// STDIN` in a transaction of one pooled connection (several times faster at this size).
enum Sink {
    Insert(DatabaseTransaction),
    Copy(PgTx),
}

/// Writes rows table by table into one transaction, counting the rows and seconds of each.
struct Inserter {
    sink: Sink,
    backend: DbBackend,
    counts: Counts,
    /// The statements that create the indexes and constraints dropped for the load again (PostgreSQL).
    detached: Vec<String>,
}

impl Inserter {
    /// Begins the load's transaction: on PostgreSQL a `COPY` transaction with the bulk tables' indexes
    /// and constraints dropped, elsewhere a sea-orm transaction.
    async fn begin(db: &DatabaseConnection) -> anyhow::Result<Inserter> {
        let backend = db.get_database_backend();
        let (sink, detached) = if backend == DbBackend::Postgres {
            let mut tx = db.get_postgres_connection_pool().begin().await?;
            let detached = detach::prepare(&mut tx).await?;
            (Sink::Copy(tx), detached)
        } else {
            (Sink::Insert(db.begin().await?), Vec::new())
        };
        Ok(Inserter {
            sink,
            backend,
            counts: Vec::new(),
            detached,
        })
    }

    /// Inserts `rows` into `table`; `values` appends one row's values in `columns` order.
    async fn insert<T>(
        &mut self,
        table: &'static str,
        columns: &[&str],
        rows: &[T],
        values: impl Fn(&T, &mut Vec<Value>),
    ) -> anyhow::Result<()> {
        let started = std::time::Instant::now();
        let written = match &mut self.sink {
            Sink::Insert(txn) => {
                insert::insert_statements(txn, self.backend, table, columns, rows, values).await?
            }
            Sink::Copy(tx) => copy::copy(tx, table, columns, rows, values).await?,
        };
        self.counts
            .push((table, written, started.elapsed().as_secs_f64()));
        Ok(())
    }

    /// Inserts the rows of `link`'s table, in the columns the catalog declares for it.
    async fn links(&mut self, link: &LinkDef, rows: &[Link]) -> anyhow::Result<()> {
        if link.has_role() {
            self.insert(link.table, &link.columns(), rows, |l, v| {
                v.extend([
                    l.left.into(),
                    l.right.into(),
                    l.position.into(),
                    l.role.unwrap_or_default().into(),
                ]);
            })
            .await
        } else {
            self.insert(link.table, &link.columns(), rows, |l, v| {
                v.extend([l.left.into(), l.right.into(), l.position.into()]);
            })
            .await
        }
    }

    /// Creates the dropped indexes and constraints again (PostgreSQL) and commits; returns the rows
    /// written per table and the seconds restoring took.
    async fn finish(mut self) -> anyhow::Result<(Counts, f64)> {
        let restoring = std::time::Instant::now();
        if let Sink::Copy(tx) = &mut self.sink {
            detach::restore(tx, std::mem::take(&mut self.detached)).await?;
        }
        let restore_secs = restoring.elapsed().as_secs_f64();
        match self.sink {
            Sink::Insert(txn) => txn.commit().await?,
            Sink::Copy(tx) => tx.commit().await?,
        }
        Ok((self.counts, restore_secs))
    }
}

/// Writes `data` in one transaction and returns the rows written per table and the seconds spent
/// creating indexes and constraints again (PostgreSQL). Legal references whose ids
/// are in `skip_legal_references` (written by an earlier run: they are the same for every run) are left out.
pub async fn all(
    db: &DatabaseConnection,
    data: &Dataset,
    skip_legal_references: &HashSet<Uuid>,
) -> anyhow::Result<(Counts, f64)> {
    let mut w = Inserter::begin(db).await?;
    nodes::write(&mut w, data, skip_legal_references).await?;
    links(&mut w, data).await?;
    w.finish().await
}

/// Writes the link rows of the plans and measures (the plans' owners are written with the nodes).
async fn links(w: &mut Inserter, data: &Dataset) -> anyhow::Result<()> {
    let links: [(&LinkDef, &[Link]); 9] = [
        (
            const { LinkDef::get("plan_legal_reference") },
            &data.plan_legal_reference,
        ),
        (const { LinkDef::get("plan_guidance") }, &data.plan_guidance),
        (const { LinkDef::get("plan_theme") }, &data.plan_theme),
        (
            const { LinkDef::get("plan_target_group") },
            &data.plan_target_group,
        ),
        (const { LinkDef::get("measure_unit") }, &data.measure_unit),
        (
            const { LinkDef::get("measure_legal_reference") },
            &data.measure_legal_reference,
        ),
        (
            const { LinkDef::get("measure_guidance") },
            &data.measure_guidance,
        ),
        (const { LinkDef::get("measure_theme") }, &data.measure_theme),
        (
            const { LinkDef::get("measure_target_group") },
            &data.measure_target_group,
        ),
    ];
    for (link, rows) in links {
        w.links(link, rows).await?;
    }
    Ok(())
}
