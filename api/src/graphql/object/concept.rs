//! `Concept`: a defined term (begrep).

use crate::graphql::node_fields::{NodeFields, node_fields};
use crate::graphql::relation::{Rel, load_rel};
use async_graphql::{ComplexObject, Context, ID, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, concept::Model};
#[allow(unused_imports)]
use uuid::Uuid;

#[allow(unused_imports)]
use super::*;
#[allow(unused_imports)]
use crate::{
    graphql::{
        common::{NamedSearch, SearchFilter, connection, find_by_slug_or_id},
        enums::*,
    },
    id::NodeType,
    loader::{load_node, load_required},
    page::PageArgs,
};

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

/// Root fields for concepts.
#[derive(Default)]
pub struct ConceptQuery;

#[Object]
impl ConceptQuery {
    /// One concept. Give exactly one of `slug` or `id`; null when nothing matches.
    async fn concept(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Slug, e.g. \"bekymring\".")] slug: Option<String>,
        #[graphql(desc = "Global ID.")] id: Option<ID>,
    ) -> Result<Option<Concept>> {
        let found = find_by_slug_or_id::<entity::concept::Entity>(ctx, slug, id).await;
        found.map(|m| m.map(Concept::from)).map_err(Into::into)
    }

    /// All concepts, by term unless `orderBy` says otherwise.
    async fn concepts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n edges (0-100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Returns the edges after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n edges (0-100).")] last: Option<i32>,
        #[graphql(desc = "Returns the edges before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrows the list.")] filter: Option<SearchFilter>,
        #[graphql(desc = "Sort order (default: the relation's own order).")] order_by: Option<
            Order,
        >,
    ) -> Result<ConceptConnection> {
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let page = load_rel::<entity::concept::Entity>(
            ctx,
            &Rel::ROOT,
            uuid::Uuid::nil(),
            args,
            &NamedSearch(&filter, NodeType::Concept),
            order_by,
        )
        .await;
        page.and_then(ConceptConnection::from_page)
            .map_err(Into::into)
    }
}
