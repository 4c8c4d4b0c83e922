//! What every mutation shares: who acts, whether they may, one transaction, optimistic concurrency, and a
//! revision written in the same transaction.

use async_graphql::{Context, ID};
use chrono::{DateTime, Utc};
use oppvekstgraf_entity::{enums, enums::Status, revision};
use sea_orm::{
    ActiveEnum, ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IntoActiveModel, PrimaryKeyTrait, TransactionTrait,
};
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use std::sync::Arc;

use crate::{
    auth::{Actor, Viewer},
    cache::ResponseCache,
    error::{ApiError, ApiResult},
    feed::{self, ChangeHub},
    id::{GlobalId, NodeType},
    loader::{NodeTable, table_of},
    sql::Sql,
};

/// A node table mutations can write through sea-orm. Every node table has the same bookkeeping columns
/// (publication state, version, creation and change time); the generic write paths set them through this.
pub trait Writable:
    NodeTable
    + EntityTrait<Model = <Self as NodeTable>::Model, ActiveModel = <Self as Writable>::Active>
where
    <Self as NodeTable>::Model:
        Serialize + DeserializeOwned + IntoActiveModel<<Self as Writable>::Active>,
    <Self::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    type Active: ActiveModelTrait<Entity = Self> + ActiveModelBehavior + Send;

    /// The row's publication state.
    fn status(model: &<Self as NodeTable>::Model) -> Status;

    /// The row's version.
    fn version(model: &<Self as NodeTable>::Model) -> i32;

    /// When the row was last changed.
    fn updated_at(model: &<Self as NodeTable>::Model) -> DateTime<Utc>;

    /// Marks the row as `version`, changed at `at`.
    fn stamp(model: &mut <Self as NodeTable>::Model, version: i32, at: DateTime<Utc>);

    /// Puts the row in publication state `status`.
    fn set_status(model: &mut <Self as NodeTable>::Model, status: Status);

    /// Keeps what a restored revision must not bring back: the current state and creation time.
    fn keep_bookkeeping(
        model: &mut <Self as NodeTable>::Model,
        current: &<Self as NodeTable>::Model,
    );
}

macro_rules! writable {
    ($($module:ident),*) => {$(
        impl Writable for oppvekstgraf_entity::$module::Entity {
            type Active = oppvekstgraf_entity::$module::ActiveModel;

            fn status(model: &oppvekstgraf_entity::$module::Model) -> Status {
                model.status
            }

            fn version(model: &oppvekstgraf_entity::$module::Model) -> i32 {
                model.version
            }

            fn updated_at(model: &oppvekstgraf_entity::$module::Model) -> DateTime<Utc> {
                model.updated_at
            }

            fn stamp(model: &mut oppvekstgraf_entity::$module::Model, version: i32, at: DateTime<Utc>) {
                model.version = version;
                model.updated_at = at;
            }

            fn set_status(model: &mut oppvekstgraf_entity::$module::Model, status: Status) {
                model.status = status;
            }

            fn keep_bookkeeping(
                model: &mut oppvekstgraf_entity::$module::Model,
                current: &oppvekstgraf_entity::$module::Model,
            ) {
                model.status = current.status;
                model.created_at = current.created_at;
            }
        }
    )*};
}
writable!(
    municipality,
    region,
    plan,
    goal,
    measure,
    unit,
    law,
    legal_reference,
    guidance,
    publisher,
    concept,
    theme,
    target_group
);

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
async fn status_of(db: &impl ConnectionTrait, table: &str, id: Uuid) -> ApiResult<Option<String>> {
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
    pub async fn load<T: Writable>(&self, id: Uuid) -> ApiResult<<T as NodeTable>::Model>
    where
        <T as NodeTable>::Model:
            Serialize + DeserializeOwned + IntoActiveModel<<T as Writable>::Active>,
        <T::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
    {
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
    ) -> ApiResult<<T as NodeTable>::Model>
    where
        <T as NodeTable>::Model:
            Serialize + DeserializeOwned + IntoActiveModel<<T as Writable>::Active>,
        <T::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
    {
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

impl Tx {
    /// Holds `key` until this transaction ends, so that of the mutations that check a unique value and then
    /// write it (a slug, a kommunenummer, a Lovdata id, the link between two nodes) one runs its check after
    /// the other has committed, and the loser gets the same VALIDATION error as a sequential request.
    /// PostgreSQL takes a transaction-scoped advisory lock on the key's 64-bit hash; SQLite needs nothing,
    /// as a mutation holds its write lock from `BEGIN IMMEDIATE` on.
    pub async fn lock_key(&self, key: &str) -> ApiResult<()> {
        let backend = self.txn.get_database_backend();
        if backend == sea_orm::DbBackend::Postgres {
            let sql = Sql::with(
                "SELECT pg_advisory_xact_lock(hashtextextended(?, 0)) IS NULL AS locked",
                vec![key.into()],
            );
            self.txn.query_one_raw(sql.build(backend)).await?;
        }
        Ok(())
    }

    /// Whether another row of `table` has `value` in `column` (one other than `except`), checked under
    /// [`Tx::lock_key`] on the value.
    pub async fn value_taken(
        &self,
        table: &str,
        column: &str,
        value: &str,
        except: Option<Uuid>,
    ) -> ApiResult<bool> {
        self.lock_key(&format!("{table}.{column}={value}")).await?;
        let mut sql = Sql::with(
            format!("SELECT 1 AS one FROM {table} WHERE {column} = ?"),
            vec![value.into()],
        );
        if let Some(id) = except {
            sql.append(Sql::with(" AND id <> ?", vec![id.into()]));
        }
        Ok(self.txn_query_one(sql).await?.is_some())
    }

    /// A free slug for a new node of `table`: the one asked for (refused when taken), or one made from
    /// `title` with `-2`, `-3` … appended as needed.
    pub async fn new_slug(
        &self,
        table: &str,
        wanted: Option<&str>,
        title: &str,
    ) -> ApiResult<String> {
        let taken =
            |slug: String| async move { self.value_taken(table, "slug", &slug, None).await };
        if let Some(wanted) = wanted {
            let slug = crate::validate::slug("input.slug", wanted)?;
            if taken(slug.clone()).await? {
                return Err(ApiError::validation(
                    "input.slug",
                    format!("{slug:?} is taken: choose another slug"),
                ));
            }
            return Ok(slug);
        }
        let base = crate::validate::slugify(title);
        let mut candidate = base.clone();
        for n in 2..1000 {
            if !taken(candidate.clone()).await? {
                return Ok(candidate);
            }
            candidate = format!("{base}-{n}");
        }
        Err(ApiError::validation(
            "input.slug",
            "no free slug could be made from the title: give one",
        ))
    }

    /// A changed slug for node `id`: refused when another node has it.
    pub async fn changed_slug(&self, table: &str, id: Uuid, wanted: &str) -> ApiResult<String> {
        let slug = crate::validate::slug("input.slug", wanted)?;
        if self.value_taken(table, "slug", &slug, Some(id)).await? {
            return Err(ApiError::validation(
                "input.slug",
                format!("{slug:?} is taken: choose another slug"),
            ));
        }
        Ok(slug)
    }

    /// The municipality of unit `id`; None for a national unit.
    pub async fn unit_owner(&self, id: Uuid) -> ApiResult<Option<Uuid>> {
        Ok(owners(&self.txn, NodeType::Unit, id)
            .await?
            .and_then(|list| list.first().copied()))
    }

    /// Runs a query for one row inside the mutation's transaction.
    pub async fn txn_query_one(&self, sql: Sql) -> ApiResult<Option<sea_orm::QueryResult>> {
        Ok(self
            .txn
            .query_one_raw(sql.build(self.txn.get_database_backend()))
            .await?)
    }

    /// Runs a statement inside the mutation's transaction.
    pub async fn execute(&self, sql: Sql) -> ApiResult<u64> {
        Ok(self
            .txn
            .execute_raw(sql.build(self.txn.get_database_backend()))
            .await?
            .rows_affected())
    }

    /// The next position after the last row of `table` whose `column` is `parent`.
    pub async fn next_position(&self, table: &str, column: &str, parent: Uuid) -> ApiResult<i32> {
        let sql = Sql::with(
            format!(
                "SELECT COALESCE(MAX(position) + 1, 0) AS next FROM {table} WHERE {column} = ?"
            ),
            vec![parent.into()],
        );
        let row = self
            .txn
            .query_one_raw(sql.build(self.txn.get_database_backend()))
            .await?
            .ok_or(ApiError::Internal)?;
        let next: i64 = row
            .try_get::<i64>("", "next")
            .or_else(|_| row.try_get::<i32>("", "next").map(i64::from))?;
        i32::try_from(next).map_err(|_| ApiError::Internal)
    }

    /// The id of the municipality with this kommunenummer.
    pub async fn municipality_id(&self, field: &str, number: &str) -> ApiResult<Uuid> {
        crate::graphql::common::check_municipality_number(field, number)?;
        let sql = Sql::with(
            "SELECT id FROM municipality WHERE number = ?",
            vec![number.into()],
        );
        let row = self
            .txn
            .query_one_raw(sql.build(self.txn.get_database_backend()))
            .await?;
        match row {
            Some(row) => Ok(row.try_get::<Uuid>("", "id")?),
            None => Err(ApiError::validation(
                field,
                format!("no municipality has number {number:?}"),
            )),
        }
    }

    /// Checks that a node that input `field` points to exists and may be seen by the actor; returns its id.
    pub async fn visible(&self, field: &str, id: &ID, node: NodeType) -> ApiResult<Uuid> {
        let uuid = node_id(field, id, node)?;
        let (table, _) = table_of(node).ok_or(ApiError::Internal)?;
        let status = status_of(&self.txn, table, uuid).await?;
        let seen = match status.as_deref() {
            None => false,
            Some("published") => true,
            Some(_) => {
                self.actor.is_admin()
                    || matches!((owners(&self.txn, node, uuid).await?, self.actor.municipality_id), (Some(list), Some(mine)) if list.contains(&mine))
            }
        };
        if seen {
            Ok(uuid)
        } else {
            Err(ApiError::validation(
                field,
                format!("no {} has this ID", node.name()),
            ))
        }
    }
}

/// Creates a node: `build` makes the row (validated), `after` adds its links once it exists; a revision
/// records the creation. One transaction.
pub async fn create_node<T: Writable>(
    ctx: &Context<'_>,
    build: impl AsyncFnOnce(&Tx) -> ApiResult<<T as NodeTable>::Model>,
    after: impl AsyncFnOnce(&Tx, &<T as NodeTable>::Model) -> ApiResult<()>,
) -> ApiResult<(<T as NodeTable>::Model, revision::Model)>
where
    <T as NodeTable>::Model:
        Serialize + DeserializeOwned + IntoActiveModel<<T as Writable>::Active>,
    <T::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
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
) -> ApiResult<(<T as NodeTable>::Model, revision::Model)>
where
    <T as NodeTable>::Model:
        Serialize + DeserializeOwned + IntoActiveModel<<T as Writable>::Active>,
    <T::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    let tx = Tx::begin(ctx).await?;
    tx.claim(T::NODE, id, version).await?;
    let mut model = tx.load::<T>(id).await?;
    // The claim stored version + 1 already; the snapshot shows the node as the client saw it.
    let seen_at = T::updated_at(&model);
    T::stamp(&mut model, version, seen_at);
    let before = snapshot(&model)?;
    apply(&tx, &mut model).await?;
    T::stamp(&mut model, version + 1, tx.now);
    let saved = tx.save::<T>(model).await?;
    let revision = tx
        .record(
            T::NODE,
            id,
            version + 1,
            enums::RevisionAction::Update,
            Some(before),
            Some(snapshot(&saved)?),
            None,
        )
        .await?;
    tx.commit().await?;
    Ok((saved, revision))
}

/// Applies an optional input: undefined keeps the current value, null clears it, a value is checked.
pub fn maybe<T>(
    value: async_graphql::MaybeUndefined<T>,
    current: &mut Option<T>,
    check: impl FnOnce(T) -> ApiResult<T>,
) -> ApiResult<()> {
    match value {
        async_graphql::MaybeUndefined::Undefined => {}
        async_graphql::MaybeUndefined::Null => *current = None,
        async_graphql::MaybeUndefined::Value(v) => *current = Some(check(v)?),
    }
    Ok(())
}

/// [`maybe`] for text of at most `max` characters.
pub fn maybe_text(
    field: &str,
    value: async_graphql::MaybeUndefined<String>,
    current: &mut Option<String>,
    max: usize,
) -> ApiResult<()> {
    maybe(value, current, |v| crate::validate::text(field, &v, max))
}

/// [`maybe`] for a web address.
pub fn maybe_url(
    field: &str,
    value: async_graphql::MaybeUndefined<String>,
    current: &mut Option<String>,
) -> ApiResult<()> {
    maybe(value, current, |v| crate::validate::url(field, &v))
}
