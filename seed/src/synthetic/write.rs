//! Writes the synthetic rows in one transaction: on PostgreSQL with `COPY … FROM STDIN`, on SQLite with
//! large multi-row `INSERT` statements, each kept under the engine's limit of bound parameters.

use std::collections::HashSet;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use oppvekstgraf_catalog::NodeType;
use oppvekstgraf_entity::enums::{Language, Status};
use sea_orm::{
    ActiveEnum, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement,
    TransactionTrait, Value, sqlx,
};
use uuid::Uuid;

use super::rows::{Dataset, LegalReference, Link};

/// Every synthetic node is created and last updated at this instant.
pub fn stamp() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
        .and_utc()
}

/// Bound parameters one statement may carry.
fn max_params(backend: DbBackend) -> usize {
    match backend {
        DbBackend::Postgres => 65_535,
        // SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766 since 3.32, and in the bundled library).
        _ => 32_766,
    }
}

/// Rows written and seconds taken per table, in the order written.
pub type Counts = Vec<(&'static str, usize, f64)>;

/// Where rows go: multi-row `INSERT` statements in a sea-orm transaction, or on PostgreSQL `COPY … FROM
/// STDIN` in a transaction of one pooled connection (several times faster at this size).
enum Sink {
    Insert(DatabaseTransaction),
    Copy(sqlx::Transaction<'static, sqlx::Postgres>),
}

struct Inserter {
    sink: Sink,
    backend: DbBackend,
    counts: Counts,
}

impl Inserter {
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
                insert_statements(txn, self.backend, table, columns, rows, values).await?
            }
            Sink::Copy(tx) => copy(tx, table, columns, rows, values).await?,
        };
        self.counts
            .push((table, written, started.elapsed().as_secs_f64()));
        Ok(())
    }

    async fn commit(self) -> anyhow::Result<Counts> {
        match self.sink {
            Sink::Insert(txn) => txn.commit().await?,
            Sink::Copy(tx) => tx.commit().await?,
        }
        Ok(self.counts)
    }

    async fn links(
        &mut self,
        table: &'static str,
        left: &str,
        right: &str,
        rows: &[Link],
    ) -> anyhow::Result<()> {
        if rows.first().is_some_and(|l| l.role.is_some()) {
            self.insert(table, &[left, right, "position", "role"], rows, |l, v| {
                v.extend([
                    l.left.into(),
                    l.right.into(),
                    l.position.into(),
                    l.role.unwrap_or_default().into(),
                ]);
            })
            .await
        } else {
            self.insert(table, &[left, right, "position"], rows, |l, v| {
                v.extend([l.left.into(), l.right.into(), l.position.into()]);
            })
            .await
        }
    }
}

/// A node table's columns: its own (the id first), then the catalog's node columns but the id.
fn columns(own: &[&'static str]) -> Vec<&'static str> {
    let node = oppvekstgraf_catalog::NODE_COLUMNS
        .iter()
        .copied()
        .filter(|c| *c != "id");
    own.iter().copied().chain(node).collect()
}

/// Appends the node columns' values of a published node in Bokmål, version 1, stamped [`stamp`].
fn node(slug: &str, v: &mut Vec<Value>) {
    let at = stamp();
    v.extend([
        slug.into(),
        Status::Published.to_value().into(),
        Language::Nb.to_value().into(),
        1i32.into(),
        at.into(),
        at.into(),
    ]);
}

/// Writes `data` in one transaction and returns the rows written per table and the seconds spent
/// creating indexes and constraints again (PostgreSQL). Legal references whose ids
/// are in `skip_legal_references` (written by an earlier run: they are the same for every run) are left out.
pub async fn all(
    db: &DatabaseConnection,
    data: &Dataset,
    skip_legal_references: &HashSet<Uuid>,
) -> anyhow::Result<(Counts, f64)> {
    let backend = db.get_database_backend();
    let sink = if backend == DbBackend::Postgres {
        Sink::Copy(db.get_postgres_connection_pool().begin().await?)
    } else {
        Sink::Insert(db.begin().await?)
    };
    let mut w = Inserter {
        sink,
        backend,
        counts: Vec::new(),
    };
    let detached = match &mut w.sink {
        Sink::Copy(tx) => {
            // A load tool: the API's statement timeout does not apply (building indexes takes a while).
            sqlx::raw_sql("SET LOCAL statement_timeout = 0")
                .execute(&mut **tx)
                .await?;
            detach(tx, &bulk_tables()).await?
        }
        Sink::Insert(_) => Vec::new(),
    };
    let legal_references: Vec<&LegalReference> = data
        .legal_references
        .iter()
        .filter(|r| !skip_legal_references.contains(&r.id))
        .collect();
    w.insert(
        "legal_reference",
        &columns(&["id", "law_id", "section", "heading", "note", "natural_key"]),
        &legal_references,
        |r, v| {
            v.extend([
                r.id.into(),
                r.law_id.into(),
                r.section.as_str().into(),
                r.heading.as_str().into(),
                "Syntetisk henvisning (testdata for ytelsesmålinger).".into(),
                r.natural_key.as_str().into(),
            ]);
            node(&r.slug, v);
        },
    )
    .await?;
    w.insert(
        "municipality",
        &columns(&["id", "number", "name", "organization_number", "county"]),
        &data.municipalities,
        |m, v| {
            v.extend([
                m.id.into(),
                m.number.as_str().into(),
                m.name.as_str().into(),
                m.organization_number.as_str().into(),
                m.county.into(),
            ]);
            node(&m.slug, v);
        },
    )
    .await?;
    // Parents come before their children in `units`, so each chunk's parents exist already.
    w.insert(
        "unit",
        &columns(&["id", "name", "kind", "municipality_id", "parent_id"]),
        &data.units,
        |u, v| {
            v.extend([
                u.id.into(),
                u.name.as_str().into(),
                u.kind.to_value().into(),
                u.municipality_id.into(),
                u.parent_id.into(),
            ]);
            node(&u.slug, v);
        },
    )
    .await?;
    w.insert(
        "plan",
        &columns(&[
            "id",
            "title",
            "kind",
            "period_start",
            "period_end",
            "adopted_on",
            "adopted_by_id",
            "case_number",
            "summary",
        ]),
        &data.plans,
        |p, v| {
            v.extend([
                p.id.into(),
                p.title.as_str().into(),
                p.kind.to_value().into(),
                p.period_start.into(),
                p.period_end.into(),
                p.adopted_on.into(),
                p.adopted_by_id.into(),
                p.case_number.as_str().into(),
                p.summary.as_str().into(),
            ]);
            node(&p.slug, v);
        },
    )
    .await?;
    w.links("plan_owner", "plan_id", "municipality_id", &data.plan_owner)
        .await?;
    w.insert(
        "goal",
        &columns(&["id", "plan_id", "focus_area", "statement", "position"]),
        &data.goals,
        |g, v| {
            v.extend([
                g.id.into(),
                g.plan_id.into(),
                g.focus_area.into(),
                g.statement.into(),
                g.position.into(),
            ]);
            node(&g.slug, v);
        },
    )
    .await?;
    w.insert(
        "measure",
        &columns(&[
            "id",
            "plan_id",
            "municipality_id",
            "number",
            "position",
            "title",
            "summary",
            "frequency",
        ]),
        &data.measures,
        |m, v| {
            v.extend([
                m.id.into(),
                m.plan_id.into(),
                m.municipality_id.into(),
                m.number.into(),
                m.position.into(),
                m.title.as_str().into(),
                m.summary.into(),
                m.frequency.into(),
            ]);
            node(&m.slug, v);
        },
    )
    .await?;
    let links: [(&'static str, &str, &str, &[Link]); 9] = [
        (
            "plan_legal_reference",
            "plan_id",
            "legal_reference_id",
            &data.plan_legal_reference,
        ),
        (
            "plan_guidance",
            "plan_id",
            "guidance_id",
            &data.plan_guidance,
        ),
        ("plan_theme", "plan_id", "theme_id", &data.plan_theme),
        (
            "plan_target_group",
            "plan_id",
            "target_group_id",
            &data.plan_target_group,
        ),
        ("measure_unit", "measure_id", "unit_id", &data.measure_unit),
        (
            "measure_legal_reference",
            "measure_id",
            "legal_reference_id",
            &data.measure_legal_reference,
        ),
        (
            "measure_guidance",
            "measure_id",
            "guidance_id",
            &data.measure_guidance,
        ),
        (
            "measure_theme",
            "measure_id",
            "theme_id",
            &data.measure_theme,
        ),
        (
            "measure_target_group",
            "measure_id",
            "target_group_id",
            &data.measure_target_group,
        ),
    ];
    for (table, left, right, rows) in links {
        w.links(table, left, right, rows).await?;
    }
    let restoring = std::time::Instant::now();
    if let Sink::Copy(tx) = &mut w.sink {
        for ddl in detached {
            sqlx::raw_sql(sqlx::AssertSqlSafe(ddl.clone()))
                .execute(&mut **tx)
                .await
                .with_context(|| format!("restoring: {ddl}"))?;
        }
        // Fresh planner statistics for the tables that just grew.
        for table in bulk_tables() {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("ANALYZE {table}")))
                .execute(&mut **tx)
                .await?;
        }
    }
    let restore_secs = restoring.elapsed().as_secs_f64();
    let counts = w.commit().await?;
    Ok((counts, restore_secs))
}

/// The node types that receive most of the rows: on PostgreSQL their tables, and every link table with an
/// end among them (their foreign keys would keep these tables' primary keys in place), have their indexes
/// and constraints dropped for the load and created again after it, in the same transaction (building an
/// index once beats updating it 400,000 times, and checking a foreign key once beats checking every row).
const BULK_NODES: &[NodeType] = &[
    NodeType::Unit,
    NodeType::Plan,
    NodeType::Goal,
    NodeType::Measure,
];

/// The tables of [`BULK_NODES`] and the link tables that touch them.
fn bulk_tables() -> Vec<&'static str> {
    let nodes = BULK_NODES
        .iter()
        .filter_map(|node| node.def())
        .map(|def| def.table);
    let links = oppvekstgraf_catalog::LINKS
        .iter()
        .filter(|link| BULK_NODES.iter().any(|node| link.touches(*node)))
        .map(|link| link.table);
    nodes.chain(links).collect()
}

/// Drops the foreign keys and secondary indexes of `tables`, and their primary keys and unique
/// constraints where no remaining foreign key depends on them; returns the statements that create them
/// again (keys first, then indexes, then foreign keys). Definitions come from the catalog, so they match
/// the migrations exactly.
async fn detach(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    tables: &[&str],
) -> anyhow::Result<Vec<String>> {
    let constraints = |kinds: &str| {
        format!(
            "SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, \
             pg_get_constraintdef(oid)) AS create_sql, format('ALTER TABLE %s DROP CONSTRAINT %I', \
             conrelid::regclass, conname) AS drop_sql FROM pg_constraint \
             WHERE conrelid = $1::regclass AND contype IN ({kinds}) ORDER BY conname"
        )
    };
    let indexes = "SELECT pg_get_indexdef(i.indexrelid) AS create_sql, \
                   format('DROP INDEX %s', i.indexrelid::regclass) AS drop_sql FROM pg_index i \
                   WHERE i.indrelid = $1::regclass \
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) \
                   ORDER BY 1";
    let referenced = "SELECT '' AS create_sql, '' AS drop_sql FROM pg_constraint \
                      WHERE contype = 'f' AND confrelid = $1::regclass";
    let mut foreign = Vec::new();
    for table in tables {
        foreign.extend(drop_all(tx, &constraints("'f'"), table).await?);
    }
    let mut keys = Vec::new();
    let mut plain = Vec::new();
    for table in tables {
        if catalog(tx, referenced, table).await?.is_empty() {
            keys.extend(drop_all(tx, &constraints("'p', 'u'"), table).await?);
        }
        plain.extend(drop_all(tx, indexes, table).await?);
    }
    keys.extend(plain);
    keys.extend(foreign);
    Ok(keys)
}

/// `(create_sql, drop_sql)` rows of a catalog query about `table`.
async fn catalog(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    sql: &str,
    table: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    use sqlx::Row;
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(table)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("create_sql")?, row.try_get("drop_sql")?)))
        .collect()
}

/// Runs the `drop_sql` of every row of a catalog query and returns their `create_sql`.
async fn drop_all(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    sql: &str,
    table: &str,
) -> anyhow::Result<Vec<String>> {
    let mut created = Vec::new();
    for (create, drop) in catalog(tx, sql, table).await? {
        sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
            .execute(&mut **tx)
            .await?;
        created.push(create);
    }
    Ok(created)
}

/// Multi-row `INSERT` statements, each under the engine's limit of bound parameters.
async fn insert_statements<T>(
    txn: &DatabaseTransaction,
    backend: DbBackend,
    table: &str,
    columns: &[&str],
    rows: &[T],
    values: impl Fn(&T, &mut Vec<Value>),
) -> anyhow::Result<usize> {
    let per_statement = (max_params(backend) / columns.len()).max(1);
    let head = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut full_text: Option<String> = None;
    let mut written = 0;
    for chunk in rows.chunks(per_statement) {
        let mut bound = Vec::with_capacity(chunk.len() * columns.len());
        for row in chunk {
            values(row, &mut bound);
        }
        debug_assert_eq!(bound.len(), chunk.len() * columns.len());
        let text = if chunk.len() == per_statement {
            full_text
                .get_or_insert_with(|| statement_text(backend, &head, columns.len(), chunk.len()))
                .clone()
        } else {
            statement_text(backend, &head, columns.len(), chunk.len())
        };
        written += txn
            .execute_raw(Statement::from_sql_and_values(backend, text, bound))
            .await
            .map_err(|e| anyhow::anyhow!("writing {table}: {e}"))?
            .rows_affected() as usize;
    }
    Ok(written)
}

/// `head (?, ?), (?, ?)` with the backend's placeholders.
fn statement_text(backend: DbBackend, head: &str, columns: usize, rows: usize) -> String {
    let mut text = String::with_capacity(head.len() + rows * columns * 8);
    text.push_str(head);
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            text.push_str(", ");
        }
        text.push('(');
        for c in 0..columns {
            if c > 0 {
                text.push_str(", ");
            }
            if backend == DbBackend::Postgres {
                n += 1;
                text.push('$');
                text.push_str(&n.to_string());
            } else {
                text.push('?');
            }
        }
        text.push(')');
    }
    text
}

/// `COPY table (columns) FROM STDIN` in PostgreSQL's text format, sent in pieces of about a megabyte.
async fn copy<T>(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    table: &str,
    columns: &[&str],
    rows: &[T],
    values: impl Fn(&T, &mut Vec<Value>),
) -> anyhow::Result<usize> {
    const PIECE: usize = 1 << 20;
    if rows.is_empty() {
        return Ok(0);
    }
    let statement = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
    let mut copy = (**tx)
        .copy_in_raw(&statement)
        .await
        .map_err(|e| anyhow::anyhow!("writing {table}: {e}"))?;
    let mut buffer = String::with_capacity(PIECE + 4096);
    let mut row_values = Vec::with_capacity(columns.len());
    for row in rows {
        row_values.clear();
        values(row, &mut row_values);
        for (i, value) in row_values.iter().enumerate() {
            if i > 0 {
                buffer.push('\t');
            }
            copy_field(value, &mut buffer)
                .with_context(|| format!("writing {table}.{}", columns[i]))?;
        }
        buffer.push('\n');
        if buffer.len() >= PIECE {
            copy.send(std::mem::take(&mut buffer).into_bytes())
                .await
                .map_err(|e| anyhow::anyhow!("writing {table}: {e}"))?;
            buffer.reserve(PIECE + 4096);
        }
    }
    if !buffer.is_empty() {
        copy.send(buffer.into_bytes())
            .await
            .map_err(|e| anyhow::anyhow!("writing {table}: {e}"))?;
    }
    let written = copy
        .finish()
        .await
        .map_err(|e| anyhow::anyhow!("writing {table}: {e}"))?;
    Ok(written as usize)
}

/// One value in `COPY`'s text format: `\N` for NULL, backslash escapes in text.
fn copy_field(value: &Value, out: &mut String) -> anyhow::Result<()> {
    use std::fmt::Write;
    match value {
        Value::Uuid(Some(u)) => write!(out, "{}", u.hyphenated())?,
        Value::Int(Some(n)) => write!(out, "{n}")?,
        Value::ChronoDate(Some(d)) => write!(out, "{}", d.format("%Y-%m-%d"))?,
        Value::ChronoDateTimeUtc(Some(t)) => {
            write!(out, "{}", t.format("%Y-%m-%d %H:%M:%S%.f+00"))?
        }
        Value::String(Some(s)) => {
            for ch in s.chars() {
                match ch {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    _ => out.push(ch),
                }
            }
        }
        Value::Uuid(None)
        | Value::Int(None)
        | Value::ChronoDate(None)
        | Value::ChronoDateTimeUtc(None)
        | Value::String(None) => out.push_str("\\N"),
        other => anyhow::bail!("no COPY text for {other:?}"),
    }
    Ok(())
}
