//! National guidance (each item after the one it replaces) with its links, and the concepts it defines.

use oppvekstgraf_catalog::LinkDef;
use oppvekstgraf_entity as entity;

use super::{
    links::plain,
    writer::{Writer, node_model},
};
use oppvekstgraf_api::transfer::parents_first;

use crate::{
    Content, Keys,
    records::{Concept, Guidance},
    stable_id,
};

/// Writes the guidance of all files, then every file's concepts (which may name their source guidance).
pub(super) async fn write(
    w: &mut Writer<'_>,
    content: &Content,
    keys: &Keys,
) -> anyhow::Result<()> {
    let guidance: Vec<(&str, &Guidance)> = content
        .files
        .iter()
        .flat_map(|(file, f)| f.guidance.iter().map(move |g| (file.as_str(), g)))
        .collect();
    for (file, g) in parents_first(
        guidance.iter().collect(),
        |(_, g)| g.slug.as_str(),
        |(_, g)| g.replaces.as_deref(),
    ) {
        guidance_item(w, keys, file, g).await?;
    }
    for (file, f) in &content.files {
        for c in &f.concepts {
            concept(w, keys, file, c).await?;
        }
    }
    Ok(())
}

/// Upserts a guidance item and makes its publisher, legal reference, theme and target group links those
/// of the record.
async fn guidance_item(
    w: &mut Writer<'_>,
    keys: &Keys,
    file: &str,
    g: &Guidance,
) -> anyhow::Result<()> {
    let id = stable_id("guidance", &g.slug);
    let model = node_model!(guidance {
        id: id,
        slug: g.slug.clone(),
        record: g,
        now: w.now,
        code: g.code.clone(),
        isbn: g.isbn.clone(),
        title: g.title.clone(),
        kind: g.kind,
        url: g.url.clone(),
        summary: g.summary.clone(),
        topic_group: g.topic_group.clone(),
        published_year: g.published_year,
        replaces_id: keys.opt(file, "guidance", &g.replaces)?,
    });
    w.upsert::<entity::guidance::Entity>(model).await?;
    let links = [
        (
            const { LinkDef::get("guidance_publisher") },
            keys.all(file, "publisher", &g.publishers)?,
        ),
        (
            const { LinkDef::get("guidance_legal_reference") },
            keys.legal_references(file, &g.legal_references)?,
        ),
        (
            const { LinkDef::get("guidance_theme") },
            keys.all(file, "theme", &g.themes)?,
        ),
        (
            const { LinkDef::get("guidance_target_group") },
            keys.all(file, "target_group", &g.target_groups)?,
        ),
    ];
    for (link, targets) in links {
        w.links(link, id, plain(targets)).await?;
    }
    Ok(())
}

/// Upserts a concept.
async fn concept(w: &mut Writer<'_>, keys: &Keys, file: &str, c: &Concept) -> anyhow::Result<()> {
    let model = node_model!(concept {
        id: stable_id("concept", &c.slug),
        slug: c.slug.clone(),
        record: c,
        now: w.now,
        term: c.term.clone(),
        definition: c.definition.clone(),
        alt_labels: serde_json::json!(c.alt_labels),
        scope_note: c.scope_note.clone(),
        source: c.source.clone(),
        source_guidance_id: keys.opt(file, "guidance", &c.source_guidance)?,
    });
    w.upsert::<entity::concept::Entity>(model).await
}
