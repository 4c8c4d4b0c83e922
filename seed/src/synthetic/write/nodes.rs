//! The synthetic node rows, table by table, each after the tables it references.

use std::collections::HashSet;

use oppvekstgraf_catalog::LinkDef;
use oppvekstgraf_entity::enums::{Language, Status};
use sea_orm::{ActiveEnum, Value};
use uuid::Uuid;

use super::{Inserter, stamp};
use crate::synthetic::rows::{Dataset, LegalReference};

/// A node table's columns: its own (the id first), then the catalog's node columns but the id.
fn columns(own: &[&'static str]) -> Vec<&'static str> {
    let node = oppvekstgraf_catalog::NODE_COLUMNS
        .iter()
        .copied()
        .filter(|c| *c != "id");
    own.iter().copied().chain(node).collect()
}

/// Appends the node columns' values of a published node in Bokmål, version 1, stamped [`stamp`].
fn node(slug: &str, v: &mut Vec<Value>) {
    let at = stamp();
    v.extend([
        slug.into(),
        Status::Published.to_value().into(),
        Language::Nb.to_value().into(),
        1i32.into(),
        at.into(),
        at.into(),
    ]);
}

/// Writes the node rows: the legal references not in `skip_legal_references`, municipalities, units,
/// plans (then their owners), goals and measures.
pub(super) async fn write(
    w: &mut Inserter,
    data: &Dataset,
    skip_legal_references: &HashSet<Uuid>,
) -> anyhow::Result<()> {
    legal_references(w, data, skip_legal_references).await?;
    municipalities(w, data).await?;
    units(w, data).await?;
    plans(w, data).await?;
    w.links(const { LinkDef::get("plan_owner") }, &data.plan_owner)
        .await?;
    goals(w, data).await?;
    measures(w, data).await
}

/// Writes the extra legal references but those in `skip` (written by an earlier run).
async fn legal_references(
    w: &mut Inserter,
    data: &Dataset,
    skip: &HashSet<Uuid>,
) -> anyhow::Result<()> {
    let legal_references: Vec<&LegalReference> = data
        .legal_references
        .iter()
        .filter(|r| !skip.contains(&r.id))
        .collect();
    w.insert(
        "legal_reference",
        &columns(&["id", "law_id", "section", "heading", "note", "natural_key"]),
        &legal_references,
        |r, v| {
            v.extend([
                r.id.into(),
                r.law_id.into(),
                r.section.as_str().into(),
                r.heading.as_str().into(),
                "Syntetisk henvisning (testdata for ytelsesmålinger).".into(),
                r.natural_key.as_str().into(),
            ]);
            node(&r.slug, v);
        },
    )
    .await
}

/// Writes the municipalities.
async fn municipalities(w: &mut Inserter, data: &Dataset) -> anyhow::Result<()> {
    w.insert(
        "municipality",
        &columns(&["id", "number", "name", "organization_number", "county"]),
        &data.municipalities,
        |m, v| {
            v.extend([
                m.id.into(),
                m.number.as_str().into(),
                m.name.as_str().into(),
                m.organization_number.as_str().into(),
                m.county.into(),
            ]);
            node(&m.slug, v);
        },
    )
    .await
}

/// Writes the units; parents come before their children in `units`, so each chunk's parents exist
/// already.
async fn units(w: &mut Inserter, data: &Dataset) -> anyhow::Result<()> {
    w.insert(
        "unit",
        &columns(&["id", "name", "kind", "municipality_id", "parent_id"]),
        &data.units,
        |u, v| {
            v.extend([
                u.id.into(),
                u.name.as_str().into(),
                u.kind.to_value().into(),
                u.municipality_id.into(),
                u.parent_id.into(),
            ]);
            node(&u.slug, v);
        },
    )
    .await
}

/// Writes the plans.
async fn plans(w: &mut Inserter, data: &Dataset) -> anyhow::Result<()> {
    w.insert(
        "plan",
        &columns(&[
            "id",
            "title",
            "kind",
            "period_start",
            "period_end",
            "adopted_on",
            "adopted_by_id",
            "case_number",
            "summary",
        ]),
        &data.plans,
        |p, v| {
            v.extend([
                p.id.into(),
                p.title.as_str().into(),
                p.kind.to_value().into(),
                p.period_start.into(),
                p.period_end.into(),
                p.adopted_on.into(),
                p.adopted_by_id.into(),
                p.case_number.as_str().into(),
                p.summary.as_str().into(),
            ]);
            node(&p.slug, v);
        },
    )
    .await
}

/// Writes the plans' goals.
async fn goals(w: &mut Inserter, data: &Dataset) -> anyhow::Result<()> {
    w.insert(
        "goal",
        &columns(&["id", "plan_id", "focus_area", "statement", "position"]),
        &data.goals,
        |g, v| {
            v.extend([
                g.id.into(),
                g.plan_id.into(),
                g.focus_area.into(),
                g.statement.into(),
                g.position.into(),
            ]);
            node(&g.slug, v);
        },
    )
    .await
}

/// Writes the measures.
async fn measures(w: &mut Inserter, data: &Dataset) -> anyhow::Result<()> {
    w.insert(
        "measure",
        &columns(&[
            "id",
            "plan_id",
            "municipality_id",
            "number",
            "position",
            "title",
            "summary",
            "frequency",
        ]),
        &data.measures,
        |m, v| {
            v.extend([
                m.id.into(),
                m.plan_id.into(),
                m.municipality_id.into(),
                m.number.into(),
                m.position.into(),
                m.title.as_str().into(),
                m.summary.into(),
                m.frequency.into(),
            ]);
            node(&m.slug, v);
        },
    )
    .await
}
