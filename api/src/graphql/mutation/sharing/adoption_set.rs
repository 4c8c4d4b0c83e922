//! Each owner's own adoption record of a joint plan.

use async_graphql::{Context, ID};
use oppvekstgraf_entity::{self as entity, enums, plan_adoption};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use super::super::{
    content::owner_for,
    transaction::{Tx, node_id, owners, snapshot},
};
use super::{PlanAdoptionSetInput, PlanAdoptionSetPayload};
use crate::{
    error::{ApiError, ApiResult},
    graphql::object::sharing::PlanAdoption,
    id::{GlobalId, NodeType},
    validate,
};

pub(super) async fn plan_adoption_set(
    ctx: &Context<'_>,
    input: PlanAdoptionSetInput,
) -> ApiResult<PlanAdoptionSetPayload> {
    let plan = node_id("input.plan", &input.plan, NodeType::Plan)?;
    let tx = Tx::begin(ctx).await?;
    tx.claim(NodeType::Plan, plan, input.version).await?;
    let owner = owner_for(&tx, input.municipality.as_deref()).await?;
    let plan_owners = owners(&tx.txn, NodeType::Plan, plan)
        .await?
        .unwrap_or_default();
    if !plan_owners.contains(&owner) {
        return Err(ApiError::validation(
            "input.municipality",
            "that municipality does not own the plan: only owners record an adoption",
        ));
    }
    let adopted_by = adopting_unit(&tx, input.adopted_by.as_ref(), owner).await?;
    let case_number = validate::opt_text("input.caseNumber", input.case_number.as_deref(), 40)?;
    let archive_case_number = validate::opt_text(
        "input.archiveCaseNumber",
        input.archive_case_number.as_deref(),
        40,
    )?;
    let row = plan_adoption::Model {
        plan_id: plan,
        municipality_id: owner,
        adopted_on: input.adopted_on,
        adopted_by_id: adopted_by,
        case_number,
        archive_case_number,
        updated_at: tx.now,
    };
    plan_adoption::Entity::delete_many()
        .filter(plan_adoption::Column::PlanId.eq(plan))
        .filter(plan_adoption::Column::MunicipalityId.eq(owner))
        .exec(&tx.txn)
        .await?;
    plan_adoption::Entity::insert(row.clone().into_active_model())
        .exec_without_returning(&tx.txn)
        .await?;
    let mut model = tx.load::<entity::plan::Entity>(plan).await?;
    model.version = input.version;
    let before = snapshot(&model)?;
    model.version = input.version + 1;
    model.updated_at = tx.now;
    let saved = tx.save::<entity::plan::Entity>(model).await?;
    let revision = tx
        .record(
            NodeType::Plan,
            plan,
            input.version + 1,
            enums::RevisionAction::Update,
            Some(before),
            Some(snapshot(&saved)?),
            Some(json!({
                "relation": "adoptions",
                "target": GlobalId::new(NodeType::Municipality, owner).encode(),
                "adoption": serde_json::to_value(&row).unwrap_or(Value::Null),
            })),
        )
        .await?;
    tx.commit().await?;
    Ok(PlanAdoptionSetPayload {
        plan: saved.into(),
        adoption: PlanAdoption::of(owner, Some(&row)),
        revision: revision.into(),
    })
}

/// The unit that input `adoptedBy` names, checked to be one of `owner`'s.
async fn adopting_unit(tx: &Tx, unit: Option<&ID>, owner: Uuid) -> ApiResult<Option<Uuid>> {
    let Some(unit) = unit else {
        return Ok(None);
    };
    let unit = tx.visible("input.adoptedBy", unit, NodeType::Unit).await?;
    if tx.unit_owner(unit).await? != Some(owner) {
        return Err(ApiError::validation(
            "input.adoptedBy",
            "give a unit of the adopting municipality (usually its kommunestyre)",
        ));
    }
    Ok(Some(unit))
}
