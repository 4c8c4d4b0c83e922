//! The root query fields a node type declares (`Query.<type>` and `Query.<list>`).

use crate::{Filter, Sort};

/// A node type's two root query fields: `Query.<type>` finds one node, `Query.<list>` lists them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Root {
    /// How `Query.<type>` finds one node.
    pub one: Lookup,
    /// The list field's GraphQL name, e.g. `targetGroups`.
    pub list: &'static str,
    /// The list field's description.
    pub doc: &'static str,
    /// The list field's `filter` argument ([`Filter::Search`] or [`Filter::Typed`]).
    pub filter: Filter,
    /// The list field's order.
    pub sort: Sort,
}

/// How a root field finds one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// By `slug` or `id`; the text is an example slug for the argument's description.
    Slug(&'static str),
    /// Written by hand as `<Type>Lookup` in the type's module, because the type has keys of its own; the text
    /// says which.
    ByHand(&'static str),
}
