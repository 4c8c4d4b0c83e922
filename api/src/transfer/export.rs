//! Export: one municipality's content and the shared nodes it refers to, read in one snapshot and sorted so
//! that two exports of the same data are identical but for the time of export.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use oppvekstgraf_entity as entity;
use sea_orm::{
    AccessMode, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    IsolationLevel, QueryFilter, TransactionOptions, TransactionTrait,
};
use uuid::Uuid;

use super::{
    DbContext, TransferError,
    document::{Document, FORMAT, OwnedRows, SharedRows, VERSION},
    links::{LinkRow, LinkSection, LinkTables, OwnedSection, SharedSection},
    rows::{Node, Ref, Row},
};
use crate::{id::NodeType, sql::Sql};
use oppvekstgraf_catalog::LinkDef;

/// Ids per statement in `IN (…)` lists.
const CHUNK: usize = 500;

/// Exports the content of the municipality with kommunenummer `number` (a former number also works). On
/// PostgreSQL everything is read in one repeatable-read snapshot; on SQLite one read transaction gives the
/// same.
pub async fn export(db: &DatabaseConnection, number: &str) -> Result<Document, TransferError> {
    let postgres = db.get_database_backend() == DbBackend::Postgres;
    let options = TransactionOptions {
        isolation_level: postgres.then_some(IsolationLevel::RepeatableRead),
        access_mode: postgres.then_some(AccessMode::ReadOnly),
        sqlite_transaction_mode: None,
    };
    let txn = db
        .begin_with_options(options)
        .await
        .ctx(|| "starting the export's read transaction".into())?;
    let document = read(&txn, number).await?;
    txn.commit()
        .await
        .ctx(|| "ending the export's read transaction".into())?;
    Ok(document)
}

/// The rows of `E` whose `column` is one of `ids`.
async fn rows_where<E: EntityTrait>(
    c: &impl ConnectionTrait,
    column: E::Column,
    ids: &BTreeSet<Uuid>,
) -> Result<Vec<E::Model>, TransferError> {
    let ids: Vec<Uuid> = ids.iter().copied().collect();
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        out.extend(
            E::find()
                .filter(column.is_in(chunk.iter().copied()))
                .all(c)
                .await
                .ctx(|| format!("reading {}", E::default().table_name()))?,
        );
    }
    Ok(out)
}

/// The rows of `E` whose `column` is `id`.
async fn rows_of<E: EntityTrait>(
    c: &impl ConnectionTrait,
    column: E::Column,
    id: Uuid,
) -> Result<Vec<E::Model>, TransferError> {
    E::find()
        .filter(column.eq(id))
        .all(c)
        .await
        .ctx(|| format!("reading {}", E::default().table_name()))
}

/// Shared nodes still to read: every id a row refers to, per table, and those already asked for.
#[derive(Default)]
struct Wants {
    want: BTreeMap<&'static str, BTreeSet<Uuid>>,
    asked: BTreeMap<&'static str, BTreeSet<Uuid>>,
}

impl Wants {
    /// Wants node `id` of `table`.
    fn add(&mut self, table: &'static str, id: Uuid) {
        self.want.entry(table).or_default().insert(id);
    }

    /// Wants every node the foreign keys of `rows` name.
    fn add_refs<R: Row>(&mut self, rows: &[R]) {
        for row in rows {
            for Ref { table, id, .. } in row.refs() {
                self.add(table, id);
            }
        }
    }

    /// Wants both ends of the rows of `def`'s link table.
    fn add_link_refs(&mut self, def: &'static LinkDef, rows: &[LinkRow]) {
        for row in rows {
            for Ref { table, id, .. } in row.refs(def) {
                self.add(table, id);
            }
        }
    }

    /// Marks `ids` as known (owned rows are never read again as shared ones).
    fn known(&mut self, table: &'static str, ids: &BTreeSet<Uuid>) {
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
async fn fetch<N: Node>(
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

/// The rows of `def`'s link table whose column (any of `columns`) is one of `ids`.
async fn link_rows(
    c: &impl ConnectionTrait,
    def: &'static LinkDef,
    columns: &[&str],
    ids: &BTreeSet<Uuid>,
) -> Result<Vec<LinkRow>, TransferError> {
    let ids: Vec<Uuid> = ids.iter().copied().collect();
    let role = if def.has_role() { ", role" } else { "" };
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let marks = Sql::placeholders(chunk.len());
        let condition: Vec<String> = columns
            .iter()
            .map(|col| format!("{col} IN ({marks})"))
            .collect();
        let values: Vec<sea_orm::Value> = columns
            .iter()
            .flat_map(|_| chunk.iter().map(|id| (*id).into()))
            .collect();
        let sql = Sql::with(
            format!(
                "SELECT {} AS l, {} AS r, position{role} FROM {} WHERE {}",
                def.left.column,
                def.right.column,
                def.table,
                condition.join(" OR ")
            ),
            values,
        );
        let rows = c
            .query_all_raw(sql.build(c.get_database_backend()))
            .await
            .ctx(|| format!("reading {}", def.table))?;
        for row in rows {
            let read = || -> Result<LinkRow, sea_orm::DbErr> {
                Ok(LinkRow {
                    left: row.try_get("", "l")?,
                    right: row.try_get("", "r")?,
                    position: row.try_get("", "position")?,
                    role: if def.has_role() {
                        Some(row.try_get("", "role")?)
                    } else {
                        None
                    },
                })
            };
            out.push(read().ctx(|| format!("reading {}", def.table))?);
        }
    }
    Ok(out)
}

/// Reads the shared link tables whose left end is of type `node` for the nodes `ids` just read, and wants
/// what they refer to (the publishers, references, themes and target groups of guidance). Links that touch
/// a municipality are read for the source municipality only.
async fn follow(
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

/// The municipality with this current number, or else with this former number.
async fn municipality(
    c: &impl ConnectionTrait,
    number: &str,
) -> Result<entity::municipality::Model, TransferError> {
    use entity::{municipality, municipality_former_number as former};
    let current = municipality::Entity::find()
        .filter(municipality::Column::Number.eq(number))
        .one(c)
        .await
        .ctx(|| format!("looking up municipality {number}"))?;
    if let Some(found) = current {
        return Ok(found);
    }
    let former = former::Entity::find()
        .filter(former::Column::Number.eq(number))
        .one(c)
        .await
        .ctx(|| format!("looking up former number {number}"))?;
    if let Some(former) = former
        && let Some(found) = municipality::Entity::find_by_id(former.municipality_id)
            .one(c)
            .await
            .ctx(|| format!("looking up municipality {number}"))?
    {
        return Ok(found);
    }
    Err(TransferError::MunicipalityNotFound(number.to_string()))
}

/// Reads the owned rows, then the shared nodes they refer to until nothing new turns up, and sorts.
async fn read(c: &impl ConnectionTrait, number: &str) -> Result<Document, TransferError> {
    use entity::*;
    let source_row = municipality(c, number).await?;
    let id = source_row.id;

    // What the municipality owns.
    let plan_ids: BTreeSet<Uuid> =
        rows_of::<plan_owner::Entity>(c, plan_owner::Column::MunicipalityId, id)
            .await?
            .into_iter()
            .map(|o| o.plan_id)
            .collect();
    let mut owned = OwnedRows {
        plan: rows_where::<plan::Entity>(c, plan::Column::Id, &plan_ids).await?,
        unit: rows_of::<unit::Entity>(c, unit::Column::MunicipalityId, id).await?,
        measure: rows_of::<measure::Entity>(c, measure::Column::MunicipalityId, id).await?,
        goal: rows_where::<goal::Entity>(c, goal::Column::PlanId, &plan_ids).await?,
        plan_adoption: rows_where::<plan_adoption::Entity>(
            c,
            plan_adoption::Column::PlanId,
            &plan_ids,
        )
        .await?,
        adoption: rows_of::<adoption::Entity>(c, adoption::Column::MunicipalityId, id).await?,
        derivation: rows_of::<derivation::Entity>(c, derivation::Column::MunicipalityId, id)
            .await?,
        ..OwnedRows::default()
    };
    let unit_ids: BTreeSet<Uuid> = owned.unit.iter().map(|u| u.id).collect();
    let measure_ids: BTreeSet<Uuid> = owned.measure.iter().map(|m| m.id).collect();
    let owned_ids: BTreeMap<NodeType, &BTreeSet<Uuid>> = [
        (NodeType::Plan, &plan_ids),
        (NodeType::Unit, &unit_ids),
        (NodeType::Measure, &measure_ids),
    ]
    .into();
    for def in LinkTables::<OwnedSection>::defs() {
        // Owned links hang off the municipality's units, plans and measures.
        let Some(ids) = owned_ids.get(&def.left.node) else {
            continue;
        };
        *owned.links.rows_mut(def) = link_rows(c, def, &[def.left.column], ids).await?;
    }

    // The shared nodes all that refers to, and what those refer to in turn.
    let mut wants = Wants::default();
    wants.known("plan", &plan_ids);
    wants.known("unit", &unit_ids);
    wants.add("municipality", id);
    add_owned_refs(&mut wants, &owned);
    for d in &owned.derivation {
        if let Some(source) = d.source_municipality_id {
            wants.add("municipality", source);
        }
    }
    let mut shared = SharedRows::default();
    // The source municipality's own shared edges (neighbours, regions), read at its end.
    let source = BTreeSet::from([id]);
    for def in LinkTables::<SharedSection>::defs().filter(|def| def.touches(NodeType::Municipality))
    {
        let ends: Vec<&str> = [def.left, def.right]
            .iter()
            .filter(|end| end.node == NodeType::Municipality)
            .map(|end| end.column)
            .collect();
        let rows = link_rows(c, def, &ends, &source).await?;
        wants.add_link_refs(def, &rows);
        *shared.links.rows_mut(def) = rows;
    }
    loop {
        let mut asked = false;
        asked |= fetch(c, &mut wants, &mut shared.municipality).await?.0;
        asked |= fetch(c, &mut wants, &mut shared.region).await?.0;
        asked |= fetch(c, &mut wants, &mut shared.publisher).await?.0;
        asked |= fetch(c, &mut wants, &mut shared.theme).await?.0;
        asked |= fetch(c, &mut wants, &mut shared.target_group).await?.0;
        asked |= fetch(c, &mut wants, &mut shared.law).await?.0;
        asked |= fetch(c, &mut wants, &mut shared.legal_reference).await?.0;
        let (more, guidance) = fetch(c, &mut wants, &mut shared.guidance).await?;
        asked |= more;
        follow(
            c,
            &mut wants,
            &mut shared.links,
            NodeType::Guidance,
            &guidance,
        )
        .await?;
        asked |= fetch(c, &mut wants, &mut shared.concept).await?.0;
        asked |= fetch(c, &mut wants, &mut shared.unit).await?.0;
        asked |= fetch(c, &mut wants, &mut shared.plan).await?.0;
        if !asked {
            break;
        }
    }
    let municipality_ids: BTreeSet<Uuid> = shared.municipality.iter().map(|m| m.id).collect();
    shared.municipality_former_number = rows_where::<municipality_former_number::Entity>(
        c,
        municipality_former_number::Column::MunicipalityId,
        &municipality_ids,
    )
    .await?;

    let mut document = Document {
        format: FORMAT.to_string(),
        version: VERSION,
        exported_at: Utc::now(),
        municipality: source_row.number,
        shared,
        owned,
    };
    sort(&mut document);
    Ok(document)
}

/// Wants every node the owned rows refer to.
fn add_owned_refs(wants: &mut Wants, o: &OwnedRows) {
    wants.add_refs(&o.unit);
    wants.add_refs(&o.plan);
    wants.add_refs(&o.plan_adoption);
    wants.add_refs(&o.goal);
    wants.add_refs(&o.measure);
    for (def, rows) in o.links.iter() {
        wants.add_link_refs(def, rows);
    }
}

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
fn sort(d: &mut Document) {
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
