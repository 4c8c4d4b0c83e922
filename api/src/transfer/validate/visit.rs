//! Walking a document: every table in a fixed order, each handed to a [`Visit`] by kind of row.

use crate::id::NodeType;
use crate::transfer::{
    document::Document,
    links::{LinkRow, LinkSection, LinkTables},
    rows::{Node, Row},
};
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
