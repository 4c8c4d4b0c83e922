//! Create and update for regions (admins).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::super::transaction::{create_node, maybe_text, node_id, update_node};
use super::admin;
use crate::{
    graphql::object::{Region, revision::Revision},
    id::NodeType,
    validate::{self, MAX_TEXT, MAX_TITLE},
};

payloads!(
    RegionCreatePayload, region, Region, "creates a region";
    RegionUpdatePayload, region, Region, "updates a region";
);

/// Input of `regionCreate`.
#[derive(InputObject)]
pub struct RegionCreateInput {
    /// Name, e.g. "Mosseregionen".
    pub name: String,
    /// What the region is.
    pub description: Option<String>,
    /// Slug; made from the name when left out.
    pub slug: Option<String>,
}

/// Input of `regionUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct RegionUpdateInput {
    /// Global ID of the region.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New name.
    pub name: Option<String>,
    /// New description, or null.
    pub description: MaybeUndefined<String>,
    /// New slug.
    pub slug: Option<String>,
}

/// Create and update for regions (admins).
#[derive(Default)]
pub struct RegionMutation;

#[Object]
impl RegionMutation {
    /// Creates a region (a draft). Admins only.
    async fn region_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new region.")] input: RegionCreateInput,
    ) -> Result<RegionCreatePayload> {
        create_node::<entity::region::Entity>(
            ctx,
            async |tx| {
                admin(tx, "a region")?;
                let name = validate::text("input.name", &input.name, MAX_TITLE)?;
                let (id, slug, status, version, created_at, updated_at) =
                    new_node!(tx, "region", input.slug.as_deref(), &name);
                Ok(entity::region::Model {
                    id,
                    slug,
                    status,
                    version,
                    created_at,
                    updated_at,
                    language: Default::default(),
                    name,
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

    /// Changes a region. Admins only.
    async fn region_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The region and its changes.")] input: RegionUpdateInput,
    ) -> Result<RegionUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Region)?;
        let result =
            update_node::<entity::region::Entity>(ctx, id, input.version, async |tx, m| {
                admin(tx, "a region")?;
                if let Some(v) = &input.name {
                    m.name = validate::text("input.name", v, MAX_TITLE)?;
                }
                maybe_text(
                    "input.description",
                    input.description,
                    &mut m.description,
                    MAX_TEXT,
                )?;
                if let Some(slug) = &input.slug {
                    m.slug = tx.changed_slug("region", m.id, slug).await?;
                }
                Ok(())
            })
            .await;
        Ok(result?.into())
    }
}
