//! The link tables of an export document, driven by the catalog: every link table of a section is written
//! under its name, each row under the table's own column names (`{"measure_id": …, "position": 0,
//! "theme_id": …}`, with `role` where the table has one), and read back checking exactly those columns and,
//! for a role, one of its declared values.

use std::{collections::BTreeMap, fmt, marker::PhantomData};

use oppvekstgraf_catalog::{LINKS, LinkDef, Section};
use serde::{
    Deserialize, Deserializer, Serialize, Serializer,
    de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor},
    ser::{SerializeMap, SerializeSeq},
};
use uuid::Uuid;

/// One edge of a link table: its two ends, its position among the left node's links, and its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    pub left: Uuid,
    pub right: Uuid,
    pub position: i32,
    pub role: Option<String>,
}

/// Which section a set of link tables belongs to.
pub trait LinkSection: fmt::Debug + Clone + PartialEq + Send + Sync + 'static {
    const SECTION: Section;
}

/// The shared section.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedSection;

impl LinkSection for SharedSection {
    const SECTION: Section = Section::Shared;
}

/// The owned section.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnedSection;

impl LinkSection for OwnedSection {
    const SECTION: Section = Section::Owned;
}

/// The rows of every link table of section `S`, by table.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkTables<S> {
    tables: BTreeMap<&'static str, Vec<LinkRow>>,
    _section: PhantomData<S>,
}

impl<S: LinkSection> Default for LinkTables<S> {
    fn default() -> Self {
        LinkTables {
            tables: Self::defs().map(|def| (def.table, Vec::new())).collect(),
            _section: PhantomData,
        }
    }
}

impl<S: LinkSection> LinkTables<S> {
    /// The catalog's link tables of this section, in catalog order.
    pub fn defs() -> impl Iterator<Item = &'static LinkDef> {
        LINKS.iter().filter(|def| def.section == S::SECTION)
    }

    /// The rows of `def`'s table.
    pub fn rows(&self, def: &LinkDef) -> &[LinkRow] {
        self.tables.get(def.table).map_or(&[], Vec::as_slice)
    }

    /// The rows of `def`'s table, to change.
    pub fn rows_mut(&mut self, def: &'static LinkDef) -> &mut Vec<LinkRow> {
        self.tables.entry(def.table).or_default()
    }

    /// Every table of the section with its rows, in catalog order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static LinkDef, &[LinkRow])> {
        Self::defs().map(|def| (def, self.rows(def)))
    }
}

/// A row serialised under its table's column names.
struct RowOf<'a>(&'a LinkDef, &'a LinkRow);

impl Serialize for RowOf<'_> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        let RowOf(def, row) = self;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(def.left.column, &row.left)?;
        map.serialize_entry(def.right.column, &row.right)?;
        map.serialize_entry("position", &row.position)?;
        if let Some(role) = &row.role {
            map.serialize_entry("role", role)?;
        }
        map.end()
    }
}

/// The rows of one table serialised as a list.
struct RowsOf<'a>(&'a LinkDef, &'a [LinkRow]);

impl Serialize for RowsOf<'_> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        let mut seq = serializer.serialize_seq(Some(self.1.len()))?;
        for row in self.1 {
            seq.serialize_element(&RowOf(self.0, row))?;
        }
        seq.end()
    }
}

impl<S: LinkSection> Serialize for LinkTables<S> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (def, rows) in self.iter() {
            map.serialize_entry(def.table, &RowsOf(def, rows))?;
        }
        map.end()
    }
}

impl<'de, S: LinkSection> Deserialize<'de> for LinkTables<S> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TablesVisitor::<S>(PhantomData))
    }
}

struct TablesVisitor<S>(PhantomData<S>);

impl<'de, S: LinkSection> Visitor<'de> for TablesVisitor<S> {
    type Value = LinkTables<S>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "the tables of the {} section", S::SECTION.key())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut tables = LinkTables::<S>::default();
        while let Some(key) = map.next_key::<String>()? {
            let Some(def) = LinkTables::<S>::defs().find(|def| def.table == key) else {
                return Err(de::Error::custom(format!(
                    "unknown table `{key}` in the {} section",
                    S::SECTION.key()
                )));
            };
            *tables.rows_mut(def) = map.next_value_seed(RowsSeed(def))?;
        }
        Ok(tables)
    }
}

/// Reads the rows of `def`'s table.
struct RowsSeed(&'static LinkDef);

impl<'de> DeserializeSeed<'de> for RowsSeed {
    type Value = Vec<LinkRow>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowsSeed {
    type Value = Vec<LinkRow>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of {} rows", self.0.table)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::new();
        while let Some(row) = seq.next_element_seed(RowSeed(self.0))? {
            rows.push(row);
        }
        Ok(rows)
    }
}

/// Reads one row of `def`'s table.
struct RowSeed(&'static LinkDef);

impl<'de> DeserializeSeed<'de> for RowSeed {
    type Value = LinkRow;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowSeed {
    type Value = LinkRow;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "a row of {} ({})",
            self.0.table,
            self.0.columns().join(", ")
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let def = self.0;
        let (mut left, mut right, mut position, mut role) = (None, None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                k if k == def.left.column => left = Some(map.next_value::<Uuid>()?),
                k if k == def.right.column => right = Some(map.next_value::<Uuid>()?),
                "position" => position = Some(map.next_value::<i32>()?),
                "role" if def.has_role() => {
                    let value = map.next_value::<String>()?;
                    if !def.roles.contains(&value.as_str()) {
                        return Err(de::Error::custom(format!(
                            "unknown role {value:?}: give one of {}",
                            def.roles.join(", ")
                        )));
                    }
                    role = Some(value);
                }
                other => {
                    return Err(de::Error::custom(format!(
                        "unknown field `{other}`: a {} row has {}",
                        def.table,
                        def.columns().join(", ")
                    )));
                }
            }
        }
        let missing = |column: &str| de::Error::custom(format!("missing field `{column}`"));
        if def.has_role() && role.is_none() {
            return Err(missing("role"));
        }
        Ok(LinkRow {
            left: left.ok_or_else(|| missing(def.left.column))?,
            right: right.ok_or_else(|| missing(def.right.column))?,
            position: position.ok_or_else(|| missing("position"))?,
            role,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_roles_are_the_entity_roles() {
        use oppvekstgraf_entity::enums::{MembershipRole, ResponsibilityRole};
        use sea_orm::{ActiveEnum, Iterable};
        let values = |v: Vec<String>| v;
        assert_eq!(
            LinkDef::get("measure_unit").roles,
            values(ResponsibilityRole::iter().map(|r| r.to_value()).collect())
        );
        assert_eq!(
            LinkDef::get("unit_member").roles,
            values(MembershipRole::iter().map(|r| r.to_value()).collect())
        );
    }

    #[test]
    fn rows_read_back_under_their_column_names_only() {
        let text = r#"{"measure_unit": [{"measure_id": "131af80f-cdbf-5966-bc95-cc5bd3c515ba",
            "position": 1, "role": "lead", "unit_id": "db4ed13f-8756-5f14-8b7c-1ee86800d371"}]}"#;
        let tables: LinkTables<OwnedSection> = serde_json::from_str(text).expect("reads");
        let rows = tables.rows(LinkDef::get("measure_unit"));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].role.as_deref(), Some("lead"));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(
                &serde_json::to_string(&tables).expect("writes")
            )
            .expect("json")["measure_unit"],
            serde_json::from_str::<serde_json::Value>(text).expect("json")["measure_unit"]
        );
        let error = |text: &str| {
            serde_json::from_str::<LinkTables<OwnedSection>>(text)
                .expect_err("refused")
                .to_string()
        };
        assert!(error(&text.replace("lead", "boss")).contains("lead, participant"));
        assert!(error(&text.replace("unit_id", "theme_id")).contains("theme_id"));
        assert!(error(r#"{"region_member": []}"#).contains("unknown table"));
    }
}
