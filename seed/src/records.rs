//! The records of the seed data files (see `seed/README.md`).

use chrono::NaiveDate;
use oppvekstgraf_entity::enums::{
    GuidanceKind, Language, LawKind, MembershipRole, PlanKind, ResponsibilityRole, Status, UnitKind,
};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub municipality: Option<MunicipalityKey>,
    #[serde(default, rename = "law")]
    pub laws: Vec<Law>,
    #[serde(default, rename = "legal_reference")]
    pub legal_references: Vec<LegalReference>,
    #[serde(default, rename = "publisher")]
    pub publishers: Vec<Publisher>,
    #[serde(default, rename = "guidance")]
    pub guidance: Vec<Guidance>,
    #[serde(default, rename = "concept")]
    pub concepts: Vec<Concept>,
    #[serde(default, rename = "theme")]
    pub themes: Vec<Theme>,
    #[serde(default, rename = "target_group")]
    pub target_groups: Vec<TargetGroup>,
    #[serde(default, rename = "region")]
    pub regions: Vec<Region>,
    #[serde(default, rename = "unit")]
    pub units: Vec<Unit>,
    #[serde(default, rename = "plan")]
    pub plans: Vec<Plan>,
    #[serde(default, rename = "measure")]
    pub measures: Vec<Measure>,
}

/// `municipality` is a list of records in `municipalities.toml` and the owner's number elsewhere.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum MunicipalityKey {
    Owner(String),
    Records(Vec<Municipality>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    pub number: String,
    pub name: String,
    pub slug: String,
    pub county: String,
    pub organization_number: Option<String>,
    pub valid_from: Option<NaiveDate>,
    #[serde(default)]
    pub neighbours: Vec<String>,
    #[serde(default)]
    pub former_number: Vec<FormerNumber>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormerNumber {
    pub number: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Law {
    pub lovdata_id: String,
    pub short_title: String,
    pub title: String,
    pub kind: LawKind,
    pub slug: String,
    pub in_force_from: Option<NaiveDate>,
    pub replaced_by: Option<String>,
    pub note: Option<String>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalReference {
    pub law: String,
    pub section: String,
    pub paragraph: Option<i32>,
    pub heading: Option<String>,
    pub note: Option<String>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub organization_number: Option<String>,
    pub url: Option<String>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guidance {
    pub slug: String,
    pub title: String,
    pub kind: GuidanceKind,
    pub code: Option<String>,
    pub isbn: Option<String>,
    pub url: Option<String>,
    pub summary: Option<String>,
    pub topic_group: Option<String>,
    pub published_year: Option<i32>,
    #[serde(default)]
    pub publishers: Vec<String>,
    pub replaces: Option<String>,
    #[serde(default)]
    pub legal_references: Vec<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub target_groups: Vec<String>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub slug: String,
    pub term: String,
    pub definition: String,
    #[serde(default)]
    pub alt_labels: Vec<String>,
    pub scope_note: Option<String>,
    pub source: Option<String>,
    pub source_guidance: Option<String>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub slug: String,
    pub label: String,
    pub description: Option<String>,
    pub los_uri: Option<String>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    pub slug: String,
    pub label: String,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    pub description: Option<String>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub unit: String,
    pub role: MembershipRole,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub slug: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub national: bool,
    #[serde(default)]
    pub members: Vec<Member>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub focus_area: String,
    pub statement: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub slug: String,
    pub title: String,
    pub kind: PlanKind,
    #[serde(default)]
    pub owners: Vec<String>,
    pub period_start: Option<i32>,
    pub period_end: Option<i32>,
    pub adopted_on: Option<NaiveDate>,
    pub adopted_by: Option<String>,
    pub case_number: Option<String>,
    pub archive_case_number: Option<String>,
    pub document_url: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub parent: Option<String>,
    #[serde(default)]
    pub legal_references: Vec<String>,
    #[serde(default)]
    pub guidance: Vec<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub target_groups: Vec<String>,
    #[serde(default)]
    pub concepts: Vec<String>,
    #[serde(default)]
    pub goal: Vec<Goal>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Responsible {
    pub unit: String,
    pub role: ResponsibilityRole,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub slug: String,
    pub title: String,
    pub plan: String,
    pub number: Option<i32>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub frequency: Option<String>,
    #[serde(default)]
    pub units: Vec<Responsible>,
    #[serde(default)]
    pub legal_references: Vec<String>,
    #[serde(default)]
    pub guidance: Vec<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub target_groups: Vec<String>,
    #[serde(default)]
    pub related_plans: Vec<String>,
    /// Slugs of the plans' goals the measure serves (`<plan>-mal-<n>`).
    #[serde(default)]
    pub goals: Vec<String>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub language: Language,
}
