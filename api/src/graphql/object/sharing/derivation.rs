//! A copy's provenance (`Derivation`) and the field-level changes its source made since (`FieldChange`).

use async_graphql::{ComplexObject, Context, ID, Json, Result, SimpleObject};
use chrono::{DateTime, Utc};
use oppvekstgraf_entity::{self as entity, derivation};
use serde_json::Value;
use uuid::Uuid;

use super::{municipality, released_source, shared_type, upstream_changes};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        Node,
        enums::{DerivationMode, Status},
        mutation::transaction::snapshot,
        object::municipality::Municipality,
    },
    id::{GlobalId, NodeType},
    loader::load_node,
};

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

/// The derivation of copy `id`, if it is a copy.
pub async fn derivation_of(ctx: &Context<'_>, id: Uuid) -> Result<Option<Derivation>> {
    let found = crate::loader::load_sharing(ctx, crate::loader::DerivationOf(id)).await;
    found.map(|d| d.map(Derivation::from)).map_err(Into::into)
}
