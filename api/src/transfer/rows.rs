//! What the transfer knows about each table's rows: their foreign keys (to validate them and rewrite them
//! through the id map), their identity, version and natural key (to match shared nodes and upsert owned
//! ones), and for link tables their two ends, position and role.

mod nodes;
mod records;

use std::collections::HashMap;

use oppvekstgraf_entity::enums::Status;
use sea_orm::EntityTrait;
use uuid::Uuid;

use oppvekstgraf_catalog::LinkDef;

use crate::id::NodeType;

/// A foreign key of a row: the column, the table it points into, and the id it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ref {
    /// The column.
    pub field: &'static str,
    /// The table the id belongs to.
    pub table: &'static str,
    /// The id.
    pub id: Uuid,
}

impl Ref {
    /// A foreign key that always holds an id.
    fn new(field: &'static str, table: &'static str, id: Uuid) -> Ref {
        Ref { field, table, id }
    }

    /// A nullable foreign key.
    fn opt(field: &'static str, table: &'static str, id: Option<Uuid>) -> Option<Ref> {
        id.map(|id| Ref::new(field, table, id))
    }
}

/// Ids in the document → ids in this database, for shared nodes that matched a local node under another
/// id. Every id not in the map stays as it is.
#[derive(Debug, Default, Clone)]
pub(crate) struct IdMap(HashMap<(&'static str, Uuid), Uuid>);

impl IdMap {
    /// Records that `from` in `table` is `to` here.
    pub fn insert(&mut self, table: &'static str, from: Uuid, to: Uuid) {
        if from != to {
            self.0.insert((table, from), to);
        }
    }

    /// The local id of `id` in `table`.
    pub fn get(&self, table: &'static str, id: Uuid) -> Uuid {
        self.0.get(&(table, id)).copied().unwrap_or(id)
    }

    /// The local id of an optional reference.
    pub fn opt(&self, table: &'static str, id: Option<Uuid>) -> Option<Uuid> {
        id.map(|id| self.get(table, id))
    }

    /// The local id of a loose reference to a measure or plan named by its GraphQL type.
    fn typed(&self, node_type: &str, id: Uuid) -> Uuid {
        match node_type {
            "Measure" => self.get("measure", id),
            "Plan" => self.get("plan", id),
            _ => id,
        }
    }
}

/// A row of any table the document carries.
pub(crate) trait Row: Clone + PartialEq + std::fmt::Debug + Send + Sync + 'static {
    /// The table.
    const TABLE: &'static str;
    /// Names the row in messages (`measure 6b1f… (rauma-arshjul)`).
    fn label(&self) -> String;
    /// The foreign keys: each must name a row in the document or in the local database.
    fn refs(&self) -> Vec<Ref>;
    /// Rewrites every reference (foreign keys and loose references) through `map`.
    fn remap(&mut self, map: &IdMap);
}

/// A row written through its sea-orm entity.
pub(crate) trait Stored: Row {
    /// The entity of the table.
    type Entity: EntityTrait<Model = Self>;
    /// The row as an active model (every column set by the caller with `reset_all`).
    fn into_active(self) -> <Self::Entity as EntityTrait>::ActiveModel;
}

/// A node row (the common node columns).
pub(crate) trait Node: Stored {
    /// The GraphQL type.
    const NODE: NodeType;
    /// The unique natural key column shared nodes are matched on first, if the table has one.
    const KEY_COLUMN: Option<&'static str> = None;
    /// Whether a shared node without a match on its natural key may be matched by slug.
    const SLUG_FALLBACK: bool = true;
    /// The id.
    fn id(&self) -> Uuid;
    /// The slug.
    fn slug(&self) -> &str;
    /// The version.
    fn version(&self) -> i32;
    /// The publication state.
    fn status(&self) -> Status;
    /// The natural key's value (see [`Node::KEY_COLUMN`]).
    fn key(&self) -> Option<String> {
        None
    }
    /// A node of the same table that must exist before this one (parent, replacement).
    fn parent(&self) -> Option<Uuid> {
        None
    }
    /// The municipality whose content the node is, when the row says (for change events).
    fn municipality(&self) -> Option<Uuid> {
        None
    }
    /// The `id` column.
    fn id_column() -> <Self::Entity as EntityTrait>::Column;
}

impl super::LinkRow {
    /// Names the row in messages (`measure_theme (measure_id 6b1f…, theme_id 0c2e…)`).
    pub(crate) fn label(&self, def: &LinkDef) -> String {
        format!(
            "{} ({} {}, {} {})",
            def.table, def.left.column, self.left, def.right.column, self.right
        )
    }

    /// The two foreign keys.
    pub(crate) fn refs(&self, def: &'static LinkDef) -> [Ref; 2] {
        [
            Ref::new(def.left.column, node_table(def.left.node), self.left),
            Ref::new(def.right.column, node_table(def.right.node), self.right),
        ]
    }

    /// Rewrites both ends through `map`.
    pub(crate) fn remap(&mut self, def: &LinkDef, map: &IdMap) {
        self.left = map.get(node_table(def.left.node), self.left);
        self.right = map.get(node_table(def.right.node), self.right);
    }
}

/// The table of a node type (every link end is a declared node type).
pub(crate) fn node_table(node: NodeType) -> &'static str {
    node.def().map_or("", |def| def.table)
}

/// Orders `rows` so that a row comes after the row its parent names when both are in `rows` (a parent
/// plan before its sub-plans, a replacing law before the law it replaces, a unit before its sub-units). Rows
/// in a cycle keep their order at the end (the foreign key then reports the problem). Import and the seed
/// loader both write in this order.
pub fn parents_first<T, K: Eq + std::hash::Hash + Copy>(
    rows: Vec<T>,
    id: impl Fn(&T) -> K,
    parent: impl Fn(&T) -> Option<K>,
) -> Vec<T> {
    use std::collections::HashSet;
    let ids: HashSet<K> = rows.iter().map(&id).collect();
    let mut done: HashSet<K> = HashSet::new();
    let mut pending = rows;
    let mut out = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let before = pending.len();
        let (ready, rest): (Vec<T>, Vec<T>) = pending.into_iter().partition(|r| {
            parent(r).is_none_or(|p| p == id(r) || !ids.contains(&p) || done.contains(&p))
        });
        done.extend(ready.iter().map(&id));
        out.extend(ready);
        pending = rest;
        if pending.len() == before {
            out.extend(pending);
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_first() {
        let id = |n: u128| Uuid::from_u128(n);
        // (id, parent): 3 under 2 under 1; 4 points outside; 5 is its own parent.
        let rows = vec![
            (id(3), Some(id(2))),
            (id(2), Some(id(1))),
            (id(4), Some(id(9))),
            (id(1), None),
            (id(5), Some(id(5))),
        ];
        let order: Vec<Uuid> = parents_first(rows, |r| r.0, |r| r.1)
            .into_iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(order, vec![id(4), id(1), id(5), id(2), id(3)]);
    }

    #[test]
    fn unmapped_ids_stay() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut map = IdMap::default();
        map.insert("law", a, b);
        assert_eq!(map.get("law", a), b);
        assert_eq!(map.get("guidance", a), a, "maps are per table");
        assert_eq!(map.opt("law", None), None);
        assert_eq!(map.typed("Measure", a), a);
    }
}
