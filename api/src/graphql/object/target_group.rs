//! `TargetGroup`: a target group (målgruppe).

use crate::graphql::node_fields::{NodeFields, node_fields};
use crate::graphql::relation::{Rel, load_rel};
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, target_group::Model};
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

/// A target group (målgruppe), e.g. "Barn og unge 0-24 år". Shared by every municipality.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct TargetGroup {
    #[graphql(flatten)]
    pub node: NodeFields,
    /// Label, e.g. "Barn og unge 0-24 år".
    pub label: String,
    /// Lowest age in the group, where it has one.
    pub min_age: Option<i32>,
    /// Highest age in the group, where it has one.
    pub max_age: Option<i32>,
    /// Who the group is.
    pub description: Option<String>,
}

impl From<Model> for TargetGroup {
    fn from(m: Model) -> Self {
        TargetGroup {
            node: node_fields!(TargetGroup, m),
            label: m.label,
            min_age: m.min_age,
            max_age: m.max_age,
            description: m.description,
        }
    }
}

connection!(
    TargetGroupConnection,
    TargetGroupEdge,
    TargetGroup,
    Model,
    "target groups"
);
crate::graphql::common::node_object!(TargetGroup);

/// Root fields for target groups.
#[derive(Default)]
pub struct TargetGroupQuery;

#[Object]
impl TargetGroupQuery {
    /// One target group. Give exactly one of `slug` or `id`; null when nothing matches.
    async fn target_group(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Slug, e.g. \"barn-og-unge-0-24-ar\".")] slug: Option<String>,
        #[graphql(desc = "Global ID.")] id: Option<ID>,
    ) -> Result<Option<TargetGroup>> {
        let found = find_by_slug_or_id::<entity::target_group::Entity>(ctx, slug, id).await;
        found.map(|m| m.map(TargetGroup::from)).map_err(Into::into)
    }

    /// All target groups, by label unless `orderBy` says otherwise.
    async fn target_groups(
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
    ) -> Result<TargetGroupConnection> {
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let page = load_rel::<entity::target_group::Entity>(
            ctx,
            &Rel::ROOT,
            uuid::Uuid::nil(),
            args,
            &NamedSearch(&filter, NodeType::TargetGroup),
            order_by,
        )
        .await;
        page.and_then(TargetGroupConnection::from_page)
            .map_err(Into::into)
    }
}
