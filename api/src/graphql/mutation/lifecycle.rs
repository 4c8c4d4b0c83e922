//! Publishing, unpublishing, archiving, restoring and restoring a revision: the same for every node type.

use oppvekstgraf_entity::{enums::RevisionAction, enums::Status, revision};
use sea_orm::EntityTrait;
use uuid::Uuid;

use super::transaction::{Tx, Writable, change_node, save_change, snapshot};
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
) -> ApiResult<(<T as NodeTable>::Model, revision::Model)> {
    change_node::<T>(tx, id, version, async |_, model| {
        let (status, action) = transition.apply(T::status(model), T::NODE)?;
        T::set_status(model, status);
        Ok(action)
    })
    .await
}

/// Brings node `id` back to the stored fields of `revision_id`, as a new version with a revision; nothing
/// is overwritten in the history. The publication state stays: publishing is its own change.
pub async fn restore_revision<T: Writable>(
    tx: &Tx,
    id: Uuid,
    revision_id: Uuid,
    version: i32,
) -> ApiResult<(<T as NodeTable>::Model, revision::Model)> {
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
    T::keep_bookkeeping(&mut restored, &current);
    let before = snapshot(&current)?;
    let detail = serde_json::json!({ "restoredRevision": GlobalId::new(NodeType::Revision, revision_id).encode() });
    let action = RevisionAction::RestoreRevision;
    save_change::<T>(tx, restored, version + 1, action, before, Some(detail)).await
}

/// Defines the publication-state mutations of one node type.
macro_rules! lifecycle_mutations {
    (
        $mutation:ident, $entity:ident, $object:ident, $field:ident,
        [$publish:ident, $PublishInput:ident, $PublishPayload:ident],
        [$unpublish:ident, $UnpublishInput:ident, $UnpublishPayload:ident],
        [$archive:ident, $ArchiveInput:ident, $ArchivePayload:ident],
        [$restore:ident, $RestoreInput:ident, $RestorePayload:ident],
        [$restore_revision:ident, $RestoreRevisionInput:ident, $RestoreRevisionPayload:ident]
    ) => {
        lifecycle_mutations!(@io $object, $field, $PublishInput, $PublishPayload, "publish", "Publishes a draft: anonymous readers see it from now on.");
        lifecycle_mutations!(@io $object, $field, $UnpublishInput, $UnpublishPayload, "unpublish", "Takes a published node back to draft: anonymous readers no longer see it.");
        lifecycle_mutations!(@io $object, $field, $ArchiveInput, $ArchivePayload, "archive", "Archives a node (soft delete): it disappears for readers and can be restored.");
        lifecycle_mutations!(@io $object, $field, $RestoreInput, $RestorePayload, "restore", "Brings an archived node back as a draft.");

        #[doc = concat!("Input of `", stringify!($restore_revision), "`.")]
        #[derive(async_graphql::InputObject)]
        pub struct $RestoreRevisionInput {
            #[doc = concat!("Global ID of the ", stringify!($object), ".")]
            pub id: async_graphql::ID,
            /// ID of the revision whose `after` state to bring back (from the node's `revisions`).
            pub revision: async_graphql::ID,
            /// The version you saw; a newer one gives CONFLICT.
            pub version: i32,
        }

        #[doc = concat!("Result of `", stringify!($restore_revision), "`.")]
        #[derive(async_graphql::SimpleObject)]
        pub struct $RestoreRevisionPayload {
            #[doc = concat!("The ", stringify!($object), " as restored.")]
            pub $field: $crate::graphql::object::$object,
            /// The revision that records the restore.
            pub revision: $crate::graphql::object::revision::Revision,
        }

        #[doc = concat!("Publication-state mutations of ", stringify!($object), ".")]
        #[derive(Default)]
        pub struct $mutation;

        #[async_graphql::Object]
        impl $mutation {
            #[doc = concat!("Publishes a draft ", stringify!($object), ".")]
            async fn $publish(&self, ctx: &async_graphql::Context<'_>, #[graphql(desc = "What to publish.")] input: $PublishInput) -> async_graphql::Result<$PublishPayload> {
                let (node, revision) = lifecycle_mutations!(@run ctx, $entity, input, $crate::graphql::mutation::lifecycle::Transition::Publish)?;
                Ok($PublishPayload { $field: node.into(), revision: revision.into() })
            }

            #[doc = concat!("Takes a published ", stringify!($object), " back to draft.")]
            async fn $unpublish(&self, ctx: &async_graphql::Context<'_>, #[graphql(desc = "What to unpublish.")] input: $UnpublishInput) -> async_graphql::Result<$UnpublishPayload> {
                let (node, revision) = lifecycle_mutations!(@run ctx, $entity, input, $crate::graphql::mutation::lifecycle::Transition::Unpublish)?;
                Ok($UnpublishPayload { $field: node.into(), revision: revision.into() })
            }

            #[doc = concat!("Archives a ", stringify!($object), " (soft delete).")]
            async fn $archive(&self, ctx: &async_graphql::Context<'_>, #[graphql(desc = "What to archive.")] input: $ArchiveInput) -> async_graphql::Result<$ArchivePayload> {
                let (node, revision) = lifecycle_mutations!(@run ctx, $entity, input, $crate::graphql::mutation::lifecycle::Transition::Archive)?;
                Ok($ArchivePayload { $field: node.into(), revision: revision.into() })
            }

            #[doc = concat!("Brings an archived ", stringify!($object), " back as a draft.")]
            async fn $restore(&self, ctx: &async_graphql::Context<'_>, #[graphql(desc = "What to restore.")] input: $RestoreInput) -> async_graphql::Result<$RestorePayload> {
                let (node, revision) = lifecycle_mutations!(@run ctx, $entity, input, $crate::graphql::mutation::lifecycle::Transition::Restore)?;
                Ok($RestorePayload { $field: node.into(), revision: revision.into() })
            }

            #[doc = concat!("Brings a ", stringify!($object), " back to an earlier revision, as a new revision.")]
            async fn $restore_revision(&self, ctx: &async_graphql::Context<'_>, #[graphql(desc = "The node, the revision and the version you saw.")] input: $RestoreRevisionInput) -> async_graphql::Result<$RestoreRevisionPayload> {
                use $crate::graphql::mutation::transaction::{Tx, node_id};
                let result: $crate::error::ApiResult<_> = async {
                    let id = node_id("input.id", &input.id, $crate::id::NodeType::$object)?;
                    let revision = node_id("input.revision", &input.revision, $crate::id::NodeType::Revision)?;
                    let tx = Tx::begin(ctx).await?;
                    let out = $crate::graphql::mutation::lifecycle::restore_revision::<oppvekstgraf_entity::$entity::Entity>(
                        &tx, id, revision, input.version,
                    ).await?;
                    tx.commit().await?;
                    Ok(out)
                }.await;
                let (node, revision) = result?;
                Ok($RestoreRevisionPayload { $field: node.into(), revision: revision.into() })
            }
        }
    };
    (@io $object:ident, $field:ident, $Input:ident, $Payload:ident, $verb:literal, $what:literal) => {
        #[doc = concat!("Input of ", $verb, " for a ", stringify!($object), ". ", $what)]
        #[derive(async_graphql::InputObject)]
        pub struct $Input {
            #[doc = concat!("Global ID of the ", stringify!($object), ".")]
            pub id: async_graphql::ID,
            /// The version you saw; a newer one gives CONFLICT.
            pub version: i32,
        }

        #[doc = concat!("Result of ", $verb, " for a ", stringify!($object), ".")]
        #[derive(async_graphql::SimpleObject)]
        pub struct $Payload {
            #[doc = concat!("The ", stringify!($object), " after the change.")]
            pub $field: $crate::graphql::object::$object,
            /// The revision that records the change.
            pub revision: $crate::graphql::object::revision::Revision,
        }
    };
    (@run $ctx:ident, $entity:ident, $input:ident, $transition:expr) => {{
        use $crate::graphql::mutation::transaction::{Tx, node_id};
        let result: $crate::error::ApiResult<_> = async {
            let tx = Tx::begin($ctx).await?;
            let id = node_id("input.id", &$input.id, <oppvekstgraf_entity::$entity::Entity as $crate::loader::NodeTable>::NODE)?;
            let out = $crate::graphql::mutation::lifecycle::transition::<oppvekstgraf_entity::$entity::Entity>(
                &tx, id, $input.version, $transition,
            ).await?;
            tx.commit().await?;
            Ok(out)
        }.await;
        result
    }};
}

#[rustfmt::skip]
pub mod all;
