//! Reuse between municipalities: adopting another municipality's measure or plan by reference or as a copy
//! (with its derivation), giving a reference up, taking in or dismissing the source's later changes, and
//! recording each owner's adoption of a joint plan.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;
use oppvekstgraf_entity::{self as entity};

use crate::{
    graphql::{
        enums::{DerivationMode, Language},
        object::{
            Measure, Municipality, Plan,
            revision::Revision,
            sharing::{Adoption, Derivation, PlanAdoption, ReuseKind},
        },
    },
    id::NodeType,
};

mod adoption_set;
mod copy;
mod plan;
mod reference;
mod upstream;

use adoption_set::plan_adoption_set;
use copy::measure_adopt;
use plan::plan_adopt;
use reference::unadopt;
use upstream::upstream;

/// Input of `measureAdopt`.
#[derive(InputObject)]
pub struct MeasureAdoptInput {
    /// Global ID of another municipality's published measure.
    pub source: ID,
    /// REFERENCE lists the source as one of the adopter's measures, read-only; COPY makes a measure of the
    /// adopter's own, linked back to its source.
    pub kind: ReuseKind,
    /// For a copy: copied (default), adapted or translated.
    pub mode: Option<DerivationMode>,
    /// For a copy: the adopter's plan to put it in (global ID); none leaves it outside any plan.
    pub plan: Option<ID>,
    /// Admins only: the adopting municipality (kommunenummer); editors adopt for their own.
    pub municipality: Option<String>,
    /// For a copy: its slug; made from the adopter and the title when left out.
    pub slug: Option<String>,
    /// For a copy: its language (e.g. NN for a translation); the source's when left out.
    pub language: Option<Language>,
}

/// Input of `planAdopt`.
#[derive(InputObject)]
pub struct PlanAdoptInput {
    /// Global ID of another municipality's published plan.
    pub source: ID,
    /// REFERENCE lists the source as one of the adopter's plans, read-only; COPY makes a plan of the
    /// adopter's own (with copies of its goals and, by default, its measures), linked back to its source.
    pub kind: ReuseKind,
    /// For a copy: copied (default), adapted or translated.
    pub mode: Option<DerivationMode>,
    /// For a copy: also copy the plan's measures, each with its own derivation (default true).
    pub with_measures: Option<bool>,
    /// Admins only: the adopting municipality (kommunenummer); editors adopt for their own.
    pub municipality: Option<String>,
    /// For a copy: its slug; made from the adopter and the title when left out.
    pub slug: Option<String>,
    /// For a copy: its language (e.g. NN for a translation); the source's when left out.
    pub language: Option<Language>,
}

/// Input of `measureUnadopt` and `planUnadopt`.
#[derive(InputObject)]
pub struct UnadoptInput {
    /// Global ID of the adopted source.
    pub source: ID,
    /// Admins only: the adopting municipality (kommunenummer); editors act for their own.
    pub municipality: Option<String>,
}

/// Result of `measureAdopt`.
#[derive(SimpleObject)]
pub struct MeasureAdoptPayload {
    /// The copy, or for a reference the source itself.
    pub measure: Measure,
    /// The adoption, for a reference.
    pub adoption: Option<Adoption>,
    /// The copy's derivation, for a copy.
    pub derivation: Option<Derivation>,
    /// The revision that records it.
    pub revision: Revision,
}

/// Result of `planAdopt`.
#[derive(SimpleObject)]
pub struct PlanAdoptPayload {
    /// The copy, or for a reference the source itself.
    pub plan: Plan,
    /// The adoption, for a reference.
    pub adoption: Option<Adoption>,
    /// The copy's derivation, for a copy.
    pub derivation: Option<Derivation>,
    /// How many measures were copied with the plan.
    pub copied_measures: i32,
    /// The revision that records it.
    pub revision: Revision,
}

/// Result of `measureUnadopt` and `planUnadopt`.
#[derive(SimpleObject)]
pub struct UnadoptPayload {
    /// The municipality that gave the adoption up.
    pub municipality: Municipality,
    /// The revision that records it.
    pub revision: Revision,
}

/// Input of the upstream mutations (`measureUpstreamAccept`, `planUpstreamDismiss` …).
#[derive(InputObject)]
pub struct UpstreamInput {
    /// Global ID of the copy.
    pub id: ID,
    /// The copy's version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// Only these changed fields (schema names from `upstreamDiff`, e.g. ["title"]); all when left out.
    pub fields: Option<Vec<String>>,
}

/// Result of `measureUpstreamAccept` and `measureUpstreamDismiss`.
#[derive(SimpleObject)]
pub struct MeasureUpstreamPayload {
    /// The copy after the change.
    pub measure: Measure,
    /// Its derivation after the change.
    pub derivation: Derivation,
    /// The revision that records it.
    pub revision: Revision,
}

/// Result of `planUpstreamAccept` and `planUpstreamDismiss`.
#[derive(SimpleObject)]
pub struct PlanUpstreamPayload {
    /// The copy after the change.
    pub plan: Plan,
    /// Its derivation after the change.
    pub derivation: Derivation,
    /// The revision that records it.
    pub revision: Revision,
}

/// Input of `planAdoptionSet`.
#[derive(InputObject)]
pub struct PlanAdoptionSetInput {
    /// Global ID of the plan.
    pub plan: ID,
    /// The plan's version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// Admins only: the owner (kommunenummer) whose adoption this is; editors record their own.
    pub municipality: Option<String>,
    /// When the owner adopted the plan; null clears it.
    pub adopted_on: Option<NaiveDate>,
    /// The owner's unit that adopted it (usually its kommunestyre); null clears it.
    pub adopted_by: Option<ID>,
    /// Political case number, e.g. "PS-50/23"; null clears it.
    pub case_number: Option<String>,
    /// Archive (Noark 5) case number, e.g. "2015/545"; null clears it.
    pub archive_case_number: Option<String>,
}

/// Result of `planAdoptionSet`.
#[derive(SimpleObject)]
pub struct PlanAdoptionSetPayload {
    /// The plan.
    pub plan: Plan,
    /// The owner's adoption as recorded.
    pub adoption: PlanAdoption,
    /// The revision that records it.
    pub revision: Revision,
}

/// Reuse mutations.
#[derive(Default)]
pub struct SharingMutation;

#[Object]
impl SharingMutation {
    /// Adopts another municipality's published measure: by REFERENCE (listed among the adopter's measures,
    /// read-only, its owner shown) or as a COPY (a draft measure of the adopter's own, with links to the same
    /// laws, guidance, themes and target groups, and a derivation back to its source).
    async fn measure_adopt(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to adopt and how.")] input: MeasureAdoptInput,
    ) -> Result<MeasureAdoptPayload> {
        measure_adopt(ctx, input).await.map_err(Into::into)
    }

    /// Gives up an adoption of a measure by reference.
    async fn measure_unadopt(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The adopted measure.")] input: UnadoptInput,
    ) -> Result<UnadoptPayload> {
        unadopt(ctx, input, NodeType::Measure)
            .await
            .map_err(Into::into)
    }

    /// Adopts another municipality's published plan: by REFERENCE, or as a COPY (a draft plan of the
    /// adopter's own with its goals and, unless `withMeasures` is false, its published measures, each copy
    /// with a derivation back to its source).
    async fn plan_adopt(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to adopt and how.")] input: PlanAdoptInput,
    ) -> Result<PlanAdoptPayload> {
        plan_adopt(ctx, input).await.map_err(Into::into)
    }

    /// Gives up an adoption of a plan by reference.
    async fn plan_unadopt(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The adopted plan.")] input: UnadoptInput,
    ) -> Result<UnadoptPayload> {
        unadopt(ctx, input, NodeType::Plan)
            .await
            .map_err(Into::into)
    }

    /// Takes the source's changes into a copied measure (all changed fields, or those named); the copy's own
    /// other edits stay.
    async fn measure_upstream_accept(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The copy and the fields to take in.")] input: UpstreamInput,
    ) -> Result<MeasureUpstreamPayload> {
        let (m, d, r) = upstream::<entity::measure::Entity>(ctx, input, true).await?;
        Ok(MeasureUpstreamPayload {
            measure: m.into(),
            derivation: d.into(),
            revision: r.into(),
        })
    }

    /// Dismisses the source's changes to a copied measure (all, or the fields named): the copy keeps its
    /// values and no longer shows them as upstream changes.
    async fn measure_upstream_dismiss(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The copy and the fields to dismiss.")] input: UpstreamInput,
    ) -> Result<MeasureUpstreamPayload> {
        let (m, d, r) = upstream::<entity::measure::Entity>(ctx, input, false).await?;
        Ok(MeasureUpstreamPayload {
            measure: m.into(),
            derivation: d.into(),
            revision: r.into(),
        })
    }

    /// Takes the source's changes into a copied plan (all changed fields, or those named).
    async fn plan_upstream_accept(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The copy and the fields to take in.")] input: UpstreamInput,
    ) -> Result<PlanUpstreamPayload> {
        let (m, d, r) = upstream::<entity::plan::Entity>(ctx, input, true).await?;
        Ok(PlanUpstreamPayload {
            plan: m.into(),
            derivation: d.into(),
            revision: r.into(),
        })
    }

    /// Dismisses the source's changes to a copied plan (all, or the fields named).
    async fn plan_upstream_dismiss(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The copy and the fields to dismiss.")] input: UpstreamInput,
    ) -> Result<PlanUpstreamPayload> {
        let (m, d, r) = upstream::<entity::plan::Entity>(ctx, input, false).await?;
        Ok(PlanUpstreamPayload {
            plan: m.into(),
            derivation: d.into(),
            revision: r.into(),
        })
    }

    /// Records one owner's own adoption of a plan (date, adopting unit, case numbers): each owner of a joint
    /// plan records its own. Editors record their municipality's; admins name the owner.
    async fn plan_adoption_set(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan, the owner and its adoption.")] input: PlanAdoptionSetInput,
    ) -> Result<PlanAdoptionSetPayload> {
        plan_adoption_set(ctx, input).await.map_err(Into::into)
    }
}
