//! Who acts and whether they may: the acting token, the database, a node's owners and the write check.

use async_graphql::Context;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use uuid::Uuid;

use crate::{
    auth::{Actor, Viewer},
    error::{ApiError, ApiResult},
    id::{GlobalId, NodeType},
    loader::table_of,
    sql::Sql,
};

/// The acting token, or UNAUTHENTICATED.
pub fn actor(ctx: &Context<'_>) -> ApiResult<Actor> {
    let viewer = ctx.data::<Viewer>().map_err(|_| ApiError::Internal)?;
    viewer.actor().cloned()
}

/// The database.
pub fn database<'a>(ctx: &Context<'a>) -> ApiResult<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
        .map_err(|_| ApiError::Internal)
}

/// Municipality ids that own node `id` of type `node`; `None` for the shared registry (and municipalities,
/// which only admins change).
pub async fn owners(
    db: &impl ConnectionTrait,
    node: NodeType,
    id: Uuid,
) -> ApiResult<Option<Vec<Uuid>>> {
    let Some((_, Some(owners))) = table_of(node) else {
        return Ok(None);
    };
    if node == NodeType::Municipality {
        return Ok(None);
    }
    let rows = db
        .query_all_raw(Sql::with(owners, vec![id.into()]).build(db.get_database_backend()))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(owner) = row.try_get::<Option<Uuid>>("", "municipality_id")? {
            out.push(owner);
        }
    }
    Ok(Some(out))
}

/// The status of node `id`, if the row exists.
pub(super) async fn status_of(
    db: &impl ConnectionTrait,
    table: &str,
    id: Uuid,
) -> ApiResult<Option<String>> {
    let row = db
        .query_one_raw(
            Sql::with(
                format!("SELECT status FROM {table} WHERE id = ?"),
                vec![id.into()],
            )
            .build(db.get_database_backend()),
        )
        .await?;
    Ok(match row {
        Some(row) => Some(row.try_get::<String>("", "status")?),
        None => None,
    })
}

/// Checks that `actor` may change node `id`. Someone who may not even see the node is told it does not
/// exist (so drafts of other municipalities stay unknown); someone who may see it is told FORBIDDEN.
pub async fn ensure_writable(
    db: &impl ConnectionTrait,
    actor: &Actor,
    node: NodeType,
    id: Uuid,
) -> ApiResult<()> {
    let (table, _) = table_of(node).ok_or(ApiError::Internal)?;
    let not_found = || {
        ApiError::NotFound(format!(
            "{} {}",
            node.name(),
            GlobalId::new(node, id).encode()
        ))
    };
    let status = status_of(db, table, id).await?.ok_or_else(not_found)?;
    if actor.is_admin() {
        return Ok(());
    }
    let owners = owners(db, node, id).await?;
    let own = matches!((&owners, actor.municipality_id), (Some(list), Some(mine)) if list.contains(&mine));
    if own {
        return Ok(());
    }
    if status != "published" {
        return Err(not_found());
    }
    Err(match owners {
        None => ApiError::Forbidden(format!(
            "{} is shared national content: only admins change it",
            node.name()
        )),
        Some(_) => ApiError::Forbidden(format!(
            "this {} belongs to another municipality",
            node.name()
        )),
    })
}
