//! Create and update for municipal content: plans, goals, measures and units. Editors write their own
//! municipality's content; admins write any.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::NaiveDate;
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::transaction::{
    Tx, create_node, ensure_writable, maybe, maybe_text, maybe_url, node_id, update_node,
};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        enums::{Language, PlanKind, UnitKind},
        object::{Goal, Measure, Plan, Unit, revision::Revision},
    },
    id::NodeType,
    sql::Sql,
    validate::{self, MAX_TEXT, MAX_TITLE},
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

/// Input of `measureCreate`.
#[derive(InputObject)]
pub struct MeasureCreateInput {
    /// The plan the measure belongs to (global ID). Editors may add measures to plans their municipality owns.
    pub plan: ID,
    /// Title, e.g. "Oppvekstforum" (1-500 characters).
    pub title: String,
    /// Its number in the plan, when the plan numbers its measures (1-9999).
    pub number: Option<i32>,
    /// Short summary (up to 50 000 characters).
    pub summary: Option<String>,
    /// Longer text (up to 50 000 characters).
    pub body: Option<String>,
    /// How often it happens, e.g. "fire ganger pr år" (up to 500 characters).
    pub frequency: Option<String>,
    /// Slug (a-z, 0-9, hyphens); made from the title when left out.
    pub slug: Option<String>,
    /// Language of the text (default NB).
    pub language: Option<Language>,
    /// Owning municipality (kommunenummer). Admins only; editors create for their own municipality.
    pub municipality: Option<String>,
}

/// Input of `measureUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct MeasureUpdateInput {
    /// Global ID of the measure.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// Moves the measure to another plan its municipality owns.
    pub plan: Option<ID>,
    /// New title (1-500 characters).
    pub title: Option<String>,
    /// New number in the plan (1-9999), or null.
    pub number: MaybeUndefined<i32>,
    /// New summary, or null.
    pub summary: MaybeUndefined<String>,
    /// New body, or null.
    pub body: MaybeUndefined<String>,
    /// New frequency, or null.
    pub frequency: MaybeUndefined<String>,
    /// New slug.
    pub slug: Option<String>,
    /// New language.
    pub language: Option<Language>,
}

/// Result of `measureCreate`.
#[derive(SimpleObject)]
pub struct MeasureCreatePayload {
    /// The new measure (a draft).
    pub measure: Measure,
    /// The revision that records the creation.
    pub revision: Revision,
}

/// Result of `measureUpdate`.
#[derive(SimpleObject)]
pub struct MeasureUpdatePayload {
    /// The measure after the change.
    pub measure: Measure,
    /// The revision that records the change.
    pub revision: Revision,
}

fn measure_number(v: i32) -> ApiResult<i32> {
    if (1..=9999).contains(&v) {
        Ok(v)
    } else {
        Err(ApiError::validation(
            "input.number",
            "give a number from 1 to 9999",
        ))
    }
}

/// A plan the actor may add measures to, owned by `owner`.
pub(super) async fn plan_for_measure(
    tx: &Tx,
    field: &str,
    plan: &ID,
    owner: Uuid,
) -> ApiResult<Uuid> {
    let plan_id = node_id(field, plan, NodeType::Plan)?;
    ensure_writable(&tx.txn, &tx.actor, NodeType::Plan, plan_id)
        .await
        .map_err(|e| match e {
            ApiError::NotFound(_) => ApiError::validation(field, "no Plan has this ID"),
            other => other,
        })?;
    let owners = super::transaction::owners(&tx.txn, NodeType::Plan, plan_id)
        .await?
        .unwrap_or_default();
    if !owners.contains(&owner) {
        return Err(ApiError::validation(
            field,
            "the plan is not owned by the measure's municipality",
        ));
    }
    Ok(plan_id)
}

// -------------------------------------------------------------------------------------------------- plan

/// Input of `planCreate`.
#[derive(InputObject)]
pub struct PlanCreateInput {
    /// Title as adopted (1-500 characters).
    pub title: String,
    /// Kind of plan.
    pub kind: PlanKind,
    /// Owning municipalities (kommunenummer). Editors: their own (the default); only admins make joint
    /// plans. Admins: required.
    pub owners: Option<Vec<String>>,
    /// First year of the period (1800-2200).
    pub period_start: Option<i32>,
    /// Last year of the period (1800-2200, not before the start).
    pub period_end: Option<i32>,
    /// Date of adoption.
    pub adopted_on: Option<NaiveDate>,
    /// The unit that adopted it (global ID): a unit of an owner, or a national unit.
    pub adopted_by: Option<ID>,
    /// Political case number, e.g. "PS-50/23".
    pub case_number: Option<String>,
    /// Archive (Noark 5) case number, e.g. "2015/545".
    pub archive_case_number: Option<String>,
    /// Where the document can be read (absolute http(s) URL).
    pub document_url: Option<String>,
    /// Short summary (up to 50 000 characters).
    pub summary: Option<String>,
    /// Longer text (up to 50 000 characters).
    pub body: Option<String>,
    /// The plan this plan is a part of (global ID); you must be able to edit it.
    pub parent: Option<ID>,
    /// Slug (a-z, 0-9, hyphens); made from the title when left out.
    pub slug: Option<String>,
    /// Language of the text (default NB).
    pub language: Option<Language>,
}

/// Input of `planUpdate`. Fields left out stay as they are; null clears an optional field. Owners change
/// with `planLinkOwner` / `planUnlinkOwner`.
#[derive(InputObject)]
pub struct PlanUpdateInput {
    /// Global ID of the plan.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New title.
    pub title: Option<String>,
    /// New kind.
    pub kind: Option<PlanKind>,
    /// New first year, or null.
    pub period_start: MaybeUndefined<i32>,
    /// New last year, or null.
    pub period_end: MaybeUndefined<i32>,
    /// New adoption date, or null.
    pub adopted_on: MaybeUndefined<NaiveDate>,
    /// New adopting unit, or null.
    pub adopted_by: MaybeUndefined<ID>,
    /// New political case number, or null.
    pub case_number: MaybeUndefined<String>,
    /// New archive case number, or null.
    pub archive_case_number: MaybeUndefined<String>,
    /// New document URL, or null.
    pub document_url: MaybeUndefined<String>,
    /// New summary, or null.
    pub summary: MaybeUndefined<String>,
    /// New body, or null.
    pub body: MaybeUndefined<String>,
    /// New parent plan, or null.
    pub parent: MaybeUndefined<ID>,
    /// New slug.
    pub slug: Option<String>,
    /// New language.
    pub language: Option<Language>,
}

/// Result of `planCreate`.
#[derive(SimpleObject)]
pub struct PlanCreatePayload {
    /// The new plan (a draft).
    pub plan: Plan,
    /// The revision that records the creation.
    pub revision: Revision,
}

/// Result of `planUpdate`.
#[derive(SimpleObject)]
pub struct PlanUpdatePayload {
    /// The plan after the change.
    pub plan: Plan,
    /// The revision that records the change.
    pub revision: Revision,
}

/// A parent plan the actor may edit, not the plan itself or one of its parts.
async fn parent_plan(tx: &Tx, parent: &ID, child: Option<Uuid>) -> ApiResult<Uuid> {
    let id = node_id("input.parent", parent, NodeType::Plan)?;
    ensure_writable(&tx.txn, &tx.actor, NodeType::Plan, id)
        .await
        .map_err(|e| match e {
            ApiError::NotFound(_) => ApiError::validation("input.parent", "no Plan has this ID"),
            other => other,
        })?;
    if let Some(child) = child {
        // Walk up from the new parent: meeting the child would make a cycle.
        let mut cursor = Some(id);
        let mut steps = 0;
        while let Some(current) = cursor {
            if current == child {
                return Err(ApiError::validation(
                    "input.parent",
                    "a plan cannot be a part of itself or of its own parts",
                ));
            }
            steps += 1;
            if steps > 100 {
                break;
            }
            let row = tx
                .txn_query_one(Sql::with(
                    "SELECT parent_id FROM plan WHERE id = ?",
                    vec![current.into()],
                ))
                .await?;
            cursor = match row {
                Some(row) => row.try_get::<Option<Uuid>>("", "parent_id")?,
                None => None,
            };
        }
    }
    Ok(id)
}

fn check_plan_fields(
    case_number: &mut Option<String>,
    archive_case_number: &mut Option<String>,
    start: Option<i32>,
    end: Option<i32>,
) -> ApiResult<()> {
    if let Some(v) = case_number.as_deref() {
        *case_number = Some(validate::case_number("input.caseNumber", v)?);
    }
    if let Some(v) = archive_case_number.as_deref() {
        *archive_case_number = Some(validate::archive_case_number("input.archiveCaseNumber", v)?);
    }
    if let Some(s) = start {
        validate::year("input.periodStart", s)?;
    }
    if let Some(e) = end {
        validate::year("input.periodEnd", e)?;
    }
    validate::period(start, end)
}

// -------------------------------------------------------------------------------------------------- goal

/// Input of `goalCreate`.
#[derive(InputObject)]
pub struct GoalCreateInput {
    /// The plan (global ID).
    pub plan: ID,
    /// The focus area, e.g. "Levekår og folkehelse" (1-500 characters).
    pub focus_area: String,
    /// The goal (1-50 000 characters).
    pub statement: String,
    /// Slug; made from the plan and focus area when left out.
    pub slug: Option<String>,
}

/// Input of `goalUpdate`. Fields left out stay as they are.
#[derive(InputObject)]
pub struct GoalUpdateInput {
    /// Global ID of the goal.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New focus area.
    pub focus_area: Option<String>,
    /// New statement.
    pub statement: Option<String>,
    /// New place among the plan's goals (0-based).
    pub position: Option<i32>,
    /// New slug.
    pub slug: Option<String>,
}

/// Result of `goalCreate`.
#[derive(SimpleObject)]
pub struct GoalCreatePayload {
    /// The new goal (a draft).
    pub goal: Goal,
    /// The revision that records the creation.
    pub revision: Revision,
}

/// Result of `goalUpdate`.
#[derive(SimpleObject)]
pub struct GoalUpdatePayload {
    /// The goal after the change.
    pub goal: Goal,
    /// The revision that records the change.
    pub revision: Revision,
}

// -------------------------------------------------------------------------------------------------- unit

/// Input of `unitCreate`.
#[derive(InputObject)]
pub struct UnitCreateInput {
    /// Name, e.g. "Skolesjef" (1-500 characters).
    pub name: String,
    /// Kind of unit.
    pub kind: UnitKind,
    /// What the unit does (up to 50 000 characters).
    pub description: Option<String>,
    /// The unit it is part of (global ID), of the same municipality.
    pub parent: Option<ID>,
    /// Slug; made from the municipality and name when left out.
    pub slug: Option<String>,
    /// Language of the text (default NB).
    pub language: Option<Language>,
    /// Owning municipality (kommunenummer). Admins only; editors create units of their own municipality.
    pub municipality: Option<String>,
    /// A national body or external partner without a municipality. Admins only.
    pub national: Option<bool>,
}

/// Input of `unitUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct UnitUpdateInput {
    /// Global ID of the unit.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New name.
    pub name: Option<String>,
    /// New kind.
    pub kind: Option<UnitKind>,
    /// New description, or null.
    pub description: MaybeUndefined<String>,
    /// New parent unit, or null.
    pub parent: MaybeUndefined<ID>,
    /// New slug.
    pub slug: Option<String>,
    /// New language.
    pub language: Option<Language>,
}

/// Result of `unitCreate`.
#[derive(SimpleObject)]
pub struct UnitCreatePayload {
    /// The new unit (a draft).
    pub unit: Unit,
    /// The revision that records the creation.
    pub revision: Revision,
}

/// Result of `unitUpdate`.
#[derive(SimpleObject)]
pub struct UnitUpdatePayload {
    /// The unit after the change.
    pub unit: Unit,
    /// The revision that records the change.
    pub revision: Revision,
}

/// A parent unit in the same municipality (or national), not the unit itself or below it.
async fn parent_unit(
    tx: &Tx,
    parent: &ID,
    owner: Option<Uuid>,
    child: Option<Uuid>,
) -> ApiResult<Uuid> {
    let id = tx.visible("input.parent", parent, NodeType::Unit).await?;
    let parent_owner = tx.unit_owner(id).await?;
    if parent_owner != owner {
        return Err(ApiError::validation(
            "input.parent",
            "the parent unit belongs to another municipality",
        ));
    }
    if Some(id) == child {
        return Err(ApiError::validation(
            "input.parent",
            "a unit cannot be its own parent",
        ));
    }
    Ok(id)
}

/// Create and update for plans, goals, measures and units.
#[derive(Default)]
pub struct ContentMutation;

#[Object]
impl ContentMutation {
    /// Creates a measure (a draft) in a plan of your municipality.
    async fn measure_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new measure.")] input: MeasureCreateInput,
    ) -> Result<MeasureCreatePayload> {
        let result = create_node::<entity::measure::Entity>(
            ctx,
            async |tx| {
                let municipality_id = owner_for(tx, input.municipality.as_deref()).await?;
                let plan_id =
                    plan_for_measure(tx, "input.plan", &input.plan, municipality_id).await?;
                let title = validate::text("input.title", &input.title, MAX_TITLE)?;
                Ok(entity::measure::Model {
                    id: Uuid::new_v4(),
                    slug: tx
                        .new_slug("measure", input.slug.as_deref(), &title)
                        .await?,
                    plan_id: Some(plan_id),
                    municipality_id,
                    number: input.number.map(measure_number).transpose()?,
                    position: tx.next_position("measure", "plan_id", plan_id).await?,
                    summary: validate::opt_text(
                        "input.summary",
                        input.summary.as_deref(),
                        MAX_TEXT,
                    )?,
                    body: validate::opt_text("input.body", input.body.as_deref(), MAX_TEXT)?,
                    frequency: validate::opt_text(
                        "input.frequency",
                        input.frequency.as_deref(),
                        MAX_TITLE,
                    )?,
                    title,
                    status: enums::Status::Draft,
                    language: input.language.map(Into::into).unwrap_or_default(),
                    version: 1,
                    created_at: tx.now,
                    updated_at: tx.now,
                })
            },
            async |_, _| Ok(()),
        )
        .await;
        let (node, revision) = result?;
        Ok(MeasureCreatePayload {
            measure: node.into(),
            revision: revision.into(),
        })
    }

    /// Changes a measure's fields.
    async fn measure_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure and its changes.")] input: MeasureUpdateInput,
    ) -> Result<MeasureUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Measure)?;
        let result =
            update_node::<entity::measure::Entity>(ctx, id, input.version, async |tx, m| {
                if let Some(plan) = &input.plan {
                    m.plan_id =
                        Some(plan_for_measure(tx, "input.plan", plan, m.municipality_id).await?);
                }
                if let Some(title) = &input.title {
                    m.title = validate::text("input.title", title, MAX_TITLE)?;
                }
                maybe(input.number, &mut m.number, measure_number)?;
                maybe_text("input.summary", input.summary, &mut m.summary, MAX_TEXT)?;
                maybe_text("input.body", input.body, &mut m.body, MAX_TEXT)?;
                maybe_text(
                    "input.frequency",
                    input.frequency,
                    &mut m.frequency,
                    MAX_TITLE,
                )?;
                if let Some(slug) = &input.slug {
                    m.slug = tx.changed_slug("measure", m.id, slug).await?;
                }
                if let Some(language) = input.language {
                    m.language = language.into();
                }
                Ok(())
            })
            .await;
        let (node, revision) = result?;
        Ok(MeasureUpdatePayload {
            measure: node.into(),
            revision: revision.into(),
        })
    }

    /// Creates a plan (a draft) owned by your municipality, alone or jointly.
    async fn plan_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new plan.")] input: PlanCreateInput,
    ) -> Result<PlanCreatePayload> {
        // Resolved once while building the row, written as links once the row exists.
        let resolved_owners = std::sync::Mutex::new(Vec::new());
        let result = create_node::<entity::plan::Entity>(
            ctx,
            async |tx| {
                let owners = plan_owners(tx, input.owners.as_deref()).await?;
                *resolved_owners.lock().map_err(|_| ApiError::Internal)? = owners.clone();
                let title = validate::text("input.title", &input.title, MAX_TITLE)?;
                let mut case_number = input.case_number.clone();
                let mut archive_case_number = input.archive_case_number.clone();
                check_plan_fields(&mut case_number, &mut archive_case_number, input.period_start, input.period_end)?;
                let adopted_by_id = match &input.adopted_by {
                    Some(unit) => Some(check_unit_for(tx, "input.adoptedBy", unit, &owners).await?),
                    None => None,
                };
                let parent_id = match &input.parent {
                    Some(parent) => Some(parent_plan(tx, parent, None).await?),
                    None => None,
                };
                Ok(entity::plan::Model {
                    id: Uuid::new_v4(),
                    slug: tx.new_slug("plan", input.slug.as_deref(), &title).await?,
                    title,
                    kind: input.kind.into(),
                    period_start: input.period_start,
                    period_end: input.period_end,
                    adopted_on: input.adopted_on,
                    adopted_by_id,
                    case_number,
                    archive_case_number,
                    document_url: input.document_url.as_deref().map(|u| validate::url("input.documentUrl", u)).transpose()?,
                    summary: validate::opt_text("input.summary", input.summary.as_deref(), MAX_TEXT)?,
                    body: validate::opt_text("input.body", input.body.as_deref(), MAX_TEXT)?,
                    parent_id,
                    status: enums::Status::Draft,
                    language: input.language.map(Into::into).unwrap_or_default(),
                    version: 1,
                    created_at: tx.now,
                    updated_at: tx.now,
                })
            },
            async |tx, plan| {
                let owners = std::mem::take(&mut *resolved_owners.lock().map_err(|_| ApiError::Internal)?);
                for (position, owner) in owners.into_iter().enumerate() {
                    tx.execute(Sql::with(
                        "INSERT INTO plan_owner (plan_id, municipality_id, position) VALUES (?, ?, ?)",
                        vec![plan.id.into(), owner.into(), (position as i32).into()],
                    ))
                    .await?;
                }
                Ok(())
            },
        )
        .await;
        let (node, revision) = result?;
        Ok(PlanCreatePayload {
            plan: node.into(),
            revision: revision.into(),
        })
    }

    /// Changes a plan's fields.
    async fn plan_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan and its changes.")] input: PlanUpdateInput,
    ) -> Result<PlanUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Plan)?;
        let result = update_node::<entity::plan::Entity>(ctx, id, input.version, async |tx, m| {
            let owners = super::transaction::owners(&tx.txn, NodeType::Plan, m.id)
                .await?
                .unwrap_or_default();
            if let Some(title) = &input.title {
                m.title = validate::text("input.title", title, MAX_TITLE)?;
            }
            if let Some(kind) = input.kind {
                m.kind = kind.into();
            }
            maybe(input.period_start, &mut m.period_start, Ok)?;
            maybe(input.period_end, &mut m.period_end, Ok)?;
            maybe(input.adopted_on, &mut m.adopted_on, Ok)?;
            maybe_text(
                "input.caseNumber",
                input.case_number,
                &mut m.case_number,
                40,
            )?;
            maybe_text(
                "input.archiveCaseNumber",
                input.archive_case_number,
                &mut m.archive_case_number,
                40,
            )?;
            check_plan_fields(
                &mut m.case_number,
                &mut m.archive_case_number,
                m.period_start,
                m.period_end,
            )?;
            maybe_url("input.documentUrl", input.document_url, &mut m.document_url)?;
            maybe_text("input.summary", input.summary, &mut m.summary, MAX_TEXT)?;
            maybe_text("input.body", input.body, &mut m.body, MAX_TEXT)?;
            match &input.adopted_by {
                MaybeUndefined::Undefined => {}
                MaybeUndefined::Null => m.adopted_by_id = None,
                MaybeUndefined::Value(unit) => {
                    m.adopted_by_id =
                        Some(check_unit_for(tx, "input.adoptedBy", unit, &owners).await?)
                }
            }
            match &input.parent {
                MaybeUndefined::Undefined => {}
                MaybeUndefined::Null => m.parent_id = None,
                MaybeUndefined::Value(parent) => {
                    m.parent_id = Some(parent_plan(tx, parent, Some(m.id)).await?)
                }
            }
            if let Some(slug) = &input.slug {
                m.slug = tx.changed_slug("plan", m.id, slug).await?;
            }
            if let Some(language) = input.language {
                m.language = language.into();
            }
            Ok(())
        })
        .await;
        let (node, revision) = result?;
        Ok(PlanUpdatePayload {
            plan: node.into(),
            revision: revision.into(),
        })
    }

    /// Adds a goal (a draft) to a plan your municipality owns.
    async fn goal_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new goal.")] input: GoalCreateInput,
    ) -> Result<GoalCreatePayload> {
        let result = create_node::<entity::goal::Entity>(
            ctx,
            async |tx| {
                let plan_id = node_id("input.plan", &input.plan, NodeType::Plan)?;
                ensure_writable(&tx.txn, &tx.actor, NodeType::Plan, plan_id)
                    .await
                    .map_err(|e| match e {
                        ApiError::NotFound(_) => {
                            ApiError::validation("input.plan", "no Plan has this ID")
                        }
                        other => other,
                    })?;
                let focus_area = validate::text("input.focusArea", &input.focus_area, MAX_TITLE)?;
                Ok(entity::goal::Model {
                    id: Uuid::new_v4(),
                    slug: tx
                        .new_slug("goal", input.slug.as_deref(), &focus_area)
                        .await?,
                    plan_id,
                    statement: validate::text("input.statement", &input.statement, MAX_TEXT)?,
                    focus_area,
                    position: tx.next_position("goal", "plan_id", plan_id).await?,
                    status: enums::Status::Draft,
                    language: Default::default(),
                    version: 1,
                    created_at: tx.now,
                    updated_at: tx.now,
                })
            },
            async |_, _| Ok(()),
        )
        .await;
        let (node, revision) = result?;
        Ok(GoalCreatePayload {
            goal: node.into(),
            revision: revision.into(),
        })
    }

    /// Changes a goal's fields.
    async fn goal_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The goal and its changes.")] input: GoalUpdateInput,
    ) -> Result<GoalUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Goal)?;
        let result = update_node::<entity::goal::Entity>(ctx, id, input.version, async |tx, m| {
            if let Some(v) = &input.focus_area {
                m.focus_area = validate::text("input.focusArea", v, MAX_TITLE)?;
            }
            if let Some(v) = &input.statement {
                m.statement = validate::text("input.statement", v, MAX_TEXT)?;
            }
            if let Some(p) = input.position {
                if !(0..=10_000).contains(&p) {
                    return Err(ApiError::validation(
                        "input.position",
                        "give a position from 0 to 10000",
                    ));
                }
                m.position = p;
            }
            if let Some(slug) = &input.slug {
                m.slug = tx.changed_slug("goal", m.id, slug).await?;
            }
            Ok(())
        })
        .await;
        let (node, revision) = result?;
        Ok(GoalUpdatePayload {
            goal: node.into(),
            revision: revision.into(),
        })
    }

    /// Creates a unit (a draft) of your municipality.
    async fn unit_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new unit.")] input: UnitCreateInput,
    ) -> Result<UnitCreatePayload> {
        let result = create_node::<entity::unit::Entity>(
            ctx,
            async |tx| {
                let national = input.national.unwrap_or(false);
                if national && !tx.actor.is_admin() {
                    return Err(ApiError::Forbidden(
                        "only admins create national units".into(),
                    ));
                }
                let municipality_id = if national {
                    if input.municipality.is_some() {
                        return Err(ApiError::validation(
                            "input.municipality",
                            "a national unit has no municipality",
                        ));
                    }
                    None
                } else {
                    Some(owner_for(tx, input.municipality.as_deref()).await?)
                };
                let name = validate::text("input.name", &input.name, MAX_TITLE)?;
                let parent_id = match &input.parent {
                    Some(parent) => Some(parent_unit(tx, parent, municipality_id, None).await?),
                    None => None,
                };
                Ok(entity::unit::Model {
                    id: Uuid::new_v4(),
                    slug: tx.new_slug("unit", input.slug.as_deref(), &name).await?,
                    name,
                    kind: input.kind.into(),
                    municipality_id,
                    parent_id,
                    description: validate::opt_text(
                        "input.description",
                        input.description.as_deref(),
                        MAX_TEXT,
                    )?,
                    status: enums::Status::Draft,
                    language: input.language.map(Into::into).unwrap_or_default(),
                    version: 1,
                    created_at: tx.now,
                    updated_at: tx.now,
                })
            },
            async |_, _| Ok(()),
        )
        .await;
        let (node, revision) = result?;
        Ok(UnitCreatePayload {
            unit: node.into(),
            revision: revision.into(),
        })
    }

    /// Changes a unit's fields.
    async fn unit_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit and its changes.")] input: UnitUpdateInput,
    ) -> Result<UnitUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Unit)?;
        let result = update_node::<entity::unit::Entity>(ctx, id, input.version, async |tx, m| {
            if let Some(v) = &input.name {
                m.name = validate::text("input.name", v, MAX_TITLE)?;
            }
            if let Some(kind) = input.kind {
                m.kind = kind.into();
            }
            maybe_text(
                "input.description",
                input.description,
                &mut m.description,
                MAX_TEXT,
            )?;
            match &input.parent {
                MaybeUndefined::Undefined => {}
                MaybeUndefined::Null => m.parent_id = None,
                MaybeUndefined::Value(parent) => {
                    m.parent_id =
                        Some(parent_unit(tx, parent, m.municipality_id, Some(m.id)).await?)
                }
            }
            if let Some(slug) = &input.slug {
                m.slug = tx.changed_slug("unit", m.id, slug).await?;
            }
            if let Some(language) = input.language {
                m.language = language.into();
            }
            Ok(())
        })
        .await;
        let (node, revision) = result?;
        Ok(UnitUpdatePayload {
            unit: node.into(),
            revision: revision.into(),
        })
    }
}

/// The owners of a new plan: editors default to (and must include) their own municipality.
async fn plan_owners(tx: &Tx, numbers: Option<&[String]>) -> ApiResult<Vec<Uuid>> {
    let mut owners = Vec::new();
    for (i, number) in numbers.unwrap_or_default().iter().enumerate() {
        let id = tx
            .municipality_id(&format!("input.owners[{i}]"), number)
            .await?;
        if !owners.contains(&id) {
            owners.push(id);
        }
    }
    match (tx.actor.is_admin(), tx.actor.municipality_id) {
        (true, _) if owners.is_empty() => Err(ApiError::validation(
            "input.owners",
            "admins name at least one owning municipality",
        )),
        (true, _) => Ok(owners),
        (false, Some(mine)) if owners.is_empty() || owners == [mine] => Ok(vec![mine]),
        (false, _) => Err(ApiError::Forbidden(
            "input.owners: editors create plans owned by their own municipality; an admin adds co-owners".into(),
        )),
    }
}
