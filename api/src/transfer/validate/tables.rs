//! The checks of a document's tables on their own: ids, slugs, unique natural keys, links and other rows
//! that occur twice, and link rows whose left end is not a node of their section.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::{Visit, walk};
use crate::transfer::{
    TransferError,
    document::Document,
    links::LinkRow,
    rows::{Node, Row, node_table},
};
use oppvekstgraf_catalog::LinkDef;

/// Checks that every id, slug, unique key, link and row occurs once in `d`, and that each link row's left
/// end is a node of its section. Returns the document's node ids per table (both sections).
pub(super) fn check_tables(
    d: &Document,
) -> Result<HashMap<&'static str, HashSet<Uuid>>, TransferError> {
    let mut collect = Collect::default();
    walk(d, &mut collect);
    if let Some(error) = collect.error {
        return Err(error);
    }
    let mut ends = LinkEnds {
        by_section: &collect.by_section,
        error: None,
    };
    walk(d, &mut ends);
    if let Some(error) = ends.error {
        return Err(error);
    }
    Ok(collect.nodes)
}

/// Unique natural keys (checked for duplicates; publisher and theme keys are not unique).
fn unique_key(table: &str) -> bool {
    matches!(
        table,
        "municipality" | "law" | "legal_reference" | "guidance"
    )
}

/// Collects node ids per table and section, and finds duplicates.
#[derive(Default)]
struct Collect {
    nodes: HashMap<&'static str, HashSet<Uuid>>,
    by_section: HashMap<(&'static str, &'static str), HashSet<Uuid>>,
    error: Option<TransferError>,
    slugs: HashMap<(&'static str, String), Uuid>,
    keys: HashMap<(&'static str, String), Uuid>,
    edges: HashSet<(&'static str, Uuid, Uuid)>,
    others: HashSet<(&'static str, String)>,
}

impl Collect {
    /// Keeps the first error.
    fn fail(&mut self, error: TransferError) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }
}

impl Visit for Collect {
    fn node<N: Node>(&mut self, section: &'static str, rows: &[N]) {
        for row in rows {
            let label = format!("{section}.{}", row.label());
            if !self.nodes.entry(N::TABLE).or_default().insert(row.id()) {
                self.fail(TransferError::invalid(
                    label.clone(),
                    "id",
                    "the id occurs twice in the document",
                ));
            }
            self.by_section
                .entry((section, N::TABLE))
                .or_default()
                .insert(row.id());
            if let Some(other) = self
                .slugs
                .insert((N::TABLE, row.slug().to_string()), row.id())
            {
                self.fail(TransferError::invalid(
                    label.clone(),
                    "slug",
                    format!(
                        "the slug {:?} is also used by {} {other} in the document",
                        row.slug(),
                        N::TABLE
                    ),
                ));
            }
            if let (Some(column), Some(key)) = (N::KEY_COLUMN, row.key())
                && unique_key(N::TABLE)
                && let Some(other) = self.keys.insert((N::TABLE, key.clone()), row.id())
            {
                self.fail(TransferError::invalid(
                    label,
                    column,
                    format!(
                        "{key:?} is also the {column} of {} {other} in the document",
                        N::TABLE
                    ),
                ));
            }
        }
    }

    fn link(&mut self, section: &'static str, def: &'static LinkDef, rows: &[LinkRow]) {
        for row in rows {
            if !self.edges.insert((def.table, row.left, row.right)) {
                self.fail(TransferError::invalid(
                    format!("{section}.{}", row.label(def)),
                    def.left.column,
                    "the link occurs twice in the document",
                ));
            }
        }
    }

    fn other<R: Row>(&mut self, section: &'static str, rows: &[R]) {
        for row in rows {
            if !self.others.insert((R::TABLE, row.label())) {
                self.fail(TransferError::invalid(
                    format!("{section}.{}", row.label()),
                    "id",
                    "the row occurs twice in the document",
                ));
            }
        }
    }
}

/// Checks each link row's left end (the node whose link set it belongs to) is a node of the same section.
struct LinkEnds<'a> {
    by_section: &'a HashMap<(&'static str, &'static str), HashSet<Uuid>>,
    error: Option<TransferError>,
}

impl Visit for LinkEnds<'_> {
    fn node<N: Node>(&mut self, _: &'static str, _: &[N]) {}

    fn link(&mut self, section: &'static str, def: &'static LinkDef, rows: &[LinkRow]) {
        let (column, table) = (def.left.column, node_table(def.left.node));
        for row in rows {
            let known = self
                .by_section
                .get(&(section, table))
                .is_some_and(|ids| ids.contains(&row.left));
            if !known && self.error.is_none() {
                self.error = Some(TransferError::invalid(
                    format!("{section}.{}", row.label(def)),
                    column,
                    format!(
                        "names {table} {}, which is not in {section}.{table} of the document",
                        row.left
                    ),
                ));
            }
        }
    }

    fn other<R: Row>(&mut self, _: &'static str, _: &[R]) {}
}
