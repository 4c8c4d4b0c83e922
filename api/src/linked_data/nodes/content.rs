//! The documents of municipal content: plans, goals, measures and units.

use oppvekstgraf_entity::{
    self as entity,
    enums::{ResponsibilityRole, UnitKind},
};
use sea_orm::ActiveEnum;
use serde_json::{Value, json};
use uuid::Uuid;

use super::super::{Doc, Ld, date, iri, text};
use super::Common;
use crate::{error::ApiResult, id::NodeType};

impl Ld<'_> {
    /// A plan: an adopted document, passed by a unit, owned by its municipalities, made of goals and
    /// measures.
    pub(in crate::linked_data) async fn plan(&self, id: Uuid) -> ApiResult<Option<Doc>> {
        use entity::plan::Entity;
        let Some(m) = self.find::<Entity>(id).await? else {
            return Ok(None);
        };
        let lang = m.language;
        let mut doc = self.start(NodeType::Plan, id, &["foaf:Document"]);
        doc.put("dct:title", text(&m.title, lang));
        doc.put("dct:type", m.kind.to_value());
        doc.put("dct:abstract", m.summary.map(|s| text(&s, lang)));
        doc.put("dct:description", m.body.map(|s| text(&s, lang)));
        doc.put(
            "schema:temporalCoverage",
            match (m.period_start, m.period_end) {
                (None, None) => None,
                (start, end) => Some(Value::from(format!(
                    "{}/{}",
                    start.map_or("..".into(), |y| y.to_string()),
                    end.map_or("..".into(), |y| y.to_string())
                ))),
            },
        );
        doc.put("dct:dateAccepted", m.adopted_on.map(date));
        doc.put(
            "eli:passed_by",
            self.one::<entity::unit::Entity>(m.adopted_by_id).await?,
        );
        let identifiers: Vec<Value> = [
            ("saksnummer", m.case_number),
            ("arkivsaksnummer", m.archive_case_number),
        ]
        .into_iter()
        .filter_map(|(kind, value)| {
            value.map(|value| {
                json!({ "@type": "schema:PropertyValue", "schema:propertyID": kind, "schema:value": value })
            })
        })
        .collect();
        doc.put("schema:identifier", identifiers);
        doc.put("foaf:page", m.document_url.map(iri));
        doc.put("dct:isPartOf", self.one::<Entity>(m.parent_id).await?);
        let mut parts = self
            .via_column::<entity::goal::Entity>("plan_id", id, "t.position, t.id")
            .await?;
        parts.extend(
            self.via_column::<entity::measure::Entity>("plan_id", id, "t.position, t.id")
                .await?,
        );
        parts.extend(self.via_column::<Entity>("parent_id", id, "t.id").await?);
        doc.put("dct:hasPart", parts);
        self.finish(doc, NodeType::Plan, id, common!(m)).await
    }

    /// A plan's main goal for one focus area.
    pub(in crate::linked_data) async fn goal(&self, id: Uuid) -> ApiResult<Option<Doc>> {
        let Some(m) = self.find::<entity::goal::Entity>(id).await? else {
            return Ok(None);
        };
        let mut doc = self.start(NodeType::Goal, id, &["schema:Intangible"]);
        doc.put("dct:title", text(&m.focus_area, m.language));
        doc.put("dct:description", text(&m.statement, m.language));
        doc.put("schema:position", m.position + 1);
        doc.put(
            "dct:isPartOf",
            self.one::<entity::plan::Entity>(Some(m.plan_id)).await?,
        );
        self.finish(doc, NodeType::Goal, id, common!(m)).await
    }

    /// A measure: an action in a plan, led by some units and joined by others.
    pub(in crate::linked_data) async fn measure(&self, id: Uuid) -> ApiResult<Option<Doc>> {
        let Some(m) = self.find::<entity::measure::Entity>(id).await? else {
            return Ok(None);
        };
        let lang = m.language;
        let mut doc = self.start(NodeType::Measure, id, &["schema:Action"]);
        doc.put("dct:title", text(&m.title, lang));
        doc.put("dct:abstract", m.summary.map(|s| text(&s, lang)));
        doc.put("dct:description", m.body.map(|s| text(&s, lang)));
        doc.put("schema:position", m.number);
        doc.put(
            "schema:repeatFrequency",
            m.frequency.map(|s| text(&s, lang)),
        );
        doc.put(
            "dct:isPartOf",
            self.one::<entity::plan::Entity>(m.plan_id).await?,
        );
        for (term, role) in [
            ("schema:agent", ResponsibilityRole::Lead),
            ("schema:participant", ResponsibilityRole::Participant),
        ] {
            let units = self
                .via_link::<entity::unit::Entity>(
                    "measure_unit",
                    "measure_id",
                    "unit_id",
                    id,
                    Some(role.to_value()),
                )
                .await?;
            doc.put(term, units);
        }
        self.finish(doc, NodeType::Measure, id, common!(m)).await
    }

    /// A responsible unit: a post (a role such as skolesjef), a collaboration (a forum), an outside
    /// organisation, or an organisational unit of its municipality.
    pub(in crate::linked_data) async fn unit(&self, id: Uuid) -> ApiResult<Option<Doc>> {
        use entity::unit::Entity;
        let Some(m) = self.find::<Entity>(id).await? else {
            return Ok(None);
        };
        let class = match m.kind {
            UnitKind::Role => "org:Post",
            UnitKind::Forum => "org:OrganizationalCollaboration",
            UnitKind::ExternalPartner => "org:Organization",
            UnitKind::PoliticalBody | UnitKind::Administration | UnitKind::Service => {
                "org:OrganizationalUnit"
            }
        };
        let mut doc = self.start(NodeType::Unit, id, &[class]);
        doc.put("skos:prefLabel", text(&m.name, m.language));
        doc.put("dct:type", m.kind.to_value());
        doc.put(
            "dct:description",
            m.description.map(|d| text(&d, m.language)),
        );
        let parent = self.one::<Entity>(m.parent_id).await?;
        let municipality = self
            .one::<entity::municipality::Entity>(m.municipality_id)
            .await?;
        if m.kind == UnitKind::Role {
            doc.put("org:postIn", parent.or(municipality));
        } else {
            doc.put("org:subOrganizationOf", parent);
            doc.put("org:unitOf", municipality);
        }
        self.finish(doc, NodeType::Unit, id, common!(m)).await
    }
}
