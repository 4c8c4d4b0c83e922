//! Create and update for units.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::super::transaction::{Tx, create_node, maybe_text, node_id, update_node};
use super::owner_for;
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        enums::{Language, UnitKind},
        object::{Unit, revision::Revision},
    },
    id::NodeType,
    validate::{self, MAX_TEXT, MAX_TITLE},
};

/// Input of `unitCreate`.
#[derive(InputObject)]
pub struct UnitCreateInput {
    /// Name, e.g. "Skolesjef" (1-500 characters).
    pub name: String,
    /// Kind of unit.
    pub kind: UnitKind,
    /// What the unit does (up to 50 000 characters).
    pub description: Option<String>,
    /// The unit it is part of (global ID), of the same municipality.
    pub parent: Option<ID>,
    /// Slug; made from the municipality and name when left out.
    pub slug: Option<String>,
    /// Language of the text (default NB).
    pub language: Option<Language>,
    /// Owning municipality (kommunenummer). Admins only; editors create units of their own municipality.
    pub municipality: Option<String>,
    /// A national body or external partner without a municipality. Admins only.
    pub national: Option<bool>,
}

/// Input of `unitUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct UnitUpdateInput {
    /// Global ID of the unit.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New name.
    pub name: Option<String>,
    /// New kind.
    pub kind: Option<UnitKind>,
    /// New description, or null.
    pub description: MaybeUndefined<String>,
    /// New parent unit, or null.
    pub parent: MaybeUndefined<ID>,
    /// New slug.
    pub slug: Option<String>,
    /// New language.
    pub language: Option<Language>,
}

content_payloads!(UnitCreatePayload, UnitUpdatePayload, unit: Unit);

/// A parent unit in the same municipality (or national), not the unit itself or below it.
async fn parent_unit(
    tx: &Tx,
    parent: &ID,
    owner: Option<Uuid>,
    child: Option<Uuid>,
) -> ApiResult<Uuid> {
    let id = tx.visible("input.parent", parent, NodeType::Unit).await?;
    let parent_owner = tx.unit_owner(id).await?;
    if parent_owner != owner {
        return Err(ApiError::validation(
            "input.parent",
            "the parent unit belongs to another municipality",
        ));
    }
    if Some(id) == child {
        return Err(ApiError::validation(
            "input.parent",
            "a unit cannot be its own parent",
        ));
    }
    Ok(id)
}

/// Create and update for units.
#[derive(Default)]
pub struct UnitMutation;

#[Object]
impl UnitMutation {
    /// Creates a unit (a draft) of your municipality.
    async fn unit_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new unit.")] input: UnitCreateInput,
    ) -> Result<UnitCreatePayload> {
        let result = create_node::<entity::unit::Entity>(
            ctx,
            async |tx| {
                let national = input.national.unwrap_or(false);
                if national && !tx.actor.is_admin() {
                    return Err(ApiError::Forbidden(
                        "only admins create national units".into(),
                    ));
                }
                let municipality_id = if national {
                    if input.municipality.is_some() {
                        return Err(ApiError::validation(
                            "input.municipality",
                            "a national unit has no municipality",
                        ));
                    }
                    None
                } else {
                    Some(owner_for(tx, input.municipality.as_deref()).await?)
                };
                let name = validate::text("input.name", &input.name, MAX_TITLE)?;
                let parent_id = match &input.parent {
                    Some(parent) => Some(parent_unit(tx, parent, municipality_id, None).await?),
                    None => None,
                };
                Ok(entity::unit::Model {
                    id: Uuid::new_v4(),
                    slug: tx.new_slug("unit", input.slug.as_deref(), &name).await?,
                    name,
                    kind: input.kind.into(),
                    municipality_id,
                    parent_id,
                    description: validate::opt_text(
                        "input.description",
                        input.description.as_deref(),
                        MAX_TEXT,
                    )?,
                    status: enums::Status::Draft,
                    language: input.language.map(Into::into).unwrap_or_default(),
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

    /// Changes a unit's fields.
    async fn unit_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit and its changes.")] input: UnitUpdateInput,
    ) -> Result<UnitUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Unit)?;
        let result = update_node::<entity::unit::Entity>(ctx, id, input.version, async |tx, m| {
            if let Some(v) = &input.name {
                m.name = validate::text("input.name", v, MAX_TITLE)?;
            }
            if let Some(kind) = input.kind {
                m.kind = kind.into();
            }
            maybe_text(
                "input.description",
                input.description,
                &mut m.description,
                MAX_TEXT,
            )?;
            match &input.parent {
                MaybeUndefined::Undefined => {}
                MaybeUndefined::Null => m.parent_id = None,
                MaybeUndefined::Value(parent) => {
                    m.parent_id =
                        Some(parent_unit(tx, parent, m.municipality_id, Some(m.id)).await?)
                }
            }
            tx.rename::<entity::unit::Entity>(
                m,
                input.slug.as_deref(),
                input.language.map(Into::into),
            )
            .await?;
            Ok(())
        })
        .await;
        Ok(result?.into())
    }
}
