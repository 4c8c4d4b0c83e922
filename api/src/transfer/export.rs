//! Export: one municipality's content and the shared nodes it refers to, read in one snapshot and sorted so
//! that two exports of the same data are identical but for the time of export.

mod query;
mod sort;
mod wants;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use oppvekstgraf_entity as entity;
use sea_orm::{
    AccessMode, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    IsolationLevel, QueryFilter, TransactionOptions, TransactionTrait,
};
use uuid::Uuid;

use self::{
    query::{link_rows, rows_of, rows_where},
    sort::sort,
    wants::{Wants, fetch, follow},
};
use super::{
    DbContext, TransferError,
    document::{Document, FORMAT, OwnedRows, SharedRows, VERSION},
    links::{LinkTables, OwnedSection, SharedSection},
};
use crate::id::NodeType;

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
    let source_row = municipality(c, number).await?;
    let (owned, plan_ids) = read_owned(c, source_row.id).await?;
    let shared = read_shared(c, source_row.id, &owned, &plan_ids).await?;
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

/// What the municipality `id` owns, with the ids of its plans (those it has a plan_owner row for).
async fn read_owned(
    c: &impl ConnectionTrait,
    id: Uuid,
) -> Result<(OwnedRows, BTreeSet<Uuid>), TransferError> {
    use entity::*;
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
    read_owned_links(c, &mut owned, &plan_ids).await?;
    Ok((owned, plan_ids))
}

/// Reads the owned link tables, which hang off the municipality's units, plans (`plan_ids`) and measures.
async fn read_owned_links(
    c: &impl ConnectionTrait,
    owned: &mut OwnedRows,
    plan_ids: &BTreeSet<Uuid>,
) -> Result<(), TransferError> {
    let unit_ids: BTreeSet<Uuid> = owned.unit.iter().map(|u| u.id).collect();
    let measure_ids: BTreeSet<Uuid> = owned.measure.iter().map(|m| m.id).collect();
    let owned_ids: BTreeMap<NodeType, &BTreeSet<Uuid>> = [
        (NodeType::Plan, plan_ids),
        (NodeType::Unit, &unit_ids),
        (NodeType::Measure, &measure_ids),
    ]
    .into();
    for def in LinkTables::<OwnedSection>::defs() {
        let Some(ids) = owned_ids.get(&def.left.node) else {
            continue;
        };
        *owned.links.rows_mut(def) = link_rows(c, def, &[def.left.column], ids).await?;
    }
    Ok(())
}

/// The shared nodes the owned content of municipality `id` refers to, and what those refer to in turn.
async fn read_shared(
    c: &impl ConnectionTrait,
    id: Uuid,
    owned: &OwnedRows,
    plan_ids: &BTreeSet<Uuid>,
) -> Result<SharedRows, TransferError> {
    use entity::municipality_former_number;
    let mut wants = owned_wants(id, owned, plan_ids);
    let mut shared = SharedRows::default();
    read_source_links(c, id, &mut wants, &mut shared).await?;
    while fetch_round(c, &mut wants, &mut shared).await? {}
    let municipality_ids: BTreeSet<Uuid> = shared.municipality.iter().map(|m| m.id).collect();
    shared.municipality_former_number = rows_where::<municipality_former_number::Entity>(
        c,
        municipality_former_number::Column::MunicipalityId,
        &municipality_ids,
    )
    .await?;
    Ok(shared)
}

/// The shared nodes the owned rows of municipality `id` want: the municipality, what the rows refer to and
/// the sources of its copies. Its own plans and units are known already.
fn owned_wants(id: Uuid, owned: &OwnedRows, plan_ids: &BTreeSet<Uuid>) -> Wants {
    let unit_ids: BTreeSet<Uuid> = owned.unit.iter().map(|u| u.id).collect();
    let mut wants = Wants::default();
    wants.known("plan", plan_ids);
    wants.known("unit", &unit_ids);
    wants.add("municipality", id);
    add_owned_refs(&mut wants, owned);
    for d in &owned.derivation {
        if let Some(source) = d.source_municipality_id {
            wants.add("municipality", source);
        }
    }
    wants
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

/// Reads the source municipality's own shared edges (neighbours, regions) at its end, and wants their ends.
async fn read_source_links(
    c: &impl ConnectionTrait,
    id: Uuid,
    wants: &mut Wants,
    shared: &mut SharedRows,
) -> Result<(), TransferError> {
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
    Ok(())
}

/// Reads the wanted shared nodes not read yet, table by table (and the links of new guidance); returns
/// whether anything was asked for.
async fn fetch_round(
    c: &impl ConnectionTrait,
    wants: &mut Wants,
    shared: &mut SharedRows,
) -> Result<bool, TransferError> {
    let mut asked = false;
    asked |= fetch(c, wants, &mut shared.municipality).await?.0;
    asked |= fetch(c, wants, &mut shared.region).await?.0;
    asked |= fetch(c, wants, &mut shared.publisher).await?.0;
    asked |= fetch(c, wants, &mut shared.theme).await?.0;
    asked |= fetch(c, wants, &mut shared.target_group).await?.0;
    asked |= fetch(c, wants, &mut shared.law).await?.0;
    asked |= fetch(c, wants, &mut shared.legal_reference).await?.0;
    let (more, guidance) = fetch(c, wants, &mut shared.guidance).await?;
    asked |= more;
    follow(c, wants, &mut shared.links, NodeType::Guidance, &guidance).await?;
    asked |= fetch(c, wants, &mut shared.concept).await?.0;
    asked |= fetch(c, wants, &mut shared.unit).await?.0;
    asked |= fetch(c, wants, &mut shared.plan).await?.0;
    Ok(asked)
}
