//! Each owner's adoption of a joint plan (`PlanAdoption`): by its own body, on its own date.

use async_graphql::{ComplexObject, Context, Result, SimpleObject};
use chrono::NaiveDate;
use oppvekstgraf_entity::{self as entity, plan_adoption};
use uuid::Uuid;

use super::municipality;
use crate::{
    graphql::object::{municipality::Municipality, unit::Unit},
    loader::load_node,
};

/// One owner's adoption of a plan: a joint plan is adopted by each owner's own body, on its own date,
/// under its own case number.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct PlanAdoption {
    /// When this owner adopted the plan.
    pub adopted_on: Option<NaiveDate>,
    /// This owner's political case number, e.g. "PS-50/23".
    pub case_number: Option<String>,
    /// This owner's archive (Noark 5) case number, e.g. "2015/545".
    pub archive_case_number: Option<String>,
    #[graphql(skip)]
    pub municipality_id: Uuid,
    #[graphql(skip)]
    pub adopted_by_id: Option<Uuid>,
}

impl PlanAdoption {
    /// The adoption of `owner`, or an empty one when the owner has not recorded it.
    pub fn of(owner: Uuid, row: Option<&plan_adoption::Model>) -> Self {
        PlanAdoption {
            adopted_on: row.and_then(|r| r.adopted_on),
            case_number: row.and_then(|r| r.case_number.clone()),
            archive_case_number: row.and_then(|r| r.archive_case_number.clone()),
            municipality_id: owner,
            adopted_by_id: row.and_then(|r| r.adopted_by_id),
        }
    }
}

#[ComplexObject]
impl PlanAdoption {
    /// The owner.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Option<Municipality>> {
        municipality(ctx, self.municipality_id).await
    }

    /// The owner's unit that adopted the plan (usually its kommunestyre).
    async fn adopted_by(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        let Some(id) = self.adopted_by_id else {
            return Ok(None);
        };
        let found = load_node::<entity::unit::Entity>(ctx, id).await;
        found.map(|m| m.map(Unit::from)).map_err(Into::into)
    }
}

/// Each owner's adoption of plan `id`, in owner order (`owners` as listed by the plan).
pub async fn plan_adoptions(
    ctx: &Context<'_>,
    id: Uuid,
    owners: &[Uuid],
) -> Result<Vec<PlanAdoption>> {
    let found = crate::loader::load_sharing(ctx, crate::loader::PlanAdoptionsOf(id)).await;
    let rows = found?.unwrap_or_default();
    Ok(owners
        .iter()
        .map(|owner| PlanAdoption::of(*owner, rows.iter().find(|r| r.municipality_id == *owner)))
        .collect())
}
