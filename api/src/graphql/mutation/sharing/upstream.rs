//! Taking in or dismissing a source's later changes to a copy.

use async_graphql::Context;
use oppvekstgraf_entity::{self as entity, derivation, enums};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use super::super::transaction::{Tx, Writable, node_id, snapshot};
use super::UpstreamInput;
use crate::{
    error::{ApiError, ApiResult},
    graphql::object::sharing::upstream_changes,
    id::{GlobalId, NodeType},
    loader::NodeTable,
};

/// Takes in (`accept`) or dismisses the source's changes to copy `input.id` of `T`, for all changed fields
/// or those named. One transaction; the copy's version moves on.
pub(super) async fn upstream<T: Writable>(
    ctx: &Context<'_>,
    input: UpstreamInput,
    accept: bool,
) -> ApiResult<(
    <T as NodeTable>::Model,
    derivation::Model,
    entity::revision::Model,
)> {
    let node = T::NODE;
    let id = node_id("input.id", &input.id, node)?;
    let tx = Tx::begin(ctx).await?;
    tx.claim(node, id, input.version).await?;
    let d = derivation_of(&tx, node, id).await?;
    let source = tx.load::<T>(d.source_id).await?;
    let current = snapshot(&source)?;
    let changed = upstream_changes(node, &d.upstream_snapshot, &current);
    let selected = select_changes(changed, d.upstream_version, input.fields.as_deref())?;
    let model = tx.load::<T>(id).await?;
    let mut json = snapshot(&model)?;
    // The claim stored version + 1 already; the snapshot shows the copy as the client saw it.
    json["version"] = json!(input.version);
    let before = json.clone();
    if accept {
        take_fields(&mut json, &current, &selected);
    }
    json["version"] = json!(input.version + 1);
    json["updated_at"] = json!(tx.now);
    let updated: <T as NodeTable>::Model = serde_json::from_value(json).map_err(|err| {
        tracing::error!(error = %err, "could not rebuild a node");
        ApiError::Internal
    })?;
    let saved = tx.save::<T>(updated).await?;
    let (d, source_version) = sync_derivation(&tx, d, &current, &selected).await?;
    let fields: Vec<&str> = selected.iter().map(|(_, s)| *s).collect();
    let revision = tx
        .record(
            node,
            id,
            input.version + 1,
            if accept {
                enums::RevisionAction::UpstreamAccept
            } else {
                enums::RevisionAction::UpstreamDismiss
            },
            Some(before),
            Some(snapshot(&saved)?),
            Some(json!({
                "source": GlobalId::new(node, d.source_id).encode(),
                "sourceVersion": source_version,
                "fields": fields,
            })),
        )
        .await?;
    tx.commit().await?;
    Ok((saved, d, revision))
}

/// The derivation of copy `id`; VALIDATION when the node is not a copy.
async fn derivation_of(tx: &Tx, node: NodeType, id: Uuid) -> ApiResult<derivation::Model> {
    derivation::Entity::find()
        .filter(derivation::Column::NodeId.eq(id))
        .one(&tx.txn)
        .await?
        .ok_or_else(|| {
            ApiError::validation(
                "input.id",
                format!("this {} is not a copy of another", node.name()),
            )
        })
}

/// The upstream changes to act on, as (stored, schema) field names: all of `changed`, or those `fields`
/// names. VALIDATION when the source has not changed since `upstream_version` or a named field did not.
fn select_changes(
    changed: Vec<(&'static str, &'static str)>,
    upstream_version: i32,
    fields: Option<&[String]>,
) -> ApiResult<Vec<(&'static str, &'static str)>> {
    if changed.is_empty() {
        return Err(ApiError::validation(
            "input.id",
            format!(
                "the source has not changed since version {upstream_version}: nothing to take in"
            ),
        ));
    }
    let Some(fields) = fields else {
        return Ok(changed);
    };
    let mut out = Vec::new();
    for (i, name) in fields.iter().enumerate() {
        match changed.iter().find(|(_, schema)| schema == name) {
            Some(field) => out.push(*field),
            None => {
                let names: Vec<&str> = changed.iter().map(|(_, s)| *s).collect();
                return Err(ApiError::validation(
                    format!("input.fields[{i}]"),
                    format!(
                        "{name:?} did not change upstream: the changed fields are {}",
                        names.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// Sets the `selected` fields of `json` to their values in `current`.
fn take_fields(json: &mut Value, current: &Value, selected: &[(&str, &str)]) {
    for (stored, _) in selected {
        json[*stored] = current.get(*stored).cloned().unwrap_or(Value::Null);
    }
}

/// Moves derivation `d` on to the source as it is now (`current`) for the `selected` fields and the
/// bookkeeping fields; returns it and the source's version.
async fn sync_derivation(
    tx: &Tx,
    d: derivation::Model,
    current: &Value,
    selected: &[(&str, &str)],
) -> ApiResult<(derivation::Model, i32)> {
    let mut synced = d.upstream_snapshot.clone();
    take_fields(&mut synced, current, selected);
    // Keep the rest of the snapshot in step with the source's bookkeeping fields.
    for key in ["version", "updated_at", "status"] {
        synced[key] = current.get(key).cloned().unwrap_or(Value::Null);
    }
    let source_version = current["version"].as_i64().unwrap_or(0) as i32;
    let mut active: derivation::ActiveModel = d.into();
    active.upstream_snapshot = sea_orm::ActiveValue::Set(synced);
    active.upstream_version = sea_orm::ActiveValue::Set(source_version);
    active.upstream_synced_at = sea_orm::ActiveValue::Set(tx.now);
    let d = active.update(&tx.txn).await?;
    Ok((d, source_version))
}
