//! `Region`: a named group of municipalities.

use crate::graphql::node_fields::{NodeFields, node_fields};
use crate::graphql::relation::{Rel, load_rel};
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, region::Model};
#[allow(unused_imports)]
use uuid::Uuid;

#[allow(unused_imports)]
use super::*;
#[allow(unused_imports)]
use crate::{
    graphql::{
        common::{NamedSearch, SearchFilter, connection, find_by_slug_or_id},
        enums::*,
    },
    id::NodeType,
    loader::{load_node, load_required},
    page::PageArgs,
};

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

/// Root fields for regions.
#[derive(Default)]
pub struct RegionQuery;

#[Object]
impl RegionQuery {
    /// One region. Give exactly one of `slug` or `id`; null when nothing matches.
    async fn region(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Slug, e.g. \"mosseregionen\".")] slug: Option<String>,
        #[graphql(desc = "Global ID.")] id: Option<ID>,
    ) -> Result<Option<Region>> {
        let found = find_by_slug_or_id::<entity::region::Entity>(ctx, slug, id).await;
        found.map(|m| m.map(Region::from)).map_err(Into::into)
    }

    /// All regions, by name unless `orderBy` says otherwise.
    async fn regions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n edges (0-100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Returns the edges after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n edges (0-100).")] last: Option<i32>,
        #[graphql(desc = "Returns the edges before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrows the list.")] filter: Option<SearchFilter>,
        #[graphql(desc = "Sort order (default: the relation's own order).")] order_by: Option<
            Order,
        >,
    ) -> Result<RegionConnection> {
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let page = load_rel::<entity::region::Entity>(
            ctx,
            &Rel::ROOT,
            uuid::Uuid::nil(),
            args,
            &NamedSearch(&filter, NodeType::Region),
            order_by,
        )
        .await;
        page.and_then(RegionConnection::from_page)
            .map_err(Into::into)
    }
}
