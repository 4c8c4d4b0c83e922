//! What every mutation shares: who acts, whether they may, one transaction, optimistic concurrency, and a
//! revision written in the same transaction.

use async_graphql::{Context, ID};
use chrono::Utc;
use oppvekstgraf_entity::{enums, revision};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, TransactionTrait,
};
use serde::Serialize;
use uuid::Uuid;

use std::sync::Arc;

use crate::{
    auth::Actor,
    cache::ResponseCache,
    error::{ApiError, ApiResult},
    feed::{self, ChangeHub},
    id::{GlobalId, NodeType},
    loader::{NodeTable, table_of},
    sql::Sql,
};

mod access;
mod input;
mod queries;
mod unique;
mod writable;
mod write;

use access::status_of;
pub use access::{actor, database, ensure_writable, owners};
pub use input::{maybe, maybe_text, maybe_url};
pub use writable::Writable;
pub use write::{change_node, create_node, save_change, update_node};

/// A running mutation: its transaction, actor and clock.
pub struct Tx {
    pub txn: DatabaseTransaction,
    pub actor: Actor,
    pub now: chrono::DateTime<Utc>,
    /// Change-feed events of this transaction, appended right before the commit.
    pending: feed::Pending,
    /// This process's change hub, woken after the commit.
    hub: Option<Arc<ChangeHub>>,
    /// This process's response cache and the database it settles from, after the commit.
    cache: Option<(Arc<ResponseCache>, DatabaseConnection)>,
}

impl Tx {
    /// Starts the one transaction of a mutation for the acting token.
    pub async fn begin(ctx: &Context<'_>) -> ApiResult<Tx> {
        let actor = actor(ctx)?;
        // On SQLite the transaction takes the write lock at once (BEGIN IMMEDIATE): a transaction that reads
        // first and writes later could otherwise fail when another writer commits in between. PostgreSQL
        // ignores the option.
        let options = sea_orm::TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        let db = database(ctx)?;
        let txn = db.begin_with_options(options).await?;
        Ok(Tx {
            txn,
            actor,
            now: Utc::now(),
            pending: feed::Pending::default(),
            hub: feed::hub(ctx),
            cache: ctx
                .data_opt::<Arc<ResponseCache>>()
                .map(|cache| (cache.clone(), db.clone())),
        })
    }

    /// Appends the transaction's change-feed events and commits; nothing is written unless this runs.
    pub async fn commit(self) -> ApiResult<()> {
        feed::append(&self.txn, self.pending.take()).await?;
        self.txn.commit().await?;
        if let Some(hub) = &self.hub {
            hub.poke();
        }
        if let Some((cache, db)) = &self.cache {
            cache.settle(db).await;
        }
        Ok(())
    }

    /// Loads node `id` of `T` regardless of its status.
    pub async fn load<T: Writable>(&self, id: Uuid) -> ApiResult<<T as NodeTable>::Model> {
        T::find_by_id(id).one(&self.txn).await?.ok_or_else(|| {
            ApiError::NotFound(format!(
                "{} {}",
                T::NODE.name(),
                GlobalId::new(T::NODE, id).encode()
            ))
        })
    }

    /// Claims node `id` at the version the client saw, before anything else is read, so that of two
    /// editors saving against the same version the first wins and the second gets CONFLICT. Someone who may
    /// not change the node learns only that (NOT_FOUND or FORBIDDEN), never its version.
    pub async fn claim(&self, node: NodeType, id: Uuid, expected_version: i32) -> ApiResult<()> {
        let (table, _) = table_of(node).ok_or(ApiError::Internal)?;
        let claim = Sql::with(
            format!("UPDATE {table} SET version = version + 1 WHERE id = ? AND version = ?"),
            vec![id.into(), expected_version.into()],
        );
        let claimed = self
            .txn
            .execute_raw(claim.build(self.txn.get_database_backend()))
            .await?;
        ensure_writable(&self.txn, &self.actor, node, id).await?;
        if claimed.rows_affected() != 1 {
            return Err(conflict(node, expected_version));
        }
        Ok(())
    }

    /// Writes `model` (already claimed with [`Tx::claim`]) as the next version.
    pub async fn save<T: Writable>(
        &self,
        model: <T as NodeTable>::Model,
    ) -> ApiResult<<T as NodeTable>::Model> {
        Ok(model
            .into_active_model()
            .reset_all()
            .update(&self.txn)
            .await?)
    }

    /// Writes a revision of node `id`.
    #[allow(clippy::too_many_arguments)]
    pub async fn record(
        &self,
        node: NodeType,
        id: Uuid,
        version: i32,
        action: enums::RevisionAction,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
        detail: Option<serde_json::Value>,
    ) -> ApiResult<revision::Model> {
        let municipality_id = match (
            owners(&self.txn, node, id).await?,
            self.actor.municipality_id,
        ) {
            (Some(list), Some(mine)) if list.contains(&mine) => Some(mine),
            (Some(list), _) => list.first().copied(),
            (None, _) if node == NodeType::Municipality => Some(id),
            (None, _) => None,
        };
        let model = revision::Model {
            id: Uuid::new_v4(),
            node_type: node.name().to_string(),
            node_id: id,
            node_version: version,
            action,
            actor_name: self.actor.name.clone(),
            actor_role: self.actor.role,
            token_id: Some(self.actor.token_id),
            municipality_id,
            created_at: self.now,
            before,
            after,
            detail,
        };
        revision::Entity::insert(model.clone().into_active_model())
            .exec_without_returning(&self.txn)
            .await?;
        let published = |v: &Option<serde_json::Value>| {
            v.as_ref()
                .and_then(|v| v.get("status"))
                .is_some_and(|s| s == "published")
        };
        let public = if model.before.is_some() || model.after.is_some() {
            published(&model.before) || published(&model.after)
        } else {
            let (table, _) = table_of(node).ok_or(ApiError::Internal)?;
            status_of(&self.txn, table, id).await?.as_deref() == Some("published")
        };
        self.pending.push(feed::PendingChange {
            revision_id: Some(model.id),
            node_type: model.node_type.clone(),
            node_id: id,
            action: action.to_value(),
            node_version: version,
            municipality_id,
            public,
            actor_name: model.actor_name.clone(),
            created_at: self.now,
        });
        Ok(model)
    }
}

/// The CONFLICT error for a stale version.
pub fn conflict(node: NodeType, expected: i32) -> ApiError {
    ApiError::Conflict(format!(
        "this {} changed since version {expected}: load it again, reapply your change and save with the new version",
        node.name()
    ))
}

/// JSON of a stored row.
pub fn snapshot<M: Serialize>(model: &M) -> ApiResult<serde_json::Value> {
    serde_json::to_value(model).map_err(|err| {
        tracing::error!(error = %err, "could not serialise a node");
        ApiError::Internal
    })
}

/// Decodes the `id` input field as a node of type `node`.
pub fn node_id(field: &str, id: &ID, node: NodeType) -> ApiResult<Uuid> {
    GlobalId::decode_as(field, id, node)
}
