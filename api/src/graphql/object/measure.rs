//! `Measure`: a concrete action (tiltak), usually numbered inside a plan.

use crate::graphql::node_fields::{NodeFields, node_fields};
use crate::graphql::relation::Filter;
use async_graphql::{ComplexObject, Context, ID, InputObject, Result, SimpleObject};
use oppvekstgraf_catalog::LinkDef;
use oppvekstgraf_entity::{self as entity, measure::Model};
use uuid::Uuid;

use super::{legal_reference::legal_reference_select, municipality::Municipality, plan::Plan};
use crate::{
    error::ApiResult,
    graphql::{
        common::{
            connection, id_select, key_select, linked_condition, municipality_condition,
            search_conditions, with_status,
        },
        enums::Status,
    },
    id::{GlobalId, NodeType},
    loader::{load_node, load_required},
    sql::Sql,
};

crate::graphql::common::with_relations! {
    /// A measure (tiltak): a concrete action in a plan, owned by one municipality, with the units responsible
    /// for it and the laws, guidance, themes and target groups behind it.
    Measure(MeasureFields)
}

/// The fields of a measure written by hand; its relation fields are generated from the catalog
/// (`relations.rs`).
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct MeasureFields {
    #[graphql(flatten)]
    pub node: NodeFields,
    /// Its number in the plan ("1" for "1. Oppvekstforum"), when the plan numbers its measures.
    pub number: Option<i32>,
    /// Its place among the plan's measures (0-based).
    pub position: i32,
    /// Title, e.g. "Oppvekstforum".
    pub title: String,
    /// Short summary.
    pub summary: Option<String>,
    /// Longer text.
    pub body: Option<String>,
    /// How often it happens, where the plan says ("fire ganger pr år").
    pub frequency: Option<String>,
    #[graphql(skip)]
    pub plan_id: Option<Uuid>,
    #[graphql(skip)]
    pub municipality_id: Uuid,
}

impl From<Model> for MeasureFields {
    fn from(m: Model) -> Self {
        MeasureFields {
            node: node_fields!(Measure, m),
            number: m.number,
            position: m.position,
            title: m.title,
            summary: m.summary,
            body: m.body,
            frequency: m.frequency,
            plan_id: m.plan_id,
            municipality_id: m.municipality_id,
        }
    }
}

connection!(MeasureConnection, MeasureEdge, Measure, Model, "measures");
crate::graphql::common::node_object!(Measure);

#[ComplexObject]
impl MeasureFields {
    /// Where this measure was copied from, when it is another municipality's measure copied, adapted or
    /// translated; with `upstreamChanged` and `upstreamDiff` when the source changed since.
    async fn derivation(&self, ctx: &Context<'_>) -> Result<Option<super::sharing::Derivation>> {
        super::sharing::derivation_of(ctx, self.node.uuid).await
    }

    /// Municipalities that reused this measure, by reference or as a copy, oldest first.
    async fn reused_by(&self, ctx: &Context<'_>) -> Result<Vec<super::sharing::Reuse>> {
        super::sharing::reused_by(ctx, NodeType::Measure, self.node.uuid).await
    }

    /// The plan the measure belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Option<Plan>> {
        let Some(id) = self.plan_id else {
            return Ok(None);
        };
        let found = load_node::<entity::plan::Entity>(ctx, id).await;
        found.map(|m| m.map(Plan::from)).map_err(Into::into)
    }

    /// The municipality that owns the measure.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Municipality> {
        let found = load_required::<entity::municipality::Entity>(ctx, self.municipality_id).await;
        found.map(Municipality::from).map_err(Into::into)
    }
}

/// Narrows a list of measures. All given conditions must hold.
#[derive(InputObject, Default, Debug, Clone)]
pub struct MeasureFilter {
    /// Case-insensitive substring of the title.
    pub search: Option<String>,
    /// Only measures owned by the municipality with this kommunenummer.
    pub municipality: Option<String>,
    /// Only measures in this plan (global ID).
    pub plan: Option<ID>,
    /// Only measures that serve this goal (global ID).
    pub goal: Option<ID>,
    /// Only measures that address the theme with this slug.
    pub theme: Option<String>,
    /// Only measures for the target group with this slug.
    pub target_group: Option<String>,
    /// Only measures this unit is responsible for (global ID).
    pub unit: Option<ID>,
    /// Only measures that cite a section of the law with this Lovdata id, e.g. "LOV-2021-06-18-97".
    pub law: Option<String>,
    /// Only measures that cite this legal reference (global ID); a whole section also matches citations of
    /// its paragraphs.
    pub legal_reference: Option<ID>,
    /// Only measures that follow the guidance item with this slug.
    pub guidance: Option<String>,
    /// Only nodes in these publication states (anonymous readers see published nodes only).
    pub status: Option<Vec<Status>>,
}

impl Filter for MeasureFilter {
    fn conditions(&self) -> ApiResult<Vec<Sql>> {
        let mut out = search_conditions("title", &self.search)?;
        if let Some(number) = &self.municipality {
            out.push(municipality_condition(
                "filter.municipality",
                "municipality_id",
                number,
            )?);
        }
        if let Some(id) = &self.plan {
            let uuid = GlobalId::decode_as("filter.plan", id, NodeType::Plan)?;
            out.push(Sql::with("t.plan_id = ?", vec![uuid.into()]));
        }
        if let Some(id) = &self.goal {
            let select = id_select("filter.goal", id, NodeType::Goal)?;
            out.push(linked_condition(
                const { LinkDef::get("measure_goal") },
                select,
            ));
        }
        if let Some(slug) = &self.theme {
            out.push(linked_condition(
                const { LinkDef::get("measure_theme") },
                key_select("theme", "slug", slug),
            ));
        }
        if let Some(slug) = &self.target_group {
            let select = key_select("target_group", "slug", slug);
            out.push(linked_condition(
                const { LinkDef::get("measure_target_group") },
                select,
            ));
        }
        if let Some(id) = &self.unit {
            let select = id_select("filter.unit", id, NodeType::Unit)?;
            out.push(linked_condition(
                const { LinkDef::get("measure_unit") },
                select,
            ));
        }
        if let Some(law) = &self.law {
            let select = legal_reference_select("filter.law", law)?;
            out.push(linked_condition(
                const { LinkDef::get("measure_legal_reference") },
                select,
            ));
        }
        if let Some(id) = &self.legal_reference {
            // A whole section also matches citations of its paragraphs.
            let uuid = GlobalId::decode_as("filter.legalReference", id, NodeType::LegalReference)?;
            let select = Sql::with(
                "SELECT r.id FROM legal_reference r JOIN legal_reference s ON s.law_id = r.law_id \
                 AND s.section = r.section AND (s.id = r.id OR s.paragraph IS NULL) WHERE s.id = ?",
                vec![uuid.into()],
            );
            out.push(linked_condition(
                const { LinkDef::get("measure_legal_reference") },
                select,
            ));
        }
        if let Some(slug) = &self.guidance {
            let select = key_select("guidance", "slug", slug);
            out.push(linked_condition(
                const { LinkDef::get("measure_guidance") },
                select,
            ));
        }
        Ok(with_status(out, &self.status))
    }
}
