//! A file's municipal content: its owner, its units with their members, then its plans and measures.

use oppvekstgraf_catalog::LinkDef;
use oppvekstgraf_entity as entity;

use super::{
    links::role,
    owner::Owner,
    plans,
    writer::{Writer, node_model},
};
use oppvekstgraf_api::transfer::parents_first;

use crate::{
    Keys,
    records::{File, Unit},
    stable_id,
};

/// Writes the units of file `file` (parents first), their members, then its plans and its measures.
pub(super) async fn write(
    w: &mut Writer<'_>,
    keys: &Keys,
    file: &str,
    f: &File,
) -> anyhow::Result<()> {
    let owner = Owner::of(keys, file, f)?;
    for u in parents_first(
        f.units.iter().collect(),
        |u| u.slug.as_str(),
        |u| u.parent.as_deref(),
    ) {
        unit(w, keys, &owner, u).await?;
    }
    for u in &f.units {
        unit_members(w, keys, file, u).await?;
    }
    plans::plans(w, keys, &owner, f).await?;
    plans::measures(w, keys, &owner, f).await
}

/// Upserts a unit: a national one, or one of the owner's.
async fn unit(w: &mut Writer<'_>, keys: &Keys, owner: &Owner<'_>, u: &Unit) -> anyhow::Result<()> {
    let model = node_model!(unit {
        id: stable_id("unit", &u.slug),
        slug: u.slug.clone(),
        record: u,
        now: w.now,
        name: u.name.clone(),
        kind: u.kind,
        municipality_id: if u.national {
            None
        } else {
            Some(owner.get("a unit")?)
        },
        parent_id: keys.opt(owner.file, "unit", &u.parent)?,
        description: u.description.clone(),
    });
    w.upsert::<entity::unit::Entity>(model).await
}

/// Makes a unit's member links (with their roles) those of the record.
async fn unit_members(w: &mut Writer<'_>, keys: &Keys, file: &str, u: &Unit) -> anyhow::Result<()> {
    const MEMBER: &LinkDef = LinkDef::get("unit_member");
    let members = u
        .members
        .iter()
        .map(|m| Ok((keys.get(file, "unit", &m.unit)?, role(&m.role))))
        .collect::<anyhow::Result<_>>()?;
    w.links(MEMBER, stable_id("unit", &u.slug), members).await
}
