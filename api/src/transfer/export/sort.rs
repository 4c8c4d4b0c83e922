//! Sorting an exported document, so that two exports of the same data are identical.

use crate::transfer::{
    document::Document,
    links::{LinkSection, LinkTables},
    rows::Node,
};

/// Sorts nodes by id.
fn by_id<N: Node>(rows: &mut [N]) {
    rows.sort_by_key(Node::id);
}

/// Sorts the rows of every link table by (left, right).
fn by_ends<S: LinkSection>(links: &mut LinkTables<S>) {
    for def in LinkTables::<S>::defs() {
        links.rows_mut(def).sort_by_key(|r| (r.left, r.right));
    }
}

/// Sorts every table: nodes and id-keyed rows by id, links by their two ends.
pub(super) fn sort(d: &mut Document) {
    let s = &mut d.shared;
    by_id(&mut s.municipality);
    s.municipality_former_number.sort_by_key(|f| f.id);
    by_id(&mut s.region);
    by_id(&mut s.publisher);
    by_id(&mut s.theme);
    by_id(&mut s.target_group);
    by_id(&mut s.law);
    by_id(&mut s.legal_reference);
    by_id(&mut s.guidance);
    by_id(&mut s.concept);
    by_id(&mut s.unit);
    by_id(&mut s.plan);
    let o = &mut d.owned;
    by_id(&mut o.unit);
    by_id(&mut o.plan);
    o.plan_adoption
        .sort_by_key(|a| (a.plan_id, a.municipality_id));
    by_id(&mut o.goal);
    by_id(&mut o.measure);
    by_ends(&mut d.shared.links);
    by_ends(&mut d.owned.links);
    let o = &mut d.owned;
    o.adoption.sort_by_key(|a| a.id);
    o.derivation.sort_by_key(|a| a.id);
}
