//! Create and update for themes (admins).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::super::transaction::{create_node, maybe_text, maybe_url, node_id, update_node};
use super::admin;
use crate::{
    graphql::object::{Theme, revision::Revision},
    id::NodeType,
    validate::{self, MAX_TEXT, MAX_TITLE},
};

payloads!(
    ThemeCreatePayload, theme, Theme, "creates a theme";
    ThemeUpdatePayload, theme, Theme, "updates a theme";
);

/// Input of `themeCreate`.
#[derive(InputObject)]
pub struct ThemeCreateInput {
    /// Label, e.g. "Vold i nære relasjoner".
    pub label: String,
    /// What the theme covers.
    pub description: Option<String>,
    /// The theme in the LOS vocabulary (absolute URL).
    pub los_uri: Option<String>,
    /// Slug; made from the label when left out.
    pub slug: Option<String>,
}

/// Input of `themeUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct ThemeUpdateInput {
    /// Global ID of the theme.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New label.
    pub label: Option<String>,
    /// New description, or null.
    pub description: MaybeUndefined<String>,
    /// New LOS URI, or null.
    pub los_uri: MaybeUndefined<String>,
    /// New slug.
    pub slug: Option<String>,
}

/// Create and update for themes (admins).
#[derive(Default)]
pub struct ThemeMutation;

#[Object]
impl ThemeMutation {
    /// Creates a theme (a draft). Admins only.
    async fn theme_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new theme.")] input: ThemeCreateInput,
    ) -> Result<ThemeCreatePayload> {
        create_node::<entity::theme::Entity>(
            ctx,
            async |tx| {
                admin(tx, "a theme")?;
                let label = validate::text("input.label", &input.label, MAX_TITLE)?;
                let (id, slug, status, version, created_at, updated_at) =
                    new_node!(tx, "theme", input.slug.as_deref(), &label);
                Ok(entity::theme::Model {
                    id,
                    slug,
                    status,
                    version,
                    created_at,
                    updated_at,
                    language: Default::default(),
                    label,
                    description: validate::opt_text(
                        "input.description",
                        input.description.as_deref(),
                        MAX_TEXT,
                    )?,
                    los_uri: input
                        .los_uri
                        .as_deref()
                        .map(|u| validate::url("input.losUri", u))
                        .transpose()?,
                })
            },
            async |_, _| Ok(()),
        )
        .await
        .map(Into::into)
        .map_err(Into::into)
    }

    /// Changes a theme. Admins only.
    async fn theme_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The theme and its changes.")] input: ThemeUpdateInput,
    ) -> Result<ThemeUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Theme)?;
        update_node::<entity::theme::Entity>(ctx, id, input.version, async |tx, m| {
            admin(tx, "a theme")?;
            if let Some(v) = &input.label {
                m.label = validate::text("input.label", v, MAX_TITLE)?;
            }
            maybe_text(
                "input.description",
                input.description,
                &mut m.description,
                MAX_TEXT,
            )?;
            maybe_url("input.losUri", input.los_uri, &mut m.los_uri)?;
            if let Some(slug) = &input.slug {
                m.slug = tx.changed_slug("theme", m.id, slug).await?;
            }
            Ok(())
        })
        .await
        .map(Into::into)
        .map_err(Into::into)
    }
}
