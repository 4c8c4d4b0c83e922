//! `Region`: a named group of municipalities.

use super::fields::RegionFields;
use oppvekstgraf_entity::region::Model;

use crate::graphql::common::connection;

crate::graphql::common::with_relations! {
    /// A region: a named group of neighbouring municipalities that work together (Mosseregionen).
    Region(RegionFields)
}

connection!(RegionConnection, RegionEdge, Region, Model, "regions");
crate::graphql::common::node_object!(Region);
