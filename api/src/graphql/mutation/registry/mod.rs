//! Create and update for the shared national registry — laws, legal references, guidance, publishers,
//! concepts, themes, target groups — and for regions and municipalities. Admins only.

use async_graphql::{
    Context, ID, InputObject, MaybeUndefined, MergedObject, Object, Result, SimpleObject,
};
use chrono::NaiveDate;
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::transaction::{Tx, create_node, maybe, maybe_text, maybe_url, node_id, update_node};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        common::check_municipality_number,
        enums::{GuidanceKind, Language, LawKind},
        object::{
            Concept, Guidance, Law, Municipality, Publisher, Region, TargetGroup, Theme,
            law::check_lovdata_id, revision::Revision,
        },
    },
    id::NodeType,
    validate::{self, MAX_TEXT, MAX_TITLE, check_organization_number},
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

/// An identifier, trimmed and checked by `check`.
fn key(field: &str, value: &str, check: fn(&str, &str) -> ApiResult<()>) -> ApiResult<String> {
    let value = value.trim();
    check(field, value)?;
    Ok(value.to_string())
}

/// An optional reference to another visible node of type `node`.
async fn opt_ref(
    tx: &Tx,
    field: &str,
    id: Option<&ID>,
    node: NodeType,
    me: Option<Uuid>,
) -> ApiResult<Option<Uuid>> {
    match id {
        Some(id) => Ok(Some(other(tx, field, id, node, me).await?)),
        None => Ok(None),
    }
}

/// Applies an optional reference of node `me` to another visible node of type `node`.
async fn maybe_ref(
    tx: &Tx,
    field: &str,
    id: &MaybeUndefined<ID>,
    current: &mut Option<Uuid>,
    node: NodeType,
    me: Uuid,
) -> ApiResult<()> {
    match id {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *current = None,
        MaybeUndefined::Value(id) => *current = Some(other(tx, field, id, node, Some(me)).await?),
    }
    Ok(())
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

/// A target group's ages: each from 0 to 120, the highest not below the lowest.
fn target_group_ages(group: &entity::target_group::Model) -> ApiResult<()> {
    let (min, max) = (group.min_age, group.max_age);
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

mod edits;
mod legal_reference;

/// Create and update for the shared registry, regions and municipalities (admins).
#[derive(MergedObject, Default)]
pub struct RegistryMutation(
    edits::LawMutation,
    legal_reference::LegalReferenceMutation,
    edits::GuidanceMutation,
    edits::PublisherMutation,
    edits::ConceptMutation,
    edits::ThemeMutation,
    edits::TargetGroupMutation,
    edits::RegionMutation,
    edits::MunicipalityMutation,
);
