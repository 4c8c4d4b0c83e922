//! Create and update for municipalities (admins).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::NaiveDate;
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::super::transaction::{create_node, node_id, update_node};
use super::{admin, org, unique};
use crate::{
    graphql::{
        common::check_municipality_number,
        object::{Municipality, revision::Revision},
    },
    id::NodeType,
    validate::{self, MAX_TITLE},
};

payloads!(
    MunicipalityCreatePayload, municipality, Municipality, "creates a municipality";
    MunicipalityUpdatePayload, municipality, Municipality, "updates a municipality";
);

/// Input of `municipalityCreate`.
#[derive(InputObject)]
pub struct MunicipalityCreateInput {
    /// Kommunenummer (4 digits, unique).
    pub number: String,
    /// Name.
    pub name: String,
    /// County (fylke).
    pub county: String,
    /// Organisation number (9 digits, mod-11 checked).
    pub organization_number: Option<String>,
    /// When the number took effect.
    pub valid_from: Option<NaiveDate>,
    /// Slug; made from the name when left out.
    pub slug: Option<String>,
}

/// Input of `municipalityUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct MunicipalityUpdateInput {
    /// Global ID of the municipality.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New kommunenummer (4 digits, unique).
    pub number: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New county.
    pub county: Option<String>,
    /// New organisation number, or null.
    pub organization_number: MaybeUndefined<String>,
    /// New date the number took effect, or null.
    pub valid_from: MaybeUndefined<NaiveDate>,
    /// New slug.
    pub slug: Option<String>,
}

/// Create and update for municipalities (admins).
#[derive(Default)]
pub struct MunicipalityMutation;

#[Object]
impl MunicipalityMutation {
    /// Creates a municipality (a draft). Admins only.
    async fn municipality_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new municipality.")] input: MunicipalityCreateInput,
    ) -> Result<MunicipalityCreatePayload> {
        create_node::<entity::municipality::Entity>(
            ctx,
            async |tx| {
                admin(tx, "a municipality")?;
                let number = input.number.trim().to_string();
                check_municipality_number("input.number", &number)?;
                unique(tx, "municipality", "number", &number, None, "input.number").await?;
                let name = validate::text("input.name", &input.name, MAX_TITLE)?;
                let (id, slug, status, version, created_at, updated_at) =
                    new_node!(tx, "municipality", input.slug.as_deref(), &name);
                Ok(entity::municipality::Model {
                    id,
                    slug,
                    status,
                    version,
                    created_at,
                    updated_at,
                    language: Default::default(),
                    number,
                    name,
                    county: validate::text("input.county", &input.county, 100)?,
                    organization_number: org(
                        "input.organizationNumber",
                        input.organization_number.as_deref(),
                    )?,
                    valid_from: input.valid_from,
                })
            },
            async |_, _| Ok(()),
        )
        .await
        .map(Into::into)
        .map_err(Into::into)
    }

    /// Changes a municipality. Admins only.
    async fn municipality_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality and its changes.")] input: MunicipalityUpdateInput,
    ) -> Result<MunicipalityUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Municipality)?;
        let result =
            update_node::<entity::municipality::Entity>(ctx, id, input.version, async |tx, m| {
                admin(tx, "a municipality")?;
                if let Some(number) = &input.number {
                    check_municipality_number("input.number", number.trim())?;
                    unique(
                        tx,
                        "municipality",
                        "number",
                        number.trim(),
                        Some(m.id),
                        "input.number",
                    )
                    .await?;
                    m.number = number.trim().to_string();
                }
                if let Some(v) = &input.name {
                    m.name = validate::text("input.name", v, MAX_TITLE)?;
                }
                if let Some(v) = &input.county {
                    m.county = validate::text("input.county", v, 100)?;
                }
                match input.organization_number {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => m.organization_number = None,
                    MaybeUndefined::Value(v) => {
                        m.organization_number = org("input.organizationNumber", Some(&v))?
                    }
                }
                match input.valid_from {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => m.valid_from = None,
                    MaybeUndefined::Value(v) => m.valid_from = Some(v),
                }
                if let Some(slug) = &input.slug {
                    m.slug = tx.changed_slug("municipality", m.id, slug).await?;
                }
                Ok(())
            })
            .await;
        Ok(result?.into())
    }
}
