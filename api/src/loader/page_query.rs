//! What selects a page of a to-many relation: how targets hang off their parent ([`Via`]), the page
//! query, and the key the page loader batches by.

use std::{
    hash::{Hash, Hasher},
    sync::Arc,
};

use uuid::Uuid;

use super::Scope;
use crate::{page::Window, sql::Sql};

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
    pub(super) fingerprint: String,
    /// A hash of `fingerprint`, computed once: page keys are hashed several times on their way through a
    /// DataLoader, and a wide level has hundreds of them.
    pub(super) fingerprint_hash: u64,
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
        let fingerprint = format!(
            "{via:?}|{}|{}|{window:?}|{scope:?}|{count}",
            filters
                .iter()
                .map(Sql::fingerprint)
                .collect::<Vec<_>>()
                .join("&"),
            order.join(",")
        );
        PageQuery {
            via,
            filters,
            order,
            window,
            scope,
            count,
            fingerprint_hash: {
                let mut hasher = std::hash::DefaultHasher::new();
                fingerprint.hash(&mut hasher);
                hasher.finish()
            },
            fingerprint,
        }
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
            && (Arc::ptr_eq(&self.query, &other.query)
                || (self.query.fingerprint_hash == other.query.fingerprint_hash
                    && self.query.fingerprint == other.query.fingerprint))
    }
}

impl Eq for PageKey {}

impl Hash for PageKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parent.hash(state);
        self.query.fingerprint_hash.hash(state);
    }
}
