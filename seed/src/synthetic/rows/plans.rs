//! Builds a synthetic municipality's plans, with their goals and measures, and their links.

use chrono::NaiveDate;
use oppvekstgraf_entity::enums::{PlanKind, ResponsibilityRole};
use uuid::Uuid;

use super::{Dataset, Goal, Link, Measure, Plan, Shared, measure_slug, plan_slug, rng::Rng};
use crate::{stable_id, synthetic::words};

/// What every synthetic plan and measure may link to.
pub(super) struct Targets<'a> {
    pub(super) shared: &'a Shared,
    /// Every legal reference: the seed content's first, then the extra ones.
    pub(super) references: Vec<Uuid>,
    /// How many of `references` the seed content defines (a measure's first citation is usually one).
    pub(super) often_cited: usize,
}

impl Targets<'_> {
    /// The link targets of `shared`.
    pub(super) fn of(shared: &Shared) -> Targets<'_> {
        Targets {
            shared,
            references: shared
                .seed_legal_references
                .iter()
                .copied()
                .chain(shared.extra_legal_references.iter().map(|r| r.id))
                .collect(),
            often_cited: shared.seed_legal_references.len(),
        }
    }
}

/// The synthetic municipality whose plans are built.
pub(super) struct Owner<'a> {
    pub(super) number: &'a str,
    pub(super) name: &'a str,
    pub(super) id: Uuid,
    /// Its units' ids, in order: the council first.
    pub(super) units: &'a [Uuid],
}

/// Adds plan `j` (0-based) of `owner` with its goals, links and `measures` measures.
pub(super) fn plan(
    data: &mut Dataset,
    rng: &mut Rng,
    targets: &Targets,
    owner: &Owner,
    j: usize,
    measures: usize,
) {
    let slug = plan_slug(owner.number, j);
    let plan_id = stable_id("plan", &slug);
    let (kind, stem) = *rng.pick(&words::PLANS);
    let start = 2022 + rng.below(5) as i32;
    let end = start + *rng.pick(&[3, 3, 4, 4, 4, 6, 9]);
    let title = if kind == PlanKind::KnowledgeBase {
        format!("{stem} {start}")
    } else {
        format!("{stem} {start}–{end}")
    };
    let adopted_on = NaiveDate::from_ymd_opt(
        start - 1,
        1 + rng.below(12) as u32,
        1 + rng.below(28) as u32,
    )
    .unwrap_or_default();
    let case_number = format!("PS-{}/{:02}", 1 + rng.below(150), (start - 1) % 100);
    goals(data, rng, &slug, plan_id);
    plan_links(data, rng, targets, plan_id, owner.id);
    data.plans.push(Plan {
        id: plan_id,
        summary: format!("{stem} for {} kommune.", owner.name),
        slug,
        title,
        kind,
        period_start: start,
        period_end: end,
        adopted_on,
        adopted_by_id: owner.units[0],
        case_number,
    });
    for k in 0..measures {
        measure(data, rng, targets, owner, (j, plan_id), k);
    }
}

/// Adds two distinct goals to the plan with slug `slug` and id `plan_id`.
fn goals(data: &mut Dataset, rng: &mut Rng, slug: &str, plan_id: Uuid) {
    for (position, g) in rng.distinct(words::GOALS.len(), 2).into_iter().enumerate() {
        let (focus_area, statement) = words::GOALS[g];
        data.goals.push(Goal {
            id: stable_id("goal", &format!("{slug}:{position}")),
            slug: format!("{slug}-mal-{}", position + 1),
            plan_id,
            focus_area,
            statement,
            position: position as i32,
        });
    }
}

/// Adds the links of a plan: its owner, two legal references, and a guidance item, a theme and a target
/// group.
fn plan_links(data: &mut Dataset, rng: &mut Rng, targets: &Targets, plan_id: Uuid, owner: Uuid) {
    let shared = targets.shared;
    data.plan_owner.push(Link::plain(plan_id, owner, 0));
    let cited = rng.distinct(targets.references.len(), 2);
    for (position, r) in cited.into_iter().enumerate() {
        data.plan_legal_reference
            .push(Link::plain(plan_id, targets.references[r], position));
    }
    data.plan_guidance
        .push(Link::plain(plan_id, *rng.pick(&shared.guidance), 0));
    data.plan_theme
        .push(Link::plain(plan_id, *rng.pick(&shared.themes), 0));
    data.plan_target_group
        .push(Link::plain(plan_id, *rng.pick(&shared.target_groups), 0));
}

/// Adds measure `k` (0-based) of plan `j` (whose id is `plan_id`) of `owner`, with its links: 2-3 units,
/// 2-3 legal references, and a guidance item, a theme and a target group.
fn measure(
    data: &mut Dataset,
    rng: &mut Rng,
    targets: &Targets,
    owner: &Owner,
    (j, plan_id): (usize, Uuid),
    k: usize,
) {
    let shared = targets.shared;
    let slug = measure_slug(owner.number, j, k);
    let measure_id = stable_id("measure", &slug);
    let title = format!(
        "Tiltak {}: {} {}",
        k + 1,
        rng.pick(&words::ACTIONS),
        rng.pick(&words::OBJECTS)
    );
    data.measures.push(Measure {
        id: measure_id,
        slug,
        plan_id,
        municipality_id: owner.id,
        number: k as i32 + 1,
        position: k as i32,
        title,
        summary: words::PURPOSES[rng.below(words::PURPOSES.len())],
        frequency: *rng.pick(&words::FREQUENCIES),
    });
    measure_units(data, rng, measure_id, owner.units);
    measure_legal_references(data, rng, targets, measure_id);
    data.measure_guidance
        .push(Link::plain(measure_id, *rng.pick(&shared.guidance), 0));
    data.measure_theme
        .push(Link::plain(measure_id, *rng.pick(&shared.themes), 0));
    data.measure_target_group
        .push(Link::plain(measure_id, *rng.pick(&shared.target_groups), 0));
}

/// Adds 2-3 distinct responsible units of a measure: a lead below the heads of sector, then participants.
fn measure_units(data: &mut Dataset, rng: &mut Rng, measure_id: Uuid, units: &[Uuid]) {
    let count = 2 + rng.below(2);
    let mut picks = Vec::with_capacity(count);
    picks.push(2 + rng.below(units.len() - 2));
    while picks.len() < count {
        let u = rng.below(units.len());
        if !picks.contains(&u) {
            picks.push(u);
        }
    }
    for (position, &u) in picks.iter().enumerate() {
        let role = if position == 0 {
            ResponsibilityRole::Lead
        } else {
            ResponsibilityRole::Participant
        };
        data.measure_unit.push(Link {
            left: measure_id,
            right: units[u],
            position: position as i32,
            role: Some(role_value(role)),
        });
    }
}

/// Adds 2-3 distinct legal references a measure cites, the first one usually among those the seed
/// content cites.
fn measure_legal_references(
    data: &mut Dataset,
    rng: &mut Rng,
    targets: &Targets,
    measure_id: Uuid,
) {
    let references = &targets.references;
    let count = 2 + rng.below(2);
    let first = if targets.often_cited > 0 && rng.below(2) == 0 {
        rng.below(targets.often_cited)
    } else {
        rng.below(references.len())
    };
    let mut cited = vec![first];
    while cited.len() < count.min(references.len()) {
        let r = rng.below(references.len());
        if !cited.contains(&r) {
            cited.push(r);
        }
    }
    for (position, &r) in cited.iter().enumerate() {
        data.measure_legal_reference
            .push(Link::plain(measure_id, references[r], position));
    }
}

/// The stored value of a responsibility role.
fn role_value(role: ResponsibilityRole) -> &'static str {
    match role {
        ResponsibilityRole::Lead => "lead",
        ResponsibilityRole::Participant => "participant",
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::ActiveEnum;

    use super::*;

    #[test]
    fn roles_are_the_enum_values() {
        for role in [ResponsibilityRole::Lead, ResponsibilityRole::Participant] {
            assert_eq!(role_value(role), role.to_value());
        }
    }
}
