//! `Law`: an act or regulation, identified by its Lovdata id.

use super::fields::LawFields;
use crate::graphql::relation::Filter;
use async_graphql::{ComplexObject, Context, ID, Object, Result};
use oppvekstgraf_entity::{self as entity, law::Model};

use crate::{
    error::{ApiError, ApiResult},
    graphql::common::enum_condition,
    graphql::common::{search_conditions, with_status},
    graphql::{
        common::{connection, find_by_slug_or_id},
        enums::*,
    },
    loader::find_one,
    loader::load_node,
    sql::Sql,
};

crate::graphql::common::with_relations! {
    /// An act or regulation (lov / forskrift), identified by its Lovdata id. Shared by every municipality.
    Law(LawFields)
}

connection!(LawConnection, LawEdge, Law, Model, "laws");
crate::graphql::common::node_object!(Law);

#[ComplexObject]
impl LawFields {
    /// The consolidated text at Lovdata, e.g. "https://lovdata.no/dokument/NL/lov/2021-06-18-97".
    async fn url(&self) -> String {
        let (kind, path) = lovdata_path(&self.lovdata_id);
        let base = if kind == "lov" { "NL" } else { "SF" };
        format!("https://lovdata.no/dokument/{base}/{kind}/{path}")
    }

    /// The European Legislation Identifier, e.g. "https://lovdata.no/eli/lov/1989/06/02/27/nor"; null for acts
    /// without a serial number.
    async fn eli(&self) -> Option<String> {
        let (kind, path) = lovdata_path(&self.lovdata_id);
        let parts: Vec<&str> = path.split('-').collect();
        (parts.len() == 4).then(|| {
            format!(
                "https://lovdata.no/eli/{kind}/{}/{}/{}/{}/nor",
                parts[0], parts[1], parts[2], parts[3]
            )
        })
    }

    /// The law that replaces this one, once it is in force.
    async fn replaced_by(&self, ctx: &Context<'_>) -> Result<Option<Law>> {
        let Some(id) = self.replaced_by_id else {
            return Ok(None);
        };
        let found = load_node::<entity::law::Entity>(ctx, id).await;
        found.map(|m| m.map(Law::from)).map_err(Into::into)
    }
}

/// Checks a Lovdata id: `LOV-` or `FOR-`, a date `YYYY-MM-DD` and an optional serial number.
pub fn check_lovdata_id(field: &str, id: &str) -> ApiResult<()> {
    let valid = (id.starts_with("LOV-") || id.starts_with("FOR-")) && {
        let rest: Vec<&str> = id[4..].split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
        (rest.len() == 3
            || (rest.len() == 4
                && !rest[3].is_empty()
                && rest[3].len() <= 5
                && digits(rest[3], rest[3].len())))
            && digits(rest[0], 4)
            && digits(rest[1], 2)
            && digits(rest[2], 2)
            && chrono::NaiveDate::parse_from_str(&id[4..14.min(id.len())], "%Y-%m-%d").is_ok()
    };
    if valid {
        Ok(())
    } else {
        Err(ApiError::validation(
            field,
            format!(
                "{id:?} is not a Lovdata id: use LOV- or FOR-, a date and an optional number, e.g. \"LOV-2021-06-18-97\" or \"LOV-1967-02-10\""
            ),
        ))
    }
}

/// The Lovdata path of a law: `("lov", "2021-06-18-97")` for `LOV-2021-06-18-97`.
pub fn lovdata_path(lovdata_id: &str) -> (&'static str, &str) {
    let kind = if lovdata_id.starts_with("FOR-") {
        "forskrift"
    } else {
        "lov"
    };
    (kind, lovdata_id.get(4..).unwrap_or_default())
}

/// Narrows a list of laws.
#[derive(async_graphql::InputObject, Default, Debug, Clone)]
pub struct LawFilter {
    /// Case-insensitive substring of the short title.
    pub search: Option<String>,
    /// Only laws of these kinds.
    pub kind: Option<Vec<LawKind>>,
    /// Only laws in force (not replaced by another law) when true; only replaced laws when false.
    pub current: Option<bool>,
    /// Only nodes in these publication states (anonymous readers see published nodes only).
    pub status: Option<Vec<Status>>,
}

impl Filter for LawFilter {
    fn conditions(&self) -> ApiResult<Vec<Sql>> {
        let mut out = search_conditions("short_title", &self.search)?;
        if let Some(kinds) = &self.kind {
            out.push(enum_condition::<_, entity::enums::LawKind>("kind", kinds));
        }
        if let Some(current) = self.current {
            out.push(Sql::raw(if current {
                "t.replaced_by_id IS NULL"
            } else {
                "t.replaced_by_id IS NOT NULL"
            }));
        }
        Ok(with_status(out, &self.status))
    }
}

/// `Query.law`, written by hand: the type has keys of its own (the other root fields are
/// generated, see `roots.rs`).
#[derive(Default)]
pub struct LawLookup;

#[Object]
impl LawLookup {
    /// One law by Lovdata id, slug or ID. Give exactly one; null when nothing matches.
    async fn law(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Lovdata id, e.g. \"LOV-2021-06-18-97\".")] lovdata_id: Option<String>,
        #[graphql(desc = "Slug, e.g. \"barnevernsloven\".")] slug: Option<String>,
        #[graphql(desc = "Global ID.")] id: Option<ID>,
    ) -> Result<Option<Law>> {
        let found = match lovdata_id {
            Some(lovdata_id) if slug.is_none() && id.is_none() => {
                check_lovdata_id("lovdataId", &lovdata_id)?;
                find_one::<entity::law::Entity>(
                    ctx,
                    Sql::with("t.lovdata_id = ?", vec![lovdata_id.into()]),
                )
                .await
            }
            Some(_) => Err(ApiError::validation(
                "lovdataId",
                "give exactly one of `lovdataId`, `slug` or `id`",
            )),
            None => find_by_slug_or_id::<entity::law::Entity>(ctx, slug, id).await,
        };
        found.map(|m| m.map(Law::from)).map_err(Into::into)
    }
}
