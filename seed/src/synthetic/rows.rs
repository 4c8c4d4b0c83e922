//! Builds the synthetic graph in memory: a pure function of the parameters and the built-in shared content,
//! so the same arguments give the same rows on every run and on every engine.

use chrono::NaiveDate;
use oppvekstgraf_api::graphql::object::legal_reference::natural_key;
use oppvekstgraf_entity::enums::{LawKind, PlanKind, ResponsibilityRole, Status, UnitKind};
use rand_chacha::{
    ChaCha8Rng,
    rand_core::{RngCore, SeedableRng},
};
use uuid::Uuid;

use super::{Params, words};
use crate::{Content, records::MunicipalityKey, stable_id};

/// Municipalities per synthetic county; county codes run from 60, so numbers are `6001`–`6025`, `6101`–….
pub const PER_COUNTY: usize = 25;
/// The first synthetic county code (no real county uses 60–99).
pub const FIRST_COUNTY: usize = 60;

/// The kommunenummer of the `index`th synthetic municipality (0-based).
pub fn municipality_number(index: usize) -> String {
    format!(
        "{:02}{:02}",
        FIRST_COUNTY + index / PER_COUNTY,
        1 + index % PER_COUNTY
    )
}

/// Slug of plan `plan` (0-based) of municipality `number`.
pub fn plan_slug(number: &str, plan: usize) -> String {
    format!("{number}-plan-{:02}", plan + 1)
}

/// Slug of measure `measure` (0-based) of plan `plan` of municipality `number`.
pub fn measure_slug(number: &str, plan: usize, measure: usize) -> String {
    format!("{}-tiltak-{:02}", plan_slug(number, plan), measure + 1)
}

/// Slug of unit `unit` (0-based) of municipality `number`.
pub fn unit_slug(number: &str, unit: usize) -> String {
    format!("{number}-enhet-{:02}", unit + 1)
}

/// The shared (national) nodes of the built-in seed content that synthetic nodes link to.
pub struct Shared {
    pub themes: Vec<Uuid>,
    pub target_groups: Vec<Uuid>,
    pub guidance: Vec<Uuid>,
    /// The legal references the seed content defines.
    pub seed_legal_references: Vec<Uuid>,
    /// The laws the extra legal references cite.
    pub laws: Vec<Uuid>,
    /// Extra sections of the real acts, so that links spread over a realistic number of references.
    pub extra_legal_references: Vec<LegalReference>,
}

impl Shared {
    /// The published shared nodes of `content`, in file order, and the extra legal references.
    pub fn of(content: &Content) -> anyhow::Result<Shared> {
        let published = |s: &Status| *s == Status::Published;
        let mut shared = Shared {
            themes: Vec::new(),
            target_groups: Vec::new(),
            guidance: Vec::new(),
            seed_legal_references: Vec::new(),
            laws: Vec::new(),
            extra_legal_references: Vec::new(),
        };
        let mut known = std::collections::HashSet::new();
        let mut acts = Vec::new();
        for (_, f) in &content.files {
            if matches!(f.municipality, Some(MunicipalityKey::Owner(_))) {
                continue;
            }
            shared.themes.extend(
                f.themes
                    .iter()
                    .filter(|t| published(&t.status))
                    .map(|t| stable_id("theme", &t.slug)),
            );
            shared.target_groups.extend(
                f.target_groups
                    .iter()
                    .filter(|t| published(&t.status))
                    .map(|t| stable_id("target_group", &t.slug)),
            );
            shared.guidance.extend(
                f.guidance
                    .iter()
                    .filter(|g| published(&g.status))
                    .map(|g| stable_id("guidance", &g.slug)),
            );
            for r in &f.legal_references {
                let key = natural_key(&r.law, &r.section, r.paragraph);
                if published(&r.status) {
                    shared
                        .seed_legal_references
                        .push(stable_id("legal_reference", &key));
                }
                known.insert(key);
            }
            acts.extend(f.laws.iter().filter(|l| {
                l.kind == LawKind::Act && l.replaced_by.is_none() && published(&l.status)
            }));
        }
        for (n, law) in acts.iter().enumerate() {
            let law_id = stable_id("law", &law.lovdata_id);
            shared.laws.push(law_id);
            for chapter in 1..=6 {
                for section in 1..=4 {
                    let text = format!("{chapter}-{section}");
                    let key = natural_key(&law.lovdata_id, &text, None);
                    if known.contains(&key) {
                        continue;
                    }
                    let heading = words::SECTION_HEADINGS
                        [(n + chapter * 4 + section) % words::SECTION_HEADINGS.len()];
                    shared.extra_legal_references.push(LegalReference {
                        id: stable_id("legal_reference", &key),
                        slug: legal_reference_slug(&key),
                        law_id,
                        section: text,
                        heading: heading.to_string(),
                        natural_key: key,
                    });
                }
            }
        }
        anyhow::ensure!(
            !shared.themes.is_empty()
                && !shared.target_groups.is_empty()
                && !shared.guidance.is_empty()
                && shared.seed_legal_references.len() + shared.extra_legal_references.len() >= 3,
            "the built-in seed content has too few shared nodes to link synthetic measures to"
        );
        Ok(shared)
    }
}

/// The seed loader's slug of a legal reference's natural key.
fn legal_reference_slug(key: &str) -> String {
    key.to_lowercase()
        .replace(['|', ' '], "-")
        .trim_end_matches('-')
        .replace("--", "-")
}

#[derive(Debug, Clone, PartialEq)]
pub struct Municipality {
    pub id: Uuid,
    pub slug: String,
    pub number: String,
    pub name: String,
    pub organization_number: String,
    pub county: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegalReference {
    pub id: Uuid,
    pub slug: String,
    pub law_id: Uuid,
    pub section: String,
    pub heading: String,
    pub natural_key: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: UnitKind,
    pub municipality_id: Uuid,
    pub parent_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub kind: PlanKind,
    pub period_start: i32,
    pub period_end: i32,
    pub adopted_on: NaiveDate,
    pub adopted_by_id: Uuid,
    pub case_number: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub id: Uuid,
    pub slug: String,
    pub plan_id: Uuid,
    pub focus_area: &'static str,
    pub statement: &'static str,
    pub position: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub id: Uuid,
    pub slug: String,
    pub plan_id: Uuid,
    pub municipality_id: Uuid,
    pub number: i32,
    pub position: i32,
    pub title: String,
    pub summary: &'static str,
    pub frequency: Option<&'static str>,
}

/// A link row: `(left, right, position[, role])`.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub left: Uuid,
    pub right: Uuid,
    pub position: i32,
    pub role: Option<&'static str>,
}

impl Link {
    fn plain(left: Uuid, right: Uuid, position: usize) -> Link {
        Link {
            left,
            right,
            position: position as i32,
            role: None,
        }
    }
}

/// Every synthetic row, by table.
#[derive(Debug, Default, PartialEq)]
pub struct Dataset {
    pub legal_references: Vec<LegalReference>,
    pub municipalities: Vec<Municipality>,
    pub units: Vec<Unit>,
    pub plans: Vec<Plan>,
    pub goals: Vec<Goal>,
    pub measures: Vec<Measure>,
    pub plan_owner: Vec<Link>,
    pub plan_legal_reference: Vec<Link>,
    pub plan_guidance: Vec<Link>,
    pub plan_theme: Vec<Link>,
    pub plan_target_group: Vec<Link>,
    pub measure_unit: Vec<Link>,
    pub measure_legal_reference: Vec<Link>,
    pub measure_guidance: Vec<Link>,
    pub measure_theme: Vec<Link>,
    pub measure_target_group: Vec<Link>,
}

/// The seeded random source: ChaCha8 (a portable, documented stream) with unbiased-enough range reduction
/// of our own, so no distribution code of a library can change the data.
struct Rng(ChaCha8Rng);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.0.next_u64()) * n as u128) >> 64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct indices below `n`, in the order drawn.
    fn distinct(&mut self, n: usize, k: usize, out: &mut Vec<usize>) {
        out.clear();
        while out.len() < k.min(n) {
            let i = self.below(n);
            if !out.contains(&i) {
                out.push(i);
            }
        }
    }
}

/// A valid 9-digit organisation number (mod-11 check digit) for the `index`th synthetic municipality: the
/// first of ten consecutive bases whose check digit exists (remainder 1 has none).
pub fn organization_number(index: usize) -> String {
    const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];
    let base = 97_000_000 + index * 10;
    for candidate in base..base + 10 {
        let digits = format!("{candidate:08}");
        let sum: u32 = digits
            .chars()
            .filter_map(|c| c.to_digit(10))
            .zip(WEIGHTS)
            .map(|(d, w)| d * w)
            .sum();
        let check = match sum % 11 {
            0 => 0,
            1 => continue,
            r => 11 - r,
        };
        return format!("{digits}{check}");
    }
    // A step of one changes the weighted sum by 2 (or by a carry's amount): ten never all leave 1
    // (the tests check every index).
    unreachable!("no valid organisation number among ten consecutive bases")
}

/// The synthetic graph for `params`.
pub fn build(params: &Params, shared: &Shared) -> Dataset {
    let mut rng = Rng(ChaCha8Rng::seed_from_u64(params.rng_seed));
    let mut data = Dataset {
        legal_references: shared
            .extra_legal_references
            .iter()
            .map(|r| LegalReference {
                id: r.id,
                slug: r.slug.clone(),
                law_id: r.law_id,
                section: r.section.clone(),
                heading: r.heading.clone(),
                natural_key: r.natural_key.clone(),
            })
            .collect(),
        ..Dataset::default()
    };
    let references: Vec<Uuid> = shared
        .seed_legal_references
        .iter()
        .copied()
        .chain(shared.extra_legal_references.iter().map(|r| r.id))
        .collect();
    let often_cited = shared.seed_legal_references.len();

    // Distinct names: every head × tail combination, shuffled, the first `municipalities` taken.
    let mut names: Vec<String> = words::NAME_HEADS
        .iter()
        .flat_map(|h| words::NAME_TAILS.iter().map(move |t| format!("{h}{t}")))
        .collect();
    for i in (1..names.len()).rev() {
        names.swap(i, rng.below(i + 1));
    }

    let p = params;
    let mut picks = Vec::with_capacity(4);
    for (m, name) in names.iter().take(p.municipalities).enumerate() {
        let number = municipality_number(m);
        let municipality_id = stable_id("municipality", &number);
        data.municipalities.push(Municipality {
            id: municipality_id,
            slug: format!("{}-{number}", words::slugify(name)),
            number: number.clone(),
            name: name.clone(),
            organization_number: organization_number(m),
            county: words::COUNTIES[m / PER_COUNTY],
        });

        // Units: the core (council, chief executive, two heads of sector), then services, then schools and
        // kindergartens named after places.
        let first_unit = data.units.len();
        let unit_id = |u: usize| stable_id("unit", &unit_slug(&number, u));
        for u in 0..p.units_per_municipality {
            let (name, kind, parent) = if let Some((name, kind, parent)) = words::CORE_UNITS.get(u)
            {
                (name.to_string(), *kind, *parent)
            } else if let Some((name, kind, oppvekst)) = words::SERVICE_UNITS.get(u - 4) {
                (name.to_string(), *kind, Some(if *oppvekst { 2 } else { 3 }))
            } else {
                let j = u - 4 - words::SERVICE_UNITS.len();
                let place = (j * 13 + m) % (words::NAME_HEADS.len() * words::NAME_TAILS.len());
                let place = format!(
                    "{}{}",
                    words::NAME_HEADS[place / words::NAME_TAILS.len()],
                    words::NAME_TAILS[place % words::NAME_TAILS.len()]
                );
                let institution = words::INSTITUTIONS[j % words::INSTITUTIONS.len()];
                (format!("{place} {institution}"), UnitKind::Service, Some(2))
            };
            data.units.push(Unit {
                id: unit_id(u),
                slug: unit_slug(&number, u),
                name,
                kind,
                municipality_id,
                parent_id: parent.map(unit_id),
            });
        }
        let units: Vec<Uuid> = data.units[first_unit..].iter().map(|u| u.id).collect();

        for j in 0..p.plans_per_municipality {
            let slug = plan_slug(&number, j);
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
            rng.distinct(words::GOALS.len(), 2, &mut picks);
            for (position, &g) in picks.iter().enumerate() {
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
            data.plan_owner
                .push(Link::plain(plan_id, municipality_id, 0));
            rng.distinct(references.len(), 2, &mut picks);
            for (position, &r) in picks.iter().enumerate() {
                data.plan_legal_reference
                    .push(Link::plain(plan_id, references[r], position));
            }
            data.plan_guidance
                .push(Link::plain(plan_id, *rng.pick(&shared.guidance), 0));
            data.plan_theme
                .push(Link::plain(plan_id, *rng.pick(&shared.themes), 0));
            data.plan_target_group
                .push(Link::plain(plan_id, *rng.pick(&shared.target_groups), 0));
            data.plans.push(Plan {
                id: plan_id,
                summary: format!("{stem} for {name} kommune."),
                slug,
                title,
                kind,
                period_start: start,
                period_end: end,
                adopted_on,
                adopted_by_id: units[0],
                case_number,
            });

            for k in 0..p.measures_per_plan {
                let slug = measure_slug(&number, j, k);
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
                    municipality_id,
                    number: k as i32 + 1,
                    position: k as i32,
                    title,
                    summary: words::PURPOSES[rng.below(words::PURPOSES.len())],
                    frequency: *rng.pick(&words::FREQUENCIES),
                });
                // 2-3 units: a lead below the heads of sector, then participants.
                let count = 2 + rng.below(2);
                picks.clear();
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
                // 2-3 legal references, the first one usually among those the seed content cites.
                let count = 2 + rng.below(2);
                let first = if often_cited > 0 && rng.below(2) == 0 {
                    rng.below(often_cited)
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
                    data.measure_legal_reference.push(Link::plain(
                        measure_id,
                        references[r],
                        position,
                    ));
                }
                data.measure_guidance
                    .push(Link::plain(measure_id, *rng.pick(&shared.guidance), 0));
                data.measure_theme
                    .push(Link::plain(measure_id, *rng.pick(&shared.themes), 0));
                data.measure_target_group.push(Link::plain(
                    measure_id,
                    *rng.pick(&shared.target_groups),
                    0,
                ));
            }
        }
    }
    data
}

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
    fn organisation_numbers_are_valid_and_distinct() {
        let mut all = std::collections::HashSet::new();
        for i in 0..super::super::MAX_MUNICIPALITIES {
            let number = organization_number(i);
            oppvekstgraf_api::validate::check_organization_number("n", &number)
                .unwrap_or_else(|_| panic!("{number} of {i} is invalid"));
            assert!(all.insert(number));
        }
    }

    #[test]
    fn municipality_numbers_are_synthetic_and_distinct() {
        assert_eq!(municipality_number(0), "6001");
        assert_eq!(municipality_number(24), "6025");
        assert_eq!(municipality_number(25), "6101");
        assert_eq!(
            municipality_number(super::super::MAX_MUNICIPALITIES - 1),
            "9925"
        );
    }

    fn shared() -> Shared {
        Shared::of(&Content::builtin().expect("seed content")).expect("shared nodes")
    }

    #[test]
    fn the_same_parameters_give_the_same_rows() {
        let shared = shared();
        let params = Params {
            municipalities: 30,
            plans_per_municipality: 3,
            measures_per_plan: 4,
            units_per_municipality: 40,
            rng_seed: 7,
        };
        let a = build(&params, &shared);
        assert_eq!(a, build(&params, &shared));
        assert_ne!(
            a,
            build(
                &Params {
                    rng_seed: 8,
                    ..params.clone()
                },
                &shared
            )
        );
        assert_eq!(a.units.len(), 30 * 40);
        assert_eq!(a.measures.len(), 30 * 3 * 4);
        let mut slugs: Vec<&str> = a.units.iter().map(|u| u.slug.as_str()).collect();
        slugs.extend(a.municipalities.iter().map(|m| m.slug.as_str()));
        slugs.extend(a.plans.iter().map(|p| p.slug.as_str()));
        slugs.extend(a.measures.iter().map(|m| m.slug.as_str()));
        slugs.extend(a.goals.iter().map(|g| g.slug.as_str()));
        let n = slugs.len();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), n, "slugs are unique");
        // Parents come before their children.
        for (i, u) in a.units.iter().enumerate() {
            if let Some(parent) = u.parent_id {
                assert!(a.units[..i].iter().any(|p| p.id == parent), "{}", u.slug);
            }
        }
    }

    /// Pins the stream: a change here changes every benchmark's data, so make it on purpose.
    #[test]
    fn the_stream_is_pinned() {
        let data = build(&Params::default(), &shared());
        assert_eq!(data.municipalities[0].name, "Vassli");
        assert_eq!(data.municipalities[356].number, "7407");
        assert_eq!(
            data.plans[0].title,
            "Plan for forebyggende arbeid med barn og unge 2022–2026"
        );
        assert_eq!(
            data.measures[0].title,
            "Tiltak 1: Evaluere gratis fritidsaktiviteter for barn i lavinntektsfamilier"
        );
        assert_eq!(data.measures.len(), 178_500);
        assert_eq!(data.measure_unit.len(), 446_093);
        assert_eq!(data.measure_legal_reference.len(), 446_501);
        assert_eq!(data.legal_references.len(), 262);
    }

    #[test]
    fn roles_are_the_enum_values() {
        for role in [ResponsibilityRole::Lead, ResponsibilityRole::Participant] {
            assert_eq!(role_value(role), role.to_value());
        }
    }
}
