//! The export document: one JSON object with a format name and version, the time of export, the source
//! municipality's number, and the rows of every table — the shared nodes the content links to, and the
//! content the municipality owns. Rows are the entities' own serde form (column names as in the database).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use oppvekstgraf_entity as entity;
use serde::{Deserialize, Serialize};

use super::{
    TransferError,
    links::{LinkTables, OwnedSection, SharedSection},
};

/// The document's format name.
pub const FORMAT: &str = "oppvekstgraf.municipality-export";

/// The format version this build writes and reads.
pub const VERSION: u32 = 1;

/// One municipality's content with the shared nodes it links to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Document {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version ([`VERSION`]).
    pub version: u32,
    /// When the export was made (the only part that differs between two exports of the same data).
    pub exported_at: DateTime<Utc>,
    /// The source municipality's kommunenummer.
    pub municipality: String,
    /// Shared nodes, matched by natural key on import and never changed when they exist there already.
    pub shared: SharedRows,
    /// The municipality's own content, upserted by id on import.
    pub owned: OwnedRows,
}

/// Shared nodes and the links between them. The municipality itself is one of them (matched by number).
/// Unknown keys are refused: a key that is no node table of the section must be one of its link tables.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SharedRows {
    /// The source municipality, its neighbours, co-owners of its plans, and municipalities of referenced
    /// units.
    pub municipality: Vec<entity::municipality::Model>,
    /// Former numbers of those municipalities.
    pub municipality_former_number: Vec<entity::municipality_former_number::Model>,
    /// Regions the source municipality is a member of.
    pub region: Vec<entity::region::Model>,
    /// Publishers of the guidance below.
    pub publisher: Vec<entity::publisher::Model>,
    /// Themes.
    pub theme: Vec<entity::theme::Model>,
    /// Target groups.
    pub target_group: Vec<entity::target_group::Model>,
    /// Laws, with the laws that replace them.
    pub law: Vec<entity::law::Model>,
    /// Legal references.
    pub legal_reference: Vec<entity::legal_reference::Model>,
    /// Guidance, with what it replaces.
    pub guidance: Vec<entity::guidance::Model>,
    /// Concepts.
    pub concept: Vec<entity::concept::Model>,
    /// National units and other municipalities' units that owned content refers to (with their parents).
    pub unit: Vec<entity::unit::Model>,
    /// Other municipalities' plans that owned content refers to (the rows only).
    pub plan: Vec<entity::plan::Model>,
    /// The neighbour edges and region memberships of the source municipality, and the links of the guidance
    /// above: every shared link table of the catalog.
    #[serde(flatten)]
    pub links: LinkTables<SharedSection>,
}

/// The municipality's own content: every status (drafts and archived content too), with the links of its
/// units, plans and measures. Unknown keys are refused, as in [`SharedRows`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OwnedRows {
    /// Units whose municipality it is.
    pub unit: Vec<entity::unit::Model>,
    /// Plans it owns (joint plans included).
    pub plan: Vec<entity::plan::Model>,
    /// Each owner's adoption of those plans.
    pub plan_adoption: Vec<entity::plan_adoption::Model>,
    /// Goals of those plans.
    pub goal: Vec<entity::goal::Model>,
    /// Measures whose municipality it is.
    pub measure: Vec<entity::measure::Model>,
    /// Other municipalities' measures and plans it lists by reference (the source may be absent).
    pub adoption: Vec<entity::adoption::Model>,
    /// Where its copies came from (the source may be absent).
    pub derivation: Vec<entity::derivation::Model>,
    /// The links of those units, plans and measures: every owned link table of the catalog.
    #[serde(flatten)]
    pub links: LinkTables<OwnedSection>,
}

impl Document {
    /// Reads a document. The format name and version are checked first, so a document of another version
    /// says so rather than failing on its shape; a malformed row is named by its path
    /// (`owned.measure[3].plan_id`).
    pub fn from_json(text: &str) -> Result<Document, TransferError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| TransferError::Format(format!("not JSON: {e}")))?;
        check_header(&value)?;
        serde_path_to_error::deserialize(value).map_err(|e| TransferError::Parse {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })
    }

    /// The document as pretty-printed JSON with a final newline. Two exports of the same data give the same
    /// text but for `exportedAt`.
    pub fn to_json(&self) -> Result<String, TransferError> {
        let mut text = serde_json::to_string_pretty(self)
            .map_err(|e| TransferError::Format(format!("cannot write the document: {e}")))?;
        text.push('\n');
        Ok(text)
    }

    /// Checks the format name and version.
    pub fn check_header(&self) -> Result<(), TransferError> {
        check_format(&self.format)?;
        check_version(u64::from(self.version))
    }

    /// Rows per table (`shared.law`, `owned.measure` …), for summaries.
    pub fn row_counts(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for (section, value) in [
            ("shared", serde_json::to_value(&self.shared)),
            ("owned", serde_json::to_value(&self.owned)),
        ] {
            if let Ok(serde_json::Value::Object(tables)) = value {
                for (table, rows) in tables {
                    let n = rows.as_array().map_or(0, Vec::len);
                    out.insert(format!("{section}.{table}"), n);
                }
            }
        }
        out
    }
}

/// Checks the format name and version of a document not yet read into its types.
fn check_header(value: &serde_json::Value) -> Result<(), TransferError> {
    let format = value
        .get("format")
        .and_then(|f| f.as_str())
        .ok_or_else(|| {
            TransferError::Format(format!(
                "the document has no `format` field (expected \"{FORMAT}\")"
            ))
        })?;
    check_format(format)?;
    let version = value
        .get("version")
        .and_then(|v| v.as_u64())
        .ok_or_else(|| {
            TransferError::Format(format!(
                "the document has no numeric `version` field (expected {VERSION})"
            ))
        })?;
    check_version(version)
}

/// The format name must be [`FORMAT`].
fn check_format(format: &str) -> Result<(), TransferError> {
    if format == FORMAT {
        Ok(())
    } else {
        Err(TransferError::Format(format!(
            "format is \"{format}\", expected \"{FORMAT}\""
        )))
    }
}

/// The version must be [`VERSION`].
fn check_version(version: u64) -> Result<(), TransferError> {
    if version == u64::from(VERSION) {
        Ok(())
    } else {
        Err(TransferError::Format(format!(
            "format version {version} is not supported: this build reads version {VERSION}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> Document {
        Document {
            format: FORMAT.into(),
            version: VERSION,
            exported_at: Utc::now(),
            municipality: "1539".into(),
            shared: SharedRows::default(),
            owned: OwnedRows::default(),
        }
    }

    #[test]
    fn every_exported_table_of_the_catalog_has_a_section() {
        use std::collections::BTreeSet;
        let value = serde_json::to_value(empty()).expect("serialises");
        let mut in_document = BTreeSet::new();
        for section in ["shared", "owned"] {
            let tables = value[section].as_object().expect("a section is an object");
            in_document.extend(tables.keys().cloned());
        }
        let declared: BTreeSet<String> = oppvekstgraf_catalog::tables()
            .filter(|table| {
                oppvekstgraf_catalog::RECORDS
                    .iter()
                    .all(|record| record.table != *table || record.exported)
            })
            .map(String::from)
            .collect();
        assert_eq!(in_document, declared);
        // A link table belongs to one section.
        for link in oppvekstgraf_catalog::LINKS {
            let sections = ["shared", "owned"]
                .iter()
                .filter(|section| value[**section].get(link.table).is_some())
                .count();
            assert_eq!(sections, 1, "{}", link.table);
        }
    }

    #[test]
    fn reads_what_it_writes() {
        let document = empty();
        let text = document.to_json().expect("writes");
        assert!(text.ends_with("}\n"));
        assert!(text.contains("\"exportedAt\""));
        assert_eq!(Document::from_json(&text).expect("reads"), document);
    }

    #[test]
    fn refuses_other_formats_and_versions_by_name() {
        let text = empty().to_json().expect("writes");
        let error = |text: &str| Document::from_json(text).expect_err("refused").to_string();
        assert!(error(&text.replace(FORMAT, "something-else")).contains("something-else"));
        assert!(error(&text.replace("\"version\": 1", "\"version\": 7")).contains("version 7"));
        assert!(error("[1, 2]").contains("format"));
        assert!(error("{").contains("not JSON"));
        let bad = text.replace("\"municipality\": \"1539\"", "\"municipality\": 1539");
        assert!(error(&bad).starts_with("municipality:"), "{}", error(&bad));
    }
}
