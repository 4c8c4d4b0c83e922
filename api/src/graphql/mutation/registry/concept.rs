//! Create and update for concepts (admins).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::super::transaction::{create_node, maybe_text, node_id, update_node};
use super::{admin, alt_labels};
use crate::{
    graphql::{
        enums::Language,
        object::{Concept, revision::Revision},
    },
    id::NodeType,
    validate::{self, MAX_TEXT, MAX_TITLE},
};

payloads!(
    ConceptCreatePayload, concept, Concept, "creates a concept";
    ConceptUpdatePayload, concept, Concept, "updates a concept";
);

/// Input of `conceptCreate`.
#[derive(InputObject)]
pub struct ConceptCreateInput {
    /// The preferred term.
    pub term: String,
    /// The definition.
    pub definition: String,
    /// Alternative terms.
    pub alt_labels: Option<Vec<String>>,
    /// Notes on use.
    pub scope_note: Option<String>,
    /// Where the definition comes from, as cited.
    pub source: Option<String>,
    /// The guidance the term is defined in (global ID).
    pub source_guidance: Option<ID>,
    /// Slug; made from the term when left out.
    pub slug: Option<String>,
    /// Language (default NB).
    pub language: Option<Language>,
}

/// Input of `conceptUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct ConceptUpdateInput {
    /// Global ID of the concept.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New term.
    pub term: Option<String>,
    /// New definition.
    pub definition: Option<String>,
    /// New alternative terms (replaces the list).
    pub alt_labels: Option<Vec<String>>,
    /// New scope note, or null.
    pub scope_note: MaybeUndefined<String>,
    /// New source, or null.
    pub source: MaybeUndefined<String>,
    /// New source guidance, or null.
    pub source_guidance: MaybeUndefined<ID>,
    /// New slug.
    pub slug: Option<String>,
}

/// Create and update for concepts (admins).
#[derive(Default)]
pub struct ConceptMutation;

#[Object]
impl ConceptMutation {
    /// Creates a concept (a draft). Admins only.
    async fn concept_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new concept.")] input: ConceptCreateInput,
    ) -> Result<ConceptCreatePayload> {
        create_node::<entity::concept::Entity>(
            ctx,
            async |tx| {
                admin(tx, "a concept")?;
                let term = validate::text("input.term", &input.term, MAX_TITLE)?;
                let labels = alt_labels(input.alt_labels.as_deref())?;
                let (id, slug, status, version, created_at, updated_at) =
                    new_node!(tx, "concept", input.slug.as_deref(), &term);
                Ok(entity::concept::Model {
                    id,
                    slug,
                    status,
                    version,
                    created_at,
                    updated_at,
                    language: input.language.map(Into::into).unwrap_or_default(),
                    term,
                    definition: validate::text("input.definition", &input.definition, MAX_TEXT)?,
                    alt_labels: serde_json::json!(labels),
                    scope_note: validate::opt_text(
                        "input.scopeNote",
                        input.scope_note.as_deref(),
                        MAX_TEXT,
                    )?,
                    source: validate::opt_text("input.source", input.source.as_deref(), MAX_TITLE)?,
                    source_guidance_id: match &input.source_guidance {
                        Some(g) => Some(
                            tx.visible("input.sourceGuidance", g, NodeType::Guidance)
                                .await?,
                        ),
                        None => None,
                    },
                })
            },
            async |_, _| Ok(()),
        )
        .await
        .map(Into::into)
        .map_err(Into::into)
    }

    /// Changes a concept. Admins only.
    async fn concept_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The concept and its changes.")] input: ConceptUpdateInput,
    ) -> Result<ConceptUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Concept)?;
        let result =
            update_node::<entity::concept::Entity>(ctx, id, input.version, async |tx, m| {
                admin(tx, "a concept")?;
                if let Some(v) = &input.term {
                    m.term = validate::text("input.term", v, MAX_TITLE)?;
                }
                if let Some(v) = &input.definition {
                    m.definition = validate::text("input.definition", v, MAX_TEXT)?;
                }
                if let Some(labels) = &input.alt_labels {
                    m.alt_labels = serde_json::json!(alt_labels(Some(labels))?);
                }
                maybe_text(
                    "input.scopeNote",
                    input.scope_note,
                    &mut m.scope_note,
                    MAX_TEXT,
                )?;
                maybe_text("input.source", input.source, &mut m.source, MAX_TITLE)?;
                match &input.source_guidance {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => m.source_guidance_id = None,
                    MaybeUndefined::Value(g) => {
                        m.source_guidance_id = Some(
                            tx.visible("input.sourceGuidance", g, NodeType::Guidance)
                                .await?,
                        )
                    }
                }
                if let Some(slug) = &input.slug {
                    m.slug = tx.changed_slug("concept", m.id, slug).await?;
                }
                Ok(())
            })
            .await;
        Ok(result?.into())
    }
}
