//! `Publisher`: an organisation that publishes national guidance.

use crate::graphql::node_fields::{NodeFields, node_fields};
use crate::graphql::relation::{Rel, load_rel};
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, publisher::Model};
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

/// An organisation that publishes national guidance: a directorate (Helsedirektoratet, Bufdir, Udir), a ministry or another national body.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Publisher {
    #[graphql(flatten)]
    pub node: NodeFields,
    /// Name, e.g. "Helsedirektoratet".
    pub name: String,
    /// Short name, e.g. "Hdir".
    pub short_name: Option<String>,
    /// Organisation number in Enhetsregisteret (9 digits).
    pub organization_number: Option<String>,
    /// Web site.
    pub url: Option<String>,
}

impl From<Model> for Publisher {
    fn from(m: Model) -> Self {
        Publisher {
            node: node_fields!(Publisher, m),
            name: m.name,
            short_name: m.short_name,
            organization_number: m.organization_number,
            url: m.url,
        }
    }
}

connection!(
    PublisherConnection,
    PublisherEdge,
    Publisher,
    Model,
    "publishers"
);
crate::graphql::common::node_object!(Publisher);

/// Root fields for publishers.
#[derive(Default)]
pub struct PublisherQuery;

#[Object]
impl PublisherQuery {
    /// One publisher. Give exactly one of `slug` or `id`; null when nothing matches.
    async fn publisher(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Slug, e.g. \"helsedirektoratet\".")] slug: Option<String>,
        #[graphql(desc = "Global ID.")] id: Option<ID>,
    ) -> Result<Option<Publisher>> {
        let found = find_by_slug_or_id::<entity::publisher::Entity>(ctx, slug, id).await;
        found.map(|m| m.map(Publisher::from)).map_err(Into::into)
    }

    /// All publishers, by name unless `orderBy` says otherwise.
    async fn publishers(
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
    ) -> Result<PublisherConnection> {
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let page = load_rel::<entity::publisher::Entity>(
            ctx,
            &Rel::ROOT,
            uuid::Uuid::nil(),
            args,
            &NamedSearch(&filter, NodeType::Publisher),
            order_by,
        )
        .await;
        page.and_then(PublisherConnection::from_page)
            .map_err(Into::into)
    }
}
