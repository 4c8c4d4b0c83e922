//! Import: validates a document, matches its shared nodes, rewrites every reference through the id map and
//! writes what differs — all in one transaction.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use oppvekstgraf_entity::{self as entity, enums::Status};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, TransactionOptions, TransactionTrait, Value,
};
use uuid::Uuid;

use super::{
    DbContext, TransferError,
    document::Document,
    links::{LinkRow, LinkTables, OwnedSection, SharedSection},
    matching::{Local, locals, match_shared, select},
    report::{ChangeAction, ImportReport, ImportedChange, Skipped},
    rows::{IdMap, Node, Row, Stored, node_table, parents_first},
    validate::{check_document, check_references},
};
use crate::{id::NodeType, sql::Sql};
use oppvekstgraf_catalog::LinkDef;

/// The actor name change-feed events of an import carry.
pub const IMPORT_ACTOR: &str = "import";

/// Imports `document` and commits. Importing the same document again changes nothing.
pub async fn import(
    db: &DatabaseConnection,
    document: &Document,
) -> Result<ImportReport, TransferError> {
    run(db, document, true).await
}

/// Does everything [`import`] does, reports it, and rolls back.
pub async fn import_dry_run(
    db: &DatabaseConnection,
    document: &Document,
) -> Result<ImportReport, TransferError> {
    run(db, document, false).await
}

/// Validates, matches and writes `d` in one transaction; commits when `commit`, rolls back otherwise.
async fn run(
    db: &DatabaseConnection,
    d: &Document,
    commit: bool,
) -> Result<ImportReport, TransferError> {
    let facts = check_document(d)?;
    // On SQLite the transaction takes the write lock at once (BEGIN IMMEDIATE), so nobody writes between
    // what the import reads and what it writes. PostgreSQL ignores the option.
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let txn = db
        .begin_with_options(options)
        .await
        .ctx(|| "starting the import transaction".into())?;
    check_references(&txn, d, &facts).await?;
    let matches = match_shared(&txn, d).await?;
    let mut report = ImportReport::new(&d.municipality);
    report.shared = matches.counts;
    let mut w = Writer {
        txn: &txn,
        source: matches.map.get("municipality", facts.source),
        map: matches.map,
        created: matches.created,
        decisions: HashMap::new(),
        report,
    };
    w.write(d).await?;
    let report = w.report;
    // What the import created or updated goes to the change feed in the same transaction, so neighbours and
    // caches that follow the feed see imported content too (the import writes no revisions).
    if commit {
        let now = chrono::Utc::now();
        let events = report
            .changes
            .iter()
            .map(|c| crate::feed::PendingChange {
                revision_id: None,
                node_type: c.node_type.to_string(),
                node_id: c.node_id,
                action: c.action.as_str().to_string(),
                node_version: c.version,
                municipality_id: c.municipality_id,
                public: c.public,
                actor_name: IMPORT_ACTOR.to_string(),
                created_at: now,
            })
            .collect();
        crate::feed::append(&txn, events)
            .await
            .map_err(|err| TransferError::Database {
                context: "appending the import to the change feed".into(),
                error: sea_orm::DbErr::Custom(format!("{err:?}")),
            })?;
        txn.commit().await.ctx(|| "committing the import".into())?;
    } else {
        txn.rollback()
            .await
            .ctx(|| "rolling back the dry run".into())?;
    }
    Ok(report)
}

/// What happened to a node of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    /// A shared node found here (left as it is).
    Matched,
    /// A shared node new here.
    SharedCreated,
    /// An owned node new here.
    Created,
    /// Replaced by the newer exported version.
    Updated,
    /// Already as exported.
    Unchanged,
    /// Kept as it is here.
    Skipped,
}

/// An edge of a link set as stored: position and role.
type Edge = (i32, Option<String>);

/// The write phase of one import.
struct Writer<'a> {
    txn: &'a DatabaseTransaction,
    /// The source municipality's id here.
    source: Uuid,
    map: IdMap,
    /// Shared nodes (table, id) to create.
    created: HashSet<(&'static str, Uuid)>,
    /// Per node (table, document id): what happened.
    decisions: HashMap<(&'static str, Uuid), Decision>,
    report: ImportReport,
}

impl Writer<'_> {
    /// Writes every table, referenced tables first.
    async fn write(&mut self, d: &Document) -> Result<(), TransferError> {
        let (s, o) = (&d.shared, &d.owned);
        self.nodes(&s.municipality, &[]).await?;
        self.former_numbers(&s.municipality_former_number).await?;
        self.shared_links_of(&s.links, NodeType::Municipality)
            .await?;
        self.nodes(&s.region, &[]).await?;
        self.shared_links_of(&s.links, NodeType::Region).await?;
        self.nodes(&s.publisher, &[]).await?;
        self.nodes(&s.theme, &[]).await?;
        self.nodes(&s.target_group, &[]).await?;
        self.nodes(&s.law, &[]).await?;
        self.nodes(&s.legal_reference, &[]).await?;
        self.nodes(&s.guidance, &[]).await?;
        self.shared_links_of(&s.links, NodeType::Guidance).await?;
        self.nodes(&s.concept, &[]).await?;
        self.nodes(&s.unit, &o.unit).await?;
        self.owned_links_of(&o.links, NodeType::Unit).await?;
        self.nodes(&s.plan, &o.plan).await?;
        self.owned_links_of(&o.links, NodeType::Plan).await?;
        self.nodes(&[], &o.goal).await?;
        self.nodes(&[], &o.measure).await?;
        self.owned_links_of(&o.links, NodeType::Measure).await?;
        self.plan_adoptions(&o.plan_adoption).await?;
        self.adoptions(&o.adoption).await?;
        self.derivations(&o.derivation).await?;
        Ok(())
    }

    /// Records an owned row kept as it is here.
    fn skip(&mut self, table: &str, row: String, reason: String) {
        self.report.owned_mut(table).skipped += 1;
        self.report.skipped.push(Skipped {
            table: table.to_string(),
            row,
            reason,
        });
    }

    /// The feed hook: records a created or updated node.
    fn changed<N: Node>(
        &mut self,
        node: &N,
        action: ChangeAction,
        before: Option<Status>,
        owned: bool,
    ) {
        self.report.changes.push(ImportedChange {
            node_type: N::NODE.name(),
            node_id: node.id(),
            action,
            version: node.version(),
            municipality_id: if owned {
                Some(self.source)
            } else {
                node.municipality()
            },
            public: node.status() == Status::Published || before == Some(Status::Published),
        });
    }

    /// Writes the nodes of one table: shared ones are created when they are new here (matched ones are left
    /// alone); owned ones are upserted by id and version. Parents are written before their children.
    async fn nodes<N: Node>(&mut self, shared: &[N], owned: &[N]) -> Result<(), TransferError> {
        let rows: Vec<(bool, &N)> = shared
            .iter()
            .map(|r| (false, r))
            .chain(owned.iter().map(|r| (true, r)))
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        let rows = parents_first(rows, |(_, r)| r.id(), |(_, r)| r.parent());
        let ids: BTreeSet<Uuid> = owned.iter().map(Node::id).collect();
        let local: HashMap<Uuid, N> = load::<N>(self.txn, &ids).await?;
        let slugs: Vec<Value> = owned.iter().map(|r| Value::from(r.slug())).collect();
        let slug_owners: HashMap<String, Local> = locals::<N>(self.txn, "slug", slugs)
            .await?
            .into_iter()
            .map(|l| (l.slug.clone(), l))
            .collect();
        for (is_owned, row) in rows {
            let mut new = row.clone();
            new.remap(&self.map);
            if !is_owned {
                let decision = if self.created.contains(&(N::TABLE, row.id())) {
                    insert(self.txn, new.clone()).await?;
                    self.changed(&new, ChangeAction::Created, None, false);
                    Decision::SharedCreated
                } else {
                    Decision::Matched
                };
                self.decisions.insert((N::TABLE, row.id()), decision);
                continue;
            }
            let slug_taken = slug_owners
                .get(new.slug())
                .filter(|l| l.id != new.id())
                .map(|l| {
                    TransferError::collision(
                        N::TABLE,
                        new.id(),
                        format!(
                            "the slug {:?} already belongs to {} {} here",
                            new.slug(),
                            N::TABLE,
                            l.id
                        ),
                    )
                });
            let decision = match local.get(&new.id()) {
                None => {
                    if let Some(error) = slug_taken {
                        return Err(error);
                    }
                    insert(self.txn, new.clone()).await?;
                    self.changed(&new, ChangeAction::Created, None, true);
                    self.report.owned_mut(N::TABLE).created += 1;
                    Decision::Created
                }
                Some(old) if old.municipality() != new.municipality() => {
                    return Err(TransferError::collision(
                        N::TABLE,
                        new.id(),
                        "a node with this id exists here and belongs to another municipality",
                    ));
                }
                Some(old) if *old == new => {
                    self.report.owned_mut(N::TABLE).unchanged += 1;
                    Decision::Unchanged
                }
                Some(old) if new.version() > old.version() => {
                    if let Some(error) = slug_taken {
                        return Err(error);
                    }
                    let before = old.status();
                    update(self.txn, new.clone()).await?;
                    self.changed(&new, ChangeAction::Updated, Some(before), true);
                    self.report.owned_mut(N::TABLE).updated += 1;
                    Decision::Updated
                }
                Some(old) => {
                    let reason = if old.version() > new.version() {
                        format!(
                            "the local version {} is newer than the exported version {}; kept the local one",
                            old.version(),
                            new.version()
                        )
                    } else {
                        format!(
                            "the local row differs at the same version {}; kept the local one",
                            old.version()
                        )
                    };
                    self.skip(N::TABLE, new.label(), reason);
                    Decision::Skipped
                }
            };
            self.decisions.insert((N::TABLE, row.id()), decision);
        }
        Ok(())
    }

    /// Former numbers of municipalities created here (a matched municipality keeps its own).
    async fn former_numbers(
        &mut self,
        rows: &[entity::municipality_former_number::Model],
    ) -> Result<(), TransferError> {
        for row in rows {
            if self.decisions.get(&("municipality", row.municipality_id))
                == Some(&Decision::SharedCreated)
            {
                let mut new = row.clone();
                new.remap(&self.map);
                insert(self.txn, new).await?;
                self.report
                    .links_mut(entity::municipality_former_number::Model::TABLE)
                    .inserted += 1;
            }
        }
        Ok(())
    }

    /// The shared link tables whose left end is of type `node` (see [`Self::shared_links`]).
    async fn shared_links_of(
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
    async fn owned_links_of(
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
        let (left_col, left_table) = (def.left.column, node_table(def.left.node));
        let right_col = def.right.column;
        let table = def.table;
        let lefts: BTreeSet<Uuid> = self
            .decisions
            .iter()
            .filter(|((table, _), d)| {
                *table == left_table
                    && matches!(
                        d,
                        Decision::Created | Decision::Updated | Decision::Unchanged
                    )
            })
            .map(|((_, id), _)| self.map.get(left_table, *id))
            .collect();
        if lefts.is_empty() {
            return Ok(());
        }
        let mut desired: BTreeMap<Uuid, BTreeMap<Uuid, Edge>> =
            lefts.iter().map(|l| (*l, BTreeMap::new())).collect();
        for row in rows {
            let mut new = row.clone();
            new.remap(def, &self.map);
            if let Some(set) = desired.get_mut(&new.left) {
                set.insert(new.right, (new.position, new.role));
            }
        }
        let role = if def.has_role() { ", role" } else { "" };
        let values: Vec<Value> = lefts.iter().map(|id| (*id).into()).collect();
        let found = select(
            self.txn,
            &format!("SELECT {left_col} AS l, {right_col} AS r, position{role} FROM {table}"),
            left_col,
            values,
        )
        .await?;
        let mut local: BTreeMap<Uuid, BTreeMap<Uuid, Edge>> = BTreeMap::new();
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
        let empty = BTreeMap::new();
        for (left, want) in &desired {
            let have = local.get(left).unwrap_or(&empty);
            if want == have {
                continue;
            }
            for right in have.keys().filter(|r| !want.contains_key(r)) {
                let sql = Sql::with(
                    format!("DELETE FROM {table} WHERE {left_col} = ? AND {right_col} = ?"),
                    vec![(*left).into(), (*right).into()],
                );
                self.execute(sql, table).await?;
                self.report.links_mut(table).deleted += 1;
            }
            for (right, edge) in want {
                match have.get(right) {
                    Some(old) if old == edge => {}
                    Some(_) => {
                        let (set, mut values) = match &edge.1 {
                            Some(role) => (
                                "position = ?, role = ?",
                                vec![edge.0.into(), role.clone().into()],
                            ),
                            None => ("position = ?", vec![edge.0.into()]),
                        };
                        values.push((*left).into());
                        values.push((*right).into());
                        let sql = Sql::with(
                            format!(
                                "UPDATE {table} SET {set} WHERE {left_col} = ? AND {right_col} = ?"
                            ),
                            values,
                        );
                        self.execute(sql, table).await?;
                        self.report.links_mut(table).updated += 1;
                    }
                    None => {
                        insert_edge(self.txn, def, *left, *right, edge).await?;
                        self.report.links_mut(table).inserted += 1;
                    }
                }
            }
        }
        Ok(())
    }

    /// Runs a write statement on `table`.
    async fn execute(&self, sql: Sql, table: &str) -> Result<(), TransferError> {
        let backend = self.txn.get_database_backend();
        self.txn
            .execute_raw(sql.build(backend))
            .await
            .ctx(|| format!("writing {table}"))?;
        Ok(())
    }

    /// Each owner's adoption of the plans: upserted by (plan, owner) and `updated_at`. An adoption whose
    /// owner edge is not here (its plan was kept as it is here) is skipped.
    async fn plan_adoptions(
        &mut self,
        rows: &[entity::plan_adoption::Model],
    ) -> Result<(), TransferError> {
        use entity::{plan_adoption, plan_owner};
        if rows.is_empty() {
            return Ok(());
        }
        let plans: Vec<Uuid> = rows
            .iter()
            .map(|r| self.map.get("plan", r.plan_id))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let owners: HashSet<(Uuid, Uuid)> = plan_owner::Entity::find()
            .filter(plan_owner::Column::PlanId.is_in(plans.clone()))
            .all(self.txn)
            .await
            .ctx(|| "reading plan_owner".into())?
            .into_iter()
            .map(|o| (o.plan_id, o.municipality_id))
            .collect();
        let local: HashMap<(Uuid, Uuid), plan_adoption::Model> = plan_adoption::Entity::find()
            .filter(plan_adoption::Column::PlanId.is_in(plans))
            .all(self.txn)
            .await
            .ctx(|| "reading plan_adoption".into())?
            .into_iter()
            .map(|a| ((a.plan_id, a.municipality_id), a))
            .collect();
        for row in rows {
            let mut new = row.clone();
            new.remap(&self.map);
            let key = (new.plan_id, new.municipality_id);
            if !owners.contains(&key) {
                self.skip(
                    plan_adoption::Model::TABLE,
                    new.label(),
                    "the plan does not have this owner here (the local plan was kept)".into(),
                );
                continue;
            }
            match local.get(&key) {
                None => {
                    insert(self.txn, new).await?;
                    self.report.owned_mut(plan_adoption::Model::TABLE).created += 1;
                }
                Some(old) if *old == new => {
                    self.report.owned_mut(plan_adoption::Model::TABLE).unchanged += 1;
                }
                Some(old) if new.updated_at > old.updated_at => {
                    update(self.txn, new).await?;
                    self.report.owned_mut(plan_adoption::Model::TABLE).updated += 1;
                }
                Some(old) => {
                    let reason = format!(
                        "the local row (updated {}) is not older than the exported one (updated {}); kept the local one",
                        old.updated_at, new.updated_at
                    );
                    self.skip(plan_adoption::Model::TABLE, new.label(), reason);
                }
            }
        }
        Ok(())
    }

    /// The municipality's adoptions by reference: upserted by id; the document's row wins (an adoption has
    /// no version, and the exporting municipality is its owner).
    async fn adoptions(&mut self, rows: &[entity::adoption::Model]) -> Result<(), TransferError> {
        use entity::adoption;
        if rows.is_empty() {
            return Ok(());
        }
        let ids: BTreeSet<Uuid> = rows.iter().map(|r| r.id).collect();
        let local: HashMap<Uuid, adoption::Model> = adoption::Entity::find()
            .filter(adoption::Column::Id.is_in(ids))
            .all(self.txn)
            .await
            .ctx(|| "reading adoption".into())?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let by_source: HashMap<Uuid, Uuid> = adoption::Entity::find()
            .filter(adoption::Column::MunicipalityId.eq(self.source))
            .all(self.txn)
            .await
            .ctx(|| "reading adoption".into())?
            .into_iter()
            .map(|a| (a.source_id, a.id))
            .collect();
        for row in rows {
            let mut new = row.clone();
            new.remap(&self.map);
            if let Some(other) = by_source.get(&new.source_id).filter(|o| **o != new.id) {
                return Err(TransferError::collision(
                    adoption::Model::TABLE,
                    new.id,
                    format!(
                        "the municipality already adopts {} {} here, as adoption {other}",
                        new.node_type, new.source_id
                    ),
                ));
            }
            let counts = self.report.owned_mut(adoption::Model::TABLE);
            match local.get(&new.id) {
                None => {
                    counts.created += 1;
                    insert(self.txn, new).await?;
                }
                Some(old) if *old == new => counts.unchanged += 1,
                Some(_) => {
                    counts.updated += 1;
                    update(self.txn, new).await?;
                }
            }
        }
        Ok(())
    }

    /// Derivations of the municipality's copies: upserted by id; a newer `upstream_synced_at` wins.
    async fn derivations(
        &mut self,
        rows: &[entity::derivation::Model],
    ) -> Result<(), TransferError> {
        use entity::derivation;
        if rows.is_empty() {
            return Ok(());
        }
        let ids: BTreeSet<Uuid> = rows.iter().map(|r| r.id).collect();
        let local: HashMap<Uuid, derivation::Model> = derivation::Entity::find()
            .filter(derivation::Column::Id.is_in(ids))
            .all(self.txn)
            .await
            .ctx(|| "reading derivation".into())?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let nodes: BTreeSet<Uuid> = rows
            .iter()
            .map(|r| {
                let mut new = r.clone();
                new.remap(&self.map);
                new.node_id
            })
            .collect();
        let by_node: HashMap<Uuid, Uuid> = derivation::Entity::find()
            .filter(derivation::Column::NodeId.is_in(nodes))
            .all(self.txn)
            .await
            .ctx(|| "reading derivation".into())?
            .into_iter()
            .map(|a| (a.node_id, a.id))
            .collect();
        for row in rows {
            let mut new = row.clone();
            new.remap(&self.map);
            if let Some(other) = by_node.get(&new.node_id).filter(|o| **o != new.id) {
                return Err(TransferError::collision(
                    derivation::Model::TABLE,
                    new.id,
                    format!(
                        "{} {} already has a derivation here ({other})",
                        new.node_type, new.node_id
                    ),
                ));
            }
            match local.get(&new.id) {
                None => {
                    insert(self.txn, new).await?;
                    self.report.owned_mut(derivation::Model::TABLE).created += 1;
                }
                Some(old) if *old == new => {
                    self.report.owned_mut(derivation::Model::TABLE).unchanged += 1;
                }
                Some(old) if new.upstream_synced_at > old.upstream_synced_at => {
                    update(self.txn, new).await?;
                    self.report.owned_mut(derivation::Model::TABLE).updated += 1;
                }
                Some(old) => {
                    let reason = format!(
                        "the local row (upstream synced {}) is not older than the exported one ({}); kept the local one",
                        old.upstream_synced_at, new.upstream_synced_at
                    );
                    self.skip(derivation::Model::TABLE, new.label(), reason);
                }
            }
        }
        Ok(())
    }
}

/// The nodes of `N` with these ids, by id.
async fn load<N: Node>(
    c: &impl ConnectionTrait,
    ids: &BTreeSet<Uuid>,
) -> Result<HashMap<Uuid, N>, TransferError> {
    let ids: Vec<Uuid> = ids.iter().copied().collect();
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<N> = N::Entity::find()
            .filter(N::id_column().is_in(chunk.iter().copied()))
            .all(c)
            .await
            .ctx(|| format!("reading {}", N::TABLE))?;
        out.extend(rows.into_iter().map(|r| (r.id(), r)));
    }
    Ok(out)
}

/// Inserts a row with every column as given.
async fn insert<S: Stored>(c: &impl ConnectionTrait, row: S) -> Result<(), TransferError> {
    let label = row.label();
    S::Entity::insert(row.into_active().reset_all())
        .exec_without_returning(c)
        .await
        .ctx(|| format!("inserting {label}"))?;
    Ok(())
}

/// Overwrites a row with every column as given.
async fn update<S: Stored>(c: &impl ConnectionTrait, row: S) -> Result<(), TransferError> {
    let label = row.label();
    S::Entity::update(row.into_active().reset_all())
        .exec_without_returning(c)
        .await
        .ctx(|| format!("updating {label}"))?;
    Ok(())
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
