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
use super::reference::{adopt_reference, reusable_source};
use super::{PlanAdoptInput, PlanAdoptPayload};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{enums::DerivationMode, object::sharing::ReuseKind},
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
        ReuseKind::Reference => {
            for (set, field) in [
                (input.mode.is_some(), "input.mode"),
                (input.with_measures.is_some(), "input.withMeasures"),
                (input.slug.is_some(), "input.slug"),
                (input.language.is_some(), "input.language"),
            ] {
                if set {
                    return Err(ApiError::validation(
                        field,
                        "only a COPY takes this: a REFERENCE adopts the source as it is",
                    ));
                }
            }
            let (adoption, revision) =
                adopt_reference(&tx, NodeType::Plan, source_id, source.version, adopter).await?;
            PlanAdoptPayload {
                plan: source.into(),
                adoption: Some(adoption.into()),
                derivation: None,
                copied_measures: 0,
                revision: revision.into(),
            }
        }
        ReuseKind::Copy => {
            let mode = input.mode.unwrap_or(DerivationMode::Copied);
            let id = Uuid::new_v4();
            let copy = entity::plan::Model {
                id,
                slug: copy_slug(&tx, "plan", input.slug.as_deref(), adopter, &source.title).await?,
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
            copy_links(&tx, NodeType::Plan, source_id, id).await?;
            // Goals come along as the plan's own.
            let goals = entity::goal::Entity::find()
                .filter(entity::goal::Column::PlanId.eq(source_id))
                .all(&tx.txn)
                .await?;
            for goal in goals {
                let slug = copy_slug(&tx, "goal", None, adopter, &goal.focus_area).await?;
                let copy = entity::goal::Model {
                    id: Uuid::new_v4(),
                    slug,
                    plan_id: id,
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
            let d = derive(
                &tx,
                NodeType::Plan,
                id,
                source_id,
                snapshot(&source)?,
                source_owners.first().copied(),
                mode,
                adopter,
            )
            .await?;
            let mut copied_measures = 0;
            if input.with_measures.unwrap_or(true) {
                let measures = entity::measure::Entity::find()
                    .filter(entity::measure::Column::PlanId.eq(source_id))
                    .filter(entity::measure::Column::Status.eq(enums::Status::Published))
                    .all(&tx.txn)
                    .await?;
                for measure in measures {
                    copy_measure(
                        &tx,
                        &measure,
                        adopter,
                        Some(id),
                        mode,
                        None,
                        input.language,
                        true,
                    )
                    .await?;
                    copied_measures += 1;
                }
            }
            let revision = tx
                .record(
                    NodeType::Plan,
                    id,
                    1,
                    enums::RevisionAction::Create,
                    None,
                    Some(snapshot(&copy)?),
                    Some(json!({
                        "derivedFrom": GlobalId::new(NodeType::Plan, source_id).encode(),
                        "sourceVersion": source.version,
                        "mode": d.mode,
                        "copiedMeasures": copied_measures,
                    })),
                )
                .await?;
            PlanAdoptPayload {
                plan: copy.into(),
                adoption: None,
                derivation: Some(d.into()),
                copied_measures,
                revision: revision.into(),
            }
        }
    };
    tx.commit().await?;
    Ok(payload)
}
