//! Loads the seed content — the two source documents as structured TOML data files — into the database.
//!
//! Every node gets a stable UUID v5 of its natural key, so loading is idempotent (a second load changes
//! nothing), an edited file updates in place, and two installations give a node the same id. References
//! are resolved before anything is written; a link to a missing node is an error naming the file and the
//! key. Everything is written in one transaction.

mod records;
mod store;
pub mod synthetic;

use std::{collections::HashMap, fmt, path::Path};

use anyhow::{Context, bail};
use oppvekstgraf_api::{
    graphql::object::{
        law::check_lovdata_id, legal_reference::check_section, legal_reference::natural_key,
    },
    validate::check_organization_number,
};
use records::File;
use rust_embed::RustEmbed;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
pub use store::Report;
use uuid::Uuid;

#[derive(RustEmbed)]
#[folder = "data/"]
struct BuiltIn;

/// Parsed seed files, by path relative to the data folder.
pub struct Content {
    files: Vec<(String, File)>,
}

impl Content {
    /// The content built into the binary (`seed/data`).
    pub fn builtin() -> anyhow::Result<Content> {
        let mut files = Vec::new();
        for name in BuiltIn::iter().filter(|n| n.ends_with(".toml")) {
            let data =
                BuiltIn::get(&name).with_context(|| format!("seed file {name} is missing"))?;
            let text =
                std::str::from_utf8(&data.data).with_context(|| format!("{name} is not UTF-8"))?;
            files.push((name.to_string(), parse(&name, text)?));
        }
        Ok(Content::sorted(files))
    }

    /// The `.toml` files below `dir`.
    pub fn from_dir(dir: &Path) -> anyhow::Result<Content> {
        let mut files = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(folder) = stack.pop() {
            for entry in std::fs::read_dir(&folder)
                .with_context(|| format!("reading {}", folder.display()))?
            {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "toml") {
                    let name = path
                        .strip_prefix(dir)
                        .unwrap_or(&path)
                        .to_string_lossy()
                        .replace('\\', "/");
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("reading {name}"))?;
                    files.push((name.clone(), parse(&name, &text)?));
                }
            }
        }
        Ok(Content::sorted(files))
    }

    fn sorted(mut files: Vec<(String, File)>) -> Content {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Content { files }
    }
}

fn parse(name: &str, text: &str) -> anyhow::Result<File> {
    toml::from_str(text).with_context(|| format!("seed file {name}"))
}

/// Namespace of the seed content's UUID v5 ids.
const NAMESPACE: Uuid = Uuid::from_u128(0x6f70_7076_656b_7374_6772_6166_0000_0001);

/// The stable id of the node of `kind` with natural key `key`.
pub fn stable_id(kind: &str, key: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("{kind}:{key}").as_bytes())
}

/// Keys of every node the content defines, to resolve links before writing.
#[derive(Default)]
struct Keys {
    known: HashMap<(&'static str, String), String>,
    /// Goals by slug: a goal's id is keyed by its plan and place, and its slug is made from those.
    goals: HashMap<String, Uuid>,
}

/// The slug of a plan's goal at `position` (0-based): `<plan>-mal-<n>`.
fn goal_slug(plan: &str, position: usize) -> String {
    format!("{plan}-mal-{}", position + 1)
}

/// The stable id of a plan's goal at `position`.
fn goal_id(plan: &str, position: usize) -> Uuid {
    stable_id("goal", &format!("{plan}:{position}"))
}

/// The slug of a legal reference with natural key `key` (`LOV-2021-06-18-97|15-1|2` →
/// `lov-2021-06-18-97-15-1-2`).
fn legal_reference_slug(key: &str) -> String {
    key.to_lowercase()
        .replace(['|', ' '], "-")
        .trim_end_matches('-')
        .replace("--", "-")
}

impl Keys {
    fn define(&mut self, file: &str, kind: &'static str, key: &str) -> anyhow::Result<Uuid> {
        if let Some(other) = self.known.insert((kind, key.to_string()), file.to_string()) {
            bail!("{file}: {kind} {key:?} is defined twice (also in {other})");
        }
        Ok(stable_id(kind, key))
    }

    fn get(&self, file: &str, kind: &'static str, key: &str) -> anyhow::Result<Uuid> {
        if self.known.contains_key(&(kind, key.to_string())) {
            Ok(stable_id(kind, key))
        } else {
            bail!("{file}: link to unknown {kind} {key:?}")
        }
    }

    fn all(&self, file: &str, kind: &'static str, keys: &[String]) -> anyhow::Result<Vec<Uuid>> {
        keys.iter().map(|k| self.get(file, kind, k)).collect()
    }

    /// Goals by slug (`<plan>-mal-<n>`).
    fn goals(&self, file: &str, slugs: &[String]) -> anyhow::Result<Vec<Uuid>> {
        slugs
            .iter()
            .map(|slug| match self.goals.get(slug) {
                Some(id) => Ok(*id),
                None => bail!("{file}: link to unknown goal {slug:?}"),
            })
            .collect()
    }

    fn opt(
        &self,
        file: &str,
        kind: &'static str,
        key: &Option<String>,
    ) -> anyhow::Result<Option<Uuid>> {
        key.as_deref().map(|k| self.get(file, kind, k)).transpose()
    }

    /// A legal reference written `"<lovdata id> § <section>[ ledd <n>]"`.
    fn legal_reference(&self, file: &str, text: &str) -> anyhow::Result<Uuid> {
        let key = parse_legal_reference(text).with_context(|| format!("{file}: {text:?}"))?;
        self.get(file, "legal_reference", &key)
    }

    fn legal_references(&self, file: &str, texts: &[String]) -> anyhow::Result<Vec<Uuid>> {
        texts
            .iter()
            .map(|t| self.legal_reference(file, t))
            .collect()
    }
}

/// `"LOV-2021-06-18-97 § 15-1 ledd 2"` → the natural key `LOV-2021-06-18-97|15-1|2`.
fn parse_legal_reference(text: &str) -> anyhow::Result<String> {
    let (law, rest) = text
        .split_once(" § ")
        .context("write a legal reference as \"<Lovdata id> § <section>\", optionally followed by \" ledd <n>\"")?;
    let (section, paragraph) = match rest.split_once(" ledd ") {
        Some((section, n)) => (
            section,
            Some(n.trim().parse::<i32>().context("ledd takes a number")?),
        ),
        None => (rest, None),
    };
    Ok(natural_key(law.trim(), section.trim(), paragraph))
}

/// True when the database holds no municipality yet (a fresh database).
pub async fn is_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM municipality",
        ))
        .await?
        .context("counting municipalities")?;
    Ok(row.try_get::<i64>("", "n")? == 0)
}

/// Validates and loads `content` in one transaction.
pub async fn load(db: &DatabaseConnection, content: &Content) -> anyhow::Result<Report> {
    let keys = collect_keys(content)?;
    store::write(db, content, &keys).await
}

fn check<T>(file: &str, result: Result<T, oppvekstgraf_api::error::ApiError>) -> anyhow::Result<T> {
    result.map_err(|e| anyhow::anyhow!("{file}: {}", e.message()))
}

fn collect_keys(content: &Content) -> anyhow::Result<Keys> {
    let mut keys = Keys::default();
    for (file, f) in &content.files {
        if let Some(records::MunicipalityKey::Records(list)) = &f.municipality {
            for m in list {
                check(
                    file,
                    oppvekstgraf_api::graphql::common::check_municipality_number(
                        "number", &m.number,
                    ),
                )?;
                if let Some(org) = &m.organization_number {
                    check(file, check_organization_number("organization_number", org))?;
                }
                keys.define(file, "municipality", &m.number)?;
            }
        }
        for r in &f.regions {
            keys.define(file, "region", &r.slug)?;
        }
        for l in &f.laws {
            check(file, check_lovdata_id("lovdata_id", &l.lovdata_id))?;
            keys.define(file, "law", &l.lovdata_id)?;
        }
        for r in &f.legal_references {
            check(file, check_section("section", &r.section))?;
            keys.define(
                file,
                "legal_reference",
                &natural_key(&r.law, &r.section, r.paragraph),
            )?;
        }
        for p in &f.publishers {
            if let Some(org) = &p.organization_number {
                check(file, check_organization_number("organization_number", org))?;
            }
            keys.define(file, "publisher", &p.slug)?;
        }
        for g in &f.guidance {
            keys.define(file, "guidance", &g.slug)?;
        }
        for c in &f.concepts {
            keys.define(file, "concept", &c.slug)?;
        }
        for t in &f.themes {
            keys.define(file, "theme", &t.slug)?;
        }
        for t in &f.target_groups {
            keys.define(file, "target_group", &t.slug)?;
        }
        for u in &f.units {
            keys.define(file, "unit", &u.slug)?;
        }
        for p in &f.plans {
            keys.define(file, "plan", &p.slug)?;
            for position in 0..p.goal.len() {
                let slug = goal_slug(&p.slug, position);
                if keys
                    .goals
                    .insert(slug.clone(), goal_id(&p.slug, position))
                    .is_some()
                {
                    bail!("{file}: goal {slug:?} is defined twice");
                }
            }
        }
        for m in &f.measures {
            keys.define(file, "measure", &m.slug)?;
        }
    }
    Ok(keys)
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} nodes inserted, {} updated, {} unchanged; {} link sets written",
            self.inserted, self.updated, self.unchanged, self.links_written
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_reference_keys() {
        assert_eq!(
            parse_legal_reference("LOV-2021-06-18-97 § 15-1 ledd 2").ok(),
            Some("LOV-2021-06-18-97|15-1|2".into())
        );
        assert_eq!(
            parse_legal_reference("LOV-1814-05-17 § 104").ok(),
            Some("LOV-1814-05-17|104|".into())
        );
        assert!(parse_legal_reference("barnevernsloven 15-1").is_err());
    }

    #[test]
    fn builtin_content_resolves() {
        let content = Content::builtin().expect("seed files parse");
        assert!(content.files.len() >= 8);
        collect_keys(&content).expect("keys are unique and valid");
    }
}
