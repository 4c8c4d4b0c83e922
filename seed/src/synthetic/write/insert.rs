//! Multi-row `INSERT` statements (SQLite), each kept under the engine's limit of bound parameters.

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement, Value};

/// Bound parameters one statement may carry.
fn max_params(backend: DbBackend) -> usize {
    match backend {
        DbBackend::Postgres => 65_535,
        // SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766 since 3.32, and in the bundled library).
        _ => 32_766,
    }
}

/// Multi-row `INSERT` statements, each under the engine's limit of bound parameters.
pub(super) async fn insert_statements<T>(
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
