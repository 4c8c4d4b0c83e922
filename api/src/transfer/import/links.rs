//! Writing link tables: edges between shared nodes are added when one end is new here; the link sets of
//! owned nodes become exactly the exported sets, changing only the rows that differ.

use std::collections::{BTreeMap, BTreeSet};

use oppvekstgraf_catalog::LinkDef;
use sea_orm::{ConnectionTrait, Value};
use uuid::Uuid;

use super::{Decision, Edge, Writer};
use crate::transfer::{
    DbContext, TransferError,
    links::{LinkRow, LinkTables, OwnedSection, SharedSection},
    matching::select,
    rows::node_table,
};
use crate::{id::NodeType, sql::Sql};

/// Link sets by left end: each left node's edges by right end.
type LinkSets = BTreeMap<Uuid, BTreeMap<Uuid, Edge>>;

impl Writer<'_> {
    /// The shared link tables whose left end is of type `node` (see [`Self::shared_links`]).
    pub(super) async fn shared_links_of(
        &mut self,
        links: &LinkTables<SharedSection>,
        node: NodeType,
    ) -> Result<(), TransferError> {
        for (def, rows) in links.iter().filter(|(def, _)| def.left.node == node) {
            self.shared_links(def, rows).await?;
        }
        Ok(())
    }

    /// The owned link tables whose left end is of type `node` (see [`Self::owned_links`]).
    pub(super) async fn owned_links_of(
        &mut self,
        links: &LinkTables<OwnedSection>,
        node: NodeType,
    ) -> Result<(), TransferError> {
        for (def, rows) in links.iter().filter(|(def, _)| def.left.node == node) {
            self.owned_links(def, rows).await?;
        }
        Ok(())
    }

    /// Links between shared nodes: an edge is added when at least one of its ends was created by this
    /// import (a new node brings its edges to what is here). Edges between two nodes that were here already
    /// are left as they are, and nothing is removed: this installation's registry wins.
    async fn shared_links(
        &mut self,
        def: &'static LinkDef,
        rows: &[LinkRow],
    ) -> Result<(), TransferError> {
        let (left_table, right_table) = (node_table(def.left.node), node_table(def.right.node));
        for row in rows {
            let new_here = |table: &'static str, id: Uuid| {
                self.decisions.get(&(table, id)) == Some(&Decision::SharedCreated)
            };
            if !new_here(left_table, row.left) && !new_here(right_table, row.right) {
                continue;
            }
            let mut new = row.clone();
            new.remap(def, &self.map);
            insert_edge(
                self.txn,
                def,
                new.left,
                new.right,
                &(new.position, new.role.clone()),
            )
            .await?;
            self.report.links_mut(def.table).inserted += 1;
        }
        Ok(())
    }

    /// The link sets of owned nodes that were created, updated or already current: each becomes exactly the
    /// exported set, changing only the rows that differ. A node kept as it is here keeps its links.
    async fn owned_links(
        &mut self,
        def: &'static LinkDef,
        rows: &[LinkRow],
    ) -> Result<(), TransferError> {
        let lefts = self.current_lefts(def);
        if lefts.is_empty() {
            return Ok(());
        }
        let desired = self.desired_sets(def, rows, &lefts);
        let local = stored_sets(self.txn, def, &lefts).await?;
        let empty = BTreeMap::new();
        for (left, want) in &desired {
            let have = local.get(left).unwrap_or(&empty);
            if want != have {
                self.sync_set(def, *left, want, have).await?;
            }
        }
        Ok(())
    }

    /// The local ids of the nodes at `def`'s left end that were created, updated or already current.
    fn current_lefts(&self, def: &LinkDef) -> BTreeSet<Uuid> {
        let left_table = node_table(def.left.node);
        self.decisions
            .iter()
            .filter(|((table, _), d)| {
                *table == left_table
                    && matches!(
                        d,
                        Decision::Created | Decision::Updated | Decision::Unchanged
                    )
            })
            .map(|((_, id), _)| self.map.get(left_table, *id))
            .collect()
    }

    /// The exported link set of each of `lefts` (empty when it has no rows), in local ids.
    fn desired_sets(&self, def: &LinkDef, rows: &[LinkRow], lefts: &BTreeSet<Uuid>) -> LinkSets {
        let mut desired: LinkSets = lefts.iter().map(|l| (*l, BTreeMap::new())).collect();
        for row in rows {
            let mut new = row.clone();
            new.remap(def, &self.map);
            if let Some(set) = desired.get_mut(&new.left) {
                set.insert(new.right, (new.position, new.role));
            }
        }
        desired
    }

    /// Turns the stored link set `have` of `left` into `want`: deletes, updates and inserts what differs.
    async fn sync_set(
        &mut self,
        def: &'static LinkDef,
        left: Uuid,
        want: &BTreeMap<Uuid, Edge>,
        have: &BTreeMap<Uuid, Edge>,
    ) -> Result<(), TransferError> {
        let table = def.table;
        for right in have.keys().filter(|r| !want.contains_key(r)) {
            self.delete_edge(def, left, *right).await?;
            self.report.links_mut(table).deleted += 1;
        }
        for (right, edge) in want {
            match have.get(right) {
                Some(old) if old == edge => {}
                Some(_) => {
                    self.update_edge(def, left, *right, edge).await?;
                    self.report.links_mut(table).updated += 1;
                }
                None => {
                    insert_edge(self.txn, def, left, *right, edge).await?;
                    self.report.links_mut(table).inserted += 1;
                }
            }
        }
        Ok(())
    }

    /// Deletes the edge (`left`, `right`) of `def`'s link table.
    async fn delete_edge(
        &self,
        def: &LinkDef,
        left: Uuid,
        right: Uuid,
    ) -> Result<(), TransferError> {
        let (table, left_col, right_col) = (def.table, def.left.column, def.right.column);
        let sql = Sql::with(
            format!("DELETE FROM {table} WHERE {left_col} = ? AND {right_col} = ?"),
            vec![left.into(), right.into()],
        );
        self.execute(sql, table).await
    }

    /// Sets the position and role of the edge (`left`, `right`) of `def`'s link table.
    async fn update_edge(
        &self,
        def: &LinkDef,
        left: Uuid,
        right: Uuid,
        edge: &Edge,
    ) -> Result<(), TransferError> {
        let (table, left_col, right_col) = (def.table, def.left.column, def.right.column);
        let (set, mut values) = match &edge.1 {
            Some(role) => (
                "position = ?, role = ?",
                vec![edge.0.into(), role.clone().into()],
            ),
            None => ("position = ?", vec![edge.0.into()]),
        };
        values.push(left.into());
        values.push(right.into());
        let sql = Sql::with(
            format!("UPDATE {table} SET {set} WHERE {left_col} = ? AND {right_col} = ?"),
            values,
        );
        self.execute(sql, table).await
    }
}

/// The link sets of `lefts` as stored in `def`'s table.
async fn stored_sets(
    c: &impl ConnectionTrait,
    def: &LinkDef,
    lefts: &BTreeSet<Uuid>,
) -> Result<LinkSets, TransferError> {
    let (table, left_col, right_col) = (def.table, def.left.column, def.right.column);
    let role = if def.has_role() { ", role" } else { "" };
    let values: Vec<Value> = lefts.iter().map(|id| (*id).into()).collect();
    let found = select(
        c,
        &format!("SELECT {left_col} AS l, {right_col} AS r, position{role} FROM {table}"),
        left_col,
        values,
    )
    .await?;
    let mut local: LinkSets = BTreeMap::new();
    for row in found {
        let read = || -> Result<(Uuid, Uuid, Edge), sea_orm::DbErr> {
            let role = if def.has_role() {
                Some(row.try_get::<String>("", "role")?)
            } else {
                None
            };
            Ok((
                row.try_get("", "l")?,
                row.try_get("", "r")?,
                (row.try_get("", "position")?, role),
            ))
        };
        let (left, right, edge) = read().ctx(|| format!("reading {table}"))?;
        local.entry(left).or_default().insert(right, edge);
    }
    Ok(local)
}

/// Inserts one edge of `def`'s link table.
async fn insert_edge(
    c: &impl ConnectionTrait,
    def: &LinkDef,
    left: Uuid,
    right: Uuid,
    (position, role): &Edge,
) -> Result<(), TransferError> {
    let (left_col, right_col) = (def.left.column, def.right.column);
    let mut values: Vec<Value> = vec![left.into(), right.into(), (*position).into()];
    let columns = match role {
        Some(role) => {
            values.push(role.clone().into());
            format!("{left_col}, {right_col}, position, role")
        }
        None => format!("{left_col}, {right_col}, position"),
    };
    let sql = Sql::with(
        format!(
            "INSERT INTO {} ({columns}) VALUES ({})",
            def.table,
            Sql::placeholders(values.len())
        ),
        values,
    );
    c.execute_raw(sql.build(c.get_database_backend()))
        .await
        .ctx(|| format!("inserting into {}", def.table))?;
    Ok(())
}
