//! Create and update for laws (admins).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::NaiveDate;
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::super::transaction::{create_node, maybe_text, node_id, update_node};
use super::{admin, other, unique};
use crate::{
    graphql::{
        enums::LawKind,
        object::{Law, law::check_lovdata_id, revision::Revision},
    },
    id::NodeType,
    validate::{self, MAX_TEXT, MAX_TITLE},
};

payloads!(
    LawCreatePayload, law, Law, "creates a law";
    LawUpdatePayload, law, Law, "updates a law";
);

/// Input of `lawCreate`.
#[derive(InputObject)]
pub struct LawCreateInput {
    /// Lovdata id: `LOV-` or `FOR-`, a date and an optional number, e.g. "LOV-2021-06-18-97".
    pub lovdata_id: String,
    /// Short title, e.g. "barnevernsloven".
    pub short_title: String,
    /// Full title, e.g. "Lov om barnevern".
    pub title: String,
    /// Kind of act.
    pub kind: LawKind,
    /// When it entered into force.
    pub in_force_from: Option<NaiveDate>,
    /// The law that replaces it (global ID).
    pub replaced_by: Option<ID>,
    /// Editorial note.
    pub note: Option<String>,
    /// Slug; made from the short title when left out.
    pub slug: Option<String>,
}

/// Input of `lawUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct LawUpdateInput {
    /// Global ID of the law.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New short title.
    pub short_title: Option<String>,
    /// New full title.
    pub title: Option<String>,
    /// New kind.
    pub kind: Option<LawKind>,
    /// New date of entry into force, or null.
    pub in_force_from: MaybeUndefined<NaiveDate>,
    /// New replacing law, or null.
    pub replaced_by: MaybeUndefined<ID>,
    /// New note, or null.
    pub note: MaybeUndefined<String>,
    /// New slug.
    pub slug: Option<String>,
}

/// Create and update for laws (admins).
#[derive(Default)]
pub struct LawMutation;

#[Object]
impl LawMutation {
    /// Creates a law (a draft). Admins only.
    async fn law_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new law.")] input: LawCreateInput,
    ) -> Result<LawCreatePayload> {
        create_node::<entity::law::Entity>(
            ctx,
            async |tx| {
                admin(tx, "a law")?;
                check_lovdata_id("input.lovdataId", input.lovdata_id.trim())?;
                let lovdata_id = input.lovdata_id.trim().to_string();
                unique(
                    tx,
                    "law",
                    "lovdata_id",
                    &lovdata_id,
                    None,
                    "input.lovdataId",
                )
                .await?;
                let short_title =
                    validate::text("input.shortTitle", &input.short_title, MAX_TITLE)?;
                let (id, slug, status, version, created_at, updated_at) =
                    new_node!(tx, "law", input.slug.as_deref(), &short_title);
                Ok(entity::law::Model {
                    id,
                    slug,
                    status,
                    version,
                    created_at,
                    updated_at,
                    language: Default::default(),
                    lovdata_id,
                    short_title,
                    title: validate::text("input.title", &input.title, MAX_TITLE)?,
                    kind: input.kind.into(),
                    in_force_from: input.in_force_from,
                    replaced_by_id: match &input.replaced_by {
                        Some(r) => {
                            Some(other(tx, "input.replacedBy", r, NodeType::Law, None).await?)
                        }
                        None => None,
                    },
                    note: validate::opt_text("input.note", input.note.as_deref(), MAX_TEXT)?,
                })
            },
            async |_, _| Ok(()),
        )
        .await
        .map(Into::into)
        .map_err(Into::into)
    }

    /// Changes a law. Admins only.
    async fn law_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The law and its changes.")] input: LawUpdateInput,
    ) -> Result<LawUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Law)?;
        update_node::<entity::law::Entity>(ctx, id, input.version, async |tx, m| {
            admin(tx, "a law")?;
            if let Some(v) = &input.short_title {
                m.short_title = validate::text("input.shortTitle", v, MAX_TITLE)?;
            }
            if let Some(v) = &input.title {
                m.title = validate::text("input.title", v, MAX_TITLE)?;
            }
            if let Some(v) = input.kind {
                m.kind = v.into();
            }
            match input.in_force_from {
                MaybeUndefined::Undefined => {}
                MaybeUndefined::Null => m.in_force_from = None,
                MaybeUndefined::Value(v) => m.in_force_from = Some(v),
            }
            match &input.replaced_by {
                MaybeUndefined::Undefined => {}
                MaybeUndefined::Null => m.replaced_by_id = None,
                MaybeUndefined::Value(r) => {
                    m.replaced_by_id =
                        Some(other(tx, "input.replacedBy", r, NodeType::Law, Some(m.id)).await?)
                }
            }
            maybe_text("input.note", input.note, &mut m.note, MAX_TEXT)?;
            if let Some(slug) = &input.slug {
                m.slug = tx.changed_slug("law", m.id, slug).await?;
            }
            Ok(())
        })
        .await
        .map(Into::into)
        .map_err(Into::into)
    }
}
