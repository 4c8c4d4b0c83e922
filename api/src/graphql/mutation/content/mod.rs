//! Create and update for municipal content: plans, goals, measures and units. Editors write their own
//! municipality's content; admins write any.

use async_graphql::{ID, MergedObject};
use uuid::Uuid;

use super::transaction::Tx;
use crate::{
    error::{ApiError, ApiResult},
    id::NodeType,
};

/// The municipality a new measure or unit belongs to: the editor's own; admins name one.
pub(super) async fn owner_for(tx: &Tx, municipality: Option<&str>) -> ApiResult<Uuid> {
    match (tx.actor.is_admin(), municipality) {
        (true, Some(number)) => tx.municipality_id("input.municipality", number).await,
        (true, None) => Err(ApiError::validation(
            "input.municipality",
            "admins name the owning municipality (kommunenummer)",
        )),
        (false, Some(_)) => Err(ApiError::validation(
            "input.municipality",
            "editors create content for their own municipality: leave `municipality` out",
        )),
        (false, None) => tx.actor.municipality_id.ok_or(ApiError::Internal),
    }
}

/// Checks that `unit` may be linked from content of `owners`: a unit of one of them, or a national unit.
async fn check_unit_for(tx: &Tx, field: &str, unit: &ID, owners: &[Uuid]) -> ApiResult<Uuid> {
    let id = tx.visible(field, unit, NodeType::Unit).await?;
    let owner = tx.unit_owner(id).await?;
    match owner {
        Some(owner) if !owners.contains(&owner) => Err(ApiError::Forbidden(format!(
            "{field}: that unit belongs to another municipality"
        ))),
        _ => Ok(id),
    }
}

// ----------------------------------------------------------------------------------------------- measure

// -------------------------------------------------------------------------------------------------- plan

/// The create and update payloads of a content type, each with a `From` for what the write returns (the
/// node and its revision).
macro_rules! content_payloads {
    ($Create:ident, $Update:ident, $field:ident: $Object:ident) => {
        #[doc = concat!("Result of `", stringify!($field), "Create`.")]
        #[derive(SimpleObject)]
        pub struct $Create {
            #[doc = concat!("The new ", stringify!($field), " (a draft).")]
            pub $field: $Object,
            /// The revision that records the creation.
            pub revision: Revision,
        }

        #[doc = concat!("Result of `", stringify!($field), "Update`.")]
        #[derive(SimpleObject)]
        pub struct $Update {
            #[doc = concat!("The ", stringify!($field), " after the change.")]
            pub $field: $Object,
            /// The revision that records the change.
            pub revision: Revision,
        }

        payload_from!($Create, $field: $Object);
        payload_from!($Update, $field: $Object);
    };
}

mod goal;
mod measure;
mod plan;
mod unit;

pub(super) use measure::plan_for_measure;

/// Create and update for plans, goals, measures and units.
#[derive(MergedObject, Default)]
pub struct ContentMutation(
    measure::MeasureMutation,
    plan::PlanMutation,
    goal::GoalMutation,
    unit::UnitMutation,
);
