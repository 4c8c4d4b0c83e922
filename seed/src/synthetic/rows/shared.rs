//! The shared (national) nodes of the built-in seed content that synthetic nodes link to.

use std::collections::HashSet;

use oppvekstgraf_api::graphql::object::legal_reference::natural_key;
use oppvekstgraf_entity::enums::{LawKind, Status};
use uuid::Uuid;

use super::LegalReference;
use crate::{
    Content, legal_reference_slug,
    records::{File, Law, MunicipalityKey},
    stable_id,
    synthetic::words,
};

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

/// Whether a seed record is published.
fn published(status: &Status) -> bool {
    *status == Status::Published
}

impl Shared {
    /// The published shared nodes of `content`, in file order, and the extra legal references.
    pub fn of(content: &Content) -> anyhow::Result<Shared> {
        let mut shared = Shared {
            themes: Vec::new(),
            target_groups: Vec::new(),
            guidance: Vec::new(),
            seed_legal_references: Vec::new(),
            laws: Vec::new(),
            extra_legal_references: Vec::new(),
        };
        let mut known = HashSet::new();
        let mut acts = Vec::new();
        for (_, f) in &content.files {
            if matches!(f.municipality, Some(MunicipalityKey::Owner(_))) {
                continue;
            }
            shared.add_published(f, &mut known);
            acts.extend(f.laws.iter().filter(|l| {
                l.kind == LawKind::Act && l.replaced_by.is_none() && published(&l.status)
            }));
        }
        shared.add_sections(&acts, &known);
        anyhow::ensure!(
            !shared.themes.is_empty()
                && !shared.target_groups.is_empty()
                && !shared.guidance.is_empty()
                && shared.seed_legal_references.len() + shared.extra_legal_references.len() >= 3,
            "the built-in seed content has too few shared nodes to link synthetic measures to"
        );
        Ok(shared)
    }

    /// Adds the published themes, target groups, guidance and legal references of file `f`, and the
    /// natural keys of all its legal references to `known`.
    fn add_published(&mut self, f: &File, known: &mut HashSet<String>) {
        self.themes.extend(
            f.themes
                .iter()
                .filter(|t| published(&t.status))
                .map(|t| stable_id("theme", &t.slug)),
        );
        self.target_groups.extend(
            f.target_groups
                .iter()
                .filter(|t| published(&t.status))
                .map(|t| stable_id("target_group", &t.slug)),
        );
        self.guidance.extend(
            f.guidance
                .iter()
                .filter(|g| published(&g.status))
                .map(|g| stable_id("guidance", &g.slug)),
        );
        for r in &f.legal_references {
            let key = natural_key(&r.law, &r.section, r.paragraph);
            if published(&r.status) {
                self.seed_legal_references
                    .push(stable_id("legal_reference", &key));
            }
            known.insert(key);
        }
    }

    /// Adds the laws `acts` and sections 1-1 to 6-4 of each that are not among the `known` references.
    fn add_sections(&mut self, acts: &[&Law], known: &HashSet<String>) {
        for (n, law) in acts.iter().enumerate() {
            let law_id = stable_id("law", &law.lovdata_id);
            self.laws.push(law_id);
            for chapter in 1..=6 {
                for section in 1..=4 {
                    let text = format!("{chapter}-{section}");
                    let key = natural_key(&law.lovdata_id, &text, None);
                    if known.contains(&key) {
                        continue;
                    }
                    let heading = words::SECTION_HEADINGS
                        [(n + chapter * 4 + section) % words::SECTION_HEADINGS.len()];
                    self.extra_legal_references.push(LegalReference {
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
    }
}
