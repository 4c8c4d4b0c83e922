//! The response cache: anonymous query results kept in memory, keyed by document, operation, variables and
//! role, and invalidated precisely when content changes.
//!
//! While a cacheable request executes, the loaders record what it read in its [`Deps`]: every node it loaded
//! or asked for ([`Tag::Node`]), every node whose to-many relations it listed (also [`Tag::Node`]: a
//! connection belongs to its parent), and every node type it listed or looked up at the root
//! ([`Tag::Type`]). The result is stored with those tags.
//!
//! A write reaches every process through the change feed ([`crate::feed`]): each process follows the feed
//! (LISTEN/NOTIFY on PostgreSQL, a poll as a back-up) and [`invalidate`] turns every new public event into
//! the tags it affects — the changed node, its type, the nodes its revision names (old and new parents,
//! the other end of a link) and the nodes it is linked to now — and drops exactly the entries that carry one
//! of them. A mutation settles its own process's cache before it answers.
//!
//! A result computed while an invalidation was processed is not stored (it may have read the old rows):
//! every entry is stored only if the feed position the cache had processed is the same as when its
//! request started.

pub mod invalidate;
pub mod persisted;

use std::{
    collections::{HashMap, HashSet},
    num::NonZeroUsize,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicI64, Ordering},
    },
};

use async_graphql::Context;
use bytes::Bytes;
use lru::LruCache;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{id::NodeType, metrics::Metrics};

pub use crate::config::{CacheConfig, DEFAULT_MAX_BYTES};

/// What a tag costs in memory, counted into an entry's weight (the index entry and the copy in the entry).
const TAG_WEIGHT: usize = 64;

/// Something a cached result depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    /// A node: its fields, or the to-many relations listed on it.
    Node(Uuid),
    /// Every node of a type: a root connection or a lookup by natural key listed or searched them.
    Type(NodeType),
}

/// What one execution read; the loaders fill it in (see [`record`]).
#[derive(Debug, Default)]
pub struct Deps {
    tags: Mutex<HashSet<Tag>>,
    uncacheable: AtomicBool,
}

impl Deps {
    /// The result depends on `tag`.
    pub fn add(&self, tag: Tag) {
        if let Ok(mut tags) = self.tags.lock() {
            tags.insert(tag);
        }
    }

    /// The result depends on these nodes.
    pub fn nodes(&self, ids: impl IntoIterator<Item = Uuid>) {
        if let Ok(mut tags) = self.tags.lock() {
            tags.extend(ids.into_iter().map(Tag::Node));
        }
    }

    /// The result read something no tag describes (the change feed): it must not be cached.
    pub fn uncacheable(&self) {
        self.uncacheable.store(true, Ordering::Relaxed);
    }

    /// Whether the result may be cached.
    pub fn is_cacheable(&self) -> bool {
        !self.uncacheable.load(Ordering::Relaxed)
    }

    /// The tags recorded so far.
    pub fn tags(&self) -> Vec<Tag> {
        self.tags
            .lock()
            .map(|t| t.iter().copied().collect())
            .unwrap_or_default()
    }
}

/// Records a dependency of the current request, when its result may be cached.
pub fn record(ctx: &Context<'_>, f: impl FnOnce(&Deps)) {
    if let Some(deps) = ctx.data_opt::<Arc<Deps>>() {
        f(deps);
    }
}

/// The key of a cached result: SHA-256 over the role, the document, the operation name and the variables.
pub type Key = [u8; 32];

/// A cached result.
#[derive(Debug)]
pub struct Entry {
    /// The JSON body, exactly as first sent.
    pub body: Bytes,
    /// The strong `ETag` of the body (quoted).
    pub etag: String,
    tags: Vec<Tag>,
    weight: usize,
}

/// The strong entity tag of a body: a quoted prefix of its SHA-256.
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

struct Store {
    entries: LruCache<Key, Arc<Entry>>,
    index: HashMap<Tag, HashSet<Key>>,
    bytes: usize,
}

impl Store {
    fn unindex(&mut self, key: &Key, entry: &Entry) {
        self.bytes = self.bytes.saturating_sub(entry.weight);
        for tag in &entry.tags {
            if let Some(keys) = self.index.get_mut(tag) {
                keys.remove(key);
                if keys.is_empty() {
                    self.index.remove(tag);
                }
            }
        }
    }
}

/// The process's response cache.
pub struct ResponseCache {
    max_bytes: usize,
    store: Mutex<Store>,
    /// The change-feed position whose events have been applied (see the module documentation).
    watermark: AtomicI64,
    /// Whether the watermark has been read from the database: nothing is stored before.
    ready: AtomicBool,
    /// Serialises catching up with the feed.
    catching_up: tokio::sync::Mutex<()>,
    metrics: Arc<Metrics>,
}

impl std::fmt::Debug for ResponseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseCache")
            .field("max_bytes", &self.max_bytes)
            .field("watermark", &self.watermark.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl ResponseCache {
    /// An empty cache of at most `max_bytes` (0: off).
    pub fn new(max_bytes: usize, metrics: Arc<Metrics>) -> Arc<ResponseCache> {
        Arc::new(ResponseCache {
            max_bytes,
            store: Mutex::new(Store {
                entries: LruCache::unbounded(),
                index: HashMap::new(),
                bytes: 0,
            }),
            watermark: AtomicI64::new(0),
            ready: AtomicBool::new(false),
            catching_up: tokio::sync::Mutex::new(()),
            metrics,
        })
    }

    /// Whether results are cached at all.
    pub fn enabled(&self) -> bool {
        self.max_bytes > 0
    }

    /// Whether results are stored: the cache is on and has read the feed's head (a task started with it
    /// does, see `follow`).
    pub fn is_ready(&self) -> bool {
        self.enabled() && self.ready.load(Ordering::Acquire)
    }

    /// The key of a request.
    pub fn key(document: &str, operation: Option<&str>, variables: &str) -> Key {
        let mut hash = Sha256::new();
        for part in [
            "anonymous",
            document,
            operation.unwrap_or_default(),
            variables,
        ] {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part.as_bytes());
        }
        hash.finalize().into()
    }

    /// The feed position applied so far; pass it back to [`ResponseCache::insert`].
    pub fn watermark(&self) -> i64 {
        self.watermark.load(Ordering::Acquire)
    }

    /// The cached result under `key`, counted as a hit or a miss.
    pub fn get(&self, key: &Key) -> Option<Arc<Entry>> {
        let found = self
            .store
            .lock()
            .ok()
            .and_then(|mut store| store.entries.get(key).cloned());
        match &found {
            Some(_) => self.metrics.cache_hits.inc(),
            None => self.metrics.cache_misses.inc(),
        };
        found
    }

    /// Stores a result read while the feed position was `seen`; refused (false) when an invalidation was
    /// applied since, or when it alone is larger than the whole cache.
    pub fn insert(&self, key: Key, body: Bytes, etag: String, deps: &Deps, seen: i64) -> bool {
        if !self.enabled() || !self.ready.load(Ordering::Acquire) || !deps.is_cacheable() {
            return false;
        }
        let tags = deps.tags();
        let weight = body.len() + tags.len() * TAG_WEIGHT + 256;
        if weight > self.max_bytes {
            return false;
        }
        let Ok(mut store) = self.store.lock() else {
            return false;
        };
        if self.watermark.load(Ordering::Acquire) != seen {
            self.metrics.cache_stale_skips.inc();
            return false;
        }
        if let Some(old) = store.entries.pop(&key) {
            store.unindex(&key, &old);
        }
        while store.bytes + weight > self.max_bytes {
            let Some((old_key, old)) = store.entries.pop_lru() else {
                break;
            };
            store.unindex(&old_key, &old);
            self.metrics.cache_evictions.inc();
        }
        for tag in &tags {
            store.index.entry(*tag).or_default().insert(key);
        }
        store.bytes += weight;
        store.entries.put(
            key,
            Arc::new(Entry {
                body,
                etag,
                tags,
                weight,
            }),
        );
        self.metrics.cache_stores.inc();
        self.update_gauges(&store);
        true
    }

    /// Applies the events up to feed position `seq`: moves the watermark there, then drops every entry that
    /// carries one of `tags`. Returns how many entries were dropped.
    pub fn invalidate(&self, tags: &HashSet<Tag>, seq: i64) -> usize {
        let Ok(mut store) = self.store.lock() else {
            return 0;
        };
        self.watermark.fetch_max(seq, Ordering::AcqRel);
        let mut keys = HashSet::new();
        for tag in tags {
            if let Some(found) = store.index.get(tag) {
                keys.extend(found.iter().copied());
            }
        }
        for key in &keys {
            if let Some(entry) = store.entries.pop(key) {
                store.unindex(key, &entry);
            }
        }
        self.metrics.cache_invalidated.inc_by(keys.len() as u64);
        self.update_gauges(&store);
        keys.len()
    }

    /// Drops everything and sets the watermark to `seq` (when the events since the last one cannot be
    /// read, or are too many to be worth reading).
    pub fn reset(&self, seq: i64) {
        let Ok(mut store) = self.store.lock() else {
            return;
        };
        let dropped = store.entries.len() as u64;
        store.entries.clear();
        store.index.clear();
        store.bytes = 0;
        self.watermark.store(seq, Ordering::Release);
        self.ready.store(true, Ordering::Release);
        self.metrics.cache_invalidated.inc_by(dropped);
        self.update_gauges(&store);
    }

    /// How many results are cached.
    pub fn len(&self) -> usize {
        self.store.lock().map(|s| s.entries.len()).unwrap_or(0)
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn update_gauges(&self, store: &Store) {
        self.metrics.cache_entries.set(store.entries.len() as i64);
        self.metrics.cache_bytes.set(store.bytes as i64);
    }
}

/// A non-zero size, for the LRU of persisted queries.
pub(crate) fn non_zero(n: u64) -> NonZeroUsize {
    NonZeroUsize::new(usize::try_from(n).unwrap_or(usize::MAX)).unwrap_or(NonZeroUsize::MIN)
}

#[cfg(test)]
mod tests;
