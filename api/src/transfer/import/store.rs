//! The import's row-level statements: reading nodes by id, and inserting or overwriting a row with every
//! column as given.

use std::collections::{BTreeSet, HashMap};

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::transfer::{
    DbContext, TransferError,
    rows::{Node, Stored},
};

/// The nodes of `N` with these ids, by id.
pub(super) async fn load<N: Node>(
    c: &impl ConnectionTrait,
    ids: &BTreeSet<Uuid>,
) -> Result<HashMap<Uuid, N>, TransferError> {
    let ids: Vec<Uuid> = ids.iter().copied().collect();
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<N> = N::Entity::find()
            .filter(N::id_column().is_in(chunk.iter().copied()))
            .all(c)
            .await
            .ctx(|| format!("reading {}", N::TABLE))?;
        out.extend(rows.into_iter().map(|r| (r.id(), r)));
    }
    Ok(out)
}

/// Inserts a row with every column as given.
pub(super) async fn insert<S: Stored>(
    c: &impl ConnectionTrait,
    row: S,
) -> Result<(), TransferError> {
    let label = row.label();
    S::Entity::insert(row.into_active().reset_all())
        .exec_without_returning(c)
        .await
        .ctx(|| format!("inserting {label}"))?;
    Ok(())
}

/// Overwrites a row with every column as given.
pub(super) async fn update<S: Stored>(
    c: &impl ConnectionTrait,
    row: S,
) -> Result<(), TransferError> {
    let label = row.label();
    S::Entity::update(row.into_active().reset_all())
        .exec_without_returning(c)
        .await
        .ctx(|| format!("updating {label}"))?;
    Ok(())
}
