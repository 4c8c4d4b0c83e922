//! `Guidance`: national guidance (guideline, guide, circular, white paper, programme …).

use super::fields::GuidanceFields;
use crate::graphql::relation::Filter;
use async_graphql::{ComplexObject, Context, ID, Object, Result};
use oppvekstgraf_catalog::LinkDef;
use oppvekstgraf_entity::{self as entity, guidance::Model};

use crate::{
    error::{ApiError, ApiResult},
    graphql::common::enum_condition,
    graphql::common::{key_select, linked_condition, search_conditions, with_status},
    graphql::{
        common::{connection, find_by_slug_or_id},
        enums::*,
    },
    loader::find_one,
    loader::load_node,
    sql::Sql,
};

crate::graphql::common::with_relations! {
    /// A national guidance document: a guideline (nasjonal faglig retningslinje), guide (veileder), circular (rundskriv), white paper (stortingsmelding), national programme and the like. Shared by every municipality.
    Guidance(GuidanceFields)
}

connection!(
    GuidanceConnection,
    GuidanceEdge,
    Guidance,
    Model,
    "guidance items"
);
crate::graphql::common::node_object!(Guidance);

#[ComplexObject]
impl GuidanceFields {
    /// The older guidance this one replaces (IS-2826 replaces IS-1742 "Fra bekymring til handling").
    async fn replaces(&self, ctx: &Context<'_>) -> Result<Option<Guidance>> {
        let Some(id) = self.replaces_id else {
            return Ok(None);
        };
        let found = load_node::<entity::guidance::Entity>(ctx, id).await;
        found.map(|m| m.map(Guidance::from)).map_err(Into::into)
    }
}

/// Narrows a list of guidance items. All given conditions must hold.
#[derive(async_graphql::InputObject, Default, Debug, Clone)]
pub struct GuidanceFilter {
    /// Case-insensitive substring of the title.
    pub search: Option<String>,
    /// Only guidance of these kinds.
    pub kind: Option<Vec<GuidanceKind>>,
    /// Only guidance from the publisher with this slug.
    pub publisher: Option<String>,
    /// Only guidance listed under this topic group (exact text, e.g. "Forebygging og tidlig innsats").
    pub topic_group: Option<String>,
    /// Only guidance about the theme with this slug.
    pub theme: Option<String>,
    /// Only guidance for the target group with this slug.
    pub target_group: Option<String>,
    /// Only nodes in these publication states (anonymous readers see published nodes only).
    pub status: Option<Vec<Status>>,
}

impl Filter for GuidanceFilter {
    fn conditions(&self) -> ApiResult<Vec<Sql>> {
        let mut out = search_conditions("title", &self.search)?;
        if let Some(kinds) = &self.kind {
            out.push(enum_condition::<_, entity::enums::GuidanceKind>(
                "kind", kinds,
            ));
        }
        if let Some(slug) = &self.publisher {
            let select = key_select("publisher", "slug", slug);
            out.push(linked_condition(
                const { LinkDef::get("guidance_publisher") },
                select,
            ));
        }
        if let Some(group) = &self.topic_group {
            out.push(Sql::with("t.topic_group = ?", vec![group.as_str().into()]));
        }
        if let Some(slug) = &self.theme {
            out.push(linked_condition(
                const { LinkDef::get("guidance_theme") },
                key_select("theme", "slug", slug),
            ));
        }
        if let Some(slug) = &self.target_group {
            let select = key_select("target_group", "slug", slug);
            out.push(linked_condition(
                const { LinkDef::get("guidance_target_group") },
                select,
            ));
        }
        Ok(with_status(out, &self.status))
    }
}

/// `Query.guidance`, written by hand: the type has keys of its own (the other root fields are
/// generated, see `roots.rs`).
#[derive(Default)]
pub struct GuidanceLookup;

#[Object]
impl GuidanceLookup {
    /// One guidance item by code (e.g. "IS-2826"), slug or ID. Give exactly one; null when nothing matches.
    async fn guidance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Publisher's code, e.g. \"IS-2826\".")] code: Option<String>,
        #[graphql(desc = "Slug.")] slug: Option<String>,
        #[graphql(desc = "Global ID.")] id: Option<ID>,
    ) -> Result<Option<Guidance>> {
        let found = match code {
            Some(code) if slug.is_none() && id.is_none() => {
                find_one::<entity::guidance::Entity>(
                    ctx,
                    Sql::with("t.code = ?", vec![code.trim().into()]),
                )
                .await
            }
            Some(_) => Err(ApiError::validation(
                "code",
                "give exactly one of `code`, `slug` or `id`",
            )),
            None => find_by_slug_or_id::<entity::guidance::Entity>(ctx, slug, id).await,
        };
        found.map(|m| m.map(Guidance::from)).map_err(Into::into)
    }
}
