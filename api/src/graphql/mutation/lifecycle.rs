//! Publishing, unpublishing, archiving, restoring and restoring a revision: the same for every node type.

use oppvekstgraf_entity::{enums::RevisionAction, enums::Status, revision};
use sea_orm::{EntityTrait, IntoActiveModel, PrimaryKeyTrait};
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use super::transaction::{Tx, Writable, snapshot};
use crate::{
    error::{ApiError, ApiResult},
    id::{GlobalId, NodeType},
    loader::NodeTable,
};

/// A change of publication state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Publish,
    Unpublish,
    Archive,
    Restore,
}

impl Transition {
    fn apply(self, from: Status, node: NodeType) -> ApiResult<(Status, RevisionAction)> {
        use Status::*;
        let refuse = |what: &str| {
            Err(ApiError::validation(
                "id",
                format!("this {} {what}", node.name()),
            ))
        };
        match (self, from) {
            (Transition::Publish, Draft) => Ok((Published, RevisionAction::Publish)),
            (Transition::Publish, Published) => refuse("is published already"),
            (Transition::Publish, Archived) => refuse("is archived: restore it first"),
            (Transition::Unpublish, Published) => Ok((Draft, RevisionAction::Unpublish)),
            (Transition::Unpublish, _) => refuse("is not published"),
            (Transition::Archive, Draft | Published) => Ok((Archived, RevisionAction::Archive)),
            (Transition::Archive, Archived) => refuse("is archived already"),
            (Transition::Restore, Archived) => Ok((Draft, RevisionAction::Restore)),
            (Transition::Restore, _) => refuse("is not archived"),
        }
    }
}

/// Moves node `id` of `T` to another publication state, as one new version with a revision.
pub async fn transition<T: Writable>(
    tx: &Tx,
    id: Uuid,
    version: i32,
    transition: Transition,
    status_of: impl Fn(&<T as NodeTable>::Model) -> Status,
    set: impl Fn(&mut <T as NodeTable>::Model, Status, i32, chrono::DateTime<chrono::Utc>),
) -> ApiResult<(<T as NodeTable>::Model, revision::Model)>
where
    <T as NodeTable>::Model:
        Serialize + DeserializeOwned + IntoActiveModel<<T as Writable>::Active>,
    <T::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    tx.claim(T::NODE, id, version).await?;
    let mut model = tx.load::<T>(id).await?;
    // The claim stored version + 1 already; the snapshot shows the node as the client saw it.
    let seen = status_of(&model);
    let seen_at = super::transaction::model_time(&model);
    set(&mut model, seen, version, seen_at);
    let before = snapshot(&model)?;
    let (status, action) = transition.apply(status_of(&model), T::NODE)?;
    // The claim already stored version + 1; keep the model in step with it.
    set(&mut model, status, version + 1, tx.now);
    let saved = tx.save::<T>(model).await?;
    let revision = tx
        .record(
            T::NODE,
            id,
            version + 1,
            action,
            Some(before),
            Some(snapshot(&saved)?),
            None,
        )
        .await?;
    Ok((saved, revision))
}

/// Brings node `id` back to the stored fields of `revision_id`, as a new version with a revision; nothing
/// is overwritten in the history. The publication state stays: publishing is its own change.
pub async fn restore_revision<T: Writable>(
    tx: &Tx,
    id: Uuid,
    revision_id: Uuid,
    version: i32,
    set: impl FnOnce(
        &mut <T as NodeTable>::Model,
        &<T as NodeTable>::Model,
        i32,
        chrono::DateTime<chrono::Utc>,
    ),
) -> ApiResult<(<T as NodeTable>::Model, revision::Model)>
where
    <T as NodeTable>::Model:
        Serialize + DeserializeOwned + IntoActiveModel<<T as Writable>::Active>,
    <T::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    tx.claim(T::NODE, id, version).await?;
    let current = tx.load::<T>(id).await?;
    let wrong_revision = || {
        ApiError::validation(
            "revision",
            format!(
                "no revision {} of this {}",
                GlobalId::new(NodeType::Revision, revision_id).encode(),
                T::NODE.name()
            ),
        )
    };
    let stored = revision::Entity::find_by_id(revision_id)
        .one(&tx.txn)
        .await?
        .ok_or_else(wrong_revision)?;
    if stored.node_id != id || stored.node_type != T::NODE.name() {
        return Err(wrong_revision());
    }
    let state = stored.after.ok_or_else(|| {
        ApiError::validation("revision", "that revision holds no state of the node")
    })?;
    let mut restored: <T as NodeTable>::Model = serde_json::from_value(state).map_err(|err| {
        tracing::error!(error = %err, "a stored revision no longer fits the node's columns");
        ApiError::validation(
            "revision",
            "that revision was made by an older version of the schema and cannot be restored",
        )
    })?;
    // Content comes back; the publication state and the creation time stay as they are.
    set(&mut restored, &current, version + 1, tx.now);
    let before = snapshot(&current)?;
    let saved = tx.save::<T>(restored).await?;
    let detail = serde_json::json!({ "restoredRevision": GlobalId::new(NodeType::Revision, revision_id).encode() });
    let revision = tx
        .record(
            T::NODE,
            id,
            version + 1,
            RevisionAction::RestoreRevision,
            Some(before),
            Some(snapshot(&saved)?),
            Some(detail),
        )
        .await?;
    Ok((saved, revision))
}
