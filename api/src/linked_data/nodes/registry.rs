//! The documents of the shared national registry: laws, legal references, guidance, publishers, concepts,
//! themes and target groups.

use chrono::NaiveDate;
use oppvekstgraf_entity::{self as entity};
use sea_orm::ActiveEnum;
use serde_json::{Value, json};
use uuid::Uuid;

use super::super::{Doc, Ld, date, eli_uri, iri, lovdata_document_uri, text};
use super::Common;
use crate::{
    error::ApiResult,
    graphql::object::{law::lovdata_path, legal_reference::ordinal},
    id::NodeType,
};

impl Ld<'_> {
    /// A law: an ELI legal resource, the same as its ELI and Lovdata URIs.
    pub(in crate::linked_data) async fn law(&self, id: Uuid) -> ApiResult<Option<Doc>> {
        use entity::law::Entity;
        let Some(m) = self.find::<Entity>(id).await? else {
            return Ok(None);
        };
        let lang = m.language;
        let mut doc = self.start(NodeType::Law, id, &["eli:LegalResource"]);
        let same: Vec<Value> = eli_uri(&m.lovdata_id)
            .into_iter()
            .chain([lovdata_document_uri(&m.lovdata_id)])
            .map(iri)
            .collect();
        doc.put("owl:sameAs", same);
        doc.put("dct:identifier", m.lovdata_id.as_str());
        doc.put("eli:id_local", m.lovdata_id.as_str());
        doc.put("eli:title", text(&m.title, lang));
        doc.put("eli:title_short", text(&m.short_title, lang));
        doc.put("dct:type", m.kind.to_value());
        let (_, path) = lovdata_path(&m.lovdata_id);
        doc.put(
            "eli:date_document",
            path.get(..10)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .map(date),
        );
        doc.put("eli:first_date_entry_in_force", m.in_force_from.map(date));
        doc.put("rdfs:comment", m.note.map(|n| text(&n, lang)));
        doc.put(
            "dct:isReplacedBy",
            self.one::<Entity>(m.replaced_by_id).await?,
        );
        doc.put(
            "dct:replaces",
            self.via_column::<Entity>("replaced_by_id", id, "t.id")
                .await?,
        );
        doc.put(
            "eli:has_part",
            self.via_column::<entity::legal_reference::Entity>("law_id", id, "t.id")
                .await?,
        );
        self.finish(doc, NodeType::Law, id, common!(m)).await
    }

    /// A legal reference: a subdivision (section, optionally paragraph) of a law, with its Lovdata page.
    pub(in crate::linked_data) async fn legal_reference(&self, id: Uuid) -> ApiResult<Option<Doc>> {
        let Some(m) = self.find::<entity::legal_reference::Entity>(id).await? else {
            return Ok(None);
        };
        let lang = m.language;
        let mut doc = self.start(
            NodeType::LegalReference,
            id,
            &["eli:LegalResourceSubdivision"],
        );
        doc.put("eli:number", m.section.as_str());
        doc.put("eli:title", m.heading.map(|h| text(&h, lang)));
        doc.put("rdfs:comment", m.note.map(|n| text(&n, lang)));
        // The law is shared registry content; read it in scope like every link, so a hidden law names
        // nothing here.
        if let Some(law) = self.find::<entity::law::Entity>(m.law_id).await? {
            let (kind, path) = lovdata_path(&law.lovdata_id);
            let section = m.section.replace(' ', "");
            doc.put(
                "rdfs:seeAlso",
                iri(format!("https://lovdata.no/{kind}/{path}/§{section}")),
            );
            let (identifier, citation) = match m.paragraph {
                Some(p) => (
                    format!("{} § {} ledd {p}", law.lovdata_id, m.section),
                    format!("{} § {} {}", law.short_title, m.section, ordinal(p)),
                ),
                None => (
                    format!("{} § {}", law.lovdata_id, m.section),
                    format!("{} § {}", law.short_title, m.section),
                ),
            };
            doc.put("dct:identifier", identifier);
            doc.put("dct:bibliographicCitation", text(&citation, law.language));
            doc.put("eli:is_part_of", iri(self.url(NodeType::Law, law.id)));
        }
        self.finish(doc, NodeType::LegalReference, id, common!(m))
            .await
    }

    /// A national guidance document, with its publishers and legal basis.
    pub(in crate::linked_data) async fn guidance(&self, id: Uuid) -> ApiResult<Option<Doc>> {
        use entity::guidance::Entity;
        let Some(m) = self.find::<Entity>(id).await? else {
            return Ok(None);
        };
        let lang = m.language;
        let mut doc = self.start(NodeType::Guidance, id, &["foaf:Document"]);
        doc.put("dct:title", text(&m.title, lang));
        doc.put("dct:identifier", m.code);
        doc.put("schema:isbn", m.isbn);
        doc.put("dct:type", m.kind.to_value());
        doc.put("foaf:page", m.url.map(iri));
        doc.put("dct:abstract", m.summary.map(|s| text(&s, lang)));
        doc.put(
            "dct:issued",
            m.published_year
                .map(|y| json!({ "@value": format!("{y:04}"), "@type": "xsd:gYear" })),
        );
        doc.put("dct:replaces", self.one::<Entity>(m.replaces_id).await?);
        doc.put(
            "dct:isReplacedBy",
            self.via_column::<Entity>("replaces_id", id, "t.id").await?,
        );
        let mut subjects = self
            .via_link::<entity::theme::Entity>(
                "guidance_theme",
                "guidance_id",
                "theme_id",
                id,
                None,
            )
            .await?;
        subjects.extend(m.topic_group.map(|t| text(&t, lang)));
        doc.put("dct:subject", subjects);
        self.finish(doc, NodeType::Guidance, id, common!(m)).await
    }

    /// A publisher: an organisation in Enhetsregisteret.
    pub(in crate::linked_data) async fn publisher(&self, id: Uuid) -> ApiResult<Option<Doc>> {
        let Some(m) = self.find::<entity::publisher::Entity>(id).await? else {
            return Ok(None);
        };
        let mut doc = self.start(NodeType::Publisher, id, &["org:Organization"]);
        doc.put("skos:prefLabel", text(&m.name, m.language));
        doc.put("skos:altLabel", m.short_name.map(|s| text(&s, m.language)));
        doc.put("org:identifier", m.organization_number);
        doc.put("foaf:homepage", m.url.map(iri));
        self.finish(doc, NodeType::Publisher, id, common!(m)).await
    }

    /// A concept: a SKOS concept with language-tagged labels and definition, and its sources.
    pub(in crate::linked_data) async fn concept(&self, id: Uuid) -> ApiResult<Option<Doc>> {
        let Some(m) = self.find::<entity::concept::Entity>(id).await? else {
            return Ok(None);
        };
        let lang = m.language;
        let mut doc = self.start(NodeType::Concept, id, &["skos:Concept"]);
        doc.put("skos:prefLabel", text(&m.term, lang));
        doc.put("skos:definition", text(&m.definition, lang));
        let alt: Vec<Value> = m
            .alt_labels
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|label| text(label, lang))
            .collect();
        doc.put("skos:altLabel", alt);
        doc.put("skos:scopeNote", m.scope_note.map(|s| text(&s, lang)));
        let mut sources: Vec<Value> = m.source.map(|s| text(&s, lang)).into_iter().collect();
        sources.extend(
            self.one::<entity::guidance::Entity>(m.source_guidance_id)
                .await?,
        );
        doc.put("dct:source", sources);
        self.finish(doc, NodeType::Concept, id, common!(m)).await
    }

    /// A theme: a SKOS concept, matched to its LOS theme when it has one.
    pub(in crate::linked_data) async fn theme(&self, id: Uuid) -> ApiResult<Option<Doc>> {
        let Some(m) = self.find::<entity::theme::Entity>(id).await? else {
            return Ok(None);
        };
        let mut doc = self.start(NodeType::Theme, id, &["skos:Concept"]);
        doc.put("skos:prefLabel", text(&m.label, m.language));
        doc.put(
            "skos:scopeNote",
            m.description.map(|d| text(&d, m.language)),
        );
        doc.put("skos:exactMatch", m.los_uri.map(iri));
        self.finish(doc, NodeType::Theme, id, common!(m)).await
    }

    /// A target group: a class of people that plans, measures and guidance are for (`dct:audience`).
    pub(in crate::linked_data) async fn target_group(&self, id: Uuid) -> ApiResult<Option<Doc>> {
        let Some(m) = self.find::<entity::target_group::Entity>(id).await? else {
            return Ok(None);
        };
        let mut doc = self.start(NodeType::TargetGroup, id, &["dct:AgentClass"]);
        doc.put("skos:prefLabel", text(&m.label, m.language));
        doc.put(
            "dct:description",
            m.description.map(|d| text(&d, m.language)),
        );
        doc.put(
            "schema:typicalAgeRange",
            match (m.min_age, m.max_age) {
                (None, None) => None,
                (min, max) => Some(format!(
                    "{}-{}",
                    min.map_or(String::new(), |a| a.to_string()),
                    max.map_or(String::new(), |a| a.to_string())
                )),
            },
        );
        self.finish(doc, NodeType::TargetGroup, id, common!(m))
            .await
    }
}
