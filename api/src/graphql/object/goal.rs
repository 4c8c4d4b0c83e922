//! `Goal`: a plan's main goal (hovedmål) for one focus area.

use crate::graphql::node_fields::{NodeFields, node_fields};
use crate::graphql::relation::{Rel, load_rel};
use async_graphql::{ComplexObject, Context, ID, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, goal::Model};
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

crate::graphql::common::with_relations! {
    /// A plan's main goal (hovedmål) for one focus area (innsatsområde).
    Goal(GoalFields)
}

/// The fields of a goal written by hand; its relation fields are generated from the catalog
/// (`relations.rs`).
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct GoalFields {
    #[graphql(flatten)]
    pub node: NodeFields,
    /// The focus area, e.g. "Levekår og folkehelse".
    pub focus_area: String,
    /// The goal, e.g. "I Moss er alle inkludert og opplever tilhørighet, trygghet og mestring".
    pub statement: String,
    /// Its place among the plan's goals (0-based).
    pub position: i32,
    #[graphql(skip)]
    pub plan_id: Uuid,
}

impl From<Model> for GoalFields {
    fn from(m: Model) -> Self {
        GoalFields {
            node: node_fields!(Goal, m),
            focus_area: m.focus_area,
            statement: m.statement,
            position: m.position,
            plan_id: m.plan_id,
        }
    }
}

connection!(GoalConnection, GoalEdge, Goal, Model, "goals");
crate::graphql::common::node_object!(Goal);

#[ComplexObject]
impl GoalFields {
    /// The plan the goal belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let found = load_required::<entity::plan::Entity>(ctx, self.plan_id).await;
        found.map(Plan::from).map_err(Into::into)
    }
}

/// Root fields for goals.
#[derive(Default)]
pub struct GoalQuery;

#[Object]
impl GoalQuery {
    /// One goal. Give exactly one of `slug` or `id`; null when nothing matches.
    async fn goal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Slug, e.g. \"moss-samfunnsdel-mal-1\".")] slug: Option<String>,
        #[graphql(desc = "Global ID.")] id: Option<ID>,
    ) -> Result<Option<Goal>> {
        let found = find_by_slug_or_id::<entity::goal::Entity>(ctx, slug, id).await;
        found.map(|m| m.map(Goal::from)).map_err(Into::into)
    }

    /// All goals of every plan, by focus area unless `orderBy` says otherwise.
    async fn goals(
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
    ) -> Result<GoalConnection> {
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let page = load_rel::<entity::goal::Entity>(
            ctx,
            &Rel::ROOT,
            uuid::Uuid::nil(),
            args,
            &NamedSearch(&filter, NodeType::Goal),
            order_by,
        )
        .await;
        page.and_then(GoalConnection::from_page).map_err(Into::into)
    }
}
