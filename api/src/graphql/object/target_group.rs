//! `TargetGroup`: a target group (målgruppe).

use crate::graphql::node_fields::{NodeFields, node_fields};
use async_graphql::SimpleObject;
use oppvekstgraf_entity::target_group::Model;

use crate::graphql::common::connection;

/// A target group (målgruppe), e.g. "Barn og unge 0-24 år". Shared by every municipality.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct TargetGroup {
    #[graphql(flatten)]
    pub node: NodeFields,
    /// Label, e.g. "Barn og unge 0-24 år".
    pub label: String,
    /// Lowest age in the group, where it has one.
    pub min_age: Option<i32>,
    /// Highest age in the group, where it has one.
    pub max_age: Option<i32>,
    /// Who the group is.
    pub description: Option<String>,
}

impl From<Model> for TargetGroup {
    fn from(m: Model) -> Self {
        TargetGroup {
            node: node_fields!(TargetGroup, m),
            label: m.label,
            min_age: m.min_age,
            max_age: m.max_age,
            description: m.description,
        }
    }
}

connection!(
    TargetGroupConnection,
    TargetGroupEdge,
    TargetGroup,
    Model,
    "target groups"
);
crate::graphql::common::node_object!(TargetGroup);
