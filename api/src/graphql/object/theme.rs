//! `Theme`: a theme or focus area (tema / innsatsområde).

use crate::graphql::node_fields::{NodeFields, node_fields};
use crate::graphql::relation::{Rel, load_rel};
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, theme::Model};
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

/// A theme or focus area (tema / innsatsområde), e.g. "Vold i nære relasjoner". Shared by every municipality.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Theme {
    #[graphql(flatten)]
    pub node: NodeFields,
    /// Label, e.g. "Vold i nære relasjoner".
    pub label: String,
    /// What the theme covers.
    pub description: Option<String>,
    /// The theme in the Norwegian LOS vocabulary, e.g. "http://psi.norge.no/los/tema/folkehelse".
    pub los_uri: Option<String>,
}

impl From<Model> for Theme {
    fn from(m: Model) -> Self {
        Theme {
            node: node_fields!(Theme, m),
            label: m.label,
            description: m.description,
            los_uri: m.los_uri,
        }
    }
}

connection!(ThemeConnection, ThemeEdge, Theme, Model, "themes");
crate::graphql::common::node_object!(Theme);

/// Root fields for themes.
#[derive(Default)]
pub struct ThemeQuery;

#[Object]
impl ThemeQuery {
    /// One theme. Give exactly one of `slug` or `id`; null when nothing matches.
    async fn theme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Slug, e.g. \"vold-i-naere-relasjoner\".")] slug: Option<String>,
        #[graphql(desc = "Global ID.")] id: Option<ID>,
    ) -> Result<Option<Theme>> {
        let found = find_by_slug_or_id::<entity::theme::Entity>(ctx, slug, id).await;
        found.map(|m| m.map(Theme::from)).map_err(Into::into)
    }

    /// All themes, by label unless `orderBy` says otherwise.
    async fn themes(
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
    ) -> Result<ThemeConnection> {
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let page = load_rel::<entity::theme::Entity>(
            ctx,
            &Rel::ROOT,
            uuid::Uuid::nil(),
            args,
            &NamedSearch(&filter, NodeType::Theme),
            order_by,
        )
        .await;
        page.and_then(ThemeConnection::from_page)
            .map_err(Into::into)
    }
}
