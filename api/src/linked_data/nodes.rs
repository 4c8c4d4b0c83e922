//! The vocabulary of each node type: one function per type that reads the node in scope and builds its
//! document, plus the terms every node shares and its provenance.

use chrono::{DateTime, NaiveDate, Utc};
use oppvekstgraf_entity::{
    self as entity,
    enums::{Language, ResponsibilityRole, Status, UnitKind},
};
use sea_orm::ActiveEnum;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{
    Doc, Ld, context, date, date_time, eli_uri, iri, language_uri, lovdata_document_uri, text,
};
use crate::{
    error::ApiResult,
    graphql::object::{law::lovdata_path, legal_reference::ordinal},
    id::NodeType,
    sql::Sql,
};

impl Ld<'_> {
    /// The provenance of a node: `prov:wasAttributedTo` the visible municipalities that own it (from
    /// [`crate::loader::ownership::owners`]; none for the shared registry and for a municipality itself),
    /// then whatever [`derivation_terms`] adds.
    async fn provenance(&self, doc: &mut Doc, node: NodeType, id: Uuid) -> ApiResult<()> {
        if node != NodeType::Municipality
            && let Some((_, Some(owners))) = crate::loader::table_of(node)
        {
            let owners = self
                .links::<entity::municipality::Entity>(
                    "",
                    Sql::with(format!("t.id IN ({owners})"), vec![id.into()]),
                    "t.number, t.id",
                )
                .await?;
            doc.put("prov:wasAttributedTo", owners);
        }
        derivation_terms(self, doc, node, id).await
    }

    /// A municipality: an organisation and a place, the same as Geonorge's.
    pub(super) async fn municipality(&self, id: Uuid) -> ApiResult<Option<Doc>> {
        use entity::municipality::Entity;
        let Some(m) = self.find::<Entity>(id).await? else {
            return Ok(None);
        };
        let mut doc = self.start(
            NodeType::Municipality,
            id,
            &["org:Organization", "dct:Location"],
        );
        doc.put(
            "owl:sameAs",
            iri(format!(
                "https://data.geonorge.no/administrativeEnheter/kommune/id/{}",
                m.number
            )),
        );
        doc.put("dct:identifier", m.number);
        doc.put("org:identifier", m.organization_number);
        doc.put("skos:prefLabel", text(&m.name, m.language));
        self.finish(doc, NodeType::Municipality, id, common!(m))
            .await
    }

    /// A region: a collaboration of municipalities.
    pub(super) async fn region(&self, id: Uuid) -> ApiResult<Option<Doc>> {
        let Some(m) = self.find::<entity::region::Entity>(id).await? else {
            return Ok(None);
        };
        let mut doc = self.start(NodeType::Region, id, &["org:OrganizationalCollaboration"]);
        doc.put("skos:prefLabel", text(&m.name, m.language));
        doc.put(
            "dct:description",
            m.description.map(|d| text(&d, m.language)),
        );
        self.finish(doc, NodeType::Region, id, common!(m)).await
    }

    /// A plan: an adopted document, passed by a unit, owned by its municipalities, made of goals and
    /// measures.
    pub(super) async fn plan(&self, id: Uuid) -> ApiResult<Option<Doc>> {
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
    pub(super) async fn goal(&self, id: Uuid) -> ApiResult<Option<Doc>> {
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
    pub(super) async fn measure(&self, id: Uuid) -> ApiResult<Option<Doc>> {
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
    pub(super) async fn unit(&self, id: Uuid) -> ApiResult<Option<Doc>> {
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

    /// A law: an ELI legal resource, the same as its ELI and Lovdata URIs.
    pub(super) async fn law(&self, id: Uuid) -> ApiResult<Option<Doc>> {
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
    pub(super) async fn legal_reference(&self, id: Uuid) -> ApiResult<Option<Doc>> {
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
    pub(super) async fn guidance(&self, id: Uuid) -> ApiResult<Option<Doc>> {
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
    pub(super) async fn publisher(&self, id: Uuid) -> ApiResult<Option<Doc>> {
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
    pub(super) async fn concept(&self, id: Uuid) -> ApiResult<Option<Doc>> {
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
    pub(super) async fn theme(&self, id: Uuid) -> ApiResult<Option<Doc>> {
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
    pub(super) async fn target_group(&self, id: Uuid) -> ApiResult<Option<Doc>> {
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

    /// A new document: `@context`, `@id` and `@type`.
    fn start(&self, node: NodeType, id: Uuid, types: &[&str]) -> Doc {
        let mut doc = Doc(Map::new());
        doc.0.insert("@context".into(), context());
        doc.0.insert("@id".into(), Value::from(self.url(node, id)));
        doc.0.insert(
            "@type".into(),
            match types {
                [one] => Value::from(*one),
                many => Value::from(many.to_vec()),
            },
        );
        doc
    }

    /// Adds the terms every node has (status, language, version, times) and the provenance.
    async fn finish(
        &self,
        mut doc: Doc,
        node: NodeType,
        id: Uuid,
        common: Common,
    ) -> ApiResult<Option<Doc>> {
        doc.put("schema:creativeWorkStatus", common.status.to_value());
        doc.put("dct:language", iri(language_uri(common.language)));
        doc.put("owl:versionInfo", common.version);
        doc.put("dct:created", date_time(common.created_at));
        doc.put("dct:modified", date_time(common.updated_at));
        self.put_catalog_links(&mut doc, node, id).await?;
        self.provenance(&mut doc, node, id).await?;
        Ok(Some(doc))
    }
}

/// The terms every node carries, taken from its common columns.
struct Common {
    status: Status,
    language: Language,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// The [`Common`] columns of a node row (every node table has them).
macro_rules! common {
    ($m:expr) => {
        Common {
            status: $m.status,
            language: $m.language,
            version: $m.version,
            created_at: $m.created_at,
            updated_at: $m.updated_at,
        }
    };
}
use common;

/// The provenance of a copy (a measure or plan another municipality's was copied into, "gjenbruk"):
/// - `prov:wasDerivedFrom`: the source's `/ld/` URL, when the source is visible (like every other link);
/// - `prov:qualifiedDerivation`: a `prov:Derivation` with `prov:entity` (the source, when visible),
///   `prov:atTime` (when it was copied), `dct:type` (copied, adapted or translated), the source's version
///   (`owl:versionInfo`), and `prov:wasAttributedTo` the municipality that made the copy.
async fn derivation_terms(ld: &Ld<'_>, doc: &mut Doc, node: NodeType, id: Uuid) -> ApiResult<()> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    if !matches!(node, NodeType::Measure | NodeType::Plan) {
        return Ok(());
    }
    let Some(d) = entity::derivation::Entity::find()
        .filter(entity::derivation::Column::NodeId.eq(id))
        .one(ld.db)
        .await?
    else {
        return Ok(());
    };
    let source = match node {
        NodeType::Plan => ld.one::<entity::plan::Entity>(Some(d.source_id)).await?,
        _ => ld.one::<entity::measure::Entity>(Some(d.source_id)).await?,
    };
    let adopter = ld
        .one::<entity::municipality::Entity>(Some(d.municipality_id))
        .await?;
    let mut qualified = Map::new();
    qualified.insert("@type".into(), json!("prov:Derivation"));
    if let Some(source) = &source {
        qualified.insert("prov:entity".into(), source.clone());
    }
    qualified.insert("prov:atTime".into(), date_time(d.created_at));
    qualified.insert("dct:type".into(), json!(d.mode.to_value()));
    qualified.insert("owl:versionInfo".into(), json!(d.source_version));
    if let Some(adopter) = adopter {
        qualified.insert("prov:wasAttributedTo".into(), adopter);
    }
    if let Some(source) = source {
        doc.put("prov:wasDerivedFrom", source);
    }
    doc.put("prov:qualifiedDerivation", Value::Object(qualified));
    Ok(())
}
