//! `TargetGroup`: a target group (målgruppe).

use super::fields::TargetGroupFields;
use oppvekstgraf_entity::target_group::Model;

use crate::graphql::common::connection;

crate::graphql::common::with_relations! {
    /// A target group (målgruppe), e.g. "Barn og unge 0-24 år". Shared by every municipality.
    TargetGroup(TargetGroupFields)
}

connection!(
    TargetGroupConnection,
    TargetGroupEdge,
    TargetGroup,
    Model,
    "target groups"
);
crate::graphql::common::node_object!(TargetGroup);
