//! `Region`: a named group of municipalities.

use crate::graphql::node_fields::{NodeFields, node_fields};
use async_graphql::SimpleObject;
use oppvekstgraf_entity::region::Model;

use crate::graphql::common::connection;

/// A region: a named group of neighbouring municipalities that work together (Mosseregionen).
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Region {
    #[graphql(flatten)]
    pub node: NodeFields,
    /// Name, e.g. "Mosseregionen".
    pub name: String,
    /// What the region is.
    pub description: Option<String>,
}

impl From<Model> for Region {
    fn from(m: Model) -> Self {
        Region {
            node: node_fields!(Region, m),
            name: m.name,
            description: m.description,
        }
    }
}

connection!(RegionConnection, RegionEdge, Region, Model, "regions");
crate::graphql::common::node_object!(Region);
