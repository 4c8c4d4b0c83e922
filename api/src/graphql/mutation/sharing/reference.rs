//! Adoption by reference: checking a source can be reused, recording and giving up an adoption.

use async_graphql::{Context, ID};
use oppvekstgraf_entity::{self as entity, adoption, enums};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::super::{
    content::owner_for,
    transaction::{Tx, node_id, owners},
};
use super::{UnadoptInput, UnadoptPayload};
use crate::{
    error::{ApiError, ApiResult},
    id::{GlobalId, NodeType},
    sql::Sql,
};

/// The source a municipality wants to reuse: visible to the actor, published, and not its own.
pub(super) async fn reusable_source(
    tx: &Tx,
    source: &ID,
    node: NodeType,
    adopter: Uuid,
) -> ApiResult<(Uuid, Vec<Uuid>)> {
    let id = tx.visible("input.source", source, node).await?;
    let source_owners = owners(&tx.txn, node, id).await?.unwrap_or_default();
    if source_owners.contains(&adopter) {
        return Err(ApiError::validation(
            "input.source",
            format!(
                "this {} already belongs to the adopting municipality",
                node.name()
            ),
        ));
    }
    let row = tx
        .txn_query_one(Sql::with(
            format!("SELECT status FROM {} WHERE id = ?", node_table(node)),
            vec![id.into()],
        ))
        .await?
        .ok_or(ApiError::Internal)?;
    if row.try_get::<String>("", "status")? != "published" {
        return Err(ApiError::validation(
            "input.source",
            format!("only a published {} can be adopted", node.name()),
        ));
    }
    Ok((id, source_owners))
}

/// Refuses, naming the first, the options of an adoption that only a copy takes: `given` pairs whether each
/// was set with its input field.
pub(super) fn copy_only(given: &[(bool, &str)]) -> ApiResult<()> {
    match given.iter().find(|(set, _)| *set) {
        Some(&(_, field)) => Err(ApiError::validation(
            field,
            "only a COPY takes this: a REFERENCE adopts the source as it is",
        )),
        None => Ok(()),
    }
}

pub(super) fn node_table(node: NodeType) -> &'static str {
    if node == NodeType::Plan {
        "plan"
    } else {
        "measure"
    }
}

/// Records an adoption by reference of `source` by `adopter`; a revision of the adopter records it.
pub(super) async fn adopt_reference(
    tx: &Tx,
    node: NodeType,
    source: Uuid,
    source_version: i32,
    adopter: Uuid,
) -> ApiResult<(adoption::Model, entity::revision::Model)> {
    tx.lock_key(&format!("adoption:{adopter}:{source}")).await?;
    let existing = adoption::Entity::find()
        .filter(adoption::Column::MunicipalityId.eq(adopter))
        .filter(adoption::Column::SourceId.eq(source))
        .one(&tx.txn)
        .await?;
    if existing.is_some() {
        return Err(ApiError::validation(
            "input.source",
            format!("the municipality has adopted this {} already", node.name()),
        ));
    }
    let position = tx
        .next_position("adoption", "municipality_id", adopter)
        .await?;
    let model = adoption::Model {
        id: Uuid::new_v4(),
        municipality_id: adopter,
        node_type: node.name().to_string(),
        source_id: source,
        source_version,
        position,
        created_at: tx.now,
        actor_name: tx.actor.name.clone(),
        token_id: Some(tx.actor.token_id),
    };
    adoption::Entity::insert(model.clone().into_active_model())
        .exec_without_returning(&tx.txn)
        .await?;
    let detail = json!({
        "relation": "adoptions",
        "target": GlobalId::new(node, source).encode(),
        "sourceVersion": source_version,
    });
    let (_, revision) = record_adoptions(tx, adopter, enums::RevisionAction::Adopt, detail).await?;
    Ok((model, revision))
}

/// Records a change to `adopter`'s adoptions as a revision of the municipality (its version stays).
async fn record_adoptions(
    tx: &Tx,
    adopter: Uuid,
    action: enums::RevisionAction,
    detail: serde_json::Value,
) -> ApiResult<(entity::municipality::Model, entity::revision::Model)> {
    let municipality = tx.load::<entity::municipality::Entity>(adopter).await?;
    let revision = tx
        .record(
            NodeType::Municipality,
            adopter,
            municipality.version,
            action,
            None,
            None,
            Some(detail),
        )
        .await?;
    Ok((municipality, revision))
}

/// Gives up `adopter`'s adoption by reference of `source`.
pub(super) async fn unadopt(
    ctx: &Context<'_>,
    input: UnadoptInput,
    node: NodeType,
) -> ApiResult<UnadoptPayload> {
    let tx = Tx::begin(ctx).await?;
    let adopter = owner_for(&tx, input.municipality.as_deref()).await?;
    let source = node_id("input.source", &input.source, node)?;
    let deleted = adoption::Entity::delete_many()
        .filter(adoption::Column::MunicipalityId.eq(adopter))
        .filter(adoption::Column::SourceId.eq(source))
        .exec(&tx.txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ApiError::validation(
            "input.source",
            format!(
                "the municipality has not adopted this {} by reference",
                node.name()
            ),
        ));
    }
    let detail = json!({ "relation": "adoptions", "target": GlobalId::new(node, source).encode() });
    let (municipality, revision) =
        record_adoptions(&tx, adopter, enums::RevisionAction::Unadopt, detail).await?;
    tx.commit().await?;
    Ok(UnadoptPayload {
        municipality: municipality.into(),
        revision: revision.into(),
    })
}
