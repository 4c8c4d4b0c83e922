//! Write order within a node table: records that name a parent of their own type come after it.

use std::collections::HashSet;

/// Orders records so that each comes after the record its `parent` names (self-references).
pub(super) fn parents_first<T>(
    items: Vec<&T>,
    key: impl Fn(&T) -> &str,
    parent: impl Fn(&T) -> Option<&str>,
) -> Vec<&T> {
    let mut done: HashSet<String> = HashSet::new();
    let mut pending = items;
    let mut out = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let before = pending.len();
        let (ready, rest): (Vec<&T>, Vec<&T>) = pending
            .into_iter()
            .partition(|t| parent(t).is_none_or(|p| done.contains(p) || p == key(t)));
        for t in &ready {
            done.insert(key(t).to_string());
        }
        out.extend(ready);
        pending = rest;
        if pending.len() == before {
            // A cycle or a parent outside this set: keep the file order (the foreign key reports it).
            out.extend(pending);
            break;
        }
    }
    out
}
