//! A deterministic synthetic content graph at national scale, for benchmarks: municipalities with units,
//! plans (with goals) and measures, linked to the built-in shared laws, legal references, guidance, themes
//! and target groups.
//!
//! The rows are a pure function of [`Params`] and the built-in seed content (a ChaCha8 stream seeded with
//! `rng_seed`), ids are UUID v5 of the natural keys the seed loader uses, every node is published, version
//! 1, stamped 2026-01-01T00:00:00Z. Synthetic municipalities are numbered from 6001 (county codes 60–99,
//! which no real county uses), so they never clash with real ones.
//!
//! A second run with the same parameters finds its data present and writes nothing; a run with other
//! parameters over existing synthetic data is refused (use a fresh database).

mod rows;
mod words;
mod write;

use std::{collections::HashSet, fmt, time::Instant};

use anyhow::{Context, bail};
use oppvekstgraf_api::sql::Sql;
use sea_orm::{ConnectionTrait, DatabaseConnection, Value};
use uuid::Uuid;

pub use rows::{measure_slug, municipality_number, plan_slug, unit_slug};
pub use write::stamp;

use crate::{Content, Report};

/// Most synthetic municipalities (county codes 60–99, 25 municipalities each).
pub const MAX_MUNICIPALITIES: usize = (100 - rows::FIRST_COUNTY) * rows::PER_COUNTY;

/// The shape of the synthetic graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// Synthetic municipalities, added to the seed content's own (1–1000).
    pub municipalities: usize,
    /// Plans of each municipality (0–200).
    pub plans_per_municipality: usize,
    /// Measures of each plan (0–1000).
    pub measures_per_plan: usize,
    /// Units of each municipality (3–500): a measure links to 2–3 distinct units.
    pub units_per_municipality: usize,
    /// Seed of the random stream; the same parameters give the same rows.
    pub rng_seed: u64,
}

impl Default for Params {
    /// National scale: 357 municipalities × 20 plans × 25 measures (178,500 measures), 30 units each.
    fn default() -> Self {
        Params {
            municipalities: 357,
            plans_per_municipality: 20,
            measures_per_plan: 25,
            units_per_municipality: 30,
            rng_seed: 1,
        }
    }
}

impl Params {
    fn check(&self) -> anyhow::Result<()> {
        let ranges = [
            (
                "--municipalities",
                self.municipalities,
                1,
                MAX_MUNICIPALITIES,
            ),
            (
                "--plans-per-municipality",
                self.plans_per_municipality,
                0,
                200,
            ),
            ("--measures-per-plan", self.measures_per_plan, 0, 1000),
            (
                "--units-per-municipality",
                self.units_per_municipality,
                3,
                500,
            ),
        ];
        for (flag, value, min, max) in ranges {
            if !(min..=max).contains(&value) {
                bail!("{flag} takes {min} to {max}, not {value}");
            }
        }
        Ok(())
    }
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The synthetic rows were written.
    Written,
    /// Synthetic data of these parameters was there already; nothing was written.
    AlreadyPresent,
}

/// A run's summary: what it did, the rows per table and the time taken.
#[derive(Debug, Clone)]
pub struct Summary {
    pub params: Params,
    pub outcome: Outcome,
    /// The seed content load that ran first (an empty database), if any.
    pub seed: Option<Report>,
    /// Rows written and seconds taken per table, in the order written (empty when nothing was written).
    pub rows: Vec<(&'static str, usize, f64)>,
    /// Seconds building the rows in memory.
    pub build_secs: f64,
    /// Seconds writing them (the one transaction).
    pub write_secs: f64,
    /// Of which seconds creating indexes and constraints again and analysing the tables (PostgreSQL).
    pub restore_secs: f64,
    /// Seconds of the whole run, the seed content load included.
    pub total_secs: f64,
}

impl Summary {
    /// Rows written to `table`.
    pub fn count(&self, table: &str) -> usize {
        self.rows
            .iter()
            .find(|(t, ..)| *t == table)
            .map_or(0, |(_, n, _)| *n)
    }

    /// Rows written to all tables.
    pub fn total(&self) -> usize {
        self.rows.iter().map(|(_, n, _)| n).sum()
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.params;
        writeln!(
            f,
            "synthetic content: {} municipalities × {} plans × {} measures, {} units each (rng seed {})",
            p.municipalities,
            p.plans_per_municipality,
            p.measures_per_plan,
            p.units_per_municipality,
            p.rng_seed
        )?;
        if let Some(seed) = &self.seed {
            writeln!(f, "empty database: built-in seed content loaded ({seed})")?;
        }
        if self.outcome == Outcome::AlreadyPresent {
            writeln!(
                f,
                "already present with these settings: nothing written ({:.1} s)",
                self.total_secs
            )?;
            return Ok(());
        }
        for (table, n, secs) in &self.rows {
            writeln!(f, "  {table:<26}{n:>10} rows {secs:>7.1} s")?;
        }
        writeln!(
            f,
            "  {:<26}{:>10} rows in {:.1} s (built in {:.1} s, written in {:.1} s of which {:.1} s \
             creating indexes, constraints and statistics)",
            "total",
            self.total(),
            self.total_secs,
            self.build_secs,
            self.write_secs,
            self.restore_secs
        )
    }
}

/// Loads the built-in seed content into an empty database, then writes the synthetic graph of `params`
/// in one transaction. The database must be migrated.
pub async fn run(db: &DatabaseConnection, params: &Params) -> anyhow::Result<Summary> {
    params.check()?;
    let started = Instant::now();
    let content = Content::builtin()?;
    let seed = if crate::is_empty(db).await? {
        Some(crate::load(db, &content).await?)
    } else {
        None
    };
    let building = Instant::now();
    let shared = rows::Shared::of(&content)?;
    let data = rows::build(params, &shared);
    let build_secs = building.elapsed().as_secs_f64();
    let mut summary = Summary {
        params: params.clone(),
        outcome: Outcome::AlreadyPresent,
        seed,
        rows: Vec::new(),
        build_secs,
        write_secs: 0.0,
        restore_secs: 0.0,
        total_secs: 0.0,
    };
    if present(db, &data).await? {
        summary.total_secs = started.elapsed().as_secs_f64();
        return Ok(summary);
    }
    shared_nodes_exist(db, &shared).await?;
    let skip = existing(
        db,
        "legal_reference",
        &data
            .legal_references
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
    )
    .await?;
    let writing = Instant::now();
    (summary.rows, summary.restore_secs) = write::all(db, &data, &skip).await?;
    summary.write_secs = writing.elapsed().as_secs_f64();
    summary.outcome = Outcome::Written;
    summary.total_secs = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// The ids of the synthetic municipalities, as a sub-select.
const SYNTHETIC: &str = "SELECT id FROM municipality WHERE number >= '6000'";

async fn count(db: &DatabaseConnection, sql: Sql) -> anyhow::Result<usize> {
    let row = db
        .query_one_raw(sql.build(db.get_database_backend()))
        .await?
        .context("a count returns a row")?;
    Ok(row.try_get::<i64>("", "n")? as usize)
}

/// True when the synthetic data of `data` is there already; an error when other synthetic data is.
async fn present(db: &DatabaseConnection, data: &rows::Dataset) -> anyhow::Result<bool> {
    let backend = db.get_database_backend();
    let found = db
        .query_all_raw(
            Sql::raw(
                "SELECT number, name FROM municipality WHERE number >= '6000' ORDER BY number",
            )
            .build(backend),
        )
        .await?;
    if found.is_empty() {
        return Ok(false);
    }
    let mut names = Vec::with_capacity(found.len());
    for row in &found {
        names.push((
            row.try_get::<String>("", "number")?,
            row.try_get::<String>("", "name")?,
        ));
    }
    let expected: Vec<(String, String)> = data
        .municipalities
        .iter()
        .map(|m| (m.number.clone(), m.name.clone()))
        .collect();
    let mut same = names == expected;
    let checks: [(&str, usize); 4] = [
        (
            "SELECT COUNT(*) AS n FROM unit WHERE municipality_id IN",
            data.units.len(),
        ),
        (
            "SELECT COUNT(*) AS n FROM plan_owner WHERE municipality_id IN",
            data.plans.len(),
        ),
        (
            "SELECT COUNT(*) AS n FROM measure WHERE municipality_id IN",
            data.measures.len(),
        ),
        (
            "SELECT COUNT(*) AS n FROM measure_unit mu JOIN measure m ON m.id = mu.measure_id \
             WHERE m.municipality_id IN",
            data.measure_unit.len(),
        ),
    ];
    for (select, expected) in checks {
        if same {
            same = count(db, Sql::raw(format!("{select} ({SYNTHETIC})"))).await? == expected;
        }
    }
    // Titles come from the random stream: a different rng seed gives different ones.
    for m in [data.measures.first(), data.measures.last()]
        .into_iter()
        .flatten()
    {
        if same {
            let sql = Sql::with(
                "SELECT COUNT(*) AS n FROM measure WHERE id = ? AND title = ?",
                vec![m.id.into(), m.title.as_str().into()],
            );
            same = count(db, sql).await? == 1;
        }
    }
    if same {
        return Ok(true);
    }
    let first = names.first().map(|(n, _)| n.as_str()).unwrap_or_default();
    let last = names.last().map(|(n, _)| n.as_str()).unwrap_or_default();
    bail!(
        "the database holds synthetic data of other settings ({} municipalities numbered {first}–{last}); \
         run the synthetic load on a fresh database",
        names.len()
    )
}

/// Which of `ids` are rows of `table`.
async fn existing(
    db: &DatabaseConnection,
    table: &str,
    ids: &[Uuid],
) -> anyhow::Result<HashSet<Uuid>> {
    let mut found = HashSet::new();
    for chunk in ids.chunks(1000) {
        let values: Vec<Value> = chunk.iter().map(|id| (*id).into()).collect();
        let sql = Sql::with(
            format!(
                "SELECT id FROM {table} WHERE id IN ({})",
                Sql::placeholders(values.len())
            ),
            values,
        );
        for row in db
            .query_all_raw(sql.build(db.get_database_backend()))
            .await?
        {
            found.insert(row.try_get::<Uuid>("", "id")?);
        }
    }
    Ok(found)
}

/// Refuses a database that lacks the built-in shared nodes the synthetic rows link to (seeded from other
/// data files).
async fn shared_nodes_exist(db: &DatabaseConnection, shared: &rows::Shared) -> anyhow::Result<()> {
    let sets: [(&str, &[Uuid]); 5] = [
        ("theme", &shared.themes),
        ("target_group", &shared.target_groups),
        ("guidance", &shared.guidance),
        ("legal_reference", &shared.seed_legal_references),
        ("law", &shared.laws),
    ];
    for (table, ids) in sets {
        let found = existing(db, table, ids).await?.len();
        if found != ids.len() {
            bail!(
                "the database lacks {} of the {} built-in {table} rows the synthetic content links to: load the \
                 built-in seed content (`oppvekstgraf seed`) first",
                ids.len() - found,
                ids.len()
            );
        }
    }
    Ok(())
}
