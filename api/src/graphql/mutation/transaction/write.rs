//! The generic create and update of a node: the write, its version and its revision, in one transaction.

use async_graphql::Context;
use oppvekstgraf_entity::{enums, revision};
use sea_orm::{ActiveModelTrait, IntoActiveModel};
use uuid::Uuid;

use super::{Tx, Writable, snapshot};
use crate::{error::ApiResult, loader::NodeTable};

/// Creates a node: `build` makes the row (validated), `after` adds its links once it exists; a revision
/// records the creation. One transaction.
pub async fn create_node<T: Writable>(
    ctx: &Context<'_>,
    build: impl AsyncFnOnce(&Tx) -> ApiResult<<T as NodeTable>::Model>,
    after: impl AsyncFnOnce(&Tx, &<T as NodeTable>::Model) -> ApiResult<()>,
) -> ApiResult<(<T as NodeTable>::Model, revision::Model)> {
    let tx = Tx::begin(ctx).await?;
    let model = build(&tx).await?;
    let id = T::id(&model);
    T::insert(model.into_active_model().reset_all())
        .exec_without_returning(&tx.txn)
        .await?;
    let saved = tx.load::<T>(id).await?;
    after(&tx, &saved).await?;
    let revision = tx
        .record(
            T::NODE,
            id,
            1,
            enums::RevisionAction::Create,
            None,
            Some(snapshot(&saved)?),
            None,
        )
        .await?;
    tx.commit().await?;
    Ok((saved, revision))
}

/// Updates node `id` seen at `version`: `apply` changes the row (validated); a revision records before and
/// after. One transaction.
pub async fn update_node<T: Writable>(
    ctx: &Context<'_>,
    id: Uuid,
    version: i32,
    apply: impl AsyncFnOnce(&Tx, &mut <T as NodeTable>::Model) -> ApiResult<()>,
) -> ApiResult<(<T as NodeTable>::Model, revision::Model)> {
    let tx = Tx::begin(ctx).await?;
    let changed = change_node::<T>(&tx, id, version, async |tx, model| {
        apply(tx, model).await?;
        Ok(enums::RevisionAction::Update)
    })
    .await?;
    tx.commit().await?;
    Ok(changed)
}

/// Changes node `id` seen at `version` inside `tx`, as one new version: claims it, lets `change` change the
/// row and say what the change was, saves it and records a revision with the row before and after.
pub async fn change_node<T: Writable>(
    tx: &Tx,
    id: Uuid,
    version: i32,
    change: impl AsyncFnOnce(&Tx, &mut <T as NodeTable>::Model) -> ApiResult<enums::RevisionAction>,
) -> ApiResult<(<T as NodeTable>::Model, revision::Model)> {
    tx.claim(T::NODE, id, version).await?;
    let mut model = tx.load::<T>(id).await?;
    // The claim stored version + 1 already; the snapshot shows the node as the client saw it.
    let seen_at = T::updated_at(&model);
    T::stamp(&mut model, version, seen_at);
    let before = snapshot(&model)?;
    let action = change(tx, &mut model).await?;
    save_change::<T>(tx, model, version + 1, action, before, None).await
}

/// Saves `model` as `version` of its node and records the change from `before` (with `detail`): the last
/// step of every change to an existing node.
pub async fn save_change<T: Writable>(
    tx: &Tx,
    mut model: <T as NodeTable>::Model,
    version: i32,
    action: enums::RevisionAction,
    before: serde_json::Value,
    detail: Option<serde_json::Value>,
) -> ApiResult<(<T as NodeTable>::Model, revision::Model)> {
    let id = T::id(&model);
    T::stamp(&mut model, version, tx.now);
    let saved = tx.save::<T>(model).await?;
    let after = snapshot(&saved)?;
    let revision = tx
        .record(
            T::NODE,
            id,
            version,
            action,
            Some(before),
            Some(after),
            detail,
        )
        .await?;
    Ok((saved, revision))
}
