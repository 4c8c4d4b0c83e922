//! `Goal`: a plan's main goal (hovedmål) for one focus area.

use crate::graphql::node_fields::{NodeFields, node_fields};
use async_graphql::{ComplexObject, Context, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, goal::Model};
use uuid::Uuid;

use super::*;
use crate::{graphql::common::connection, loader::load_required};

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
