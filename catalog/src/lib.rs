//! The shape of the content graph, declared once: its node types, the link tables between them, and the
//! other tables that record things about nodes. Plain data, with no database or GraphQL code, at the bottom
//! of the house: everything that iterates over the graph (cache invalidation, the test dumps, bulk loading,
//! the link mutations) reads it from here instead of keeping a list of its own.
//!
//! Migrations never read it: history stays frozen, and a test checks this declaration against what the
//! migrations built, on SQLite and on PostgreSQL.

mod build;
pub mod codegen;
mod fields;
mod graph;
mod relation;
mod root;
mod tables;

pub use fields::{Editing, Editor, FieldDef, Kind, Languages, Max, Object, Update};
pub use graph::{LINKS, RELATIONS};
pub use relation::{Field, Filter, Listing, OWN_ORDER, RelationDef, Sort, Via};
pub use root::{Lookup, Root};
pub use tables::{NODES, RECORDS};

/// The node types of the graph, as named in the GraphQL schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeType {
    Municipality,
    Region,
    Plan,
    Goal,
    Measure,
    Unit,
    Law,
    LegalReference,
    Guidance,
    Publisher,
    Concept,
    Theme,
    TargetGroup,
    /// A revision of a node (not fetchable through `node(id)`).
    Revision,
}

impl NodeType {
    /// Every node type.
    pub const ALL: [NodeType; 14] = [
        NodeType::Municipality,
        NodeType::Region,
        NodeType::Plan,
        NodeType::Goal,
        NodeType::Measure,
        NodeType::Unit,
        NodeType::Law,
        NodeType::LegalReference,
        NodeType::Guidance,
        NodeType::Publisher,
        NodeType::Concept,
        NodeType::Theme,
        NodeType::TargetGroup,
        NodeType::Revision,
    ];

    /// The GraphQL type name.
    pub const fn name(self) -> &'static str {
        match self {
            NodeType::Municipality => "Municipality",
            NodeType::Region => "Region",
            NodeType::Plan => "Plan",
            NodeType::Goal => "Goal",
            NodeType::Measure => "Measure",
            NodeType::Unit => "Unit",
            NodeType::Law => "Law",
            NodeType::LegalReference => "LegalReference",
            NodeType::Guidance => "Guidance",
            NodeType::Publisher => "Publisher",
            NodeType::Concept => "Concept",
            NodeType::Theme => "Theme",
            NodeType::TargetGroup => "TargetGroup",
            NodeType::Revision => "Revision",
        }
    }

    /// The node type of a GraphQL type name.
    pub fn from_name(name: &str) -> Option<NodeType> {
        NodeType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The declaration of this node type; None for revisions, which are records (see [`RECORDS`]).
    pub fn def(self) -> Option<&'static NodeDef> {
        NODES.iter().find(|def| def.node == self)
    }
}

/// A node type's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeDef {
    pub node: NodeType,
    /// The table of its rows. Every node table has the columns of [`NODE_COLUMNS`].
    pub table: &'static str,
    /// The column that names a node for people and orders lists by name (`NAME_ASC`).
    pub name_column: &'static str,
    /// Which municipalities own a node: their editors see its drafts and may change it.
    pub owner: Owner,
    /// Its root query fields.
    pub root: Root,
    /// Its create and update mutations.
    pub editor: Editor,
}

/// Which municipalities own a node of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// None: shared national content, which only admins change.
    Registry,
    /// The node is a municipality, and owns itself (its own editors may not change it, though: only admins
    /// change municipalities).
    Itself,
    /// The municipality in this column of the node's own row.
    Column(&'static str),
    /// The municipalities of this link table, whose left end is the node (a joint plan's owners).
    Link(&'static str),
    /// The owners of the node this column points at, which is of a type owned through [`Owner::Link`] (a
    /// goal belongs to its plan's owners).
    Via {
        column: &'static str,
        node: NodeType,
    },
}

/// The columns every node table has, besides its own.
pub const NODE_COLUMNS: &[&str] = &[
    "id",
    "slug",
    "status",
    "language",
    "version",
    "created_at",
    "updated_at",
];

/// One end of a link: the node type and the link table's column that holds its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct End {
    pub node: NodeType,
    pub column: &'static str,
}

/// A link table: an edge between two nodes, owned by the left one (a link change is a new version of the
/// left node). Every link table has the two end columns (its primary key, in that order), a `position`
/// ordering the left node's links, and `role` when [`LinkDef::has_role`] says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkDef {
    pub table: &'static str,
    pub left: End,
    pub right: End,
    /// The values of the edge's `role` column, as stored (a unit leads or takes part); empty for a table
    /// without one.
    pub roles: &'static [&'static str],
    /// Which part of a municipality's export carries the edge: shared links join shared nodes; owned links
    /// hang off the municipality's own content, their left end.
    pub section: Section,
    /// Whether a copy of the left node (another municipality adopting it as a COPY) keeps the edge.
    pub copy: OnCopy,
    /// A symmetric edge is stored in both directions, and linked or unlinked in both at once (neighbours).
    pub symmetric: bool,
    /// The linked-data terms of the edge in the `/ld/` documents of its two ends.
    pub ld: Terms,
    /// Its link and unlink mutations.
    pub edit: Edit,
}

/// What a copy of the left node does with a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnCopy {
    /// The copy links to the same nodes, in the same order (the themes of a copied measure).
    Kept,
    /// The copy starts without (a measure's related plans and goals belong to the source's context).
    Dropped,
    /// Written by hand, for the reason given.
    ByHand(&'static str),
}

/// The `link…` and `unlink…` mutations of a link table: `measureLinkUnit(input: {measure, unit, role})`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edit {
    /// What the right node is to the left one, in the mutation names (`relatedPlan`: `measureLinkRelatedPlan`).
    pub name: &'static str,
    /// The input field that names the right node (`plan`).
    pub input: &'static str,
    /// Which right nodes may be linked.
    pub target: Linkable,
    /// The GraphQL and database enum of the `role` column, when the link has one.
    pub role: Option<&'static str>,
    /// What a link is, completing "Links: …" (lower-case, ending with a full stop).
    pub doc: &'static str,
}

/// Which nodes a link may point at, besides what the left node's editor may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linkable {
    /// Shared national content, or any published node: it only has to be visible.
    Visible,
    /// Municipal content of the same municipality as the left node (or a national unit).
    SameMunicipality,
    /// A municipality as a plan owner: only admins change owner lists, and a plan keeps at least one owner.
    Owner,
}

/// The two parts of a municipality's export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// National and neighbouring content the municipality's content links to, matched by natural key on
    /// import.
    Shared,
    /// The municipality's own content, upserted by id on import.
    Owned,
}

impl Section {
    /// The key of the section in the export document.
    pub const fn key(self) -> &'static str {
        match self {
            Section::Shared => "shared",
            Section::Owned => "owned",
        }
    }
}

/// The linked-data terms of a link: the property the left node's document lists the right nodes under, and
/// the one the right node's document lists the left nodes under (None: not listed there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub left: Option<&'static str>,
    pub right: Option<&'static str>,
}

impl Terms {
    /// No terms: the edge is not in the linked-data documents, or its terms are written by hand (a unit
    /// leads or takes part in a measure, and the term depends on the role).
    pub const NONE: Terms = Terms {
        left: None,
        right: None,
    };

    /// A term on the left node's document only.
    pub const fn left(term: &'static str) -> Terms {
        Terms {
            left: Some(term),
            right: None,
        }
    }
}

/// Whether two strings are equal, in a const context.
pub(crate) const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl LinkDef {
    /// The declared link table `table`, for constants: naming a table the catalog does not declare is a
    /// compile error there (and a panic elsewhere).
    pub const fn get(table: &str) -> &'static LinkDef {
        let mut i = 0;
        while i < LINKS.len() {
            if same(LINKS[i].table, table) {
                return &LINKS[i];
            }
            i += 1;
        }
        panic!("the catalog declares no such link table")
    }

    /// The link table named `table`.
    pub fn named(table: &str) -> Option<&'static LinkDef> {
        LINKS.iter().find(|link| link.table == table)
    }

    /// The table's columns, in the order the migrations create them.
    pub fn columns(&self) -> Vec<&'static str> {
        let mut columns = vec![self.left.column, self.right.column, "position"];
        if self.has_role() {
            columns.push("role");
        }
        columns
    }

    /// Whether the table has a `role` column.
    pub const fn has_role(&self) -> bool {
        !self.roles.is_empty()
    }

    /// Whether either end is of `node`'s type.
    pub fn touches(&self, node: NodeType) -> bool {
        self.left.node == node || self.right.node == node
    }
}

/// A table that is neither a node table nor a link table: the history, the sharing model, tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordDef {
    pub table: &'static str,
    /// The two columns of node ids it connects, when it is an edge of the graph as well (an adoption
    /// connects a municipality with what it adopted): a change to one end may change what the other shows.
    pub edge: Option<(&'static str, &'static str)>,
    /// Whether it holds secrets that never leave the installation (tokens): left out of table dumps.
    pub secret: bool,
    /// Whether a municipality's export carries its rows. The history and the change feed stay with the
    /// installation that recorded them, and tokens never leave it; every node and link table is exported.
    pub exported: bool,
}

/// Every table of the graph, node tables first (in [`NODES`] order), then link tables, then records.
pub fn tables() -> impl Iterator<Item = &'static str> {
    NODES
        .iter()
        .map(|node| node.table)
        .chain(LINKS.iter().map(|link| link.table))
        .chain(RECORDS.iter().map(|record| record.table))
}

/// The edges of the graph as (table, one node column, the other node column): every link table, and every
/// record that connects two nodes.
pub fn edges() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    LINKS
        .iter()
        .map(|link| (link.table, link.left.column, link.right.column))
        .chain(
            RECORDS
                .iter()
                .filter_map(|record| record.edge.map(|(a, b)| (record.table, a, b))),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_node_type_but_revision_has_one_table() {
        for node in NodeType::ALL {
            let defs = NODES.iter().filter(|def| def.node == node).count();
            let expected = usize::from(node != NodeType::Revision);
            assert_eq!(defs, expected, "{node:?}");
        }
    }

    #[test]
    fn tables_are_named_once() {
        let mut names: Vec<_> = tables().collect();
        let all = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all, "a table is declared twice");
    }

    #[test]
    fn owner_rules_point_at_what_exists() {
        for def in NODES {
            match def.owner {
                Owner::Link(table) => {
                    let link = LinkDef::named(table).expect("an owner link is a link table");
                    assert_eq!(link.left.node, def.node, "{}", def.table);
                    assert_eq!(link.right.node, NodeType::Municipality, "{}", def.table);
                }
                Owner::Via { node, .. } => {
                    let target = node.def().expect("a declared node type");
                    assert!(matches!(target.owner, Owner::Link(_)), "{}", def.table);
                }
                Owner::Itself => assert_eq!(def.node, NodeType::Municipality),
                Owner::Registry | Owner::Column(_) => {}
            }
        }
    }

    #[test]
    fn link_ends_are_declared_node_types() {
        for link in LINKS {
            assert!(link.left.node.def().is_some(), "{}", link.table);
            assert!(link.right.node.def().is_some(), "{}", link.table);
            assert_ne!(link.left.column, link.right.column, "{}", link.table);
        }
    }
}
