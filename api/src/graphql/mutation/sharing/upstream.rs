//! Taking in or dismissing a source's later changes to a copy.

use async_graphql::Context;
use oppvekstgraf_entity::{self as entity, derivation, enums};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PrimaryKeyTrait, QueryFilter,
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};
use uuid::Uuid;

use super::super::transaction::{Tx, Writable, node_id, snapshot};
use super::UpstreamInput;
use crate::{
    error::{ApiError, ApiResult},
    graphql::object::sharing::upstream_changes,
    id::GlobalId,
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
)>
where
    <T as NodeTable>::Model:
        Serialize + DeserializeOwned + IntoActiveModel<<T as Writable>::Active>,
    <T::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    let node = T::NODE;
    let id = node_id("input.id", &input.id, node)?;
    let tx = Tx::begin(ctx).await?;
    tx.claim(node, id, input.version).await?;
    let d = derivation::Entity::find()
        .filter(derivation::Column::NodeId.eq(id))
        .one(&tx.txn)
        .await?
        .ok_or_else(|| {
            ApiError::validation(
                "input.id",
                format!("this {} is not a copy of another", node.name()),
            )
        })?;
    let source = tx.load::<T>(d.source_id).await?;
    let current = snapshot(&source)?;
    let changed = upstream_changes(node, &d.upstream_snapshot, &current);
    if changed.is_empty() {
        return Err(ApiError::validation(
            "input.id",
            format!(
                "the source has not changed since version {}: nothing to take in",
                d.upstream_version
            ),
        ));
    }
    let selected: Vec<(&str, &str)> = match &input.fields {
        None => changed.clone(),
        Some(fields) => {
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
            out
        }
    };
    let model = tx.load::<T>(id).await?;
    let mut json = snapshot(&model)?;
    // The claim stored version + 1 already; the snapshot shows the copy as the client saw it.
    json["version"] = json!(input.version);
    let before = json.clone();
    if accept {
        for (stored, _) in &selected {
            json[*stored] = current.get(*stored).cloned().unwrap_or(Value::Null);
        }
    }
    json["version"] = json!(input.version + 1);
    json["updated_at"] = json!(tx.now);
    let updated: <T as NodeTable>::Model = serde_json::from_value(json).map_err(|err| {
        tracing::error!(error = %err, "could not rebuild a node");
        ApiError::Internal
    })?;
    let saved = tx.save::<T>(updated).await?;
    let mut synced = d.upstream_snapshot.clone();
    for (stored, _) in &selected {
        synced[*stored] = current.get(*stored).cloned().unwrap_or(Value::Null);
    }
    // Keep the rest of the snapshot in step with the source's bookkeeping fields.
    for key in ["version", "updated_at", "status"] {
        synced[key] = current.get(key).cloned().unwrap_or(Value::Null);
    }
    let source_version = current["version"].as_i64().unwrap_or(0) as i32;
    let mut active: derivation::ActiveModel = d.clone().into();
    active.upstream_snapshot = sea_orm::ActiveValue::Set(synced);
    active.upstream_version = sea_orm::ActiveValue::Set(source_version);
    active.upstream_synced_at = sea_orm::ActiveValue::Set(tx.now);
    let d = active.update(&tx.txn).await?;
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
