//! Sharing between municipalities: adoptions by reference (`Adoption`), copies and their provenance
//! (`Derivation`, `FieldChange`), who reused a source (`Reuse`), and each owner's adoption of a joint plan
//! (`PlanAdoption`).

mod adoption;
mod derivation;
mod plan_adoption;
mod reuse;

use async_graphql::{Context, Result};
use oppvekstgraf_entity as entity;
use serde_json::Value;
use uuid::Uuid;

pub use adoption::{Adoption, adoptions_by};
pub use derivation::{Derivation, FieldChange, derivation_of};
pub use plan_adoption::{PlanAdoption, plan_adoptions};
pub use reuse::{Reuse, ReuseKind, reused_by};

use super::municipality::Municipality;
use crate::{
    error::ApiResult,
    graphql::{Node, mutation::transaction::snapshot},
    id::NodeType,
    loader::{load_node, load_released},
};

/// The fields a copy takes over from its source, as stored and as named in the schema.
pub fn content_fields(node: NodeType) -> &'static [(&'static str, &'static str)] {
    match node {
        NodeType::Measure => &[
            ("title", "title"),
            ("summary", "summary"),
            ("body", "body"),
            ("frequency", "frequency"),
        ],
        NodeType::Plan => &[
            ("title", "title"),
            ("kind", "kind"),
            ("period_start", "periodStart"),
            ("period_end", "periodEnd"),
            ("document_url", "documentUrl"),
            ("summary", "summary"),
            ("body", "body"),
        ],
        _ => &[],
    }
}

/// The node type of a stored type name (Measure or Plan).
pub fn shared_type(name: &str) -> NodeType {
    if name == NodeType::Plan.name() {
        NodeType::Plan
    } else {
        NodeType::Measure
    }
}

/// A source node's stored fields and status, if the viewer may reach it (published or archived included).
pub async fn released_source(
    ctx: &Context<'_>,
    node: NodeType,
    id: Uuid,
) -> ApiResult<Option<(Node, Value, entity::enums::Status)>> {
    Ok(match node {
        NodeType::Plan => match load_released::<entity::plan::Entity>(ctx, id).await? {
            Some(m) => Some((snapshot(&m)?, m.status)).map(|(v, s)| (Node::Plan(m.into()), v, s)),
            None => None,
        },
        _ => match load_released::<entity::measure::Entity>(ctx, id).await? {
            Some(m) => {
                Some((snapshot(&m)?, m.status)).map(|(v, s)| (Node::Measure(m.into()), v, s))
            }
            None => None,
        },
    })
}

/// The fields that changed between `copied` (the source as last taken in) and `current` (the source now).
pub fn upstream_changes(
    node: NodeType,
    copied: &Value,
    current: &Value,
) -> Vec<(&'static str, &'static str)> {
    content_fields(node)
        .iter()
        .filter(|(stored, _)| copied.get(stored) != current.get(stored))
        .copied()
        .collect()
}

async fn municipality(ctx: &Context<'_>, id: Uuid) -> Result<Option<Municipality>> {
    let found = load_node::<entity::municipality::Entity>(ctx, id).await;
    found.map(|m| m.map(Municipality::from)).map_err(Into::into)
}
