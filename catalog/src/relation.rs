//! Relations: every kind of edge between node types, with the GraphQL fields that list it. A link table is
//! one kind; a column of a node table that holds another node's id is another; a few edges are derived in
//! SQL written by hand. [`crate::RELATIONS`] declares them in the order their fields appear on each type.

use crate::{End, LinkDef, NodeType, same};

/// One relation of the graph and the fields that list it on its two ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelationDef {
    pub via: Via,
    /// The field on the left node's type that lists the right nodes. For a [`Via::Column`] relation that is
    /// the to-one reference (a goal's plan), always written by hand.
    pub left: Listing,
    /// The field on the right node's type that lists the left nodes (a theme's measures, a plan's goals).
    pub right: Listing,
}

/// How a relation's edges are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A link table.
    Link(LinkDef),
    /// The column `left.column` of the left node's table holds the id of a node of type `right` (a goal's
    /// `plan_id`). Its to-many field lists left nodes in `order` (empty: by name).
    Column {
        left: End,
        right: NodeType,
        order: &'static [&'static str],
    },
    /// An edge derived by a query written by hand: `table` is a SQL subquery with the two end columns (a
    /// region's measures are its members' measures). Read-only: it is changed through what it derives from.
    Derived {
        name: &'static str,
        table: &'static str,
        left: End,
        right: End,
        order: &'static [&'static str],
    },
}

/// Whether, and how, one end of a relation has a field listing the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// A to-many field generated from the declaration (see `Field`).
    Field(Field),
    /// A field written by hand, because it has semantics of its own (named here, with the reason).
    ByHand(&'static str),
    /// No field (the other end of a symmetric link lists it already).
    Unlisted,
}

/// A to-many field: a Relay connection of the nodes at the other end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The GraphQL field name.
    pub name: &'static str,
    /// Its description; a `\n` breaks the line, as in a doc comment.
    pub doc: &'static str,
    pub filter: Filter,
    pub sort: Sort,
    /// The GraphQL connection type when its edges carry the link's role; None: the listed type's own.
    pub connection: Option<&'static str>,
}

/// The `filter` argument of a to-many field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// None.
    None,
    /// A text search on the listed type's name column, and publication states.
    Search,
    /// The listed type's own filter input (`MeasureFilter` for measures).
    Typed,
}

/// The order of a to-many field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// An `orderBy` argument; the text names the default order ("the relation's own order").
    Argument(&'static str),
    /// No argument: the relation's own order.
    Fixed,
    /// No argument: by name.
    ByName,
}

/// The default of [`Sort::Argument`].
pub const OWN_ORDER: Sort = Sort::Argument("the relation's own order");

/// A field listing the other end, unfiltered, with an `orderBy` argument defaulting to the relation's order.
pub const fn field(name: &'static str, doc: &'static str) -> Listing {
    Listing::Field(Field {
        name,
        doc,
        filter: Filter::None,
        sort: OWN_ORDER,
        connection: None,
    })
}

impl Listing {
    const fn map(self, change: Change) -> Listing {
        match self {
            Listing::Field(mut field) => {
                match change {
                    Change::Filter(filter) => field.filter = filter,
                    Change::Sort(sort) => field.sort = sort,
                    Change::Connection(name) => field.connection = Some(name),
                }
                Listing::Field(field)
            }
            other => other,
        }
    }

    /// With the listed type's own filter.
    pub const fn typed(self) -> Listing {
        self.map(Change::Filter(Filter::Typed))
    }

    /// With a text search.
    pub const fn search(self) -> Listing {
        self.map(Change::Filter(Filter::Search))
    }

    /// In another order.
    pub const fn sort(self, sort: Sort) -> Listing {
        self.map(Change::Sort(sort))
    }

    /// With edges of their own type, carrying the role.
    pub const fn edges(self, connection: &'static str) -> Listing {
        self.map(Change::Connection(connection))
    }

    /// The generated field, if any.
    pub const fn field(&self) -> Option<&Field> {
        match self {
            Listing::Field(field) => Some(field),
            _ => None,
        }
    }
}

enum Change {
    Filter(Filter),
    Sort(Sort),
    Connection(&'static str),
}

impl RelationDef {
    /// A relation through a link table.
    pub const fn link(link: LinkDef, left: Listing, right: Listing) -> RelationDef {
        RelationDef {
            via: Via::Link(link),
            left,
            right,
        }
    }

    /// A relation through the column `left.column` of the left node's table, which holds the id of a
    /// `right` node; `to_one` is the left end's reference, `to_many` the right end's list.
    pub const fn column(
        left: End,
        right: NodeType,
        order: &'static [&'static str],
        to_one: Listing,
        to_many: Listing,
    ) -> RelationDef {
        RelationDef {
            via: Via::Column { left, right, order },
            left: to_one,
            right: to_many,
        }
    }

    /// The node types of the two ends.
    pub const fn ends(&self) -> (NodeType, NodeType) {
        match self.via {
            Via::Link(link) => (link.left.node, link.right.node),
            Via::Column { left, right, .. } => (left.node, right),
            Via::Derived { left, right, .. } => (left.node, right.node),
        }
    }

    /// The relation of the link table `table`, for constants (a compile error there when undeclared).
    pub const fn of_link(table: &str) -> &'static RelationDef {
        let mut i = 0;
        while i < crate::RELATIONS.len() {
            if let Via::Link(link) = &crate::RELATIONS[i].via
                && same(link.table, table)
            {
                return &crate::RELATIONS[i];
            }
            i += 1;
        }
        panic!("the catalog declares no such link table")
    }

    /// The relation of the column `column` of `node`'s table, for constants.
    pub const fn of_column(node: NodeType, column: &str) -> &'static RelationDef {
        let mut i = 0;
        while i < crate::RELATIONS.len() {
            if let Via::Column { left, .. } = &crate::RELATIONS[i].via
                && left.node as u8 == node as u8
                && same(left.column, column)
            {
                return &crate::RELATIONS[i];
            }
            i += 1;
        }
        panic!("the catalog declares no such column relation")
    }

    /// The derived relation `name`, for constants.
    pub const fn of_derived(name: &str) -> &'static RelationDef {
        let mut i = 0;
        while i < crate::RELATIONS.len() {
            if let Via::Derived { name: own, .. } = &crate::RELATIONS[i].via
                && same(own, name)
            {
                return &crate::RELATIONS[i];
            }
            i += 1;
        }
        panic!("the catalog declares no such derived relation")
    }
}

/// The link tables among `relations`, in their order (how [`crate::LINKS`] is made).
pub(crate) const fn links<const N: usize>(relations: &[RelationDef]) -> [LinkDef; N] {
    let mut out = [PLACEHOLDER; N];
    let (mut i, mut j) = (0, 0);
    while i < relations.len() {
        if let Via::Link(link) = relations[i].via {
            out[j] = link;
            j += 1;
        }
        i += 1;
    }
    assert!(j == N, "the count of link tables is off");
    out
}

/// How many link tables `relations` has.
pub(crate) const fn link_count(relations: &[RelationDef]) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < relations.len() {
        if let Via::Link(_) = relations[i].via {
            n += 1;
        }
        i += 1;
    }
    n
}

const PLACEHOLDER: LinkDef = LinkDef {
    table: "",
    left: End {
        node: NodeType::Revision,
        column: "",
    },
    right: End {
        node: NodeType::Revision,
        column: "",
    },
    roles: &[],
    section: crate::Section::Shared,
    copy: crate::OnCopy::Dropped,
    symmetric: false,
    ld: crate::Terms::NONE,
    edit: crate::Edit {
        name: "",
        input: "",
        target: crate::Linkable::Visible,
        role: None,
        doc: "",
    },
};
