//! Create and update for plans.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::NaiveDate;
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::super::transaction::{
    Tx, create_node, ensure_writable, maybe, maybe_text, maybe_url, node_id, update_node,
};
use super::check_unit_for;
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        enums::{Language, PlanKind},
        object::{Plan, revision::Revision},
    },
    id::NodeType,
    sql::Sql,
    validate::{self, MAX_TEXT, MAX_TITLE},
};

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

content_payloads!(PlanCreatePayload, PlanUpdatePayload, plan: Plan);

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

/// Create and update for plans.
#[derive(Default)]
pub struct PlanMutation;

#[Object]
impl PlanMutation {
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
        Ok(result?.into())
    }

    /// Changes a plan's fields.
    async fn plan_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan and its changes.")] input: PlanUpdateInput,
    ) -> Result<PlanUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Plan)?;
        let result = update_node::<entity::plan::Entity>(ctx, id, input.version, async |tx, m| {
            let owners = super::super::transaction::owners(&tx.txn, NodeType::Plan, m.id)
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
            tx.rename::<entity::plan::Entity>(
                m,
                input.slug.as_deref(),
                input.language.map(Into::into),
            )
            .await?;
            Ok(())
        })
        .await;
        Ok(result?.into())
    }
}
