//! Create and update for legal references (admins).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::super::transaction::{create_node, maybe_text, node_id, update_node};
use super::{admin, unique};
use crate::{
    error::ApiError,
    graphql::object::{
        LegalReference,
        legal_reference::{check_section, natural_key},
        revision::Revision,
    },
    id::NodeType,
    sql::Sql,
    validate::{self, MAX_TEXT, MAX_TITLE},
};

payloads!(
    LegalReferenceCreatePayload, legal_reference, LegalReference, "creates a legal reference";
    LegalReferenceUpdatePayload, legal_reference, LegalReference, "updates a legal reference";
);

/// Input of `legalReferenceCreate`.
#[derive(InputObject)]
pub struct LegalReferenceCreateInput {
    /// The law (global ID).
    pub law: ID,
    /// Section as written in the law, e.g. "15-1", "104" or "7-2 a".
    pub section: String,
    /// Paragraph (ledd) number, 1-50.
    pub paragraph: Option<i32>,
    /// Heading of the section.
    pub heading: Option<String>,
    /// Editorial note.
    pub note: Option<String>,
}

/// Input of `legalReferenceUpdate`: the law, section and paragraph identify the reference and do not change.
#[derive(InputObject)]
pub struct LegalReferenceUpdateInput {
    /// Global ID of the legal reference.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New heading, or null.
    pub heading: MaybeUndefined<String>,
    /// New note, or null.
    pub note: MaybeUndefined<String>,
}

/// Create and update for legal references (admins).
#[derive(Default)]
pub struct LegalReferenceMutation;

#[Object]
impl LegalReferenceMutation {
    /// Creates a legal reference (a draft) to a section of a law. Admins only.
    async fn legal_reference_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new legal reference.")] input: LegalReferenceCreateInput,
    ) -> Result<LegalReferenceCreatePayload> {
        create_node::<entity::legal_reference::Entity>(
            ctx,
            async |tx| {
                admin(tx, "a legal reference")?;
                let law_id = tx.visible("input.law", &input.law, NodeType::Law).await?;
                let section = input.section.trim().to_string();
                check_section("input.section", &section)?;
                if let Some(p) = input.paragraph
                    && !(1..=50).contains(&p)
                {
                    return Err(ApiError::validation(
                        "input.paragraph",
                        "give a paragraph (ledd) from 1 to 50",
                    ));
                }
                let row = tx
                    .txn_query_one(Sql::with(
                        "SELECT lovdata_id FROM law WHERE id = ?",
                        vec![law_id.into()],
                    ))
                    .await?
                    .ok_or(ApiError::Internal)?;
                let lovdata_id: String = row.try_get("", "lovdata_id")?;
                let key = natural_key(&lovdata_id, &section, input.paragraph);
                unique(
                    tx,
                    "legal_reference",
                    "natural_key",
                    &key,
                    None,
                    "input.section",
                )
                .await?;
                let slug_source = key.replace('|', " ");
                let (id, slug, status, version, created_at, updated_at) =
                    new_node!(tx, "legal_reference", None, &slug_source);
                Ok(entity::legal_reference::Model {
                    id,
                    slug,
                    status,
                    version,
                    created_at,
                    updated_at,
                    language: Default::default(),
                    law_id,
                    section,
                    paragraph: input.paragraph,
                    heading: validate::opt_text(
                        "input.heading",
                        input.heading.as_deref(),
                        MAX_TITLE,
                    )?,
                    note: validate::opt_text("input.note", input.note.as_deref(), MAX_TEXT)?,
                    natural_key: key,
                })
            },
            async |_, _| Ok(()),
        )
        .await
        .map(Into::into)
        .map_err(Into::into)
    }

    /// Changes a legal reference's heading or note. Admins only.
    async fn legal_reference_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The legal reference and its changes.")] input: LegalReferenceUpdateInput,
    ) -> Result<LegalReferenceUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::LegalReference)?;
        update_node::<entity::legal_reference::Entity>(ctx, id, input.version, async |tx, m| {
            admin(tx, "a legal reference")?;
            maybe_text("input.heading", input.heading, &mut m.heading, MAX_TITLE)?;
            maybe_text("input.note", input.note, &mut m.note, MAX_TEXT)?;
            Ok(())
        })
        .await
        .map(Into::into)
        .map_err(Into::into)
    }
}
