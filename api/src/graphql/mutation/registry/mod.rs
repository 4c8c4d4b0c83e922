//! Create and update for the shared national registry — laws, legal references, guidance, publishers,
//! concepts, themes, target groups — and for regions and municipalities. Admins only.

use async_graphql::{ID, MergedObject};
use uuid::Uuid;

use super::transaction::Tx;
use crate::{
    error::{ApiError, ApiResult},
    id::NodeType,
    validate::{self, MAX_TITLE, check_organization_number},
};

/// Only admins change the shared registry.
fn admin(tx: &Tx, what: &str) -> ApiResult<()> {
    if tx.actor.is_admin() {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "{what} is shared national content: only admins change it"
        )))
    }
}

fn org(field: &str, value: Option<&str>) -> ApiResult<Option<String>> {
    value
        .map(|v| check_organization_number(field, v.trim()).map(|_| v.trim().to_string()))
        .transpose()
}

async fn unique(
    tx: &Tx,
    table: &str,
    column: &str,
    value: &str,
    except: Option<Uuid>,
    field: &str,
) -> ApiResult<()> {
    if tx.value_taken(table, column, value, except).await? {
        return Err(ApiError::validation(
            field,
            format!("{value:?} is taken by another {table}"),
        ));
    }
    Ok(())
}

macro_rules! payloads {
    ($($Payload:ident, $field:ident, $Object:ident, $what:literal;)*) => {$(
        #[doc = concat!("Result of a mutation that ", $what, ".")]
        #[derive(SimpleObject)]
        pub struct $Payload {
            #[doc = concat!("The ", stringify!($Object), " after the change.")]
            pub $field: $Object,
            /// The revision that records the change.
            pub revision: Revision,
        }

        payload_from!($Payload, $field: $Object);
    )*};
}

fn ages(min: Option<i32>, max: Option<i32>) -> ApiResult<()> {
    if let Some(v) = min {
        validate::age("input.minAge", v)?;
    }
    if let Some(v) = max {
        validate::age("input.maxAge", v)?;
    }
    if let (Some(a), Some(b)) = (min, max)
        && a > b
    {
        return Err(ApiError::validation(
            "input.maxAge",
            "the highest age is below the lowest",
        ));
    }
    Ok(())
}

async fn other(tx: &Tx, field: &str, id: &ID, node: NodeType, me: Option<Uuid>) -> ApiResult<Uuid> {
    let other = tx.visible(field, id, node).await?;
    if Some(other) == me {
        return Err(ApiError::validation(
            field,
            format!("a {} cannot point to itself", node.name()),
        ));
    }
    Ok(other)
}

macro_rules! new_node {
    ($tx:ident, $table:literal, $slug:expr, $title:expr) => {
        (
            Uuid::new_v4(),
            $tx.new_slug($table, $slug, $title).await?,
            enums::Status::Draft,
            1,
            $tx.now,
            $tx.now,
        )
    };
}

fn alt_labels(labels: Option<&[String]>) -> ApiResult<Vec<String>> {
    let labels = labels.unwrap_or_default();
    if labels.len() > 50 {
        return Err(ApiError::validation(
            "input.altLabels",
            "give at most 50 alternative terms",
        ));
    }
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| validate::text(&format!("input.altLabels[{i}]"), l, MAX_TITLE))
        .collect()
}

mod concept;
mod guidance;
mod law;
mod legal_reference;
mod municipality;
mod publisher;
mod region;
mod target_group;
mod theme;

/// Create and update for the shared registry, regions and municipalities (admins).
#[derive(MergedObject, Default)]
pub struct RegistryMutation(
    law::LawMutation,
    legal_reference::LegalReferenceMutation,
    guidance::GuidanceMutation,
    publisher::PublisherMutation,
    concept::ConceptMutation,
    theme::ThemeMutation,
    target_group::TargetGroupMutation,
    region::RegionMutation,
    municipality::MunicipalityMutation,
);
