//! `Concept`: a defined term (begrep).

use super::fields::ConceptFields;
use async_graphql::{ComplexObject, Context, Result};
use oppvekstgraf_entity::{self as entity, concept::Model};

use super::*;
use crate::{graphql::common::connection, loader::load_node};

crate::graphql::common::with_relations! {
    /// A defined term (begrep, SKOS concept), e.g. "Utsatte barn og unge". Shared by every municipality.
    Concept(ConceptFields)
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
