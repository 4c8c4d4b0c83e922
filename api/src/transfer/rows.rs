//! What the transfer knows about each table's rows: their foreign keys (to validate them and rewrite them
//! through the id map), their identity, version and natural key (to match shared nodes and upsert owned
//! ones), and for link tables their two ends, position and role.

use std::collections::HashMap;

use oppvekstgraf_entity::{self as entity, enums::Status};
use sea_orm::{EntityTrait, IntoActiveModel};
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

/// Implements [`Row`], [`Stored`] and [`Node`] for a node table. `refs` lists the foreign keys as
/// `field => table` (`?` for nullable ones); `parent`, `key` and `municipality` are optional accessors.
macro_rules! node_rows {
    ($(
        $module:ident => $node:ident {
            refs: [$($field:ident => $table:literal $($opt:tt)?),*]
            $(, key: $key_col:literal => |$k:ident| $key:expr, slug_fallback: $fallback:literal)?
            $(, parent: $parent:ident)?
            $(, municipality: |$mm:ident| $municipality:expr)?
        }
    )*) => {$(
        impl Row for entity::$module::Model {
            const TABLE: &'static str = stringify!($module);
            fn label(&self) -> String {
                format!("{} {} ({})", Self::TABLE, self.id, self.slug)
            }
            fn refs(&self) -> Vec<Ref> {
                let refs: Vec<Option<Ref>> = vec![$(node_rows!(@ref self, $field, $table $($opt)?)),*];
                refs.into_iter().flatten().collect()
            }
            fn remap(&mut self, _map: &IdMap) {
                $(node_rows!(@remap _map, self, $field, $table $($opt)?);)*
            }
        }

        impl Stored for entity::$module::Model {
            type Entity = entity::$module::Entity;
            fn into_active(self) -> entity::$module::ActiveModel {
                self.into_active_model()
            }
        }

        impl Node for entity::$module::Model {
            const NODE: NodeType = NodeType::$node;
            $(
            const KEY_COLUMN: Option<&'static str> = Some($key_col);
            const SLUG_FALLBACK: bool = $fallback;
            fn key(&self) -> Option<String> {
                let $k = self;
                $key
            }
            )?
            fn id(&self) -> Uuid {
                self.id
            }
            fn slug(&self) -> &str {
                &self.slug
            }
            fn version(&self) -> i32 {
                self.version
            }
            fn status(&self) -> Status {
                self.status
            }
            $(
            fn parent(&self) -> Option<Uuid> {
                self.$parent
            }
            )?
            $(
            fn municipality(&self) -> Option<Uuid> {
                let $mm = self;
                $municipality
            }
            )?
            fn id_column() -> entity::$module::Column {
                entity::$module::Column::Id
            }
        }
    )*};
    (@ref $self:ident, $field:ident, $table:literal ?) => {
        Ref::opt(stringify!($field), $table, $self.$field)
    };
    (@ref $self:ident, $field:ident, $table:literal) => {
        Some(Ref::new(stringify!($field), $table, $self.$field))
    };
    (@remap $map:ident, $self:ident, $field:ident, $table:literal ?) => {
        $self.$field = $map.opt($table, $self.$field);
    };
    (@remap $map:ident, $self:ident, $field:ident, $table:literal) => {
        $self.$field = $map.get($table, $self.$field);
    };
}

node_rows!(
    municipality => Municipality {
        refs: [],
        key: "number" => |m| Some(m.number.clone()), slug_fallback: false,
        municipality: |m| Some(m.id)
    }
    region => Region { refs: [] }
    publisher => Publisher {
        refs: [],
        key: "organization_number" => |p| p.organization_number.clone(), slug_fallback: true
    }
    theme => Theme {
        refs: [],
        key: "los_uri" => |t| t.los_uri.clone(), slug_fallback: true
    }
    target_group => TargetGroup { refs: [] }
    law => Law {
        refs: [replaced_by_id => "law" ?],
        key: "lovdata_id" => |l| Some(l.lovdata_id.clone()), slug_fallback: false,
        parent: replaced_by_id
    }
    legal_reference => LegalReference {
        refs: [law_id => "law"],
        key: "natural_key" => |r| Some(r.natural_key.clone()), slug_fallback: false
    }
    guidance => Guidance {
        refs: [replaces_id => "guidance" ?],
        key: "code" => |g| g.code.clone(), slug_fallback: true,
        parent: replaces_id
    }
    concept => Concept { refs: [source_guidance_id => "guidance" ?] }
    unit => Unit {
        refs: [municipality_id => "municipality" ?, parent_id => "unit" ?],
        parent: parent_id,
        municipality: |u| u.municipality_id
    }
    plan => Plan {
        refs: [adopted_by_id => "unit" ?, parent_id => "plan" ?],
        parent: parent_id
    }
    goal => Goal { refs: [plan_id => "plan"] }
    measure => Measure {
        refs: [plan_id => "plan" ?, municipality_id => "municipality"],
        municipality: |m| Some(m.municipality_id)
    }
);

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

impl Row for entity::municipality_former_number::Model {
    const TABLE: &'static str = "municipality_former_number";
    fn label(&self) -> String {
        format!("{} {} ({})", Self::TABLE, self.id, self.number)
    }
    fn refs(&self) -> Vec<Ref> {
        vec![Ref::new(
            "municipality_id",
            "municipality",
            self.municipality_id,
        )]
    }
    fn remap(&mut self, map: &IdMap) {
        self.municipality_id = map.get("municipality", self.municipality_id);
    }
}

impl Stored for entity::municipality_former_number::Model {
    type Entity = entity::municipality_former_number::Entity;
    fn into_active(self) -> entity::municipality_former_number::ActiveModel {
        self.into_active_model()
    }
}

impl Row for entity::plan_adoption::Model {
    const TABLE: &'static str = "plan_adoption";
    fn label(&self) -> String {
        format!(
            "{} (plan_id {}, municipality_id {})",
            Self::TABLE,
            self.plan_id,
            self.municipality_id
        )
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = vec![
            Ref::new("plan_id", "plan", self.plan_id),
            Ref::new("municipality_id", "municipality", self.municipality_id),
        ];
        out.extend(Ref::opt("adopted_by_id", "unit", self.adopted_by_id));
        out
    }
    fn remap(&mut self, map: &IdMap) {
        self.plan_id = map.get("plan", self.plan_id);
        self.municipality_id = map.get("municipality", self.municipality_id);
        self.adopted_by_id = map.opt("unit", self.adopted_by_id);
    }
}

impl Stored for entity::plan_adoption::Model {
    type Entity = entity::plan_adoption::Entity;
    fn into_active(self) -> entity::plan_adoption::ActiveModel {
        self.into_active_model()
    }
}

impl Row for entity::adoption::Model {
    const TABLE: &'static str = "adoption";
    fn label(&self) -> String {
        format!("{} {}", Self::TABLE, self.id)
    }
    /// The source is a loose reference: it may name a node that is not in the document (another
    /// municipality's measure), and is kept as it is then.
    fn refs(&self) -> Vec<Ref> {
        vec![Ref::new(
            "municipality_id",
            "municipality",
            self.municipality_id,
        )]
    }
    fn remap(&mut self, map: &IdMap) {
        self.municipality_id = map.get("municipality", self.municipality_id);
        self.source_id = map.typed(&self.node_type, self.source_id);
    }
}

impl Stored for entity::adoption::Model {
    type Entity = entity::adoption::Entity;
    fn into_active(self) -> entity::adoption::ActiveModel {
        self.into_active_model()
    }
}

impl Row for entity::derivation::Model {
    const TABLE: &'static str = "derivation";
    fn label(&self) -> String {
        format!("{} {}", Self::TABLE, self.id)
    }
    /// The copy, its source and the source's municipality are loose references (no foreign key): rewritten
    /// when the document carries them, kept as they are otherwise.
    fn refs(&self) -> Vec<Ref> {
        vec![Ref::new(
            "municipality_id",
            "municipality",
            self.municipality_id,
        )]
    }
    fn remap(&mut self, map: &IdMap) {
        self.municipality_id = map.get("municipality", self.municipality_id);
        self.node_id = map.typed(&self.node_type, self.node_id);
        self.source_id = map.typed(&self.node_type, self.source_id);
        self.source_municipality_id = map.opt("municipality", self.source_municipality_id);
    }
}

impl Stored for entity::derivation::Model {
    type Entity = entity::derivation::Entity;
    fn into_active(self) -> entity::derivation::ActiveModel {
        self.into_active_model()
    }
}

/// Orders `rows` so that a row comes after the row its parent names when both are in `rows` (a parent
/// plan before its sub-plans, a replacing law before the law it replaces). Rows in a cycle keep their order
/// at the end (the foreign key then reports the problem).
pub(crate) fn parents_first<T>(
    rows: Vec<T>,
    id: impl Fn(&T) -> Uuid,
    parent: impl Fn(&T) -> Option<Uuid>,
) -> Vec<T> {
    use std::collections::HashSet;
    let ids: HashSet<Uuid> = rows.iter().map(&id).collect();
    let mut done: HashSet<Uuid> = HashSet::new();
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
