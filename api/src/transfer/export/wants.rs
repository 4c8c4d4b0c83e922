//! Following references during an export: the shared nodes still to read, per table, and reading them (and
//! the links of guidance) until nothing new turns up.

use std::collections::{BTreeMap, BTreeSet};

use oppvekstgraf_catalog::LinkDef;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::query::{link_rows, rows_where};
use crate::id::NodeType;
use crate::transfer::{
    TransferError,
    links::{LinkRow, LinkTables, SharedSection},
    rows::{Node, Ref, Row},
};

/// Shared nodes still to read: every id a row refers to, per table, and those already asked for.
#[derive(Default)]
pub(super) struct Wants {
    want: BTreeMap<&'static str, BTreeSet<Uuid>>,
    asked: BTreeMap<&'static str, BTreeSet<Uuid>>,
}

impl Wants {
    /// Wants node `id` of `table`.
    pub(super) fn add(&mut self, table: &'static str, id: Uuid) {
        self.want.entry(table).or_default().insert(id);
    }

    /// Wants every node the foreign keys of `rows` name.
    pub(super) fn add_refs<R: Row>(&mut self, rows: &[R]) {
        for row in rows {
            for Ref { table, id, .. } in row.refs() {
                self.add(table, id);
            }
        }
    }

    /// Wants both ends of the rows of `def`'s link table.
    pub(super) fn add_link_refs(&mut self, def: &'static LinkDef, rows: &[LinkRow]) {
        for row in rows {
            for Ref { table, id, .. } in row.refs(def) {
                self.add(table, id);
            }
        }
    }

    /// Marks `ids` as known (owned rows are never read again as shared ones).
    pub(super) fn known(&mut self, table: &'static str, ids: &BTreeSet<Uuid>) {
        self.asked.entry(table).or_default().extend(ids);
    }

    /// Ids of `table` wanted and not yet asked for; they count as asked from now on.
    fn take(&mut self, table: &'static str) -> BTreeSet<Uuid> {
        let asked = self.asked.entry(table).or_default();
        let new: BTreeSet<Uuid> = self
            .want
            .get(table)
            .map(|want| want.difference(asked).copied().collect())
            .unwrap_or_default();
        asked.extend(&new);
        new
    }
}

/// Reads the shared nodes of `N` that are wanted and not read yet, and wants what they refer to. Returns
/// whether anything was asked for and the ids read.
pub(super) async fn fetch<N: Node>(
    c: &impl ConnectionTrait,
    wants: &mut Wants,
    into: &mut Vec<N>,
) -> Result<(bool, BTreeSet<Uuid>), TransferError> {
    let ids = wants.take(N::TABLE);
    if ids.is_empty() {
        return Ok((false, ids));
    }
    let rows: Vec<N> = rows_where::<N::Entity>(c, N::id_column(), &ids).await?;
    wants.add_refs(&rows);
    let read = rows.iter().map(Node::id).collect();
    into.extend(rows);
    Ok((true, read))
}

/// Reads the shared link tables whose left end is of type `node` for the nodes `ids` just read, and wants
/// what they refer to (the publishers, references, themes and target groups of guidance). Links that touch
/// a municipality are read for the source municipality only.
pub(super) async fn follow(
    c: &impl ConnectionTrait,
    wants: &mut Wants,
    links: &mut LinkTables<SharedSection>,
    node: NodeType,
    ids: &BTreeSet<Uuid>,
) -> Result<(), TransferError> {
    if ids.is_empty() {
        return Ok(());
    }
    let defs = LinkTables::<SharedSection>::defs()
        .filter(|def| def.left.node == node && !def.touches(NodeType::Municipality));
    for def in defs {
        let rows = link_rows(c, def, &[def.left.column], ids).await?;
        wants.add_link_refs(def, &rows);
        links.rows_mut(def).extend(rows);
    }
    Ok(())
}
