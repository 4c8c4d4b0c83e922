//! The vocabulary of each node type: one function per type that reads the node in scope and builds its
//! document, plus the terms every node shares and its provenance.

use chrono::{DateTime, Utc};
use oppvekstgraf_entity::{
    self as entity,
    enums::{Language, Status},
};
use sea_orm::ActiveEnum;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{Doc, Ld, context, date_time, iri, language_uri, text};
use crate::{error::ApiResult, id::NodeType, sql::Sql};

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

mod content;
mod registry;
