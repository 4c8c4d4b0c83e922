//! The laws (each after the law that replaces it) and the sections of them that content cites.

use oppvekstgraf_api::graphql::object::legal_reference::natural_key;
use oppvekstgraf_entity as entity;

use super::writer::{Writer, node_model};
use oppvekstgraf_api::transfer::parents_first;

use crate::{
    Content, Keys, legal_reference_slug,
    records::{Law, LegalReference},
    stable_id,
};

/// Writes every file's laws, then every file's legal references.
pub(super) async fn write(
    w: &mut Writer<'_>,
    content: &Content,
    keys: &Keys,
) -> anyhow::Result<()> {
    laws(w, content, keys).await?;
    for (file, f) in &content.files {
        for r in &f.legal_references {
            legal_reference(w, keys, file, r).await?;
        }
    }
    Ok(())
}

/// Upserts the laws of all files, replacements first: a replaced law points to its replacement.
async fn laws(w: &mut Writer<'_>, content: &Content, keys: &Keys) -> anyhow::Result<()> {
    let laws: Vec<(&str, &Law)> = content
        .files
        .iter()
        .flat_map(|(file, f)| f.laws.iter().map(move |l| (file.as_str(), l)))
        .collect();
    let ordered = parents_first(
        laws.iter().collect(),
        |(_, l)| l.lovdata_id.as_str(),
        |(_, l)| l.replaced_by.as_deref(),
    );
    for (file, l) in ordered {
        let model = node_model!(law {
            id: stable_id("law", &l.lovdata_id),
            slug: l.slug.clone(),
            record: l,
            now: w.now,
            lovdata_id: l.lovdata_id.clone(),
            short_title: l.short_title.clone(),
            title: l.title.clone(),
            kind: l.kind,
            in_force_from: l.in_force_from,
            replaced_by_id: keys.opt(file, "law", &l.replaced_by)?,
            note: l.note.clone(),
        });
        w.upsert::<entity::law::Entity>(model).await?;
    }
    Ok(())
}

/// Upserts a legal reference, keyed and slugged by its natural key.
async fn legal_reference(
    w: &mut Writer<'_>,
    keys: &Keys,
    file: &str,
    r: &LegalReference,
) -> anyhow::Result<()> {
    let key = natural_key(&r.law, &r.section, r.paragraph);
    let model = node_model!(legal_reference {
        id: stable_id("legal_reference", &key),
        slug: legal_reference_slug(&key),
        record: r,
        now: w.now,
        law_id: keys.get(file, "law", &r.law)?,
        section: r.section.clone(),
        paragraph: r.paragraph,
        heading: r.heading.clone(),
        note: r.note.clone(),
        natural_key: key,
    });
    w.upsert::<entity::legal_reference::Entity>(model).await
}
