//! The change feed: every revision becomes one `change_event` row, numbered in commit order, and a hub in
//! every API process wakes its subscribers when new rows exist.
//!
//! Order without gaps: a writer appends its events at the very end of its transaction. On PostgreSQL it first
//! takes a transaction-scoped advisory lock, so the sequence numbers are handed out in the order the
//! transactions commit (the lock is released only after the commit is visible); a reader that remembers the
//! last number it saw therefore never skips a row that commits later with a smaller number. On SQLite one
//! writer runs at a time anyway.
//!
//! Across processes: the writer sends `NOTIFY oppvekstgraf_changes` in the same transaction (delivered on
//! commit); every process LISTENs and wakes its hub, which reads the newest sequence number. A slow poll
//! backs the notifications up, so a lost connection delays events but never drops them.

use std::{
    sync::{Arc, Mutex, Weak},
    time::Duration,
};

use chrono::{DateTime, Utc};
use oppvekstgraf_entity::change_event;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, FromQueryResult, IntoActiveModel,
};
use tokio::{sync::watch, task::JoinHandle};
use uuid::Uuid;

use crate::{error::ApiResult, loader::Scope, sql::Sql};

/// The PostgreSQL notification channel.
pub const CHANNEL: &str = "oppvekstgraf_changes";
/// Arbitrary constant naming the advisory lock that orders feed appends.
const FEED_LOCK: i64 = 0x6f67_6665_6564; // "ogfeed"
/// How often a hub looks for new events when no notification arrives.
const POLL: Duration = Duration::from_secs(2);

/// An event waiting for its transaction to commit.
#[derive(Debug, Clone)]
pub struct PendingChange {
    pub revision_id: Option<Uuid>,
    pub node_type: String,
    pub node_id: Uuid,
    pub action: String,
    pub node_version: i32,
    pub municipality_id: Option<Uuid>,
    pub public: bool,
    pub actor_name: String,
    pub created_at: DateTime<Utc>,
}

/// Events collected during one transaction.
#[derive(Debug, Default)]
pub struct Pending(Mutex<Vec<PendingChange>>);

impl Pending {
    /// Queues an event.
    pub fn push(&self, change: PendingChange) {
        if let Ok(mut list) = self.0.lock() {
            list.push(change);
        }
    }

    /// Takes the queued events.
    pub fn take(&self) -> Vec<PendingChange> {
        self.0
            .lock()
            .map(|mut l| std::mem::take(&mut *l))
            .unwrap_or_default()
    }
}

/// Appends `changes` to the feed inside `txn`; call it last, right before the commit.
pub async fn append(txn: &impl ConnectionTrait, changes: Vec<PendingChange>) -> ApiResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let backend = txn.get_database_backend();
    if backend == DbBackend::Postgres {
        txn.execute_raw(
            Sql::with("SELECT pg_advisory_xact_lock(?)", vec![FEED_LOCK.into()]).build(backend),
        )
        .await?;
    }
    let rows = changes.into_iter().map(IntoActiveModel::into_active_model);
    for row in rows {
        change_event::Entity::insert(row)
            .exec_without_returning(txn)
            .await?;
    }
    if backend == DbBackend::Postgres {
        txn.execute_raw(Sql::with("SELECT pg_notify(?, '')", vec![CHANNEL.into()]).build(backend))
            .await?;
    }
    Ok(())
}

/// The newest sequence number (0 for an empty feed).
pub async fn latest(db: &impl ConnectionTrait) -> ApiResult<i64> {
    #[derive(FromQueryResult)]
    struct Max {
        max: Option<i64>,
    }
    let stmt =
        Sql::raw("SELECT MAX(seq) AS max FROM change_event").build(db.get_database_backend());
    let found = Max::find_by_statement(stmt).one(db).await?;
    Ok(found.and_then(|m| m.max).unwrap_or(0))
}

/// Which events a reader asks for.
#[derive(Debug, Clone, Default)]
pub struct FeedFilter {
    /// Only events after this sequence number.
    pub after: i64,
    /// Only events up to this sequence number.
    pub until: Option<i64>,
    /// Only what this municipality owns, co-owns, adopted or copied.
    pub municipality: Option<Uuid>,
    /// Only these node types (GraphQL type names).
    pub types: Option<Vec<String>>,
}

/// Up to `limit` events after `filter.after` that `scope` may see, oldest first.
pub async fn read(
    db: &impl ConnectionTrait,
    filter: &FeedFilter,
    scope: Scope,
    limit: u64,
) -> ApiResult<Vec<change_event::Model>> {
    let mut sql = Sql::with(
        "SELECT * FROM change_event e WHERE e.seq > ?",
        vec![filter.after.into()],
    );
    match (scope, scope.own_municipality()) {
        (Scope::Everything, _) => {}
        (_, Some(id)) => {
            sql.push(" AND (e.public = ? OR e.municipality_id = ?)");
            sql.values.push(true.into());
            sql.values.push(id.into());
        }
        (_, None) => {
            sql.push(" AND e.public = ?");
            sql.values.push(true.into());
        }
    }
    if let Some(until) = filter.until {
        sql.push(" AND e.seq <= ?");
        sql.values.push(until.into());
    }
    if let Some(id) = filter.municipality {
        // Its own events, those of nodes it owns with others (joint plans), and those of what it reuses.
        let mut concerns = vec!["e.municipality_id = ?".to_string()];
        concerns.extend(
            crate::loader::ownership::owned_through_links()
                .into_iter()
                .map(|owned| format!("e.{owned}")),
        );
        concerns
            .push("e.node_id IN (SELECT source_id FROM adoption WHERE municipality_id = ?)".into());
        concerns.push(
            "e.node_id IN (SELECT source_id FROM derivation WHERE municipality_id = ?)".into(),
        );
        let values = vec![id.into(); concerns.len()];
        sql.append(Sql::with(
            format!(" AND ({})", concerns.join(" OR ")),
            values,
        ));
    }
    if let Some(types) = &filter.types {
        if types.is_empty() {
            return Ok(Vec::new());
        }
        sql.push(&format!(
            " AND e.node_type IN ({})",
            Sql::placeholders(types.len())
        ));
        sql.values.extend(types.iter().map(|t| t.clone().into()));
    }
    sql.push(" ORDER BY e.seq LIMIT ?");
    sql.values
        .push(i64::try_from(limit).unwrap_or(i64::MAX).into());
    let stmt = sql.build(db.get_database_backend());
    Ok(change_event::Entity::find()
        .from_raw_sql(stmt)
        .all(db)
        .await?)
}

/// One process's view of the feed's head: subscribers wait on it for new events.
pub struct ChangeHub {
    head: watch::Sender<i64>,
    wake: tokio::sync::Notify,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl ChangeHub {
    /// Starts the hub over `db`: a task that follows the feed's head and, on PostgreSQL, one that LISTENs for
    /// other processes' commits. Both stop when the hub is dropped.
    pub fn start(db: DatabaseConnection) -> Arc<ChangeHub> {
        let (head, _) = watch::channel(0);
        let hub = Arc::new(ChangeHub {
            head,
            wake: tokio::sync::Notify::new(),
            tasks: Mutex::new(Vec::new()),
        });
        let mut tasks = vec![tokio::spawn(follow(Arc::downgrade(&hub), db.clone()))];
        if db.get_database_backend() == DbBackend::Postgres {
            tasks.push(tokio::spawn(listen(Arc::downgrade(&hub), db)));
        }
        if let Ok(mut list) = hub.tasks.lock() {
            list.extend(tasks);
        }
        hub
    }

    /// Wakes the hub: this process just committed events.
    pub fn poke(&self) {
        self.wake.notify_one();
    }

    /// A receiver of the feed's head.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.head.subscribe()
    }
}

impl Drop for ChangeHub {
    fn drop(&mut self) {
        if let Ok(list) = self.tasks.lock() {
            for task in list.iter() {
                task.abort();
            }
        }
    }
}

/// Follows the feed's head: reads the newest sequence number whenever woken, or every [`POLL`].
async fn follow(hub: Weak<ChangeHub>, db: DatabaseConnection) {
    loop {
        let Some(strong) = hub.upgrade() else { return };
        match latest(&db).await {
            Ok(seq) => {
                strong.head.send_if_modified(|head| {
                    let newer = seq > *head;
                    if newer {
                        *head = seq;
                    }
                    newer
                });
            }
            Err(err) => tracing::warn!(error = ?err, "could not read the change feed's head"),
        }
        let wait = async {
            strong.wake.notified().await;
        };
        // Hold only a weak reference while waiting, so dropping the hub ends the task.
        let _ = tokio::time::timeout(POLL, wait).await;
        drop(strong);
    }
}

/// LISTENs for commits of other processes on PostgreSQL and wakes the hub.
///
/// The listener keeps its connection for as long as it lives, so it gets one of its own (same server and
/// options as the pool) instead of taking one of the pool's: a pool of one connection still serves
/// requests. When the connection is lost (a restart, a killed backend) it reconnects every [`POLL`].
async fn listen(hub: Weak<ChangeHub>, db: DatabaseConnection) {
    use sea_orm::sqlx::postgres::{PgListener, PgPoolOptions};
    let options = (*db.get_postgres_connection_pool().connect_options()).clone();
    let own = PgPoolOptions::new()
        .max_connections(1)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(5))
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_lazy_with(options);
    loop {
        match PgListener::connect_with(&own).await {
            Ok(mut listener) => {
                if let Err(err) = listener.listen(CHANNEL).await {
                    tracing::warn!(error = %err, "could not LISTEN for changes");
                } else {
                    loop {
                        match listener.recv().await {
                            Ok(_) => match hub.upgrade() {
                                Some(hub) => hub.poke(),
                                None => return,
                            },
                            Err(err) => {
                                tracing::warn!(error = %err, "lost the change notification connection");
                                break;
                            }
                        }
                    }
                }
            }
            Err(err) => tracing::warn!(error = %err, "could not connect to LISTEN for changes"),
        }
        if hub.upgrade().is_none() {
            return;
        }
        tokio::time::sleep(POLL).await;
    }
}

/// The hub of this process, when the schema has one.
pub fn hub(ctx: &async_graphql::Context<'_>) -> Option<Arc<ChangeHub>> {
    ctx.data_opt::<Arc<ChangeHub>>().cloned()
}

impl IntoActiveModel<change_event::ActiveModel> for PendingChange {
    fn into_active_model(self) -> change_event::ActiveModel {
        change_event::ActiveModel {
            seq: sea_orm::ActiveValue::NotSet,
            revision_id: sea_orm::ActiveValue::Set(self.revision_id),
            node_type: sea_orm::ActiveValue::Set(self.node_type),
            node_id: sea_orm::ActiveValue::Set(self.node_id),
            action: sea_orm::ActiveValue::Set(self.action),
            node_version: sea_orm::ActiveValue::Set(self.node_version),
            municipality_id: sea_orm::ActiveValue::Set(self.municipality_id),
            public: sea_orm::ActiveValue::Set(self.public),
            actor_name: sea_orm::ActiveValue::Set(self.actor_name),
            created_at: sea_orm::ActiveValue::Set(self.created_at),
        }
    }
}
