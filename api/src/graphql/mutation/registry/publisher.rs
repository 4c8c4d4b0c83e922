//! Create and update for publishers (admins).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::super::transaction::{create_node, maybe_text, maybe_url, node_id, update_node};
use super::{admin, org};
use crate::{
    graphql::object::{Publisher, revision::Revision},
    id::NodeType,
    validate::{self, MAX_TITLE},
};

payloads!(
    PublisherCreatePayload, publisher, Publisher, "creates a publisher";
    PublisherUpdatePayload, publisher, Publisher, "updates a publisher";
);

/// Input of `publisherCreate`.
#[derive(InputObject)]
pub struct PublisherCreateInput {
    /// Name, e.g. "Helsedirektoratet".
    pub name: String,
    /// Short name, e.g. "Hdir".
    pub short_name: Option<String>,
    /// Organisation number (9 digits, mod-11 checked).
    pub organization_number: Option<String>,
    /// Web site (absolute http(s) URL).
    pub url: Option<String>,
    /// Slug; made from the name when left out.
    pub slug: Option<String>,
}

/// Input of `publisherUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct PublisherUpdateInput {
    /// Global ID of the publisher.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New name.
    pub name: Option<String>,
    /// New short name, or null.
    pub short_name: MaybeUndefined<String>,
    /// New organisation number, or null.
    pub organization_number: MaybeUndefined<String>,
    /// New web site, or null.
    pub url: MaybeUndefined<String>,
    /// New slug.
    pub slug: Option<String>,
}

/// Create and update for publishers (admins).
#[derive(Default)]
pub struct PublisherMutation;

#[Object]
impl PublisherMutation {
    /// Creates a publisher (a draft). Admins only.
    async fn publisher_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new publisher.")] input: PublisherCreateInput,
    ) -> Result<PublisherCreatePayload> {
        create_node::<entity::publisher::Entity>(
            ctx,
            async |tx| {
                admin(tx, "a publisher")?;
                let name = validate::text("input.name", &input.name, MAX_TITLE)?;
                let (id, slug, status, version, created_at, updated_at) =
                    new_node!(tx, "publisher", input.slug.as_deref(), &name);
                Ok(entity::publisher::Model {
                    id,
                    slug,
                    status,
                    version,
                    created_at,
                    updated_at,
                    language: Default::default(),
                    name,
                    short_name: validate::opt_text(
                        "input.shortName",
                        input.short_name.as_deref(),
                        50,
                    )?,
                    organization_number: org(
                        "input.organizationNumber",
                        input.organization_number.as_deref(),
                    )?,
                    url: input
                        .url
                        .as_deref()
                        .map(|u| validate::url("input.url", u))
                        .transpose()?,
                })
            },
            async |_, _| Ok(()),
        )
        .await
        .map(Into::into)
        .map_err(Into::into)
    }

    /// Changes a publisher. Admins only.
    async fn publisher_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The publisher and its changes.")] input: PublisherUpdateInput,
    ) -> Result<PublisherUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Publisher)?;
        let result =
            update_node::<entity::publisher::Entity>(ctx, id, input.version, async |tx, m| {
                admin(tx, "a publisher")?;
                if let Some(v) = &input.name {
                    m.name = validate::text("input.name", v, MAX_TITLE)?;
                }
                maybe_text("input.shortName", input.short_name, &mut m.short_name, 50)?;
                match input.organization_number {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => m.organization_number = None,
                    MaybeUndefined::Value(v) => {
                        m.organization_number = org("input.organizationNumber", Some(&v))?
                    }
                }
                maybe_url("input.url", input.url, &mut m.url)?;
                if let Some(slug) = &input.slug {
                    m.slug = tx.changed_slug("publisher", m.id, slug).await?;
                }
                Ok(())
            })
            .await;
        Ok(result?.into())
    }
}
