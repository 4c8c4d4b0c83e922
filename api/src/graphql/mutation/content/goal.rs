//! Create and update for goals.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::super::transaction::{create_node, ensure_writable, node_id, update_node};
use crate::{
    error::ApiError,
    graphql::object::{Goal, revision::Revision},
    id::NodeType,
    validate::{self, MAX_TEXT, MAX_TITLE},
};

/// Input of `goalCreate`.
#[derive(InputObject)]
pub struct GoalCreateInput {
    /// The plan (global ID).
    pub plan: ID,
    /// The focus area, e.g. "Levekår og folkehelse" (1-500 characters).
    pub focus_area: String,
    /// The goal (1-50 000 characters).
    pub statement: String,
    /// Slug; made from the plan and focus area when left out.
    pub slug: Option<String>,
}

/// Input of `goalUpdate`. Fields left out stay as they are.
#[derive(InputObject)]
pub struct GoalUpdateInput {
    /// Global ID of the goal.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New focus area.
    pub focus_area: Option<String>,
    /// New statement.
    pub statement: Option<String>,
    /// New place among the plan's goals (0-based).
    pub position: Option<i32>,
    /// New slug.
    pub slug: Option<String>,
}

content_payloads!(GoalCreatePayload, GoalUpdatePayload, goal: Goal);

/// Create and update for goals.
#[derive(Default)]
pub struct GoalMutation;

#[Object]
impl GoalMutation {
    /// Adds a goal (a draft) to a plan your municipality owns.
    async fn goal_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new goal.")] input: GoalCreateInput,
    ) -> Result<GoalCreatePayload> {
        let result = create_node::<entity::goal::Entity>(
            ctx,
            async |tx| {
                let plan_id = node_id("input.plan", &input.plan, NodeType::Plan)?;
                ensure_writable(&tx.txn, &tx.actor, NodeType::Plan, plan_id)
                    .await
                    .map_err(|e| match e {
                        ApiError::NotFound(_) => {
                            ApiError::validation("input.plan", "no Plan has this ID")
                        }
                        other => other,
                    })?;
                let focus_area = validate::text("input.focusArea", &input.focus_area, MAX_TITLE)?;
                Ok(entity::goal::Model {
                    id: Uuid::new_v4(),
                    slug: tx
                        .new_slug("goal", input.slug.as_deref(), &focus_area)
                        .await?,
                    plan_id,
                    statement: validate::text("input.statement", &input.statement, MAX_TEXT)?,
                    focus_area,
                    position: tx.next_position("goal", "plan_id", plan_id).await?,
                    status: enums::Status::Draft,
                    language: Default::default(),
                    version: 1,
                    created_at: tx.now,
                    updated_at: tx.now,
                })
            },
            async |_, _| Ok(()),
        )
        .await;
        Ok(result?.into())
    }

    /// Changes a goal's fields.
    async fn goal_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The goal and its changes.")] input: GoalUpdateInput,
    ) -> Result<GoalUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Goal)?;
        let result = update_node::<entity::goal::Entity>(ctx, id, input.version, async |tx, m| {
            if let Some(v) = &input.focus_area {
                m.focus_area = validate::text("input.focusArea", v, MAX_TITLE)?;
            }
            if let Some(v) = &input.statement {
                m.statement = validate::text("input.statement", v, MAX_TEXT)?;
            }
            if let Some(p) = input.position {
                if !(0..=10_000).contains(&p) {
                    return Err(ApiError::validation(
                        "input.position",
                        "give a position from 0 to 10000",
                    ));
                }
                m.position = p;
            }
            tx.rename::<entity::goal::Entity>(m, input.slug.as_deref(), None)
                .await?;
            Ok(())
        })
        .await;
        Ok(result?.into())
    }
}
