//! The municipalities (with their neighbours and former numbers), the regions and the shared national
//! registry of publishers, themes and target groups.

use std::collections::BTreeMap;

use oppvekstgraf_catalog::LinkDef;
use oppvekstgraf_entity as entity;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};
use uuid::Uuid;

use super::{
    links::plain,
    writer::{Writer, node_model},
};
use crate::{
    Content, Keys,
    records::{Municipality, MunicipalityKey, Publisher, Region, TargetGroup, Theme},
    stable_id,
};

/// Writes the municipalities and their neighbours, then file by file the former numbers, regions,
/// publishers, themes and target groups.
pub(super) async fn write(
    w: &mut Writer<'_>,
    content: &Content,
    keys: &Keys,
) -> anyhow::Result<()> {
    let neighbours = municipalities(w, content, keys).await?;
    write_neighbours(w, neighbours).await?;
    for (file, f) in &content.files {
        let file = file.as_str();
        if let Some(MunicipalityKey::Records(list)) = &f.municipality {
            for m in list {
                former_numbers(w, stable_id("municipality", &m.number), m).await?;
            }
        }
        for r in &f.regions {
            region(w, keys, file, r).await?;
        }
        for p in &f.publishers {
            publisher(w, p).await?;
        }
        for t in &f.themes {
            theme(w, t).await?;
        }
        for t in &f.target_groups {
            target_group(w, t).await?;
        }
    }
    Ok(())
}

/// Upserts every file's municipalities; returns the neighbours of each, recorded both ways (a border is
/// stored in both directions).
async fn municipalities(
    w: &mut Writer<'_>,
    content: &Content,
    keys: &Keys,
) -> anyhow::Result<BTreeMap<Uuid, Vec<Uuid>>> {
    let mut neighbours: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for (file, f) in &content.files {
        let Some(MunicipalityKey::Records(list)) = &f.municipality else {
            continue;
        };
        for m in list {
            let id = stable_id("municipality", &m.number);
            let model = node_model!(municipality {
                id: id,
                slug: m.slug.clone(),
                record: m,
                now: w.now,
                number: m.number.clone(),
                name: m.name.clone(),
                organization_number: m.organization_number.clone(),
                county: m.county.clone(),
                valid_from: m.valid_from,
            });
            w.upsert::<entity::municipality::Entity>(model).await?;
            for n in keys.all(file, "municipality", &m.neighbours)? {
                neighbours.entry(id).or_default().push(n);
                neighbours.entry(n).or_default().push(id);
            }
        }
    }
    Ok(neighbours)
}

/// Makes each municipality's neighbour links the sorted, distinct set collected from the files.
async fn write_neighbours(
    w: &mut Writer<'_>,
    neighbours: BTreeMap<Uuid, Vec<Uuid>>,
) -> anyhow::Result<()> {
    const NEIGHBOUR: &LinkDef = LinkDef::get("municipality_neighbour");
    for (municipality, mut list) in neighbours {
        list.sort();
        list.dedup();
        w.links(NEIGHBOUR, municipality, plain(list)).await?;
    }
    Ok(())
}

/// Makes the former numbers of `municipality` exactly those of its record `m` (ordered by number); a
/// change counts as a link set written and is announced as an update of the municipality.
async fn former_numbers(
    w: &mut Writer<'_>,
    municipality: Uuid,
    m: &Municipality,
) -> anyhow::Result<()> {
    use entity::municipality_former_number as former;
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let existing = former::Entity::find()
        .filter(former::Column::MunicipalityId.eq(municipality))
        .order_by_asc(former::Column::Number)
        .all(w.txn)
        .await?;
    let mut desired: Vec<former::Model> = m
        .former_number
        .iter()
        .map(|f| former::Model {
            id: stable_id("former_number", &format!("{}:{}", m.number, f.number)),
            municipality_id: municipality,
            number: f.number.clone(),
            valid_from: f.valid_from,
            valid_to: f.valid_to,
        })
        .collect();
    desired.sort_by(|a, b| a.number.cmp(&b.number));
    if existing == desired {
        return Ok(());
    }
    former::Entity::delete_many()
        .filter(former::Column::MunicipalityId.eq(municipality))
        .exec(w.txn)
        .await?;
    for model in desired {
        former::Entity::insert(model.into_active_model().reset_all())
            .exec_without_returning(w.txn)
            .await?;
    }
    w.report.links_written += 1;
    // Former numbers are part of the municipality (its version is unchanged: they are not versioned).
    let version = entity::municipality::Entity::find_by_id(municipality)
        .one(w.txn)
        .await?
        .map_or(1, |m| m.version);
    w.announce("municipality", municipality, "update", version);
    Ok(())
}

/// Upserts a region and makes its member links those of the record.
async fn region(w: &mut Writer<'_>, keys: &Keys, file: &str, r: &Region) -> anyhow::Result<()> {
    const MEMBER: &LinkDef = LinkDef::get("region_member");
    let id = stable_id("region", &r.slug);
    let model = node_model!(region {
        id: id,
        slug: r.slug.clone(),
        record: r,
        now: w.now,
        name: r.name.clone(),
        description: r.description.clone(),
    });
    w.upsert::<entity::region::Entity>(model).await?;
    let members = keys.all(file, "municipality", &r.members)?;
    w.links(MEMBER, id, plain(members)).await
}

/// Upserts a publisher.
async fn publisher(w: &mut Writer<'_>, p: &Publisher) -> anyhow::Result<()> {
    let model = node_model!(publisher {
        id: stable_id("publisher", &p.slug),
        slug: p.slug.clone(),
        record: p,
        now: w.now,
        name: p.name.clone(),
        short_name: p.short_name.clone(),
        organization_number: p.organization_number.clone(),
        url: p.url.clone(),
    });
    w.upsert::<entity::publisher::Entity>(model).await
}

/// Upserts a theme.
async fn theme(w: &mut Writer<'_>, t: &Theme) -> anyhow::Result<()> {
    let model = node_model!(theme {
        id: stable_id("theme", &t.slug),
        slug: t.slug.clone(),
        record: t,
        now: w.now,
        label: t.label.clone(),
        description: t.description.clone(),
        los_uri: t.los_uri.clone(),
    });
    w.upsert::<entity::theme::Entity>(model).await
}

/// Upserts a target group.
async fn target_group(w: &mut Writer<'_>, t: &TargetGroup) -> anyhow::Result<()> {
    let model = node_model!(target_group {
        id: stable_id("target_group", &t.slug),
        slug: t.slug.clone(),
        record: t,
        now: w.now,
        label: t.label.clone(),
        min_age: t.min_age,
        max_age: t.max_age,
        description: t.description.clone(),
    });
    w.upsert::<entity::target_group::Entity>(model).await
}
