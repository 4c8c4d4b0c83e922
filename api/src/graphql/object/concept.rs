//! `Concept`: a defined term (begrep).

use crate::graphql::node_fields::{NodeFields, node_fields};
use async_graphql::{ComplexObject, Context, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, concept::Model};
use uuid::Uuid;

use super::*;
use crate::{graphql::common::connection, loader::load_node};

crate::graphql::common::with_relations! {
    /// A defined term (begrep, SKOS concept), e.g. "Utsatte barn og unge". Shared by every municipality.
    Concept(ConceptFields)
}

/// The fields of a concept written by hand; its relation fields are generated from the catalog
/// (`relations.rs`).
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct ConceptFields {
    #[graphql(flatten)]
    pub node: NodeFields,
    /// The preferred term (prefLabel), e.g. "Bekymring".
    pub term: String,
    /// The definition.
    pub definition: String,
    /// Alternative terms (altLabel).
    pub alt_labels: Vec<String>,
    /// Notes on how the term is used (scopeNote).
    pub scope_note: Option<String>,
    /// Where the definition comes from, as cited.
    pub source: Option<String>,
    #[graphql(skip)]
    pub source_guidance_id: Option<Uuid>,
}

impl From<Model> for ConceptFields {
    fn from(m: Model) -> Self {
        ConceptFields {
            node: node_fields!(Concept, m),
            term: m.term,
            definition: m.definition,
            alt_labels: serde_json::from_value(m.alt_labels).unwrap_or_default(),
            scope_note: m.scope_note,
            source: m.source,
            source_guidance_id: m.source_guidance_id,
        }
    }
}

connection!(ConceptConnection, ConceptEdge, Concept, Model, "concepts");
crate::graphql::common::node_object!(Concept);

#[ComplexObject]
impl ConceptFields {
    /// The guidance document the term is defined in.
    async fn source_guidance(&self, ctx: &Context<'_>) -> Result<Option<Guidance>> {
        let Some(id) = self.source_guidance_id else {
            return Ok(None);
        };
        let found = load_node::<entity::guidance::Entity>(ctx, id).await;
        found.map(|m| m.map(Guidance::from)).map_err(Into::into)
    }
}
