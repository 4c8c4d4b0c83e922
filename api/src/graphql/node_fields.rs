//! The fields every node has ([`NodeFields`], flattened into each object type), with its revisions.

use async_graphql::{Context, ID, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    enums::{Language, Status},
    relation::{NoFilter, load_rel},
};
use crate::{error::ApiResult, id::GlobalId, page::PageArgs};

/// The fields every node has.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct NodeFields {
    /// Opaque global ID; pass it to `node(id:)`.
    pub id: ID,
    /// Stable UUID of the node, the same in every installation that holds it.
    pub uuid: Uuid,
    /// URL-friendly unique name.
    pub slug: String,
    /// Publication state.
    pub status: Status,
    /// Language of the node's text.
    pub language: Language,
    /// Revision counter, incremented on every change.
    pub version: i32,
    /// When the node was created.
    pub created_at: DateTime<Utc>,
    /// When the node was last changed.
    pub updated_at: DateTime<Utc>,
}

#[async_graphql::ComplexObject]
impl NodeFields {
    /// Changes to this node, newest first: who, when, what, and the node before and after. Needs a token
    /// that may edit the node.
    async fn revisions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n edges (0-100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Returns the edges after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n edges (0-100).")] last: Option<i32>,
        #[graphql(desc = "Returns the edges before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<super::object::revision::RevisionConnection> {
        let result: ApiResult<_> = async {
            let gid = GlobalId::decode("id", &self.id)?;
            let actor = super::mutation::transaction::actor(ctx)?;
            let db = super::mutation::transaction::database(ctx)?;
            super::mutation::transaction::ensure_writable(db, &actor, gid.node_type, gid.uuid)
                .await?;
            let args = PageArgs::new(first, after, last, before);
            let rel = &super::object::revision::NODE_REVISIONS;
            let page = load_rel::<oppvekstgraf_entity::revision::Entity>(
                ctx, rel, gid.uuid, args, &NoFilter, None,
            )
            .await?;
            super::object::revision::RevisionConnection::from_page(page)
        }
        .await;
        result.map_err(Into::into)
    }
}

/// Builds [`NodeFields`] from a row that has the common node columns.
macro_rules! node_fields {
    ($node:ident, $m:expr) => {
        $crate::graphql::node_fields::NodeFields {
            id: async_graphql::ID(
                $crate::id::GlobalId::new($crate::id::NodeType::$node, $m.id).encode(),
            ),
            uuid: $m.id,
            slug: $m.slug.clone(),
            status: $m.status.into(),
            language: $m.language.into(),
            version: $m.version,
            created_at: $m.created_at,
            updated_at: $m.updated_at,
        }
    };
}
pub(crate) use node_fields;
