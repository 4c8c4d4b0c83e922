//! `Plan`: an adopted document owned by one or more municipalities, and its `Goal`s.

use crate::graphql::node_fields::{NodeFields, node_fields};
use crate::graphql::relation::{Filter, NoFilter};
use crate::graphql::relation::{Rel, load_rel};
use async_graphql::{ComplexObject, Context, ID, InputObject, Result, SimpleObject};
use chrono::NaiveDate;
use oppvekstgraf_catalog::LinkDef;
use oppvekstgraf_catalog::RelationDef;
use oppvekstgraf_entity::{self as entity, plan::Model};
use uuid::Uuid;

use super::unit::Unit;
use crate::{
    error::ApiResult,
    graphql::common::enum_condition,
    graphql::{
        common::{
            check_municipality_number, connection, id_select, key_select, linked_condition,
            search_conditions, with_status,
        },
        enums::{PlanKind, Status},
        object::legal_reference::legal_reference_select,
    },
    id::NodeType,
    loader::load_node,
    page::PageArgs,
    sql::Sql,
};

crate::graphql::common::with_relations! {
    /// A plan adopted by one or more municipalities: a samfunnsdel, kommunedelplan, handlingsplan, handlingsdel,
    /// temaplan, strategiplan, økonomiplan, planstrategi or plan for forebyggende arbeid. A joint plan (the
    /// Mosseregionen plan against domestic violence) has several `owners`.
    Plan(PlanFields)
}

/// The fields of a plan written by hand; its relation fields are generated from the catalog
/// (`relations.rs`).
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct PlanFields {
    #[graphql(flatten)]
    pub node: NodeFields,
    /// Title as adopted, e.g. "Oppvekstplan for 2023-2033".
    pub title: String,
    /// Kind of plan.
    pub kind: PlanKind,
    /// First year of the plan period.
    pub period_start: Option<i32>,
    /// Last year of the plan period.
    pub period_end: Option<i32>,
    /// Date of adoption.
    pub adopted_on: Option<NaiveDate>,
    /// Political case number of the adoption, e.g. "PS-50/23".
    pub case_number: Option<String>,
    /// Archive (Noark 5) case number, e.g. "2015/545".
    pub archive_case_number: Option<String>,
    /// Where the plan document can be read.
    pub document_url: Option<String>,
    /// Short summary.
    pub summary: Option<String>,
    /// Longer text.
    pub body: Option<String>,
    #[graphql(skip)]
    pub adopted_by_id: Option<Uuid>,
    #[graphql(skip)]
    pub parent_id: Option<Uuid>,
}

impl From<Model> for PlanFields {
    fn from(m: Model) -> Self {
        PlanFields {
            node: node_fields!(Plan, m),
            title: m.title,
            kind: m.kind.into(),
            period_start: m.period_start,
            period_end: m.period_end,
            adopted_on: m.adopted_on,
            case_number: m.case_number,
            archive_case_number: m.archive_case_number,
            document_url: m.document_url,
            summary: m.summary,
            body: m.body,
            adopted_by_id: m.adopted_by_id,
            parent_id: m.parent_id,
        }
    }
}

connection!(PlanConnection, PlanEdge, Plan, Model, "plans");
crate::graphql::common::node_object!(Plan);

const OWNERS: Rel = Rel::left_field(RelationDef::of_link("plan_owner"));

/// The span of a plan period as text, e.g. "2023-2033".
fn period_text(start: Option<i32>, end: Option<i32>) -> Option<String> {
    match (start, end) {
        (Some(s), Some(e)) => Some(format!("{s}-{e}")),
        (Some(s), None) => Some(format!("{s}-")),
        (None, Some(e)) => Some(format!("-{e}")),
        (None, None) => None,
    }
}

#[ComplexObject]
impl PlanFields {
    /// Where this plan was copied from, when it is another municipality's plan copied, adapted or
    /// translated; with `upstreamChanged` and `upstreamDiff` when the source changed since.
    async fn derivation(&self, ctx: &Context<'_>) -> Result<Option<super::sharing::Derivation>> {
        super::sharing::derivation_of(ctx, self.node.uuid).await
    }

    /// Municipalities that reused this plan, by reference or as a copy, oldest first.
    async fn reused_by(&self, ctx: &Context<'_>) -> Result<Vec<super::sharing::Reuse>> {
        super::sharing::reused_by(ctx, NodeType::Plan, self.node.uuid).await
    }

    /// Each owner's own adoption of the plan (date, body, case numbers), in owner order; a joint plan has
    /// one per owner. Fields are null where the owner has not recorded its adoption; a plan with one owner
    /// shows the plan's own adoption fields unless the owner recorded its own.
    async fn adoptions(&self, ctx: &Context<'_>) -> Result<Vec<super::sharing::PlanAdoption>> {
        let args = PageArgs {
            first: Some(100),
            after: None,
            last: None,
            before: None,
        };
        let page = load_rel::<entity::municipality::Entity>(
            ctx,
            &OWNERS,
            self.node.uuid,
            args,
            &NoFilter,
            None,
        )
        .await?;
        let owners: Vec<Uuid> = page.items.iter().map(|(_, m, _)| m.id).collect();
        let mut adoptions = super::sharing::plan_adoptions(ctx, self.node.uuid, &owners).await?;
        // A plan with one owner has its adoption on the plan itself unless the owner recorded one.
        if let [only] = adoptions.as_mut_slice()
            && only.adopted_on.is_none()
            && only.case_number.is_none()
            && only.adopted_by_id.is_none()
        {
            only.adopted_on = self.adopted_on;
            only.case_number = self.case_number.clone();
            only.archive_case_number = self.archive_case_number.clone();
            only.adopted_by_id = self.adopted_by_id;
        }
        Ok(adoptions)
    }

    /// The plan period as text, e.g. "2023-2033".
    async fn period(&self) -> Option<String> {
        period_text(self.period_start, self.period_end)
    }

    /// The unit that adopted the plan (usually kommunestyret).
    async fn adopted_by(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        let Some(id) = self.adopted_by_id else {
            return Ok(None);
        };
        let found = load_node::<entity::unit::Entity>(ctx, id).await;
        found.map(|m| m.map(Unit::from)).map_err(Into::into)
    }

    /// The plan this plan is a part of (a handlingsdel belongs to its plan).
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Plan>> {
        let Some(id) = self.parent_id else {
            return Ok(None);
        };
        let found = load_node::<entity::plan::Entity>(ctx, id).await;
        found.map(|m| m.map(Plan::from)).map_err(Into::into)
    }
}

/// Narrows a list of plans. All given conditions must hold.
#[derive(InputObject, Default, Debug, Clone)]
pub struct PlanFilter {
    /// Case-insensitive substring of the title.
    pub search: Option<String>,
    /// Only plans owned (alone or jointly) by the municipality with this kommunenummer.
    pub municipality: Option<String>,
    /// Only plans of these kinds.
    pub kind: Option<Vec<PlanKind>>,
    /// Only plans that address the theme with this slug.
    pub theme: Option<String>,
    /// Only plans for the target group with this slug.
    pub target_group: Option<String>,
    /// Only plans that cite a section of the law with this Lovdata id, e.g. "LOV-2021-06-18-97".
    pub law: Option<String>,
    /// Only plans that cite this legal reference (global ID).
    pub legal_reference: Option<ID>,
    /// Only plans that build on the guidance item with this slug.
    pub guidance: Option<String>,
    /// Only plans with (true) or without (false) more than one owner.
    pub joint: Option<bool>,
    /// Only nodes in these publication states (anonymous readers see published nodes only).
    pub status: Option<Vec<Status>>,
}

impl Filter for PlanFilter {
    fn conditions(&self) -> ApiResult<Vec<Sql>> {
        let mut out = search_conditions("title", &self.search)?;
        if let Some(number) = &self.municipality {
            check_municipality_number("filter.municipality", number)?;
            let select = key_select("municipality", "number", number);
            out.push(linked_condition(
                const { LinkDef::get("plan_owner") },
                select,
            ));
        }
        if let Some(kinds) = &self.kind {
            out.push(enum_condition::<_, entity::enums::PlanKind>("kind", kinds));
        }
        if let Some(slug) = &self.theme {
            out.push(linked_condition(
                const { LinkDef::get("plan_theme") },
                key_select("theme", "slug", slug),
            ));
        }
        if let Some(slug) = &self.target_group {
            let select = key_select("target_group", "slug", slug);
            out.push(linked_condition(
                const { LinkDef::get("plan_target_group") },
                select,
            ));
        }
        if let Some(law) = &self.law {
            let select = legal_reference_select("filter.law", law)?;
            out.push(linked_condition(
                const { LinkDef::get("plan_legal_reference") },
                select,
            ));
        }
        if let Some(id) = &self.legal_reference {
            let select = id_select("filter.legalReference", id, NodeType::LegalReference)?;
            out.push(linked_condition(
                const { LinkDef::get("plan_legal_reference") },
                select,
            ));
        }
        if let Some(slug) = &self.guidance {
            out.push(linked_condition(
                const { LinkDef::get("plan_guidance") },
                key_select("guidance", "slug", slug),
            ));
        }
        if let Some(joint) = self.joint {
            let op = if joint { ">" } else { "<=" };
            out.push(Sql::raw(format!(
                "(SELECT COUNT(*) FROM plan_owner jo WHERE jo.plan_id = t.id) {op} 1"
            )));
        }
        Ok(with_status(out, &self.status))
    }
}
