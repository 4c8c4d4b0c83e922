//! Validation of a document before anything is written: the header, unique ids, slugs and keys, owned rows
//! that belong to the source municipality, link rows whose node is in the document, consistent natural keys,
//! and — against the database — every foreign key resolving to a row in the document or here.

use std::collections::{HashMap, HashSet};

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{
    TransferError,
    document::Document,
    links::{LinkRow, LinkSection, LinkTables},
    matching::existing_ids,
    rows::{Node, Ref, Row, node_table},
};
use crate::graphql::object::legal_reference::natural_key;
use crate::id::NodeType;
use oppvekstgraf_catalog::LinkDef;

/// Visits every table of a document, by kind of row.
pub(crate) trait Visit {
    /// A node table.
    fn node<N: Node>(&mut self, section: &'static str, rows: &[N]);
    /// A link table.
    fn link(&mut self, section: &'static str, def: &'static LinkDef, rows: &[LinkRow]);
    /// Any other table (former numbers, plan adoptions, adoptions, derivations).
    fn other<R: Row>(&mut self, section: &'static str, rows: &[R]);
}

/// Walks every table of `d`: each section's node tables, each followed by the section's link tables whose
/// left end is that node type, and the other tables.
pub(crate) fn walk(d: &Document, v: &mut impl Visit) {
    let s = &d.shared;
    let shared = |v: &mut _, node| links_of(v, "shared", &s.links, node);
    v.node("shared", &s.municipality);
    v.other("shared", &s.municipality_former_number);
    shared(v, NodeType::Municipality);
    v.node("shared", &s.region);
    shared(v, NodeType::Region);
    v.node("shared", &s.publisher);
    v.node("shared", &s.theme);
    v.node("shared", &s.target_group);
    v.node("shared", &s.law);
    v.node("shared", &s.legal_reference);
    v.node("shared", &s.guidance);
    shared(v, NodeType::Guidance);
    v.node("shared", &s.concept);
    v.node("shared", &s.unit);
    v.node("shared", &s.plan);
    let o = &d.owned;
    let owned = |v: &mut _, node| links_of(v, "owned", &o.links, node);
    v.node("owned", &o.unit);
    owned(v, NodeType::Unit);
    v.node("owned", &o.plan);
    owned(v, NodeType::Plan);
    v.other("owned", &o.plan_adoption);
    v.node("owned", &o.goal);
    v.node("owned", &o.measure);
    owned(v, NodeType::Measure);
    v.other("owned", &o.adoption);
    v.other("owned", &o.derivation);
}

/// Visits the link tables of `links` whose left end is of type `node`.
fn links_of<S: LinkSection>(
    v: &mut impl Visit,
    section: &'static str,
    links: &LinkTables<S>,
    node: NodeType,
) {
    for (def, rows) in links.iter().filter(|(def, _)| def.left.node == node) {
        v.link(section, def, rows);
    }
}

/// What validation learned about a document.
pub(crate) struct Facts {
    /// The document's id of the source municipality.
    pub source: Uuid,
    /// Node ids in the document, per table (both sections).
    pub nodes: HashMap<&'static str, HashSet<Uuid>>,
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

/// Checks the document on its own, without the database.
pub(crate) fn check_document(d: &Document) -> Result<Facts, TransferError> {
    d.check_header()?;
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

    let source = d
        .shared
        .municipality
        .iter()
        .find(|m| m.number == d.municipality)
        .map(|m| m.id)
        .ok_or_else(|| {
            TransferError::invalid(
                "document".into(),
                "municipality",
                format!(
                    "no row in shared.municipality has the number {}",
                    d.municipality
                ),
            )
        })?;
    let o = &d.owned;
    let not_source = |row: String, field: &str| {
        TransferError::invalid(
            row,
            field,
            format!(
                "owned content must belong to the exported municipality {} ({source})",
                d.municipality
            ),
        )
    };
    for u in &o.unit {
        if u.municipality_id != Some(source) {
            return Err(not_source(
                format!("owned.{}", u.label()),
                "municipality_id",
            ));
        }
    }
    for m in &o.measure {
        if m.municipality_id != source {
            return Err(not_source(
                format!("owned.{}", m.label()),
                "municipality_id",
            ));
        }
    }
    for a in &o.adoption {
        if a.municipality_id != source {
            return Err(not_source(
                format!("owned.{}", a.label()),
                "municipality_id",
            ));
        }
    }
    for a in &o.derivation {
        if a.municipality_id != source {
            return Err(not_source(
                format!("owned.{}", a.label()),
                "municipality_id",
            ));
        }
    }
    // The link table that owns plans (the plan's owner rule in the catalog): (plan, municipality) pairs.
    let owner_link = match NodeType::Plan.def().map(|def| def.owner) {
        Some(oppvekstgraf_catalog::Owner::Link(table)) => LinkDef::named(table),
        _ => None,
    };
    let owners: HashSet<(Uuid, Uuid)> = owner_link
        .map(|def| o.links.rows(def))
        .unwrap_or_default()
        .iter()
        .map(|e| (e.left, e.right))
        .collect();
    for p in &o.plan {
        if !owners.contains(&(p.id, source)) {
            return Err(TransferError::invalid(
                format!("owned.{}", p.label()),
                "id",
                format!(
                    "an owned plan needs an owned.plan_owner row with the exported municipality {} ({source})",
                    d.municipality
                ),
            ));
        }
    }
    for a in &o.plan_adoption {
        if !owners.contains(&(a.plan_id, a.municipality_id)) {
            return Err(TransferError::invalid(
                format!("owned.{}", a.label()),
                "municipality_id",
                "an adoption needs the matching owned.plan_owner row",
            ));
        }
    }
    let municipalities: HashSet<Uuid> = d.shared.municipality.iter().map(|m| m.id).collect();
    for f in &d.shared.municipality_former_number {
        if !municipalities.contains(&f.municipality_id) {
            return Err(TransferError::invalid(
                format!("shared.{}", f.label()),
                "municipality_id",
                "names a municipality that is not in shared.municipality",
            ));
        }
    }
    let laws: HashMap<Uuid, &str> = d
        .shared
        .law
        .iter()
        .map(|l| (l.id, l.lovdata_id.as_str()))
        .collect();
    for r in &d.shared.legal_reference {
        if let Some(lovdata_id) = laws.get(&r.law_id) {
            let expected = natural_key(lovdata_id, &r.section, r.paragraph);
            if r.natural_key != expected {
                return Err(TransferError::invalid(
                    format!("shared.{}", r.label()),
                    "natural_key",
                    format!(
                        "is {:?}, but its law, section and paragraph make {expected:?}",
                        r.natural_key
                    ),
                ));
            }
        }
    }
    Ok(Facts {
        source,
        nodes: collect.nodes,
    })
}

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
