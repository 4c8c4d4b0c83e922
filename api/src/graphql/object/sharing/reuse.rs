//! Who reused a measure or plan (`Reuse`), by reference or as a copy (`ReuseKind`).

use async_graphql::{ComplexObject, Context, Enum, Result, SimpleObject};
use chrono::{DateTime, Utc};
use oppvekstgraf_entity as entity;
use uuid::Uuid;

use super::municipality;
use crate::{
    error::ApiError,
    graphql::{Node, enums::DerivationMode, object::municipality::Municipality},
    id::{GlobalId, NodeType},
    loader::load_node,
};

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
