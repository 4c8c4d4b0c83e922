//! Turning change-feed events into the tags they invalidate, in every process.

use std::{collections::HashSet, str::FromStr, sync::Arc};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Value};
use uuid::Uuid;

use super::{ResponseCache, Tag};
use crate::{
    error::ApiResult,
    feed::{self, ChangeHub},
    id::{GlobalId, NodeType},
    sql::Sql,
};

/// More new events than this are not read one by one: the whole cache is dropped instead.
const MAX_EVENTS: i64 = 2_000;
/// Node ids per statement when looking up what the changed nodes are linked to.
const CHUNK: usize = 200;

/// One public event and the revision behind it.
struct Event {
    node_type: String,
    node_id: Uuid,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    detail: Option<serde_json::Value>,
}

impl ResponseCache {
    /// Starts following the feed for this cache: reads the feed's head (the cache stores nothing before),
    /// then applies new events whenever `hub` sees the head move. The task ends when the hub is dropped.
    pub fn follow(self: &Arc<Self>, db: DatabaseConnection, hub: &Arc<ChangeHub>) {
        if !self.enabled() {
            return;
        }
        let cache = Arc::downgrade(self);
        let mut head = hub.subscribe();
        tokio::spawn(async move {
            let start = loop {
                match feed::latest(&db).await {
                    Ok(seq) => break seq,
                    Err(err) => {
                        tracing::warn!(error = ?err, "response cache: cannot read the change feed yet");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            };
            match cache.upgrade() {
                Some(cache) => cache.reset(start),
                None => return,
            }
            while head.changed().await.is_ok() {
                let seq = *head.borrow_and_update();
                let Some(cache) = cache.upgrade() else { return };
                cache.catch_up(&db, seq).await;
            }
        });
    }

    /// Applies the events of the feed up to its current head (a mutation calls this after its commit, so
    /// its own process never serves what it just changed).
    pub async fn settle(&self, db: &DatabaseConnection) {
        if !self.enabled() {
            return;
        }
        match feed::latest(db).await {
            Ok(seq) => self.catch_up(db, seq).await,
            Err(err) => {
                tracing::warn!(error = ?err, "response cache: cannot read the change feed; dropping everything");
                self.reset(self.watermark());
            }
        }
    }

    /// Applies the events after the watermark up to `seq`.
    pub async fn catch_up(&self, db: &DatabaseConnection, seq: i64) {
        let _one_at_a_time = self.catching_up.lock().await;
        let from = self.watermark();
        if seq <= from || !self.ready.load(std::sync::atomic::Ordering::Acquire) {
            return;
        }
        if seq - from > MAX_EVENTS {
            tracing::info!(
                events = seq - from,
                "response cache: many changes at once; dropping everything"
            );
            self.reset(seq);
            return;
        }
        match tags_between(db, from, seq).await {
            Ok(tags) => {
                let dropped = self.invalidate(&tags, seq);
                tracing::debug!(
                    from,
                    seq,
                    tags = tags.len(),
                    dropped,
                    "response cache invalidated"
                );
            }
            Err(err) => {
                tracing::warn!(error = ?err, "response cache: cannot read the changes; dropping everything");
                self.reset(seq);
            }
        }
    }
}

/// The tags that the public events in `(from, to]` invalidate.
async fn tags_between(db: &DatabaseConnection, from: i64, to: i64) -> ApiResult<HashSet<Tag>> {
    let backend = db.get_database_backend();
    let stmt = Sql::with(
        "SELECT e.node_type, e.node_id, r.before, r.after, r.detail FROM change_event e \
         LEFT JOIN revision r ON r.id = e.revision_id \
         WHERE e.seq > ? AND e.seq <= ? AND e.public = ? ORDER BY e.seq",
        vec![from.into(), to.into(), true.into()],
    )
    .build(backend);
    let mut events = Vec::new();
    for row in db.query_all_raw(stmt).await? {
        events.push(Event {
            node_type: row.try_get("", "node_type")?,
            node_id: row.try_get("", "node_id")?,
            before: json(&row, "before", backend)?,
            after: json(&row, "after", backend)?,
            detail: json(&row, "detail", backend)?,
        });
    }
    let mut tags = HashSet::new();
    for event in &events {
        tags.insert(Tag::Node(event.node_id));
        if let Some(node) = node_type(&event.node_type) {
            tags.insert(Tag::Type(node));
        }
        for value in [&event.before, &event.after, &event.detail]
            .into_iter()
            .flatten()
        {
            collect_ids(value, &mut tags);
        }
    }
    let ids: Vec<Uuid> = events.iter().map(|e| e.node_id).collect();
    for id in linked(db, &ids).await? {
        tags.insert(Tag::Node(id));
    }
    Ok(tags)
}

/// A JSON column (PostgreSQL `json`; text on SQLite).
fn json(
    row: &sea_orm::QueryResult,
    column: &str,
    backend: DbBackend,
) -> ApiResult<Option<serde_json::Value>> {
    Ok(match backend {
        DbBackend::Sqlite => row
            .try_get::<Option<String>>("", column)?
            .and_then(|text| serde_json::from_str(&text).ok()),
        _ => row.try_get::<Option<serde_json::Value>>("", column)?,
    })
}

/// The node type of a feed event's type name.
fn node_type(name: &str) -> Option<NodeType> {
    NodeType::ALL.iter().copied().find(|t| t.name() == name)
}

/// Every node id inside a revision's snapshot or detail: the node's parents before and after, the other end
/// of a link, the source of an adoption.
fn collect_ids(value: &serde_json::Value, tags: &mut HashSet<Tag>) {
    match value {
        serde_json::Value::String(text) => {
            if let Ok(id) = Uuid::from_str(text) {
                tags.insert(Tag::Node(id));
            } else if text.len() < 200
                && let Ok(global) = GlobalId::decode("", text)
            {
                tags.insert(Tag::Node(global.uuid));
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_ids(v, tags)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_ids(v, tags)),
        _ => {}
    }
}

/// The nodes linked to any of `ids` now, through every edge table of the content graph and the sharing
/// model (both directions).
async fn linked(db: &DatabaseConnection, ids: &[Uuid]) -> ApiResult<Vec<Uuid>> {
    let edges: Vec<_> = oppvekstgraf_catalog::edges().collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let marks = Sql::placeholders(chunk.len());
        let mut sql = Sql::raw("");
        for (i, (table, a, b)) in edges.iter().enumerate() {
            for (j, (from, to)) in [(a, b), (b, a)].into_iter().enumerate() {
                if i + j > 0 {
                    sql.push(" UNION ");
                }
                sql.append(Sql::with(
                    format!("SELECT {to} AS id FROM {table} WHERE {from} IN ({marks})"),
                    chunk.iter().copied().map(Value::from).collect(),
                ));
            }
        }
        let stmt = sql.build(db.get_database_backend());
        for row in db.query_all_raw(stmt).await? {
            out.push(row.try_get::<Uuid>("", "id")?);
        }
    }
    Ok(out)
}
