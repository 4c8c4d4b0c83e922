//! Adoption as a copy: copying a measure with its kept links and its derivation.

use async_graphql::Context;
use oppvekstgraf_entity::{self as entity, derivation, enums};
use sea_orm::{EntityTrait, IntoActiveModel};
use serde_json::{Value, json};
use uuid::Uuid;

use super::super::{
    content::{owner_for, plan_for_measure},
    transaction::{Tx, snapshot},
};
use super::reference::{adopt_reference, copy_only, reusable_source};
use super::{MeasureAdoptInput, MeasureAdoptPayload};
use crate::{
    error::ApiResult,
    graphql::{
        enums::{DerivationMode, Language},
        object::sharing::ReuseKind,
    },
    id::{GlobalId, NodeType},
    sql::Sql,
};

/// Gives the copy `to` of the `node` `from` the links the catalog says a copy keeps, in their order.
pub(super) async fn copy_links(tx: &Tx, node: NodeType, from: Uuid, to: Uuid) -> ApiResult<()> {
    let kept = oppvekstgraf_catalog::LINKS
        .iter()
        .filter(|link| link.left.node == node && link.copy == oppvekstgraf_catalog::OnCopy::Kept);
    for link in kept {
        let (table, own, other) = (link.table, link.left.column, link.right.column);
        let role = if link.has_role() { ", role" } else { "" };
        tx.execute(Sql::with(
            format!(
                "INSERT INTO {table} ({own}, {other}, position{role}) \
                 SELECT ?, {other}, position{role} FROM {table} WHERE {own} = ?"
            ),
            vec![to.into(), from.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Writes the derivation of `copy` from `source` (stored as `source_json`).
pub(super) async fn derive(
    tx: &Tx,
    node: NodeType,
    copy: Uuid,
    source: Uuid,
    source_json: Value,
    source_owner: Option<Uuid>,
    mode: DerivationMode,
    adopter: Uuid,
) -> ApiResult<derivation::Model> {
    let version = source_json["version"].as_i64().unwrap_or(1) as i32;
    let model = derivation::Model {
        id: Uuid::new_v4(),
        node_type: node.name().to_string(),
        node_id: copy,
        source_id: source,
        source_municipality_id: source_owner,
        source_version: version,
        mode: mode.into(),
        municipality_id: adopter,
        created_at: tx.now,
        actor_name: tx.actor.name.clone(),
        token_id: Some(tx.actor.token_id),
        upstream_version: version,
        upstream_snapshot: source_json,
        upstream_synced_at: tx.now,
    };
    derivation::Entity::insert(model.clone().into_active_model())
        .exec_without_returning(&tx.txn)
        .await?;
    Ok(model)
}

/// A slug for a copy owned by `adopter`: the one asked for, or the adopter's slug and the title.
pub(super) async fn copy_slug(
    tx: &Tx,
    table: &str,
    wanted: Option<&str>,
    adopter: Uuid,
    title: &str,
) -> ApiResult<String> {
    let municipality = tx.load::<entity::municipality::Entity>(adopter).await?;
    tx.new_slug(table, wanted, &format!("{} {title}", municipality.slug))
        .await
}

/// Copies measure `source` for `adopter` into `plan` (or no plan), with its links to shared nodes and its
/// derivation; records the creation.
#[allow(clippy::too_many_arguments)]
pub(super) async fn copy_measure(
    tx: &Tx,
    source: &entity::measure::Model,
    adopter: Uuid,
    plan: Option<Uuid>,
    mode: DerivationMode,
    slug: Option<&str>,
    language: Option<Language>,
    keep_number: bool,
) -> ApiResult<(
    entity::measure::Model,
    derivation::Model,
    entity::revision::Model,
)> {
    let id = Uuid::new_v4();
    let position = match plan {
        Some(plan) => tx.next_position("measure", "plan_id", plan).await?,
        None => 0,
    };
    let copy = entity::measure::Model {
        id,
        slug: copy_slug(tx, "measure", slug, adopter, &source.title).await?,
        plan_id: plan,
        municipality_id: adopter,
        number: if keep_number { source.number } else { None },
        position: if keep_number {
            source.position
        } else {
            position
        },
        title: source.title.clone(),
        summary: source.summary.clone(),
        body: source.body.clone(),
        frequency: source.frequency.clone(),
        status: enums::Status::Draft,
        language: language.map(Into::into).unwrap_or(source.language),
        version: 1,
        created_at: tx.now,
        updated_at: tx.now,
    };
    entity::measure::Entity::insert(copy.clone().into_active_model())
        .exec_without_returning(&tx.txn)
        .await?;
    copy_links(tx, NodeType::Measure, source.id, id).await?;
    // National units (no municipality) stay responsible; the source municipality's units do not come along.
    tx.execute(Sql::with(
        "INSERT INTO measure_unit (measure_id, unit_id, position, role) SELECT ?, mu.unit_id, mu.position, mu.role \
         FROM measure_unit mu JOIN unit u ON u.id = mu.unit_id WHERE mu.measure_id = ? AND u.municipality_id IS NULL",
        vec![id.into(), source.id.into()],
    ))
    .await?;
    let d = derive(
        tx,
        NodeType::Measure,
        id,
        source.id,
        snapshot(source)?,
        Some(source.municipality_id),
        mode,
        adopter,
    )
    .await?;
    let revision = tx
        .record(
            NodeType::Measure,
            id,
            1,
            enums::RevisionAction::Create,
            None,
            Some(snapshot(&copy)?),
            Some(json!({
                "derivedFrom": GlobalId::new(NodeType::Measure, source.id).encode(),
                "sourceVersion": source.version,
                "mode": d.mode,
            })),
        )
        .await?;
    Ok((copy, d, revision))
}

pub(super) async fn measure_adopt(
    ctx: &Context<'_>,
    input: MeasureAdoptInput,
) -> ApiResult<MeasureAdoptPayload> {
    let tx = Tx::begin(ctx).await?;
    let adopter = owner_for(&tx, input.municipality.as_deref()).await?;
    let (source_id, _) = reusable_source(&tx, &input.source, NodeType::Measure, adopter).await?;
    let source = tx.load::<entity::measure::Entity>(source_id).await?;
    let payload = match input.kind {
        ReuseKind::Reference => {
            copy_only(&[
                (input.mode.is_some(), "input.mode"),
                (input.plan.is_some(), "input.plan"),
                (input.slug.is_some(), "input.slug"),
                (input.language.is_some(), "input.language"),
            ])?;
            let (adoption, revision) =
                adopt_reference(&tx, NodeType::Measure, source_id, source.version, adopter).await?;
            MeasureAdoptPayload {
                measure: source.into(),
                adoption: Some(adoption.into()),
                derivation: None,
                revision: revision.into(),
            }
        }
        ReuseKind::Copy => {
            let plan = match &input.plan {
                Some(plan) => Some(plan_for_measure(&tx, "input.plan", plan, adopter).await?),
                None => None,
            };
            let (copy, d, revision) = copy_measure(
                &tx,
                &source,
                adopter,
                plan,
                input.mode.unwrap_or(DerivationMode::Copied),
                input.slug.as_deref(),
                input.language,
                false,
            )
            .await?;
            MeasureAdoptPayload {
                measure: copy.into(),
                adoption: None,
                derivation: Some(d.into()),
                revision: revision.into(),
            }
        }
    };
    tx.commit().await?;
    Ok(payload)
}
