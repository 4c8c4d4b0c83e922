//! The check against the database: every foreign key names a row of the document or of this database.

use std::collections::{HashMap, HashSet};

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{Facts, Visit, walk};
use crate::transfer::{
    TransferError,
    document::Document,
    links::LinkRow,
    matching::existing_ids,
    rows::{Node, Ref, Row},
};
use oppvekstgraf_catalog::LinkDef;

/// Collects the foreign keys that do not resolve inside the document.
struct Outside<'a> {
    nodes: &'a HashMap<&'static str, HashSet<Uuid>>,
    pending: Vec<(String, Ref)>,
}

impl Outside<'_> {
    /// Notes the foreign keys of `rows` that name nothing in the document.
    fn rows<R: Row>(&mut self, section: &'static str, rows: &[R]) {
        for row in rows {
            for r in row.refs() {
                self.note(section, || row.label(), r);
            }
        }
    }

    /// Notes `r` of the row `label` names when it names nothing in the document.
    fn note(&mut self, section: &'static str, label: impl FnOnce() -> String, r: Ref) {
        if !self
            .nodes
            .get(r.table)
            .is_some_and(|ids| ids.contains(&r.id))
        {
            self.pending.push((format!("{section}.{}", label()), r));
        }
    }
}

impl Visit for Outside<'_> {
    fn node<N: Node>(&mut self, section: &'static str, rows: &[N]) {
        self.rows(section, rows);
    }
    fn link(&mut self, section: &'static str, def: &'static LinkDef, rows: &[LinkRow]) {
        for row in rows {
            for r in row.refs(def) {
                self.note(section, || row.label(def), r);
            }
        }
    }
    fn other<R: Row>(&mut self, section: &'static str, rows: &[R]) {
        self.rows(section, rows);
    }
}

/// Checks that every foreign key names a row of the document or of this database; the first one that does
/// not is an error naming the row, the field and the id.
pub(crate) async fn check_references(
    c: &impl ConnectionTrait,
    d: &Document,
    facts: &Facts,
) -> Result<(), TransferError> {
    let mut outside = Outside {
        nodes: &facts.nodes,
        pending: Vec::new(),
    };
    walk(d, &mut outside);
    let mut wanted: HashMap<&'static str, HashSet<Uuid>> = HashMap::new();
    for (_, r) in &outside.pending {
        wanted.entry(r.table).or_default().insert(r.id);
    }
    let mut found: HashMap<&'static str, HashSet<Uuid>> = HashMap::new();
    for (table, ids) in wanted {
        found.insert(table, existing_ids(c, table, &ids).await?);
    }
    for (row, r) in outside.pending {
        if !found.get(r.table).is_some_and(|ids| ids.contains(&r.id)) {
            return Err(TransferError::invalid(
                row,
                r.field,
                format!(
                    "names {} {}, which is neither in the document nor in this database",
                    r.table, r.id
                ),
            ));
        }
    }
    Ok(())
}
