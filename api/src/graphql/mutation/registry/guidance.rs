//! Create and update for guidance items (admins).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::super::transaction::{create_node, maybe_text, maybe_url, node_id, update_node};
use super::{admin, other, unique};
use crate::{
    graphql::{
        enums::{GuidanceKind, Language},
        object::{Guidance, revision::Revision},
    },
    id::NodeType,
    validate::{self, MAX_TEXT, MAX_TITLE},
};

payloads!(
    GuidanceCreatePayload, guidance, Guidance, "creates a guidance item";
    GuidanceUpdatePayload, guidance, Guidance, "updates a guidance item";
);

/// Input of `guidanceCreate`.
#[derive(InputObject)]
pub struct GuidanceCreateInput {
    /// Title.
    pub title: String,
    /// Kind of guidance.
    pub kind: GuidanceKind,
    /// Publisher's code, e.g. "IS-2826" (unique).
    pub code: Option<String>,
    /// ISBN.
    pub isbn: Option<String>,
    /// Where it can be read (absolute http(s) URL).
    pub url: Option<String>,
    /// Short summary.
    pub summary: Option<String>,
    /// The topic a portal lists it under.
    pub topic_group: Option<String>,
    /// Year of publication (1800-2200).
    pub published_year: Option<i32>,
    /// The older guidance it replaces (global ID).
    pub replaces: Option<ID>,
    /// Slug; made from the title when left out.
    pub slug: Option<String>,
    /// Language (default NB).
    pub language: Option<Language>,
}

/// Input of `guidanceUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct GuidanceUpdateInput {
    /// Global ID of the guidance item.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New title.
    pub title: Option<String>,
    /// New kind.
    pub kind: Option<GuidanceKind>,
    /// New code, or null.
    pub code: MaybeUndefined<String>,
    /// New ISBN, or null.
    pub isbn: MaybeUndefined<String>,
    /// New URL, or null.
    pub url: MaybeUndefined<String>,
    /// New summary, or null.
    pub summary: MaybeUndefined<String>,
    /// New topic group, or null.
    pub topic_group: MaybeUndefined<String>,
    /// New year, or null.
    pub published_year: MaybeUndefined<i32>,
    /// New replaced guidance, or null.
    pub replaces: MaybeUndefined<ID>,
    /// New slug.
    pub slug: Option<String>,
    /// New language.
    pub language: Option<Language>,
}

/// Create and update for guidance items (admins).
#[derive(Default)]
pub struct GuidanceMutation;

#[Object]
impl GuidanceMutation {
    /// Creates a guidance item (a draft). Admins only.
    async fn guidance_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new guidance item.")] input: GuidanceCreateInput,
    ) -> Result<GuidanceCreatePayload> {
        create_node::<entity::guidance::Entity>(
            ctx,
            async |tx| {
                admin(tx, "guidance")?;
                let title = validate::text("input.title", &input.title, MAX_TITLE)?;
                let code = validate::opt_text("input.code", input.code.as_deref(), 40)?;
                if let Some(code) = &code {
                    unique(tx, "guidance", "code", code, None, "input.code").await?;
                }
                let (id, slug, status, version, created_at, updated_at) =
                    new_node!(tx, "guidance", input.slug.as_deref(), &title);
                Ok(entity::guidance::Model {
                    id,
                    slug,
                    status,
                    version,
                    created_at,
                    updated_at,
                    language: input.language.map(Into::into).unwrap_or_default(),
                    code,
                    isbn: validate::opt_text("input.isbn", input.isbn.as_deref(), 40)?,
                    title,
                    kind: input.kind.into(),
                    url: input
                        .url
                        .as_deref()
                        .map(|u| validate::url("input.url", u))
                        .transpose()?,
                    summary: validate::opt_text(
                        "input.summary",
                        input.summary.as_deref(),
                        MAX_TEXT,
                    )?,
                    topic_group: validate::opt_text(
                        "input.topicGroup",
                        input.topic_group.as_deref(),
                        200,
                    )?,
                    published_year: input
                        .published_year
                        .map(|y| validate::year("input.publishedYear", y))
                        .transpose()?,
                    replaces_id: match &input.replaces {
                        Some(r) => {
                            Some(other(tx, "input.replaces", r, NodeType::Guidance, None).await?)
                        }
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

    /// Changes a guidance item. Admins only.
    async fn guidance_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The guidance item and its changes.")] input: GuidanceUpdateInput,
    ) -> Result<GuidanceUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Guidance)?;
        let result =
            update_node::<entity::guidance::Entity>(ctx, id, input.version, async |tx, m| {
                admin(tx, "guidance")?;
                if let Some(v) = &input.title {
                    m.title = validate::text("input.title", v, MAX_TITLE)?;
                }
                if let Some(v) = input.kind {
                    m.kind = v.into();
                }
                maybe_text("input.code", input.code, &mut m.code, 40)?;
                if let Some(code) = &m.code {
                    unique(tx, "guidance", "code", code, Some(m.id), "input.code").await?;
                }
                maybe_text("input.isbn", input.isbn, &mut m.isbn, 40)?;
                maybe_url("input.url", input.url, &mut m.url)?;
                maybe_text("input.summary", input.summary, &mut m.summary, MAX_TEXT)?;
                maybe_text(
                    "input.topicGroup",
                    input.topic_group,
                    &mut m.topic_group,
                    200,
                )?;
                match input.published_year {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => m.published_year = None,
                    MaybeUndefined::Value(y) => {
                        m.published_year = Some(validate::year("input.publishedYear", y)?)
                    }
                }
                match &input.replaces {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => m.replaces_id = None,
                    MaybeUndefined::Value(r) => {
                        m.replaces_id = Some(
                            other(tx, "input.replaces", r, NodeType::Guidance, Some(m.id)).await?,
                        )
                    }
                }
                if let Some(slug) = &input.slug {
                    m.slug = tx.changed_slug("guidance", m.id, slug).await?;
                }
                if let Some(language) = input.language {
                    m.language = language.into();
                }
                Ok(())
            })
            .await;
        Ok(result?.into())
    }
}
