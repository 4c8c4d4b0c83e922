//! Builds the synthetic graph in memory: a pure function of the parameters and the built-in shared content,
//! so the same arguments give the same rows on every run and on every engine.

mod keys;
mod plans;
mod rng;
mod shared;

use chrono::NaiveDate;
use oppvekstgraf_entity::enums::{PlanKind, UnitKind};
use uuid::Uuid;

pub use keys::{
    FIRST_COUNTY, PER_COUNTY, measure_slug, municipality_number, organization_number, plan_slug,
    unit_slug,
};
pub use shared::Shared;

use super::{Params, words};
use crate::stable_id;
use plans::{Owner, Targets};
use rng::Rng;

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

/// The synthetic graph for `params`: the extra legal references, then municipality by municipality its
/// units, plans, goals and measures with their links.
pub fn build(params: &Params, shared: &Shared) -> Dataset {
    let mut rng = Rng::seeded(params.rng_seed);
    let mut data = Dataset {
        legal_references: shared.extra_legal_references.clone(),
        ..Dataset::default()
    };
    let targets = Targets::of(shared);
    let names = shuffled_names(&mut rng);
    for (m, name) in names.iter().take(params.municipalities).enumerate() {
        let number = municipality_number(m);
        let municipality_id = municipality(&mut data, m, &number, name);
        let units = units(
            &mut data,
            params.units_per_municipality,
            m,
            &number,
            municipality_id,
        );
        let owner = Owner {
            number: &number,
            name,
            id: municipality_id,
            units: &units,
        };
        for j in 0..params.plans_per_municipality {
            plans::plan(
                &mut data,
                &mut rng,
                &targets,
                &owner,
                j,
                params.measures_per_plan,
            );
        }
    }
    data
}

/// Distinct municipality names: every head × tail combination, shuffled.
fn shuffled_names(rng: &mut Rng) -> Vec<String> {
    let mut names: Vec<String> = words::NAME_HEADS
        .iter()
        .flat_map(|h| words::NAME_TAILS.iter().map(move |t| format!("{h}{t}")))
        .collect();
    for i in (1..names.len()).rev() {
        names.swap(i, rng.below(i + 1));
    }
    names
}

/// Adds the `m`th synthetic municipality, numbered `number` and named `name`; returns its id.
fn municipality(data: &mut Dataset, m: usize, number: &str, name: &str) -> Uuid {
    let id = stable_id("municipality", number);
    data.municipalities.push(Municipality {
        id,
        slug: format!("{}-{number}", words::slugify(name)),
        number: number.to_string(),
        name: name.to_string(),
        organization_number: organization_number(m),
        county: words::COUNTIES[m / PER_COUNTY],
    });
    id
}

/// Adds the `count` units of the `m`th municipality (numbered `number`), parents first; returns their ids.
fn units(
    data: &mut Dataset,
    count: usize,
    m: usize,
    number: &str,
    municipality_id: Uuid,
) -> Vec<Uuid> {
    let first_unit = data.units.len();
    let unit_id = |u: usize| stable_id("unit", &unit_slug(number, u));
    for u in 0..count {
        let (name, kind, parent) = unit_shape(u, m);
        data.units.push(Unit {
            id: unit_id(u),
            slug: unit_slug(number, u),
            name,
            kind,
            municipality_id,
            parent_id: parent.map(unit_id),
        });
    }
    data.units[first_unit..].iter().map(|u| u.id).collect()
}

/// The name, kind and parent (an index among the municipality's units) of unit `u` of the `m`th
/// municipality: the core (council, chief executive, two heads of sector), then services, then schools
/// and kindergartens named after places.
fn unit_shape(u: usize, m: usize) -> (String, UnitKind, Option<usize>) {
    if let Some((name, kind, parent)) = words::CORE_UNITS.get(u) {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Content;

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
}
