//! Create and update for the shared national registry — laws, legal references, guidance, publishers,
//! concepts, themes, target groups — and for regions and municipalities. Admins only.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::NaiveDate;
use oppvekstgraf_entity::{self as entity, enums};
use uuid::Uuid;

use super::transaction::{Tx, create_node, maybe_text, maybe_url, node_id, update_node};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        common::check_municipality_number,
        enums::{GuidanceKind, Language, LawKind},
        object::{
            Concept, Guidance, Law, LegalReference, Municipality, Publisher, Region, TargetGroup,
            Theme,
            law::check_lovdata_id,
            legal_reference::{check_section, natural_key},
            revision::Revision,
        },
    },
    id::NodeType,
    sql::Sql,
    validate::{self, MAX_TEXT, MAX_TITLE, check_organization_number},
};

/// Only admins change the shared registry.
fn admin(tx: &Tx, what: &str) -> ApiResult<()> {
    if tx.actor.is_admin() {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "{what} is shared national content: only admins change it"
        )))
    }
}

fn org(field: &str, value: Option<&str>) -> ApiResult<Option<String>> {
    value
        .map(|v| check_organization_number(field, v.trim()).map(|_| v.trim().to_string()))
        .transpose()
}

async fn unique(
    tx: &Tx,
    table: &str,
    column: &str,
    value: &str,
    except: Option<Uuid>,
    field: &str,
) -> ApiResult<()> {
    if tx.value_taken(table, column, value, except).await? {
        return Err(ApiError::validation(
            field,
            format!("{value:?} is taken by another {table}"),
        ));
    }
    Ok(())
}

macro_rules! payloads {
    ($($Payload:ident, $field:ident, $Object:ident, $what:literal;)*) => {$(
        #[doc = concat!("Result of a mutation that ", $what, ".")]
        #[derive(SimpleObject)]
        pub struct $Payload {
            #[doc = concat!("The ", stringify!($Object), " after the change.")]
            pub $field: $Object,
            /// The revision that records the change.
            pub revision: Revision,
        }
    )*};
}

payloads!(
    LawCreatePayload, law, Law, "creates a law";
    LawUpdatePayload, law, Law, "updates a law";
    LegalReferenceCreatePayload, legal_reference, LegalReference, "creates a legal reference";
    LegalReferenceUpdatePayload, legal_reference, LegalReference, "updates a legal reference";
    GuidanceCreatePayload, guidance, Guidance, "creates a guidance item";
    GuidanceUpdatePayload, guidance, Guidance, "updates a guidance item";
    PublisherCreatePayload, publisher, Publisher, "creates a publisher";
    PublisherUpdatePayload, publisher, Publisher, "updates a publisher";
    ConceptCreatePayload, concept, Concept, "creates a concept";
    ConceptUpdatePayload, concept, Concept, "updates a concept";
    ThemeCreatePayload, theme, Theme, "creates a theme";
    ThemeUpdatePayload, theme, Theme, "updates a theme";
    TargetGroupCreatePayload, target_group, TargetGroup, "creates a target group";
    TargetGroupUpdatePayload, target_group, TargetGroup, "updates a target group";
    RegionCreatePayload, region, Region, "creates a region";
    RegionUpdatePayload, region, Region, "updates a region";
    MunicipalityCreatePayload, municipality, Municipality, "creates a municipality";
    MunicipalityUpdatePayload, municipality, Municipality, "updates a municipality";
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

/// Input of `targetGroupCreate`.
#[derive(InputObject)]
pub struct TargetGroupCreateInput {
    /// Label, e.g. "Barn og unge 0-24 år".
    pub label: String,
    /// Lowest age (0-120).
    pub min_age: Option<i32>,
    /// Highest age (0-120, not below the lowest).
    pub max_age: Option<i32>,
    /// Who the group is.
    pub description: Option<String>,
    /// Slug; made from the label when left out.
    pub slug: Option<String>,
}

/// Input of `targetGroupUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct TargetGroupUpdateInput {
    /// Global ID of the target group.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New label.
    pub label: Option<String>,
    /// New lowest age, or null.
    pub min_age: MaybeUndefined<i32>,
    /// New highest age, or null.
    pub max_age: MaybeUndefined<i32>,
    /// New description, or null.
    pub description: MaybeUndefined<String>,
    /// New slug.
    pub slug: Option<String>,
}

/// Input of `regionCreate`.
#[derive(InputObject)]
pub struct RegionCreateInput {
    /// Name, e.g. "Mosseregionen".
    pub name: String,
    /// What the region is.
    pub description: Option<String>,
    /// Slug; made from the name when left out.
    pub slug: Option<String>,
}

/// Input of `regionUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct RegionUpdateInput {
    /// Global ID of the region.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New name.
    pub name: Option<String>,
    /// New description, or null.
    pub description: MaybeUndefined<String>,
    /// New slug.
    pub slug: Option<String>,
}

/// Input of `municipalityCreate`.
#[derive(InputObject)]
pub struct MunicipalityCreateInput {
    /// Kommunenummer (4 digits, unique).
    pub number: String,
    /// Name.
    pub name: String,
    /// County (fylke).
    pub county: String,
    /// Organisation number (9 digits, mod-11 checked).
    pub organization_number: Option<String>,
    /// When the number took effect.
    pub valid_from: Option<NaiveDate>,
    /// Slug; made from the name when left out.
    pub slug: Option<String>,
}

/// Input of `municipalityUpdate`. Fields left out stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct MunicipalityUpdateInput {
    /// Global ID of the municipality.
    pub id: ID,
    /// The version you saw; a newer one gives CONFLICT.
    pub version: i32,
    /// New kommunenummer (4 digits, unique).
    pub number: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New county.
    pub county: Option<String>,
    /// New organisation number, or null.
    pub organization_number: MaybeUndefined<String>,
    /// New date the number took effect, or null.
    pub valid_from: MaybeUndefined<NaiveDate>,
    /// New slug.
    pub slug: Option<String>,
}

fn ages(min: Option<i32>, max: Option<i32>) -> ApiResult<()> {
    if let Some(v) = min {
        validate::age("input.minAge", v)?;
    }
    if let Some(v) = max {
        validate::age("input.maxAge", v)?;
    }
    if let (Some(a), Some(b)) = (min, max)
        && a > b
    {
        return Err(ApiError::validation(
            "input.maxAge",
            "the highest age is below the lowest",
        ));
    }
    Ok(())
}

async fn other(tx: &Tx, field: &str, id: &ID, node: NodeType, me: Option<Uuid>) -> ApiResult<Uuid> {
    let other = tx.visible(field, id, node).await?;
    if Some(other) == me {
        return Err(ApiError::validation(
            field,
            format!("a {} cannot point to itself", node.name()),
        ));
    }
    Ok(other)
}

macro_rules! new_node {
    ($tx:ident, $table:literal, $slug:expr, $title:expr) => {
        (
            Uuid::new_v4(),
            $tx.new_slug($table, $slug, $title).await?,
            enums::Status::Draft,
            1,
            $tx.now,
            $tx.now,
        )
    };
}

/// Create and update for the shared registry, regions and municipalities (admins).
#[derive(Default)]
pub struct RegistryMutation;

#[Object]
impl RegistryMutation {
    /// Creates a law (a draft). Admins only.
    async fn law_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new law.")] input: LawCreateInput,
    ) -> Result<LawCreatePayload> {
        let result = create_node::<entity::law::Entity>(
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
        .await;
        let (node, revision) = result?;
        Ok(LawCreatePayload {
            law: node.into(),
            revision: revision.into(),
        })
    }

    /// Changes a law. Admins only.
    async fn law_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The law and its changes.")] input: LawUpdateInput,
    ) -> Result<LawUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Law)?;
        let result = update_node::<entity::law::Entity>(ctx, id, input.version, async |tx, m| {
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
        .await;
        let (node, revision) = result?;
        Ok(LawUpdatePayload {
            law: node.into(),
            revision: revision.into(),
        })
    }

    /// Creates a legal reference (a draft) to a section of a law. Admins only.
    async fn legal_reference_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new legal reference.")] input: LegalReferenceCreateInput,
    ) -> Result<LegalReferenceCreatePayload> {
        let result = create_node::<entity::legal_reference::Entity>(
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
        .await;
        let (node, revision) = result?;
        Ok(LegalReferenceCreatePayload {
            legal_reference: node.into(),
            revision: revision.into(),
        })
    }

    /// Changes a legal reference's heading or note. Admins only.
    async fn legal_reference_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The legal reference and its changes.")] input: LegalReferenceUpdateInput,
    ) -> Result<LegalReferenceUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::LegalReference)?;
        let result = update_node::<entity::legal_reference::Entity>(
            ctx,
            id,
            input.version,
            async |tx, m| {
                admin(tx, "a legal reference")?;
                maybe_text("input.heading", input.heading, &mut m.heading, MAX_TITLE)?;
                maybe_text("input.note", input.note, &mut m.note, MAX_TEXT)?;
                Ok(())
            },
        )
        .await;
        let (node, revision) = result?;
        Ok(LegalReferenceUpdatePayload {
            legal_reference: node.into(),
            revision: revision.into(),
        })
    }

    /// Creates a guidance item (a draft). Admins only.
    async fn guidance_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new guidance item.")] input: GuidanceCreateInput,
    ) -> Result<GuidanceCreatePayload> {
        let result = create_node::<entity::guidance::Entity>(
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
        .await;
        let (node, revision) = result?;
        Ok(GuidanceCreatePayload {
            guidance: node.into(),
            revision: revision.into(),
        })
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
        let (node, revision) = result?;
        Ok(GuidanceUpdatePayload {
            guidance: node.into(),
            revision: revision.into(),
        })
    }

    /// Creates a publisher (a draft). Admins only.
    async fn publisher_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new publisher.")] input: PublisherCreateInput,
    ) -> Result<PublisherCreatePayload> {
        let result = create_node::<entity::publisher::Entity>(
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
        .await;
        let (node, revision) = result?;
        Ok(PublisherCreatePayload {
            publisher: node.into(),
            revision: revision.into(),
        })
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
        let (node, revision) = result?;
        Ok(PublisherUpdatePayload {
            publisher: node.into(),
            revision: revision.into(),
        })
    }

    /// Creates a concept (a draft). Admins only.
    async fn concept_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new concept.")] input: ConceptCreateInput,
    ) -> Result<ConceptCreatePayload> {
        let result = create_node::<entity::concept::Entity>(
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
        .await;
        let (node, revision) = result?;
        Ok(ConceptCreatePayload {
            concept: node.into(),
            revision: revision.into(),
        })
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
        let (node, revision) = result?;
        Ok(ConceptUpdatePayload {
            concept: node.into(),
            revision: revision.into(),
        })
    }

    /// Creates a theme (a draft). Admins only.
    async fn theme_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new theme.")] input: ThemeCreateInput,
    ) -> Result<ThemeCreatePayload> {
        let result = create_node::<entity::theme::Entity>(
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
        .await;
        let (node, revision) = result?;
        Ok(ThemeCreatePayload {
            theme: node.into(),
            revision: revision.into(),
        })
    }

    /// Changes a theme. Admins only.
    async fn theme_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The theme and its changes.")] input: ThemeUpdateInput,
    ) -> Result<ThemeUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Theme)?;
        let result = update_node::<entity::theme::Entity>(ctx, id, input.version, async |tx, m| {
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
        .await;
        let (node, revision) = result?;
        Ok(ThemeUpdatePayload {
            theme: node.into(),
            revision: revision.into(),
        })
    }

    /// Creates a target group (a draft). Admins only.
    async fn target_group_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new target group.")] input: TargetGroupCreateInput,
    ) -> Result<TargetGroupCreatePayload> {
        let result = create_node::<entity::target_group::Entity>(
            ctx,
            async |tx| {
                admin(tx, "a target group")?;
                let label = validate::text("input.label", &input.label, MAX_TITLE)?;
                ages(input.min_age, input.max_age)?;
                let (id, slug, status, version, created_at, updated_at) =
                    new_node!(tx, "target_group", input.slug.as_deref(), &label);
                Ok(entity::target_group::Model {
                    id,
                    slug,
                    status,
                    version,
                    created_at,
                    updated_at,
                    language: Default::default(),
                    label,
                    min_age: input.min_age,
                    max_age: input.max_age,
                    description: validate::opt_text(
                        "input.description",
                        input.description.as_deref(),
                        MAX_TEXT,
                    )?,
                })
            },
            async |_, _| Ok(()),
        )
        .await;
        let (node, revision) = result?;
        Ok(TargetGroupCreatePayload {
            target_group: node.into(),
            revision: revision.into(),
        })
    }

    /// Changes a target group. Admins only.
    async fn target_group_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The target group and its changes.")] input: TargetGroupUpdateInput,
    ) -> Result<TargetGroupUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::TargetGroup)?;
        let result =
            update_node::<entity::target_group::Entity>(ctx, id, input.version, async |tx, m| {
                admin(tx, "a target group")?;
                if let Some(v) = &input.label {
                    m.label = validate::text("input.label", v, MAX_TITLE)?;
                }
                match input.min_age {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => m.min_age = None,
                    MaybeUndefined::Value(v) => m.min_age = Some(v),
                }
                match input.max_age {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => m.max_age = None,
                    MaybeUndefined::Value(v) => m.max_age = Some(v),
                }
                ages(m.min_age, m.max_age)?;
                maybe_text(
                    "input.description",
                    input.description,
                    &mut m.description,
                    MAX_TEXT,
                )?;
                if let Some(slug) = &input.slug {
                    m.slug = tx.changed_slug("target_group", m.id, slug).await?;
                }
                Ok(())
            })
            .await;
        let (node, revision) = result?;
        Ok(TargetGroupUpdatePayload {
            target_group: node.into(),
            revision: revision.into(),
        })
    }

    /// Creates a region (a draft). Admins only.
    async fn region_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new region.")] input: RegionCreateInput,
    ) -> Result<RegionCreatePayload> {
        let result = create_node::<entity::region::Entity>(
            ctx,
            async |tx| {
                admin(tx, "a region")?;
                let name = validate::text("input.name", &input.name, MAX_TITLE)?;
                let (id, slug, status, version, created_at, updated_at) =
                    new_node!(tx, "region", input.slug.as_deref(), &name);
                Ok(entity::region::Model {
                    id,
                    slug,
                    status,
                    version,
                    created_at,
                    updated_at,
                    language: Default::default(),
                    name,
                    description: validate::opt_text(
                        "input.description",
                        input.description.as_deref(),
                        MAX_TEXT,
                    )?,
                })
            },
            async |_, _| Ok(()),
        )
        .await;
        let (node, revision) = result?;
        Ok(RegionCreatePayload {
            region: node.into(),
            revision: revision.into(),
        })
    }

    /// Changes a region. Admins only.
    async fn region_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The region and its changes.")] input: RegionUpdateInput,
    ) -> Result<RegionUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Region)?;
        let result =
            update_node::<entity::region::Entity>(ctx, id, input.version, async |tx, m| {
                admin(tx, "a region")?;
                if let Some(v) = &input.name {
                    m.name = validate::text("input.name", v, MAX_TITLE)?;
                }
                maybe_text(
                    "input.description",
                    input.description,
                    &mut m.description,
                    MAX_TEXT,
                )?;
                if let Some(slug) = &input.slug {
                    m.slug = tx.changed_slug("region", m.id, slug).await?;
                }
                Ok(())
            })
            .await;
        let (node, revision) = result?;
        Ok(RegionUpdatePayload {
            region: node.into(),
            revision: revision.into(),
        })
    }

    /// Creates a municipality (a draft). Admins only.
    async fn municipality_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new municipality.")] input: MunicipalityCreateInput,
    ) -> Result<MunicipalityCreatePayload> {
        let result = create_node::<entity::municipality::Entity>(
            ctx,
            async |tx| {
                admin(tx, "a municipality")?;
                let number = input.number.trim().to_string();
                check_municipality_number("input.number", &number)?;
                unique(tx, "municipality", "number", &number, None, "input.number").await?;
                let name = validate::text("input.name", &input.name, MAX_TITLE)?;
                let (id, slug, status, version, created_at, updated_at) =
                    new_node!(tx, "municipality", input.slug.as_deref(), &name);
                Ok(entity::municipality::Model {
                    id,
                    slug,
                    status,
                    version,
                    created_at,
                    updated_at,
                    language: Default::default(),
                    number,
                    name,
                    county: validate::text("input.county", &input.county, 100)?,
                    organization_number: org(
                        "input.organizationNumber",
                        input.organization_number.as_deref(),
                    )?,
                    valid_from: input.valid_from,
                })
            },
            async |_, _| Ok(()),
        )
        .await;
        let (node, revision) = result?;
        Ok(MunicipalityCreatePayload {
            municipality: node.into(),
            revision: revision.into(),
        })
    }

    /// Changes a municipality. Admins only.
    async fn municipality_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality and its changes.")] input: MunicipalityUpdateInput,
    ) -> Result<MunicipalityUpdatePayload> {
        let id = node_id("input.id", &input.id, NodeType::Municipality)?;
        let result =
            update_node::<entity::municipality::Entity>(ctx, id, input.version, async |tx, m| {
                admin(tx, "a municipality")?;
                if let Some(number) = &input.number {
                    check_municipality_number("input.number", number.trim())?;
                    unique(
                        tx,
                        "municipality",
                        "number",
                        number.trim(),
                        Some(m.id),
                        "input.number",
                    )
                    .await?;
                    m.number = number.trim().to_string();
                }
                if let Some(v) = &input.name {
                    m.name = validate::text("input.name", v, MAX_TITLE)?;
                }
                if let Some(v) = &input.county {
                    m.county = validate::text("input.county", v, 100)?;
                }
                match input.organization_number {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => m.organization_number = None,
                    MaybeUndefined::Value(v) => {
                        m.organization_number = org("input.organizationNumber", Some(&v))?
                    }
                }
                match input.valid_from {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => m.valid_from = None,
                    MaybeUndefined::Value(v) => m.valid_from = Some(v),
                }
                if let Some(slug) = &input.slug {
                    m.slug = tx.changed_slug("municipality", m.id, slug).await?;
                }
                Ok(())
            })
            .await;
        let (node, revision) = result?;
        Ok(MunicipalityUpdatePayload {
            municipality: node.into(),
            revision: revision.into(),
        })
    }
}

fn alt_labels(labels: Option<&[String]>) -> ApiResult<Vec<String>> {
    let labels = labels.unwrap_or_default();
    if labels.len() > 50 {
        return Err(ApiError::validation(
            "input.altLabels",
            "give at most 50 alternative terms",
        ));
    }
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| validate::text(&format!("input.altLabels[{i}]"), l, MAX_TITLE))
        .collect()
}
