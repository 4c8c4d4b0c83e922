//! `LegalReference`: a pointer to a section (and paragraph) of a law.

use crate::graphql::node_fields::{NodeFields, node_fields};
use crate::graphql::relation::Filter;
use crate::graphql::relation::{Rel, load_rel};
use async_graphql::{ComplexObject, Context, ID, Object, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, legal_reference::Model};
use uuid::Uuid;

use super::law::{check_lovdata_id, lovdata_path};
use super::*;
use crate::loader::Via;
use crate::{
    error::{ApiError, ApiResult},
    graphql::common::{search_condition, with_status},
    graphql::{
        common::{connection, find_by_slug_or_id},
        enums::*,
    },
    loader::find_one,
    loader::load_required,
    page::PageArgs,
    sql::Sql,
};

crate::graphql::common::with_relations! {
    /// A pointer to a law and a section, optionally a paragraph (ledd): "barnevernsloven § 15-1 annet ledd". Exists once per law/section/paragraph and is linked from every municipality that cites it.
    LegalReference(LegalReferenceFields)
}

/// The fields of a legal reference written by hand; its relation fields are generated from the catalog
/// (`relations.rs`).
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct LegalReferenceFields {
    #[graphql(flatten)]
    pub node: NodeFields,
    /// Section, e.g. "15-1", "104" or "7-2 a".
    pub section: String,
    /// Paragraph (ledd) number, when the reference points to one.
    pub paragraph: Option<i32>,
    /// Heading of the section, e.g. "Kommunens plan for forebyggende arbeid".
    pub heading: Option<String>,
    /// Editorial note.
    pub note: Option<String>,
    #[graphql(skip)]
    pub law_id: Uuid,
}

impl From<Model> for LegalReferenceFields {
    fn from(m: Model) -> Self {
        LegalReferenceFields {
            node: node_fields!(LegalReference, m),
            section: m.section,
            paragraph: m.paragraph,
            heading: m.heading,
            note: m.note,
            law_id: m.law_id,
        }
    }
}

connection!(
    LegalReferenceConnection,
    LegalReferenceEdge,
    LegalReference,
    Model,
    "legal references"
);
crate::graphql::common::node_object!(LegalReference);
/// Links of `$table` (`$own` → legal reference) seen from a reference: a reference to a whole section (no
/// paragraph) also collects the links to its paragraphs, once per target.
macro_rules! cited_by {
    ($table:literal, $own:literal) => {
        Rel {
            via: Via::Link {
                table: concat!(
                    "(SELECT DISTINCT s.id AS parent_id, c.",
                    $own,
                    " AS target_id FROM ",
                    $table,
                    " c ",
                    "JOIN legal_reference r ON r.id = c.legal_reference_id ",
                    "JOIN legal_reference s ON s.law_id = r.law_id AND s.section = r.section ",
                    "AND (s.id = r.id OR s.paragraph IS NULL))"
                ),
                parent: "parent_id",
                target: "target_id",
                role: false,
            },
            default_order: None,
        }
    };
}
const MEASURES: Rel = cited_by!("measure_legal_reference", "measure_id");
const PLANS: Rel = cited_by!("plan_legal_reference", "plan_id");

#[ComplexObject]
impl LegalReferenceFields {
    /// How people cite it, e.g. "barnevernsloven § 15-1 annet ledd".
    async fn citation(&self, ctx: &Context<'_>) -> Result<String> {
        let law = load_required::<entity::law::Entity>(ctx, self.law_id).await?;
        Ok(match self.paragraph {
            Some(p) => format!("{} § {} {}", law.short_title, self.section, ordinal(p)),
            None => format!("{} § {}", law.short_title, self.section),
        })
    }

    /// The section at Lovdata, e.g. "https://lovdata.no/lov/2021-06-18-97/§15-1".
    async fn url(&self, ctx: &Context<'_>) -> Result<String> {
        let law = load_required::<entity::law::Entity>(ctx, self.law_id).await?;
        let (kind, path) = lovdata_path(&law.lovdata_id);
        Ok(format!(
            "https://lovdata.no/{kind}/{path}/§{}",
            self.section.replace(' ', "")
        ))
    }

    /// The law the section belongs to.
    async fn law(&self, ctx: &Context<'_>) -> Result<Law> {
        let found = load_required::<entity::law::Entity>(ctx, self.law_id).await;
        found.map(Law::from).map_err(Into::into)
    }

    /// Measures that cite this reference, from every municipality. For a whole section this includes measures
    /// that cite one of its paragraphs.
    async fn measures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n edges (0-100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Returns the edges after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n edges (0-100).")] last: Option<i32>,
        #[graphql(desc = "Returns the edges before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrows the list.")] filter: Option<MeasureFilter>,
        #[graphql(desc = "Sort order (default: the relation's own order).")] order_by: Option<
            Order,
        >,
    ) -> Result<MeasureConnection> {
        let args = PageArgs::new(first, after, last, before);
        let page = load_rel::<entity::measure::Entity>(
            ctx,
            &MEASURES,
            self.node.uuid,
            args,
            &filter,
            order_by,
        )
        .await;
        page.and_then(MeasureConnection::from_page)
            .map_err(Into::into)
    }

    /// Plans that cite this reference, from every municipality. For a whole section this includes plans that
    /// cite one of its paragraphs.
    async fn plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n edges (0-100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Returns the edges after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n edges (0-100).")] last: Option<i32>,
        #[graphql(desc = "Returns the edges before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrows the list.")] filter: Option<PlanFilter>,
        #[graphql(desc = "Sort order (default: the relation's own order).")] order_by: Option<
            Order,
        >,
    ) -> Result<PlanConnection> {
        let args = PageArgs::new(first, after, last, before);
        let page =
            load_rel::<entity::plan::Entity>(ctx, &PLANS, self.node.uuid, args, &filter, order_by)
                .await;
        page.and_then(PlanConnection::from_page).map_err(Into::into)
    }
}

/// Checks section syntax: "15-1", "104", "7-2 a".
pub fn check_section(field: &str, section: &str) -> ApiResult<()> {
    let (number, letter) = match section.rsplit_once(' ') {
        Some((number, letter)) => (number, Some(letter)),
        None => (section, None),
    };
    let number_ok = !number.is_empty()
        && number.split('-').count() <= 2
        && number
            .split('-')
            .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()));
    let letter_ok =
        letter.is_none_or(|l| l.len() == 1 && l.chars().all(|c| c.is_ascii_lowercase()));
    if number_ok && letter_ok {
        Ok(())
    } else {
        Err(ApiError::validation(
            field,
            format!(
                "{section:?} is not a section: write it as in the law, e.g. \"15-1\", \"104\" or \"7-2 a\""
            ),
        ))
    }
}

/// The natural key that makes a legal reference unique: `<lovdata id>|<section>|<paragraph or empty>`.
pub fn natural_key(lovdata_id: &str, section: &str, paragraph: Option<i32>) -> String {
    format!(
        "{lovdata_id}|{section}|{}",
        paragraph.map(|p| p.to_string()).unwrap_or_default()
    )
}

/// A sub-select of the ids of legal references to sections of the law with this Lovdata id.
pub fn legal_reference_select(field: &str, lovdata_id: &str) -> ApiResult<Sql> {
    check_lovdata_id(field, lovdata_id)?;
    Ok(Sql::with(
        "SELECT lr.id FROM legal_reference lr JOIN law lw ON lw.id = lr.law_id WHERE lw.lovdata_id = ?",
        vec![lovdata_id.into()],
    ))
}

/// A paragraph number as Norwegian legal citations write it: 2 → "annet ledd".
pub(crate) fn ordinal(paragraph: i32) -> String {
    const WORDS: [&str; 10] = [
        "første", "annet", "tredje", "fjerde", "femte", "sjette", "sjuende", "åttende", "niende",
        "tiende",
    ];
    match usize::try_from(paragraph)
        .ok()
        .and_then(|p| WORDS.get(p.wrapping_sub(1)))
    {
        Some(word) => format!("{word} ledd"),
        None => format!("{paragraph}. ledd"),
    }
}

/// Narrows a list of legal references.
#[derive(async_graphql::InputObject, Default, Debug, Clone)]
pub struct LegalReferenceFilter {
    /// Only sections of the law with this Lovdata id.
    pub law: Option<String>,
    /// Case-insensitive substring of the heading.
    pub search: Option<String>,
    /// Only nodes in these publication states (anonymous readers see published nodes only).
    pub status: Option<Vec<Status>>,
}

impl Filter for LegalReferenceFilter {
    fn conditions(&self) -> ApiResult<Vec<Sql>> {
        let mut out = Vec::new();
        if let Some(law) = &self.law {
            check_lovdata_id("filter.law", law)?;
            out.push(Sql::with(
                "t.law_id IN (SELECT lw.id FROM law lw WHERE lw.lovdata_id = ?)",
                vec![law.as_str().into()],
            ));
        }
        if let Some(text) = &self.search {
            out.push(search_condition("filter.search", "heading", text)?);
        }
        Ok(with_status(out, &self.status))
    }
}

/// `Query.legalReference`, written by hand: the type has keys of its own (the other root fields are
/// generated, see `roots.rs`).
#[derive(Default)]
pub struct LegalReferenceLookup;

#[Object]
impl LegalReferenceLookup {
    /// One legal reference by Lovdata id and section (and paragraph), or by ID; null when nothing matches.
    async fn legal_reference(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Lovdata id of the law, e.g. \"LOV-2021-06-18-97\"; give it with `section`."
        )]
        lovdata_id: Option<String>,
        #[graphql(desc = "Section, e.g. \"15-1\", \"104\" or \"7-2 a\".")] section: Option<String>,
        #[graphql(desc = "Paragraph (ledd) number; leave out for the whole section.")]
        paragraph: Option<i32>,
        #[graphql(desc = "Global ID.")] id: Option<ID>,
    ) -> Result<Option<LegalReference>> {
        let found = match (lovdata_id, section, id) {
            (Some(lovdata_id), Some(section), None) => {
                let checked = check_lovdata_id("lovdataId", &lovdata_id)
                    .and_then(|_| check_section("section", &section));
                checked?;
                let key = natural_key(&lovdata_id, section.trim(), paragraph);
                find_one::<entity::legal_reference::Entity>(
                    ctx,
                    Sql::with("t.natural_key = ?", vec![key.into()]),
                )
                .await
            }
            (None, None, Some(id)) => {
                find_by_slug_or_id::<entity::legal_reference::Entity>(ctx, None, Some(id)).await
            }
            _ => Err(ApiError::validation(
                "lovdataId",
                "give `lovdataId` and `section` (and optionally `paragraph`), or `id`",
            )),
        };
        found
            .map(|m| m.map(LegalReference::from))
            .map_err(Into::into)
    }
}
