//! A file's plans (with their goals) and measures, and their links.

use std::collections::HashMap;

use oppvekstgraf_catalog::LinkDef;
use oppvekstgraf_entity as entity;
use uuid::Uuid;

use super::{
    links::{plain, role},
    owner::Owner,
    writer::{Writer, node_model},
};
use oppvekstgraf_api::transfer::parents_first;

use crate::{
    Keys,
    records::{File, Measure, Plan},
    stable_id,
};

/// Writes the plans of `f`, each after its parent plan.
pub(super) async fn plans(
    w: &mut Writer<'_>,
    keys: &Keys,
    owner: &Owner<'_>,
    f: &File,
) -> anyhow::Result<()> {
    for p in parents_first(
        f.plans.iter().collect(),
        |p| p.slug.as_str(),
        |p| p.parent.as_deref(),
    ) {
        plan(w, keys, owner, p).await?;
    }
    Ok(())
}

/// Upserts a plan, makes its links (its owners: the file's owner unless it lists them) those of the
/// record, and upserts its goals.
async fn plan(w: &mut Writer<'_>, keys: &Keys, owner: &Owner<'_>, p: &Plan) -> anyhow::Result<()> {
    let file = owner.file;
    let id = stable_id("plan", &p.slug);
    let model = node_model!(plan {
        id: id,
        slug: p.slug.clone(),
        record: p,
        now: w.now,
        title: p.title.clone(),
        kind: p.kind,
        period_start: p.period_start,
        period_end: p.period_end,
        adopted_on: p.adopted_on,
        adopted_by_id: keys.opt(file, "unit", &p.adopted_by)?,
        case_number: p.case_number.clone(),
        archive_case_number: p.archive_case_number.clone(),
        document_url: p.document_url.clone(),
        summary: p.summary.clone(),
        body: p.body.clone(),
        parent_id: keys.opt(file, "plan", &p.parent)?,
    });
    w.upsert::<entity::plan::Entity>(model).await?;
    let owners = if p.owners.is_empty() {
        vec![owner.get("a plan")?]
    } else {
        keys.all(file, "municipality", &p.owners)?
    };
    let links = [
        (const { LinkDef::get("plan_owner") }, owners),
        (
            const { LinkDef::get("plan_legal_reference") },
            keys.legal_references(file, &p.legal_references)?,
        ),
        (
            const { LinkDef::get("plan_guidance") },
            keys.all(file, "guidance", &p.guidance)?,
        ),
        (
            const { LinkDef::get("plan_theme") },
            keys.all(file, "theme", &p.themes)?,
        ),
        (
            const { LinkDef::get("plan_target_group") },
            keys.all(file, "target_group", &p.target_groups)?,
        ),
        (
            const { LinkDef::get("plan_concept") },
            keys.all(file, "concept", &p.concepts)?,
        ),
    ];
    for (link, targets) in links {
        w.links(link, id, plain(targets)).await?;
    }
    goals(w, id, p).await
}

/// Upserts the goals of plan `p` (whose id is `plan_id`), keyed by their place in the plan.
async fn goals(w: &mut Writer<'_>, plan_id: Uuid, p: &Plan) -> anyhow::Result<()> {
    for (position, g) in p.goal.iter().enumerate() {
        let model = node_model!(goal {
            id: crate::goal_id(&p.slug, position),
            slug: crate::goal_slug(&p.slug, position),
            record: p,
            now: w.now,
            plan_id: plan_id,
            focus_area: g.focus_area.clone(),
            statement: g.statement.clone(),
            position: position as i32,
        });
        w.upsert::<entity::goal::Entity>(model).await?;
    }
    Ok(())
}

/// Writes the measures of `f`, each positioned after the file's earlier measures of the same plan.
pub(super) async fn measures(
    w: &mut Writer<'_>,
    keys: &Keys,
    owner: &Owner<'_>,
    f: &File,
) -> anyhow::Result<()> {
    let mut positions: HashMap<&str, i32> = HashMap::new();
    for m in &f.measures {
        let position = positions.entry(m.plan.as_str()).or_insert(0);
        measure(w, keys, owner, m, *position).await?;
        *position += 1;
    }
    Ok(())
}

/// Upserts a measure of the owner at `position` in its plan, and makes its links those of the record.
async fn measure(
    w: &mut Writer<'_>,
    keys: &Keys,
    owner: &Owner<'_>,
    m: &Measure,
    position: i32,
) -> anyhow::Result<()> {
    let file = owner.file;
    let id = stable_id("measure", &m.slug);
    let model = node_model!(measure {
        id: id,
        slug: m.slug.clone(),
        record: m,
        now: w.now,
        plan_id: Some(keys.get(file, "plan", &m.plan)?),
        municipality_id: owner.get("a measure")?,
        number: m.number,
        position: position,
        title: m.title.clone(),
        summary: m.summary.clone(),
        body: m.body.clone(),
        frequency: m.frequency.clone(),
    });
    w.upsert::<entity::measure::Entity>(model).await?;
    let units = m
        .units
        .iter()
        .map(|r| Ok((keys.get(file, "unit", &r.unit)?, role(&r.role))))
        .collect::<anyhow::Result<_>>()?;
    w.links(const { LinkDef::get("measure_unit") }, id, units)
        .await?;
    let links = [
        (
            const { LinkDef::get("measure_legal_reference") },
            keys.legal_references(file, &m.legal_references)?,
        ),
        (
            const { LinkDef::get("measure_guidance") },
            keys.all(file, "guidance", &m.guidance)?,
        ),
        (
            const { LinkDef::get("measure_theme") },
            keys.all(file, "theme", &m.themes)?,
        ),
        (
            const { LinkDef::get("measure_target_group") },
            keys.all(file, "target_group", &m.target_groups)?,
        ),
        (
            const { LinkDef::get("measure_related_plan") },
            keys.all(file, "plan", &m.related_plans)?,
        ),
        (
            const { LinkDef::get("measure_goal") },
            keys.goals(file, &m.goals)?,
        ),
    ];
    for (link, targets) in links {
        w.links(link, id, plain(targets)).await?;
    }
    Ok(())
}
