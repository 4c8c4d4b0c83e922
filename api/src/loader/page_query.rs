//! What selects a page of a to-many relation: how targets hang off their parent ([`Via`]), the page
//! query, and the key the page loader batches by.

use std::{
    any::TypeId,
    collections::HashMap,
    hash::{Hash, Hasher},
    sync::{Arc, Mutex},
};

use uuid::Uuid;

use super::Scope;
use crate::{error::ApiResult, page::Window, sql::Sql};

/// How the target rows of a relation hang off their parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Via {
    /// A root connection: every visible row of the table.
    Root,
    /// `t.<column> = parent`.
    Column(&'static str),
    /// Through a link table: `l.<parent> = parent AND l.<target> = t.id`, optionally with `l.role`.
    Link {
        table: &'static str,
        parent: &'static str,
        target: &'static str,
        role: bool,
    },
    /// What the parent owns (`owned` selects `o_parent, o_target, 0 AS o_adopted`), plus what it adopted by
    /// reference (`adoption` rows of `node_type`). An adopted source stays listed when its owner archives it.
    OwnedOrAdopted {
        owned: &'static str,
        node_type: &'static str,
    },
}

impl Via {
    pub(super) fn parent_expr(self) -> Option<String> {
        match self {
            Via::Root => None,
            Via::Column(col) => Some(format!("t.{col}")),
            Via::Link { parent, .. } => Some(format!("l.{parent}")),
            Via::OwnedOrAdopted { .. } => Some("l.o_parent".into()),
        }
    }
}

/// Everything that selects a page, apart from the parent: relation, filters, order, window, scope.
#[derive(Debug, Clone)]
pub struct PageQuery {
    pub(super) via: Via,
    pub(super) filters: Vec<Sql>,
    pub(super) order: Vec<String>,
    pub(super) window: Window,
    pub(super) scope: Scope,
    pub(super) count: bool,
    /// The filters' text and values, which tell two page queries' filters apart.
    pub(super) filter_print: String,
    /// A hash of everything that selects the page, computed once: page keys are hashed several times on their
    /// way through a DataLoader, and a wide level has thousands of them.
    pub(super) hash: u64,
}

impl PageQuery {
    /// A page query; `order` terms refer to `t.` (the target) or `l.` (the link row). `count`: whether the
    /// length of the whole list is wanted (`totalCount`); without it, the statement computes no count and
    /// reads one row past the page instead, for `pageInfo.hasNextPage`.
    pub fn new(
        via: Via,
        filters: Vec<Sql>,
        order: Vec<String>,
        window: Window,
        scope: Scope,
        count: bool,
    ) -> Self {
        let count = count || window.needs_count();
        let filter_print = filters
            .iter()
            .map(Sql::fingerprint)
            .collect::<Vec<_>>()
            .join("&");
        let mut hasher = std::hash::DefaultHasher::new();
        (via, &filter_print, &order, window, scope, count).hash(&mut hasher);
        PageQuery {
            via,
            filters,
            order,
            window,
            scope,
            count,
            filter_print,
            hash: hasher.finish(),
        }
    }

    /// Whether `other` selects the same pages (for any parent).
    pub(super) fn same(&self, other: &PageQuery) -> bool {
        self.hash == other.hash
            && self.via == other.via
            && self.window == other.window
            && self.scope == other.scope
            && self.count == other.count
            && self.order == other.order
            && self.filter_print == other.filter_print
    }
}

/// Key of [`PageLoader`](super::PageLoader): a parent and the page query.
#[derive(Debug, Clone)]
pub struct PageKey {
    pub parent: Uuid,
    pub query: Arc<PageQuery>,
}

impl PartialEq for PageKey {
    fn eq(&self, other: &Self) -> bool {
        self.parent == other.parent
            && (Arc::ptr_eq(&self.query, &other.query) || self.query.same(&other.query))
    }
}

impl Eq for PageKey {}

impl Hash for PageKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parent.hash(state);
        self.query.hash.hash(state);
    }
}

/// The page queries one execution has made, by the field of the document, the relation and the target table
/// they were made for. A level's siblings (625 measures each asking for their units) resolve the same field
/// with the same arguments, so they share one query, made once: its window, filters and order are parsed
/// and checked once per level instead of once per parent.
#[derive(Debug, Default)]
pub struct PageQueries(Mutex<HashMap<(usize, usize, TypeId), Arc<PageQuery>>>);

impl PageQueries {
    /// The query made for `field` and `relation` (any values that stand for them for the execution's
    /// life: the address of the document's field and of the relation), or one `make` makes now. A query
    /// that fails to be made is not kept, so each sibling reports the error.
    pub fn get_or_make<T: 'static>(
        &self,
        field: usize,
        relation: usize,
        make: impl FnOnce() -> ApiResult<PageQuery>,
    ) -> ApiResult<Arc<PageQuery>> {
        let key = (field, relation, TypeId::of::<T>());
        if let Some(query) = self.0.lock().ok().and_then(|made| made.get(&key).cloned()) {
            return Ok(query);
        }
        let query = Arc::new(make()?);
        if let Ok(mut made) = self.0.lock() {
            made.insert(key, query.clone());
        }
        Ok(query)
    }
}
