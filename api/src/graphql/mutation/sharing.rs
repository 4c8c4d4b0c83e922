//! Reuse between municipalities: adopting another municipality's measure or plan by reference or as a copy
//! (with its derivation), giving a reference up, taking in or dismissing the source's later changes, and
//! recording each owner's adoption of a joint plan.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;
use oppvekstgraf_entity::{self as entity, adoption, derivation, enums, plan_adoption};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PrimaryKeyTrait, QueryFilter,
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    content::{owner_for, plan_for_measure},
    transaction::{Tx, Writable, node_id, owners, snapshot},
};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        enums::{DerivationMode, Language},
        object::{
            Measure, Municipality, Plan,
            revision::Revision,
            sharing::{Adoption, Derivation, PlanAdoption, ReuseKind, upstream_changes},
        },
    },
    id::{GlobalId, NodeType},
    loader::NodeTable,
    sql::Sql,
    validate,
};

/// Input of `measureAdopt`.
#[derive(InputObject)]
pub struct MeasureAdoptInput {
    /// Global ID of another municipality's published measure.
    pub source: ID,
    /// REFERENCE lists the source as one of the adopter's measures, read-only; COPY makes a measure of the
    /// adopter's own, linked back to its source.
    pub kind: ReuseKind,
    /// For a copy: copied (default), adapted or translated.
    pub mode: Option<DerivationMode>,
    /// For a copy: the adopter's plan to put it in (global ID); none leaves it outside any plan.
    pub plan: Option<ID>,
    /// Admins only: the adopting municipality (kommunenummer); editors adopt for their own.
    pub municipality: Option<String>,
    /// For a copy: its slug; made from the adopter and the title when left out.
    pub slug: Option<String>,
    /// For a copy: its language (e.g. NN for a translation); the source's when left out.
    pub language: Option<Language>,
}

/// Input of `planAdopt`.
#[derive(InputObject)]
pub struct PlanAdoptInput {
    /// Global ID of another municipality's published plan.
    pub source: ID,
    /// REFERENCE lists the source as one of the adopter's plans, read-only; COPY makes a plan of the
    /// adopter's own (with copies of its goals and, by default, its measures), linked back to its source.
    pub kind: ReuseKind,
    /// For a copy: copied (default), adapted or translated.
    pub mode: Option<DerivationMode>,
    /// For a copy: also copy the plan's measures, each with its own derivation (default true).
    pub with_measures: Option<bool>,
    /// Admins only: the adopting municipality (kommunenummer); editors adopt for their own.
    pub municipality: Option<String>,
    /// For a copy: its slug; made from the adopter and the title when left out.
    pub slug: Option<String>,
    /// For a copy: its language (e.g. NN for a translation); the source's when left out.
    pub language: Option<Language>,
}

/// Input of `measureUnadopt` and `planUnadopt`.
#[derive(InputObject)]
pub struct UnadoptInput {
    /// Global ID of the adopted source.
    pub source: ID,
    /// Admins only: the adopting municipality (kommunenummer); editors act for their own.
    pub municipality: Option<String>,
}

/// Result of `measureAdopt`.
#[derive(SimpleObject)]
pub struct MeasureAdoptPayload {
    /// The copy, or for a reference the source itself.
    pub measure: Measure,
    /// The adoption, for a reference.
    pub adoption: Option<Adoption>,
    /// The copy's derivation, for a copy.
    pub derivation: Option<Derivation>,
    /// The revision that records it.
    pub revision: Revision,
}

/// Result of `planAdopt`.
#[derive(SimpleObject)]
pub struct PlanAdoptPayload {
    /// The copy, or for a reference the source itself.
    pub plan: Plan,
    /// The adoption, for a reference.
    pub adoption: Option<Adoption>,
    /// The copy's derivation, for a copy.
    pub derivation: Option<Derivation>,
    /// How many measures were copied with the plan.
    pub copied_measures: i32,
    /// The revision that records it.
    pub revision: Revision,
}

/// Result of `measureUnadopt` and `planUnadopt`.
#[derive(SimpleObject)]
pub struct UnadoptPayload {
    /// The municipality that gave the adoption up.
    pub municipality: Municipality,
    /// The revision that records it.
    pub revision: Revision,
}

/// Input of the upstream mutations (`measureUpstreamAccept`, `planUpstreamDismiss` …).
#[derive(InputObject)]
pub struct UpstreamInput {
    /// Global ID of the copy.
    pub id: ID,
    /// The copy's version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// Only these changed fields (schema names from `upstreamDiff`, e.g. ["title"]); all when left out.
    pub fields: Option<Vec<String>>,
}

/// Result of `measureUpstreamAccept` and `measureUpstreamDismiss`.
#[derive(SimpleObject)]
pub struct MeasureUpstreamPayload {
    /// The copy after the change.
    pub measure: Measure,
    /// Its derivation after the change.
    pub derivation: Derivation,
    /// The revision that records it.
    pub revision: Revision,
}

/// Result of `planUpstreamAccept` and `planUpstreamDismiss`.
#[derive(SimpleObject)]
pub struct PlanUpstreamPayload {
    /// The copy after the change.
    pub plan: Plan,
    /// Its derivation after the change.
    pub derivation: Derivation,
    /// The revision that records it.
    pub revision: Revision,
}

/// Input of `planAdoptionSet`.
#[derive(InputObject)]
pub struct PlanAdoptionSetInput {
    /// Global ID of the plan.
    pub plan: ID,
    /// The plan's version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// Admins only: the owner (kommunenummer) whose adoption this is; editors record their own.
    pub municipality: Option<String>,
    /// When the owner adopted the plan; null clears it.
    pub adopted_on: Option<NaiveDate>,
    /// The owner's unit that adopted it (usually its kommunestyre); null clears it.
    pub adopted_by: Option<ID>,
    /// Political case number, e.g. "PS-50/23"; null clears it.
    pub case_number: Option<String>,
    /// Archive (Noark 5) case number, e.g. "2015/545"; null clears it.
    pub archive_case_number: Option<String>,
}

/// Result of `planAdoptionSet`.
#[derive(SimpleObject)]
pub struct PlanAdoptionSetPayload {
    /// The plan.
    pub plan: Plan,
    /// The owner's adoption as recorded.
    pub adoption: PlanAdoption,
    /// The revision that records it.
    pub revision: Revision,
}

/// The source a municipality wants to reuse: visible to the actor, published, and not its own.
async fn reusable_source(
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

fn node_table(node: NodeType) -> &'static str {
    if node == NodeType::Plan {
        "plan"
    } else {
        "measure"
    }
}

/// Records an adoption by reference of `source` by `adopter`; a revision of the adopter records it.
async fn adopt_reference(
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
    let municipality = tx.load::<entity::municipality::Entity>(adopter).await?;
    let revision = tx
        .record(
            NodeType::Municipality,
            adopter,
            municipality.version,
            enums::RevisionAction::Adopt,
            None,
            None,
            Some(json!({
                "relation": "adoptions",
                "target": GlobalId::new(node, source).encode(),
                "sourceVersion": source_version,
            })),
        )
        .await?;
    Ok((model, revision))
}

/// Gives up `adopter`'s adoption by reference of `source`.
async fn unadopt(
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
    let municipality = tx.load::<entity::municipality::Entity>(adopter).await?;
    let revision = tx
        .record(
            NodeType::Municipality,
            adopter,
            municipality.version,
            enums::RevisionAction::Unadopt,
            None,
            None,
            Some(
                json!({ "relation": "adoptions", "target": GlobalId::new(node, source).encode() }),
            ),
        )
        .await?;
    tx.commit().await?;
    Ok(UnadoptPayload {
        municipality: municipality.into(),
        revision: revision.into(),
    })
}

/// Gives the copy `to` of the `node` `from` the links the catalog says a copy keeps, in their order.
async fn copy_links(tx: &Tx, node: NodeType, from: Uuid, to: Uuid) -> ApiResult<()> {
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
async fn derive(
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
async fn copy_slug(
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
async fn copy_measure(
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

async fn measure_adopt(
    ctx: &Context<'_>,
    input: MeasureAdoptInput,
) -> ApiResult<MeasureAdoptPayload> {
    let tx = Tx::begin(ctx).await?;
    let adopter = owner_for(&tx, input.municipality.as_deref()).await?;
    let (source_id, _) = reusable_source(&tx, &input.source, NodeType::Measure, adopter).await?;
    let source = tx.load::<entity::measure::Entity>(source_id).await?;
    let payload = match input.kind {
        ReuseKind::Reference => {
            for (set, field) in [
                (input.mode.is_some(), "input.mode"),
                (input.plan.is_some(), "input.plan"),
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

async fn plan_adopt(ctx: &Context<'_>, input: PlanAdoptInput) -> ApiResult<PlanAdoptPayload> {
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

/// Takes in (`accept`) or dismisses the source's changes to copy `input.id` of `T`, for all changed fields
/// or those named. One transaction; the copy's version moves on.
async fn upstream<T: Writable>(
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

async fn plan_adoption_set(
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
    let adopted_by = match &input.adopted_by {
        Some(unit) => {
            let unit = tx.visible("input.adoptedBy", unit, NodeType::Unit).await?;
            if tx.unit_owner(unit).await? != Some(owner) {
                return Err(ApiError::validation(
                    "input.adoptedBy",
                    "give a unit of the adopting municipality (usually its kommunestyre)",
                ));
            }
            Some(unit)
        }
        None => None,
    };
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

/// Reuse mutations.
#[derive(Default)]
pub struct SharingMutation;

#[Object]
impl SharingMutation {
    /// Adopts another municipality's published measure: by REFERENCE (listed among the adopter's measures,
    /// read-only, its owner shown) or as a COPY (a draft measure of the adopter's own, with links to the same
    /// laws, guidance, themes and target groups, and a derivation back to its source).
    async fn measure_adopt(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to adopt and how.")] input: MeasureAdoptInput,
    ) -> Result<MeasureAdoptPayload> {
        measure_adopt(ctx, input).await.map_err(Into::into)
    }

    /// Gives up an adoption of a measure by reference.
    async fn measure_unadopt(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The adopted measure.")] input: UnadoptInput,
    ) -> Result<UnadoptPayload> {
        unadopt(ctx, input, NodeType::Measure)
            .await
            .map_err(Into::into)
    }

    /// Adopts another municipality's published plan: by REFERENCE, or as a COPY (a draft plan of the
    /// adopter's own with its goals and, unless `withMeasures` is false, its published measures, each copy
    /// with a derivation back to its source).
    async fn plan_adopt(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to adopt and how.")] input: PlanAdoptInput,
    ) -> Result<PlanAdoptPayload> {
        plan_adopt(ctx, input).await.map_err(Into::into)
    }

    /// Gives up an adoption of a plan by reference.
    async fn plan_unadopt(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The adopted plan.")] input: UnadoptInput,
    ) -> Result<UnadoptPayload> {
        unadopt(ctx, input, NodeType::Plan)
            .await
            .map_err(Into::into)
    }

    /// Takes the source's changes into a copied measure (all changed fields, or those named); the copy's own
    /// other edits stay.
    async fn measure_upstream_accept(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The copy and the fields to take in.")] input: UpstreamInput,
    ) -> Result<MeasureUpstreamPayload> {
        let (m, d, r) = upstream::<entity::measure::Entity>(ctx, input, true).await?;
        Ok(MeasureUpstreamPayload {
            measure: m.into(),
            derivation: d.into(),
            revision: r.into(),
        })
    }

    /// Dismisses the source's changes to a copied measure (all, or the fields named): the copy keeps its
    /// values and no longer shows them as upstream changes.
    async fn measure_upstream_dismiss(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The copy and the fields to dismiss.")] input: UpstreamInput,
    ) -> Result<MeasureUpstreamPayload> {
        let (m, d, r) = upstream::<entity::measure::Entity>(ctx, input, false).await?;
        Ok(MeasureUpstreamPayload {
            measure: m.into(),
            derivation: d.into(),
            revision: r.into(),
        })
    }

    /// Takes the source's changes into a copied plan (all changed fields, or those named).
    async fn plan_upstream_accept(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The copy and the fields to take in.")] input: UpstreamInput,
    ) -> Result<PlanUpstreamPayload> {
        let (m, d, r) = upstream::<entity::plan::Entity>(ctx, input, true).await?;
        Ok(PlanUpstreamPayload {
            plan: m.into(),
            derivation: d.into(),
            revision: r.into(),
        })
    }

    /// Dismisses the source's changes to a copied plan (all, or the fields named).
    async fn plan_upstream_dismiss(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The copy and the fields to dismiss.")] input: UpstreamInput,
    ) -> Result<PlanUpstreamPayload> {
        let (m, d, r) = upstream::<entity::plan::Entity>(ctx, input, false).await?;
        Ok(PlanUpstreamPayload {
            plan: m.into(),
            derivation: d.into(),
            revision: r.into(),
        })
    }

    /// Records one owner's own adoption of a plan (date, adopting unit, case numbers): each owner of a joint
    /// plan records its own. Editors record their municipality's; admins name the owner.
    async fn plan_adoption_set(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan, the owner and its adoption.")] input: PlanAdoptionSetInput,
    ) -> Result<PlanAdoptionSetPayload> {
        plan_adoption_set(ctx, input).await.map_err(Into::into)
    }
}
