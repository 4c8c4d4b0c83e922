//! The SQL on a link table: an edge's position, and writing and deleting edges (both ways if symmetric).

use uuid::Uuid;

use super::super::transaction::Tx;
use crate::{error::ApiResult, sql::Sql};

/// The position of the edge `left → right`, if there is one.
pub(super) async fn existing_position(
    tx: &Tx,
    link: &oppvekstgraf_catalog::LinkDef,
    left: Uuid,
    right: Uuid,
) -> ApiResult<Option<i32>> {
    let row = tx
        .txn_query_one(Sql::with(
            format!(
                "SELECT position FROM {} WHERE {} = ? AND {} = ?",
                link.table, link.left.column, link.right.column
            ),
            vec![left.into(), right.into()],
        ))
        .await?;
    Ok(match row {
        Some(row) => Some(row.try_get::<i32>("", "position")?),
        None => None,
    })
}

/// One edge to write.
pub(super) struct Edge<'a> {
    pub(super) left: Uuid,
    pub(super) right: Uuid,
    pub(super) role: Option<&'a str>,
    pub(super) position: i32,
}

/// Writes `edge`, replacing the one that is there when `replace` (and, for a symmetric link, the edge
/// back).
pub(super) async fn write_edge(
    tx: &Tx,
    link: &oppvekstgraf_catalog::LinkDef,
    edge: Edge<'_>,
    replace: bool,
) -> ApiResult<()> {
    let Edge {
        left,
        right,
        role,
        position,
    } = edge;
    if replace {
        delete_edge(tx, link, left, right).await?;
    }
    let (role_column, role_mark) = if role.is_some() {
        (", role", ", ?")
    } else {
        ("", "")
    };
    let mut values = vec![left.into(), right.into(), position.into()];
    if let Some(role) = role {
        values.push(role.into());
    }
    tx.execute(Sql::with(
        format!(
            "INSERT INTO {} ({}, {}, position{role_column}) VALUES (?, ?, ?{role_mark})",
            link.table, link.left.column, link.right.column
        ),
        values,
    ))
    .await?;
    if link.symmetric {
        delete_edge(tx, link, right, left).await?;
        tx.execute(Sql::with(
            format!(
                "INSERT INTO {} ({}, {}, position) VALUES (?, ?, ?)",
                link.table, link.left.column, link.right.column
            ),
            vec![right.into(), left.into(), position.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Deletes the edge `from → to` of `link`'s table, if there is one.
pub(super) async fn delete_edge(
    tx: &Tx,
    link: &oppvekstgraf_catalog::LinkDef,
    from: Uuid,
    to: Uuid,
) -> ApiResult<u64> {
    tx.execute(Sql::with(
        format!(
            "DELETE FROM {} WHERE {} = ? AND {} = ?",
            link.table, link.left.column, link.right.column
        ),
        vec![from.into(), to.into()],
    ))
    .await
}
