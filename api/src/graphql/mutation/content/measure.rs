//! Create and update for measures.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::super::transaction::{
    Tx, create_node, ensure_writable, maybe, maybe_text, node_id, update_node,
};
use super::owner_for;
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        enums::Language,
        object::{Measure, revision::Revision},
    },
    id::NodeType,
    validate::{self, MAX_TEXT, MAX_TITLE},
};

/// Input of `measureCreate`.
#[derive(InputObject)]
pub struct MeasureCreateInput {
    /// The plan the measure belongs to (global ID). Editors may add measures to plans their municipality owns.
    pub plan: ID,
    /// Title, e.g. "Oppvekstforum" (1-500 characters).
    pub title: String,
    /// Its number in the plan, when the plan numbers its measures (1-9999).
    pub number: Option<i32>,
    /// Short summary (up to 50 000 characters).
    pub summary: Option<String>,
    /// Longer text (up to 50 000 characters).
    pub body: Option<String>,
    /// How often it happens, e.g. "fire ganger pr år" (up to 500 characters).
    pub frequency: Option<String>,
    /// Slug (a-z, 0-9, hyphens); made from the title when left out.
    pub slug: Option<String>,
    /// Language of the text (default NB).
    pub language: Option<Language>,
    /// Owning municipality (kommunenummer). Admins only; editors create for their own municipality.
    pub municipality: Option<String>,
}

/// Input of `measureUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct MeasureUpdateInput {
    /// Global ID of the measure.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// Moves the measure to another plan its municipality owns.
    pub plan: Option<ID>,
    /// New title (1-500 characters).
    pub title: Option<String>,
    /// New number in the plan (1-9999), or null.
    pub number: MaybeUndefined<i32>,
    /// New summary, or null.
    pub summary: MaybeUndefined<String>,
    /// New body, or null.
    pub body: MaybeUndefined<String>,
    /// New frequency, or null.
    pub frequency: MaybeUndefined<String>,
    /// New slug.
    pub slug: Option<String>,
    /// New language.
    pub language: Option<Language>,
}

content_payloads!(MeasureCreatePayload, MeasureUpdatePayload, measure: Measure);

fn measure_number(v: i32) -> ApiResult<i32> {
    if (1..=9999).contains(&v) {
        Ok(v)
    } else {
        Err(ApiError::validation(
            "input.number",
            "give a number from 1 to 9999",
        ))
    }
}

/// A plan the actor may add measures to, owned by `owner`.
pub(in crate::graphql::mutation) async fn plan_for_measure(
    tx: &Tx,
    field: &str,
    plan: &ID,
    owner: Uuid,
) -> ApiResult<Uuid> {
    let plan_id = node_id(field, plan, NodeType::Plan)?;
    ensure_writable(&tx.txn, &tx.actor, NodeType::Plan, plan_id)
        .await
        .map_err(|e| match e {
            ApiError::NotFound(_) => ApiError::validation(field, "no Plan has this ID"),
            other => other,
        })?;
    let owners = super::super::transaction::owners(&tx.txn, NodeType::Plan, plan_id)
        .await?
        .unwrap_or_default();
    if !owners.contains(&owner) {
        return Err(ApiError::validation(
            field,
            "the plan is not owned by the measure's municipality",
        ));
    }
    Ok(plan_id)
}

/// Create and update for measures.
#[derive(Default)]
pub struct MeasureMutation;

#[Object]
impl MeasureMutation {
    /// Creates a measure (a draft) in a plan of your municipality.
    async fn measure_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new measure.")] input: MeasureCreateInput,
    ) -> Result<MeasureCreatePayload> {
        let result = create_node::<entity::measure::Entity>(
            ctx,
            async |tx| {
                let municipality_id = owner_for(tx, input.municipality.as_deref()).await?;
                let plan_id =
                    plan_for_measure(tx, "input.plan", &input.plan, municipality_id).await?;
                let title = validate::text("input.title", &input.title, MAX_TITLE)?;
                Ok(entity::measure::Model {
                    id: Uuid::new_v4(),
                    slug: tx
                        .new_slug("measure", input.slug.as_deref(), &title)
                        .await?,
                    plan_id: Some(plan_id),
                    municipality_id,
                    number: input.number.map(measure_number).transpose()?,
                    position: tx.next_position("measure", "plan_id", plan_id).await?,
                    summary: validate::opt_text(
                        "input.summary",
                        input.summary.as_deref(),
                        MAX_TEXT,
                    )?,
                    body: validate::opt_text("input.body", input.body.as_deref(), MAX_TEXT)?,
                    frequency: validate::opt_text(
                        "input.frequency",
                        input.frequency.as_deref(),
                        MAX_TITLE,
                    )?,
                    title,
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

    /// Changes a measure's fields.
    async fn measure_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure and its changes.")] input: MeasureUpdateInput,
    ) -> Result<MeasureUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Measure)?;
        let result =
            update_node::<entity::measure::Entity>(ctx, id, input.version, async |tx, m| {
                if let Some(plan) = &input.plan {
                    m.plan_id =
                        Some(plan_for_measure(tx, "input.plan", plan, m.municipality_id).await?);
                }
                if let Some(title) = &input.title {
                    m.title = validate::text("input.title", title, MAX_TITLE)?;
                }
                maybe(input.number, &mut m.number, measure_number)?;
                maybe_text("input.summary", input.summary, &mut m.summary, MAX_TEXT)?;
                maybe_text("input.body", input.body, &mut m.body, MAX_TEXT)?;
                maybe_text(
                    "input.frequency",
                    input.frequency,
                    &mut m.frequency,
                    MAX_TITLE,
                )?;
                tx.rename::<entity::measure::Entity>(
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
