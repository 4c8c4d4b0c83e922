//! PostgreSQL bulk-load preparation: drops the indexes and constraints of the tables that receive most
//! rows, and creates them again (and refreshes the planner's statistics) after the load.

use anyhow::Context;
use oppvekstgraf_catalog::NodeType;
use sea_orm::sqlx;

use super::PgTx;

/// Prepares the load's transaction `tx`: lifts the statement timeout and detaches the bulk tables'
/// indexes and constraints; returns the statements that create them again.
pub(super) async fn prepare(tx: &mut PgTx) -> anyhow::Result<Vec<String>> {
    // A load tool: the API's statement timeout does not apply (building indexes takes a while).
    sqlx::raw_sql("SET LOCAL statement_timeout = 0")
        .execute(&mut **tx)
        .await?;
    detach(tx, &bulk_tables()).await
}

/// Runs the statements [`prepare`] returned, then analyses the bulk tables for fresh planner statistics.
pub(super) async fn restore(tx: &mut PgTx, detached: Vec<String>) -> anyhow::Result<()> {
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
    Ok(())
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
async fn detach(tx: &mut PgTx, tables: &[&str]) -> anyhow::Result<Vec<String>> {
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
async fn catalog(tx: &mut PgTx, sql: &str, table: &str) -> anyhow::Result<Vec<(String, String)>> {
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
async fn drop_all(tx: &mut PgTx, sql: &str, table: &str) -> anyhow::Result<Vec<String>> {
    let mut created = Vec::new();
    for (create, drop) in catalog(tx, sql, table).await? {
        sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
            .execute(&mut **tx)
            .await?;
        created.push(create);
    }
    Ok(created)
}
