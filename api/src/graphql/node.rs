//! The Relay `Node` interface and the `node(id)` / `nodes(ids)` root fields.

use async_graphql::{Context, ErrorExtensions, ID, Interface, Object, Result};
use futures_util::future::try_join_all;
use oppvekstgraf_entity as entity;

use super::object::*;
use crate::{
    error::{ApiError, ApiResult},
    id::{GlobalId, NodeType},
    loader::load_node,
};

/// Anything with a global ID. Pass the ID to `node(id:)` to fetch it again.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "&ID", desc = "Opaque global ID of the node."))]
pub enum Node {
    Municipality(Municipality),
    Region(Region),
    Plan(Plan),
    Goal(Goal),
    Measure(Measure),
    Unit(Unit),
    Law(Law),
    LegalReference(LegalReference),
    Guidance(Guidance),
    Publisher(Publisher),
    Concept(Concept),
    Theme(Theme),
    TargetGroup(TargetGroup),
}

pub(crate) async fn fetch(ctx: &Context<'_>, gid: GlobalId) -> ApiResult<Option<Node>> {
    let id = gid.uuid;
    Ok(match gid.node_type {
        NodeType::Municipality => load_node::<entity::municipality::Entity>(ctx, id)
            .await?
            .map(|m| Node::Municipality(m.into())),
        NodeType::Region => load_node::<entity::region::Entity>(ctx, id)
            .await?
            .map(|m| Node::Region(m.into())),
        NodeType::Plan => load_node::<entity::plan::Entity>(ctx, id)
            .await?
            .map(|m| Node::Plan(m.into())),
        NodeType::Goal => load_node::<entity::goal::Entity>(ctx, id)
            .await?
            .map(|m| Node::Goal(m.into())),
        NodeType::Measure => load_node::<entity::measure::Entity>(ctx, id)
            .await?
            .map(|m| Node::Measure(m.into())),
        NodeType::Unit => load_node::<entity::unit::Entity>(ctx, id)
            .await?
            .map(|m| Node::Unit(m.into())),
        NodeType::Law => load_node::<entity::law::Entity>(ctx, id)
            .await?
            .map(|m| Node::Law(m.into())),
        NodeType::LegalReference => load_node::<entity::legal_reference::Entity>(ctx, id)
            .await?
            .map(|m| Node::LegalReference(m.into())),
        NodeType::Guidance => load_node::<entity::guidance::Entity>(ctx, id)
            .await?
            .map(|m| Node::Guidance(m.into())),
        NodeType::Publisher => load_node::<entity::publisher::Entity>(ctx, id)
            .await?
            .map(|m| Node::Publisher(m.into())),
        NodeType::Concept => load_node::<entity::concept::Entity>(ctx, id)
            .await?
            .map(|m| Node::Concept(m.into())),
        NodeType::Theme => load_node::<entity::theme::Entity>(ctx, id)
            .await?
            .map(|m| Node::Theme(m.into())),
        NodeType::TargetGroup => load_node::<entity::target_group::Entity>(ctx, id)
            .await?
            .map(|m| Node::TargetGroup(m.into())),
        NodeType::Revision => None,
    })
}

/// At most this many IDs in one `nodes` call.
const MAX_NODES: usize = 100;

/// Root fields for global IDs.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any node by its global ID; null when no visible node has it.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the node.")] id: ID,
    ) -> Result<Option<Node>> {
        let gid = GlobalId::decode("id", &id)?;
        fetch(ctx, gid).await.map_err(Into::into)
    }

    /// Fetches up to 100 nodes by global ID, in the order given; null for each ID with no visible node.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global IDs of the nodes (at most 100).")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(ApiError::validation(
                "ids",
                format!("give at most {MAX_NODES} IDs per call"),
            )
            .extend());
        }
        let gids = ids
            .iter()
            .enumerate()
            .map(|(i, id)| GlobalId::decode(&format!("ids[{i}]"), id))
            .collect::<ApiResult<Vec<_>>>()?;
        try_join_all(gids.into_iter().map(|gid| fetch(ctx, gid)))
            .await
            .map_err(Into::into)
    }
}
