//! Create and update for target groups (admins).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::super::transaction::{create_node, maybe_text, node_id, update_node};
use super::{admin, ages};
use crate::{
    graphql::object::{TargetGroup, revision::Revision},
    id::NodeType,
    validate::{self, MAX_TEXT, MAX_TITLE},
};

payloads!(
    TargetGroupCreatePayload, target_group, TargetGroup, "creates a target group";
    TargetGroupUpdatePayload, target_group, TargetGroup, "updates a target group";
);

/// Input of `targetGroupCreate`.
#[derive(InputObject)]
pub struct TargetGroupCreateInput {
    /// Label, e.g. "Barn og unge 0-24 år".
    pub label: String,
    /// Lowest age (0-120).
    pub min_age: Option<i32>,
    /// Highest age (0-120, not below the lowest).
    pub max_age: Option<i32>,
    /// Who the group is.
    pub description: Option<String>,
    /// Slug; made from the label when left out.
    pub slug: Option<String>,
}

/// Input of `targetGroupUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct TargetGroupUpdateInput {
    /// Global ID of the target group.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New label.
    pub label: Option<String>,
    /// New lowest age, or null.
    pub min_age: MaybeUndefined<i32>,
    /// New highest age, or null.
    pub max_age: MaybeUndefined<i32>,
    /// New description, or null.
    pub description: MaybeUndefined<String>,
    /// New slug.
    pub slug: Option<String>,
}

/// Create and update for target groups (admins).
#[derive(Default)]
pub struct TargetGroupMutation;

#[Object]
impl TargetGroupMutation {
    /// Creates a target group (a draft). Admins only.
    async fn target_group_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new target group.")] input: TargetGroupCreateInput,
    ) -> Result<TargetGroupCreatePayload> {
        create_node::<entity::target_group::Entity>(
            ctx,
            async |tx| {
                admin(tx, "a target group")?;
                let label = validate::text("input.label", &input.label, MAX_TITLE)?;
                ages(input.min_age, input.max_age)?;
                let (id, slug, status, version, created_at, updated_at) =
                    new_node!(tx, "target_group", input.slug.as_deref(), &label);
                Ok(entity::target_group::Model {
                    id,
                    slug,
                    status,
                    version,
                    created_at,
                    updated_at,
                    language: Default::default(),
                    label,
                    min_age: input.min_age,
                    max_age: input.max_age,
                    description: validate::opt_text(
                        "input.description",
                        input.description.as_deref(),
                        MAX_TEXT,
                    )?,
                })
            },
            async |_, _| Ok(()),
        )
        .await
        .map(Into::into)
        .map_err(Into::into)
    }

    /// Changes a target group. Admins only.
    async fn target_group_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The target group and its changes.")] input: TargetGroupUpdateInput,
    ) -> Result<TargetGroupUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::TargetGroup)?;
        let result =
            update_node::<entity::target_group::Entity>(ctx, id, input.version, async |tx, m| {
                admin(tx, "a target group")?;
                if let Some(v) = &input.label {
                    m.label = validate::text("input.label", v, MAX_TITLE)?;
                }
                match input.min_age {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => m.min_age = None,
                    MaybeUndefined::Value(v) => m.min_age = Some(v),
                }
                match input.max_age {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => m.max_age = None,
                    MaybeUndefined::Value(v) => m.max_age = Some(v),
                }
                ages(m.min_age, m.max_age)?;
                maybe_text(
                    "input.description",
                    input.description,
                    &mut m.description,
                    MAX_TEXT,
                )?;
                if let Some(slug) = &input.slug {
                    m.slug = tx.changed_slug("target_group", m.id, slug).await?;
                }
                Ok(())
            })
            .await;
        Ok(result?.into())
    }
}
