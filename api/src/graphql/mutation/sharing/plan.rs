//! Adopting a plan, by reference or as a copy with its goals and measures.

use async_graphql::Context;
use oppvekstgraf_entity::{self as entity, enums};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::super::{
    content::owner_for,
    transaction::{Tx, snapshot},
};
use super::copy::{copy_links, copy_measure, copy_slug, derive};
use super::reference::{adopt_reference, copy_only, reusable_source};
use super::{PlanAdoptInput, PlanAdoptPayload};
use crate::{
    error::ApiResult,
    graphql::{
        enums::{DerivationMode, Language},
        object::sharing::ReuseKind,
    },
    id::{GlobalId, NodeType},
    sql::Sql,
};

pub(super) async fn plan_adopt(
    ctx: &Context<'_>,
    input: PlanAdoptInput,
) -> ApiResult<PlanAdoptPayload> {
    let tx = Tx::begin(ctx).await?;
    let adopter = owner_for(&tx, input.municipality.as_deref()).await?;
    let (source_id, source_owners) =
        reusable_source(&tx, &input.source, NodeType::Plan, adopter).await?;
    let source = tx.load::<entity::plan::Entity>(source_id).await?;
    let payload = match input.kind {
        ReuseKind::Reference => adopt_by_reference(&tx, &input, source, adopter).await?,
        ReuseKind::Copy => {
            let source_owner = source_owners.first().copied();
            adopt_as_copy(&tx, &input, source, source_owner, adopter).await?
        }
    };
    tx.commit().await?;
    Ok(payload)
}

/// Adopts plan `source` by reference for `adopter`; the options only a copy takes are refused.
async fn adopt_by_reference(
    tx: &Tx,
    input: &PlanAdoptInput,
    source: entity::plan::Model,
    adopter: Uuid,
) -> ApiResult<PlanAdoptPayload> {
    copy_only(&[
        (input.mode.is_some(), "input.mode"),
        (input.with_measures.is_some(), "input.withMeasures"),
        (input.slug.is_some(), "input.slug"),
        (input.language.is_some(), "input.language"),
    ])?;
    let (adoption, revision) =
        adopt_reference(tx, NodeType::Plan, source.id, source.version, adopter).await?;
    Ok(PlanAdoptPayload {
        plan: source.into(),
        adoption: Some(adoption.into()),
        derivation: None,
        copied_measures: 0,
        revision: revision.into(),
    })
}

/// Adopts plan `source` (owned by `source_owner`) as a draft copy of `adopter`'s own: the plan with its kept
/// links and its goals, its derivation, by default copies of its published measures, and a revision.
async fn adopt_as_copy(
    tx: &Tx,
    input: &PlanAdoptInput,
    source: entity::plan::Model,
    source_owner: Option<Uuid>,
    adopter: Uuid,
) -> ApiResult<PlanAdoptPayload> {
    let mode = input.mode.unwrap_or(DerivationMode::Copied);
    let copy = insert_copy(tx, input, &source, adopter).await?;
    let id = copy.id;
    copy_links(tx, NodeType::Plan, source.id, id).await?;
    // Goals come along as the plan's own.
    copy_goals(tx, source.id, id, adopter).await?;
    let d = derive(
        tx,
        NodeType::Plan,
        id,
        source.id,
        snapshot(&source)?,
        source_owner,
        mode,
        adopter,
    )
    .await?;
    let copied_measures = if input.with_measures.unwrap_or(true) {
        copy_measures(tx, source.id, id, mode, input.language, adopter).await?
    } else {
        0
    };
    let revision = tx
        .record(
            NodeType::Plan,
            id,
            1,
            enums::RevisionAction::Create,
            None,
            Some(snapshot(&copy)?),
            Some(json!({
                "derivedFrom": GlobalId::new(NodeType::Plan, source.id).encode(),
                "sourceVersion": source.version,
                "mode": d.mode,
                "copiedMeasures": copied_measures,
            })),
        )
        .await?;
    Ok(PlanAdoptPayload {
        plan: copy.into(),
        adoption: None,
        derivation: Some(d.into()),
        copied_measures,
        revision: revision.into(),
    })
}

/// Inserts the draft copy of plan `source`, owned by `adopter`.
async fn insert_copy(
    tx: &Tx,
    input: &PlanAdoptInput,
    source: &entity::plan::Model,
    adopter: Uuid,
) -> ApiResult<entity::plan::Model> {
    let id = Uuid::new_v4();
    let copy = entity::plan::Model {
        id,
        slug: copy_slug(tx, "plan", input.slug.as_deref(), adopter, &source.title).await?,
        title: source.title.clone(),
        kind: source.kind,
        period_start: source.period_start,
        period_end: source.period_end,
        // The adopter's own adoption is recorded later (`planAdoptionSet` or an update).
        adopted_on: None,
        adopted_by_id: None,
        case_number: None,
        archive_case_number: None,
        document_url: source.document_url.clone(),
        summary: source.summary.clone(),
        body: source.body.clone(),
        parent_id: None,
        status: enums::Status::Draft,
        language: input.language.map(Into::into).unwrap_or(source.language),
        version: 1,
        created_at: tx.now,
        updated_at: tx.now,
    };
    entity::plan::Entity::insert(copy.clone().into_active_model())
        .exec_without_returning(&tx.txn)
        .await?;
    tx.execute(Sql::with(
        "INSERT INTO plan_owner (plan_id, municipality_id, position) VALUES (?, ?, 0)",
        vec![id.into(), adopter.into()],
    ))
    .await?;
    Ok(copy)
}

/// Copies the goals of plan `source` into plan `copy`, as drafts of `adopter`'s.
async fn copy_goals(tx: &Tx, source: Uuid, copy: Uuid, adopter: Uuid) -> ApiResult<()> {
    let goals = entity::goal::Entity::find()
        .filter(entity::goal::Column::PlanId.eq(source))
        .all(&tx.txn)
        .await?;
    for goal in goals {
        let slug = copy_slug(tx, "goal", None, adopter, &goal.focus_area).await?;
        let copy = entity::goal::Model {
            id: Uuid::new_v4(),
            slug,
            plan_id: copy,
            status: enums::Status::Draft,
            version: 1,
            created_at: tx.now,
            updated_at: tx.now,
            ..goal
        };
        entity::goal::Entity::insert(copy.into_active_model())
            .exec_without_returning(&tx.txn)
            .await?;
    }
    Ok(())
}

/// Copies the published measures of plan `source` into plan `copy`, each with its derivation; returns how
/// many.
async fn copy_measures(
    tx: &Tx,
    source: Uuid,
    copy: Uuid,
    mode: DerivationMode,
    language: Option<Language>,
    adopter: Uuid,
) -> ApiResult<i32> {
    let measures = entity::measure::Entity::find()
        .filter(entity::measure::Column::PlanId.eq(source))
        .filter(entity::measure::Column::Status.eq(enums::Status::Published))
        .all(&tx.txn)
        .await?;
    let mut copied = 0;
    for measure in measures {
        copy_measure(
            tx,
            &measure,
            adopter,
            Some(copy),
            mode,
            None,
            language,
            true,
        )
        .await?;
        copied += 1;
    }
    Ok(copied)
}
