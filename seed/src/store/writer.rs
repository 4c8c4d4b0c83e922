//! The load's writer: upserts node rows in the load's transaction, counts what changed and queues the
//! change-feed events.

use chrono::{DateTime, Utc};
use oppvekstgraf_api::feed::PendingChange;
use oppvekstgraf_entity as entity;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, DatabaseTransaction, EntityTrait, IntoActiveModel,
    PrimaryKeyTrait,
};
use uuid::Uuid;

use super::Report;

/// A node row the loader can compare and stamp.
pub(super) trait SeedModel: Clone + PartialEq + Send + Sync {
    fn id(&self) -> Uuid;
    fn version(&self) -> i32;
    fn keep_stamps(&mut self, old: &Self);
    fn bump(&mut self, now: DateTime<Utc>);
}

macro_rules! seed_models {
    ($($module:ident),*) => {$(
        impl SeedModel for entity::$module::Model {
            fn id(&self) -> Uuid {
                self.id
            }
            fn version(&self) -> i32 {
                self.version
            }
            fn keep_stamps(&mut self, old: &Self) {
                self.created_at = old.created_at;
                self.updated_at = old.updated_at;
                self.version = old.version;
            }
            fn bump(&mut self, now: DateTime<Utc>) {
                self.updated_at = now;
                self.version += 1;
            }
        }
    )*};
}
seed_models!(
    municipality,
    region,
    publisher,
    theme,
    target_group,
    law,
    legal_reference,
    guidance,
    concept,
    unit,
    plan,
    goal,
    measure
);

/// The model of a node of `oppvekstgraf_entity::$module`: the node columns (`id`, `slug`, the status and
/// language of the seed record `record`, version 1, created and updated `now`), then its own columns, which
/// are evaluated in the order given.
macro_rules! node_model {
    ($module:ident {
        id: $id:expr,
        slug: $slug:expr,
        record: $record:expr,
        now: $now:expr,
        $($field:ident: $value:expr),* $(,)?
    }) => {
        ::oppvekstgraf_entity::$module::Model {
            id: $id,
            slug: $slug,
            status: $record.status,
            language: $record.language,
            version: 1,
            created_at: $now,
            updated_at: $now,
            $($field: $value,)*
        }
    };
}
pub(super) use node_model;

/// Writes one load's rows in its transaction, counting what changed and queuing change-feed events.
pub(super) struct Writer<'a> {
    pub(super) txn: &'a DatabaseTransaction,
    /// When the load runs: the stamp of every row it creates or updates.
    pub(super) now: DateTime<Utc>,
    pub(super) report: Report,
    /// Whether the database held content before this load: then what the load changes goes to the change
    /// feed (so subscribers, syncing clients and every API process's response cache learn of it). The first
    /// load into an empty database is the starting point, not a change.
    pub(super) announce: bool,
    changes: Vec<PendingChange>,
}

/// The GraphQL type name of a node table (`legal_reference` → `LegalReference`).
fn type_name(table: &str) -> String {
    table
        .split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

impl<'a> Writer<'a> {
    /// A writer into `txn`, stamping rows with the current time; `announce` says whether changes go to the
    /// change feed.
    pub(super) fn new(txn: &'a DatabaseTransaction, announce: bool) -> Self {
        Writer {
            txn,
            now: Utc::now(),
            report: Report::default(),
            announce,
            changes: Vec::new(),
        }
    }

    /// What the load changed, and the change-feed events to append before committing.
    pub(super) fn finish(self) -> (Report, Vec<PendingChange>) {
        (self.report, self.changes)
    }

    /// Inserts `model`, or updates its row (bumping its version and stamp) when it differs; an unchanged
    /// row is left alone.
    pub(super) async fn upsert<E>(&mut self, model: E::Model) -> anyhow::Result<()>
    where
        E: EntityTrait,
        E::Model: SeedModel + IntoActiveModel<E::ActiveModel>,
        E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
        <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
    {
        let id = model.id();
        match E::find_by_id(id).one(self.txn).await? {
            None => {
                E::insert(model.into_active_model().reset_all())
                    .exec_without_returning(self.txn)
                    .await?;
                self.report.inserted += 1;
                self.announce(E::default().table_name(), id, "create", 1);
            }
            Some(old) => {
                let mut model = model;
                model.keep_stamps(&old);
                if model == old {
                    self.report.unchanged += 1;
                } else {
                    model.bump(self.now);
                    let version = model.version();
                    model
                        .into_active_model()
                        .reset_all()
                        .update(self.txn)
                        .await?;
                    self.report.updated += 1;
                    self.announce(E::default().table_name(), id, "update", version);
                }
            }
        }
        Ok(())
    }

    /// Queues a change-feed event for node `id` of `table`, when this load announces its changes.
    pub(super) fn announce(&mut self, table: &str, id: Uuid, action: &str, version: i32) {
        if !self.announce {
            return;
        }
        self.changes.push(PendingChange {
            revision_id: None,
            node_type: type_name(table),
            node_id: id,
            action: action.into(),
            node_version: version,
            municipality_id: None,
            public: true,
            actor_name: "seed".into(),
            created_at: self.now,
        });
    }
}
