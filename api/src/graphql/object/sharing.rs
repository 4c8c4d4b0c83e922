//! Sharing between municipalities: adoptions by reference (`Adoption`), copies and their provenance
//! (`Derivation`, `FieldChange`), who reused a source (`Reuse`), and each owner's adoption of a joint plan
//! (`PlanAdoption`).

use async_graphql::{ComplexObject, Context, Enum, ID, Json, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use oppvekstgraf_entity::{self as entity, adoption, derivation, plan_adoption};
use serde_json::Value;
use uuid::Uuid;

use super::{municipality::Municipality, unit::Unit};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        Node,
        enums::{DerivationMode, Status},
        mutation::transaction::snapshot,
    },
    id::{GlobalId, NodeType},
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

/// A municipality's adoption of another municipality's measure or plan by reference: the adopter lists the
/// source as its own, read-only; the source stays with its owner.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Adoption {
    /// GraphQL type of the source: "Measure" or "Plan".
    pub source_type: String,
    /// Global ID of the source.
    pub source_id: ID,
    /// The source's version when it was adopted.
    pub source_version: i32,
    /// When it was adopted.
    pub adopted_at: DateTime<Utc>,
    /// Name of the token that adopted it.
    pub adopted_by: String,
    #[graphql(skip)]
    pub model: adoption::Model,
}

impl From<adoption::Model> for Adoption {
    fn from(m: adoption::Model) -> Self {
        Adoption {
            source_type: m.node_type.clone(),
            source_id: ID(GlobalId::new(shared_type(&m.node_type), m.source_id).encode()),
            source_version: m.source_version,
            adopted_at: m.created_at,
            adopted_by: m.actor_name.clone(),
            model: m,
        }
    }
}

#[ComplexObject]
impl Adoption {
    /// The adopting municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Option<Municipality>> {
        municipality(ctx, self.model.municipality_id).await
    }

    /// The source as it is now; it keeps resolving when its owner archives it. Null only when it went back
    /// to draft.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        let found = released_source(
            ctx,
            shared_type(&self.model.node_type),
            self.model.source_id,
        )
        .await;
        found.map(|f| f.map(|(n, ..)| n)).map_err(Into::into)
    }

    /// The source's status now (ARCHIVED when its owner archived it); null when it cannot be seen.
    async fn source_status(&self, ctx: &Context<'_>) -> Result<Option<Status>> {
        let found = released_source(
            ctx,
            shared_type(&self.model.node_type),
            self.model.source_id,
        )
        .await;
        found
            .map(|f| f.map(|(_, _, s)| s.into()))
            .map_err(Into::into)
    }
}

/// A copy's provenance: the node it was copied from, at which version, when, by whom and how; and whether the
/// source changed since the copy last took its changes in.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Derivation {
    /// GraphQL type of the copy and its source: "Measure" or "Plan".
    pub source_type: String,
    /// Global ID of the source.
    pub source_id: ID,
    /// The source's version when it was copied.
    pub source_version: i32,
    /// How the copy relates to its source.
    pub mode: DerivationMode,
    /// When it was copied.
    pub copied_at: DateTime<Utc>,
    /// Name of the token that copied it.
    pub copied_by: String,
    /// The source version the copy last took in (by copying, accepting or dismissing upstream changes).
    pub upstream_version: i32,
    /// When the copy last took the source's changes in (or dismissed them).
    pub upstream_synced_at: DateTime<Utc>,
    #[graphql(skip)]
    pub model: derivation::Model,
}

impl From<derivation::Model> for Derivation {
    fn from(m: derivation::Model) -> Self {
        Derivation {
            source_type: m.node_type.clone(),
            source_id: ID(GlobalId::new(shared_type(&m.node_type), m.source_id).encode()),
            source_version: m.source_version,
            mode: m.mode.into(),
            copied_at: m.created_at,
            copied_by: m.actor_name.clone(),
            upstream_version: m.upstream_version,
            upstream_synced_at: m.upstream_synced_at,
            model: m,
        }
    }
}

/// One field that changed upstream since the copy last took the source in.
#[derive(SimpleObject, Clone)]
pub struct FieldChange {
    /// The field, as named in the schema (e.g. "title", "periodEnd").
    pub field: String,
    /// The source's value when the copy last took it in.
    pub copied: Json<Value>,
    /// The source's value now.
    pub upstream: Json<Value>,
    /// The copy's own value now (it may have been adapted).
    pub local: Json<Value>,
}

impl Derivation {
    async fn source_state(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<(Node, Value, entity::enums::Status)>> {
        released_source(
            ctx,
            shared_type(&self.model.node_type),
            self.model.source_id,
        )
        .await
    }

    async fn copy_state(&self, ctx: &Context<'_>) -> ApiResult<Option<Value>> {
        Ok(match shared_type(&self.model.node_type) {
            NodeType::Plan => {
                match load_node::<entity::plan::Entity>(ctx, self.model.node_id).await? {
                    Some(m) => Some(snapshot(&m)?),
                    None => None,
                }
            }
            _ => match load_node::<entity::measure::Entity>(ctx, self.model.node_id).await? {
                Some(m) => Some(snapshot(&m)?),
                None => None,
            },
        })
    }
}

#[ComplexObject]
impl Derivation {
    /// The source as it is now; it keeps resolving when its owner archives it.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        let found = self.source_state(ctx).await;
        found.map(|f| f.map(|(n, ..)| n)).map_err(Into::into)
    }

    /// The municipality that owned the source when it was copied.
    async fn source_municipality(&self, ctx: &Context<'_>) -> Result<Option<Municipality>> {
        match self.model.source_municipality_id {
            Some(id) => municipality(ctx, id).await,
            None => Ok(None),
        }
    }

    /// The source's status now: ARCHIVED when its owner archived it (the copy is unaffected).
    async fn source_status(&self, ctx: &Context<'_>) -> Result<Option<Status>> {
        let found = self.source_state(ctx).await;
        found
            .map(|f| f.map(|(_, _, s)| s.into()))
            .map_err(Into::into)
    }

    /// True when the source's content changed since the copy last took it in: see `upstreamDiff`, then
    /// accept or dismiss the changes.
    async fn upstream_changed(&self, ctx: &Context<'_>) -> Result<bool> {
        let found = self.source_state(ctx).await?;
        Ok(found.is_some_and(|(_, current, _)| {
            !upstream_changes(
                shared_type(&self.model.node_type),
                &self.model.upstream_snapshot,
                &current,
            )
            .is_empty()
        }))
    }

    /// The source's field-level changes since the copy last took it in, with the copy's own value beside.
    async fn upstream_diff(&self, ctx: &Context<'_>) -> Result<Vec<FieldChange>> {
        let inner = async {
            let Some((_, current, _)) = self.source_state(ctx).await? else {
                return Ok(Vec::new());
            };
            let local = self.copy_state(ctx).await?.unwrap_or(Value::Null);
            let copied = &self.model.upstream_snapshot;
            let node = shared_type(&self.model.node_type);
            Ok::<_, ApiError>(
                upstream_changes(node, copied, &current)
                    .into_iter()
                    .map(|(stored, name)| FieldChange {
                        field: name.to_string(),
                        copied: Json(copied.get(stored).cloned().unwrap_or(Value::Null)),
                        upstream: Json(current.get(stored).cloned().unwrap_or(Value::Null)),
                        local: Json(local.get(stored).cloned().unwrap_or(Value::Null)),
                    })
                    .collect(),
            )
        };
        inner.await.map_err(Into::into)
    }
}

/// How a municipality reused a source.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ReuseKind {
    /// Listed as its own by reference; the source stays with its owner.
    Reference,
    /// Copied into a node of its own, linked back to the source.
    Copy,
}

/// One reuse of a measure or plan by another municipality.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Reuse {
    /// By reference or as a copy.
    pub kind: ReuseKind,
    /// For a copy: copied, adapted or translated.
    pub mode: Option<DerivationMode>,
    /// The source's version when it was reused.
    pub source_version: i32,
    /// When it was reused.
    pub reused_at: DateTime<Utc>,
    #[graphql(skip)]
    pub municipality_id: Uuid,
    #[graphql(skip)]
    pub copy: Option<(NodeType, Uuid)>,
}

#[ComplexObject]
impl Reuse {
    /// The municipality that reused it.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Option<Municipality>> {
        municipality(ctx, self.municipality_id).await
    }

    /// The copy, for a reuse by copy (null for a reference).
    async fn copy(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        let Some((node, id)) = self.copy else {
            return Ok(None);
        };
        crate::graphql::node::fetch(ctx, GlobalId::new(node, id))
            .await
            .map_err(Into::into)
    }
}

/// One owner's adoption of a plan: a joint plan is adopted by each owner's own body, on its own date,
/// under its own case number.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct PlanAdoption {
    /// When this owner adopted the plan.
    pub adopted_on: Option<NaiveDate>,
    /// This owner's political case number, e.g. "PS-50/23".
    pub case_number: Option<String>,
    /// This owner's archive (Noark 5) case number, e.g. "2015/545".
    pub archive_case_number: Option<String>,
    #[graphql(skip)]
    pub municipality_id: Uuid,
    #[graphql(skip)]
    pub adopted_by_id: Option<Uuid>,
}

impl PlanAdoption {
    /// The adoption of `owner`, or an empty one when the owner has not recorded it.
    pub fn of(owner: Uuid, row: Option<&plan_adoption::Model>) -> Self {
        PlanAdoption {
            adopted_on: row.and_then(|r| r.adopted_on),
            case_number: row.and_then(|r| r.case_number.clone()),
            archive_case_number: row.and_then(|r| r.archive_case_number.clone()),
            municipality_id: owner,
            adopted_by_id: row.and_then(|r| r.adopted_by_id),
        }
    }
}

#[ComplexObject]
impl PlanAdoption {
    /// The owner.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Option<Municipality>> {
        municipality(ctx, self.municipality_id).await
    }

    /// The owner's unit that adopted the plan (usually its kommunestyre).
    async fn adopted_by(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        let Some(id) = self.adopted_by_id else {
            return Ok(None);
        };
        let found = load_node::<entity::unit::Entity>(ctx, id).await;
        found.map(|m| m.map(Unit::from)).map_err(Into::into)
    }
}

async fn municipality(ctx: &Context<'_>, id: Uuid) -> Result<Option<Municipality>> {
    let found = load_node::<entity::municipality::Entity>(ctx, id).await;
    found.map(|m| m.map(Municipality::from)).map_err(Into::into)
}

/// The derivation of copy `id`, if it is a copy.
pub async fn derivation_of(ctx: &Context<'_>, id: Uuid) -> Result<Option<Derivation>> {
    let found = crate::loader::load_sharing(ctx, crate::loader::DerivationOf(id)).await;
    found.map(|d| d.map(Derivation::from)).map_err(Into::into)
}

/// Who reused source `id` of type `node`, oldest first: adoptions by reference, and the copies the viewer
/// may see.
pub async fn reused_by(ctx: &Context<'_>, node: NodeType, id: Uuid) -> Result<Vec<Reuse>> {
    let inner = async {
        let (copies, adopters) = futures_util::try_join!(
            crate::loader::load_sharing(ctx, crate::loader::CopiesOf(id)),
            crate::loader::load_sharing(ctx, crate::loader::AdoptersOf(id)),
        )?;
        let copies = copies.unwrap_or_default();
        let visible = futures_util::future::try_join_all(copies.iter().map(|d| async move {
            Ok::<bool, ApiError>(match node {
                NodeType::Plan => load_node::<entity::plan::Entity>(ctx, d.node_id)
                    .await?
                    .is_some(),
                _ => load_node::<entity::measure::Entity>(ctx, d.node_id)
                    .await?
                    .is_some(),
            })
        }))
        .await?;
        let mut out: Vec<Reuse> = adopters
            .unwrap_or_default()
            .into_iter()
            .map(|a| Reuse {
                kind: ReuseKind::Reference,
                mode: None,
                source_version: a.source_version,
                reused_at: a.created_at,
                municipality_id: a.municipality_id,
                copy: None,
            })
            .collect();
        out.extend(
            copies
                .into_iter()
                .zip(visible)
                .filter(|(_, v)| *v)
                .map(|(d, _)| Reuse {
                    kind: ReuseKind::Copy,
                    mode: Some(d.mode.into()),
                    source_version: d.source_version,
                    reused_at: d.created_at,
                    municipality_id: d.municipality_id,
                    copy: Some((node, d.node_id)),
                }),
        );
        out.sort_by_key(|r| r.reused_at);
        Ok::<_, ApiError>(out)
    };
    inner.await.map_err(Into::into)
}

/// The adoptions by reference municipality `id` made, in its order.
pub async fn adoptions_by(ctx: &Context<'_>, id: Uuid) -> Result<Vec<Adoption>> {
    let found = crate::loader::load_sharing(ctx, crate::loader::AdoptionsBy(id)).await;
    found
        .map(|rows| {
            rows.unwrap_or_default()
                .into_iter()
                .map(Adoption::from)
                .collect()
        })
        .map_err(Into::into)
}

/// Each owner's adoption of plan `id`, in owner order (`owners` as listed by the plan).
pub async fn plan_adoptions(
    ctx: &Context<'_>,
    id: Uuid,
    owners: &[Uuid],
) -> Result<Vec<PlanAdoption>> {
    let found = crate::loader::load_sharing(ctx, crate::loader::PlanAdoptionsOf(id)).await;
    let rows = found?.unwrap_or_default();
    Ok(owners
        .iter()
        .map(|owner| PlanAdoption::of(*owner, rows.iter().find(|r| r.municipality_id == *owner)))
        .collect())
}
