//! The export's queries: rows of an entity by one column, and the rows of a link table by its ends, read in
//! chunks of ids.

use std::collections::BTreeSet;

use oppvekstgraf_catalog::LinkDef;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::sql::Sql;
use crate::transfer::{DbContext, TransferError, links::LinkRow};

/// Ids per statement in `IN (…)` lists.
const CHUNK: usize = 500;

/// The rows of `E` whose `column` is one of `ids`.
pub(super) async fn rows_where<E: EntityTrait>(
    c: &impl ConnectionTrait,
    column: E::Column,
    ids: &BTreeSet<Uuid>,
) -> Result<Vec<E::Model>, TransferError> {
    let ids: Vec<Uuid> = ids.iter().copied().collect();
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        out.extend(
            E::find()
                .filter(column.is_in(chunk.iter().copied()))
                .all(c)
                .await
                .ctx(|| format!("reading {}", E::default().table_name()))?,
        );
    }
    Ok(out)
}

/// The rows of `E` whose `column` is `id`.
pub(super) async fn rows_of<E: EntityTrait>(
    c: &impl ConnectionTrait,
    column: E::Column,
    id: Uuid,
) -> Result<Vec<E::Model>, TransferError> {
    E::find()
        .filter(column.eq(id))
        .all(c)
        .await
        .ctx(|| format!("reading {}", E::default().table_name()))
}

/// The rows of `def`'s link table whose column (any of `columns`) is one of `ids`.
pub(super) async fn link_rows(
    c: &impl ConnectionTrait,
    def: &'static LinkDef,
    columns: &[&str],
    ids: &BTreeSet<Uuid>,
) -> Result<Vec<LinkRow>, TransferError> {
    let ids: Vec<Uuid> = ids.iter().copied().collect();
    let role = if def.has_role() { ", role" } else { "" };
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let marks = Sql::placeholders(chunk.len());
        let condition: Vec<String> = columns
            .iter()
            .map(|col| format!("{col} IN ({marks})"))
            .collect();
        let values: Vec<sea_orm::Value> = columns
            .iter()
            .flat_map(|_| chunk.iter().map(|id| (*id).into()))
            .collect();
        let sql = Sql::with(
            format!(
                "SELECT {} AS l, {} AS r, position{role} FROM {} WHERE {}",
                def.left.column,
                def.right.column,
                def.table,
                condition.join(" OR ")
            ),
            values,
        );
        let rows = c
            .query_all_raw(sql.build(c.get_database_backend()))
            .await
            .ctx(|| format!("reading {}", def.table))?;
        for row in rows {
            let read = || -> Result<LinkRow, sea_orm::DbErr> {
                Ok(LinkRow {
                    left: row.try_get("", "l")?,
                    right: row.try_get("", "r")?,
                    position: row.try_get("", "position")?,
                    role: if def.has_role() {
                        Some(row.try_get("", "role")?)
                    } else {
                        None
                    },
                })
            };
            out.push(read().ctx(|| format!("reading {}", def.table))?);
        }
    }
    Ok(out)
}
