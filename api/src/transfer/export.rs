//! Export: one municipality's content and the shared nodes it refers to, read in one snapshot and sorted so
//! that two exports of the same data are identical but for the time of export.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use oppvekstgraf_entity as entity;
use sea_orm::{
    AccessMode, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend,
    EntityTrait, IsolationLevel, QueryFilter, TransactionOptions, TransactionTrait,
};
use uuid::Uuid;

use super::{
    DbContext, TransferError,
    document::{Document, FORMAT, OwnedRows, SharedRows, VERSION},
    rows::{Link, Node, Ref, Row},
};

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
    let source = municipality(c, number).await?;
    let id = source.id;

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
        plan_owner: rows_where::<plan_owner::Entity>(c, plan_owner::Column::PlanId, &plan_ids)
            .await?,
        plan_adoption: rows_where::<plan_adoption::Entity>(
            c,
            plan_adoption::Column::PlanId,
            &plan_ids,
        )
        .await?,
        plan_legal_reference: rows_where::<plan_legal_reference::Entity>(
            c,
            plan_legal_reference::Column::PlanId,
            &plan_ids,
        )
        .await?,
        plan_guidance: rows_where::<plan_guidance::Entity>(
            c,
            plan_guidance::Column::PlanId,
            &plan_ids,
        )
        .await?,
        plan_theme: rows_where::<plan_theme::Entity>(c, plan_theme::Column::PlanId, &plan_ids)
            .await?,
        plan_target_group: rows_where::<plan_target_group::Entity>(
            c,
            plan_target_group::Column::PlanId,
            &plan_ids,
        )
        .await?,
        plan_concept: rows_where::<plan_concept::Entity>(
            c,
            plan_concept::Column::PlanId,
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
    owned.unit_member =
        rows_where::<unit_member::Entity>(c, unit_member::Column::UnitId, &unit_ids).await?;
    owned.measure_unit =
        rows_where::<measure_unit::Entity>(c, measure_unit::Column::MeasureId, &measure_ids)
            .await?;
    owned.measure_legal_reference = rows_where::<measure_legal_reference::Entity>(
        c,
        measure_legal_reference::Column::MeasureId,
        &measure_ids,
    )
    .await?;
    owned.measure_guidance = rows_where::<measure_guidance::Entity>(
        c,
        measure_guidance::Column::MeasureId,
        &measure_ids,
    )
    .await?;
    owned.measure_theme =
        rows_where::<measure_theme::Entity>(c, measure_theme::Column::MeasureId, &measure_ids)
            .await?;
    owned.measure_target_group = rows_where::<measure_target_group::Entity>(
        c,
        measure_target_group::Column::MeasureId,
        &measure_ids,
    )
    .await?;
    owned.measure_related_plan = rows_where::<measure_related_plan::Entity>(
        c,
        measure_related_plan::Column::MeasureId,
        &measure_ids,
    )
    .await?;

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
    let mut shared = SharedRows {
        municipality_neighbour: municipality_neighbour::Entity::find()
            .filter(
                Condition::any()
                    .add(municipality_neighbour::Column::MunicipalityId.eq(id))
                    .add(municipality_neighbour::Column::NeighbourId.eq(id)),
            )
            .all(c)
            .await
            .ctx(|| "reading municipality_neighbour".into())?,
        region_member: rows_of::<region_member::Entity>(
            c,
            region_member::Column::MunicipalityId,
            id,
        )
        .await?,
        ..SharedRows::default()
    };
    wants.add_refs(&shared.municipality_neighbour);
    wants.add_refs(&shared.region_member);
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
        if !guidance.is_empty() {
            let publishers = rows_where::<guidance_publisher::Entity>(
                c,
                guidance_publisher::Column::GuidanceId,
                &guidance,
            )
            .await?;
            let references = rows_where::<guidance_legal_reference::Entity>(
                c,
                guidance_legal_reference::Column::GuidanceId,
                &guidance,
            )
            .await?;
            let themes = rows_where::<guidance_theme::Entity>(
                c,
                guidance_theme::Column::GuidanceId,
                &guidance,
            )
            .await?;
            let groups = rows_where::<guidance_target_group::Entity>(
                c,
                guidance_target_group::Column::GuidanceId,
                &guidance,
            )
            .await?;
            wants.add_refs(&publishers);
            wants.add_refs(&references);
            wants.add_refs(&themes);
            wants.add_refs(&groups);
            shared.guidance_publisher.extend(publishers);
            shared.guidance_legal_reference.extend(references);
            shared.guidance_theme.extend(themes);
            shared.guidance_target_group.extend(groups);
        }
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
        municipality: source.number,
        shared,
        owned,
    };
    sort(&mut document);
    Ok(document)
}

/// Wants every node the owned rows refer to.
fn add_owned_refs(wants: &mut Wants, o: &OwnedRows) {
    wants.add_refs(&o.unit);
    wants.add_refs(&o.unit_member);
    wants.add_refs(&o.plan);
    wants.add_refs(&o.plan_owner);
    wants.add_refs(&o.plan_adoption);
    wants.add_refs(&o.plan_legal_reference);
    wants.add_refs(&o.plan_guidance);
    wants.add_refs(&o.plan_theme);
    wants.add_refs(&o.plan_target_group);
    wants.add_refs(&o.plan_concept);
    wants.add_refs(&o.goal);
    wants.add_refs(&o.measure);
    wants.add_refs(&o.measure_unit);
    wants.add_refs(&o.measure_legal_reference);
    wants.add_refs(&o.measure_guidance);
    wants.add_refs(&o.measure_theme);
    wants.add_refs(&o.measure_target_group);
    wants.add_refs(&o.measure_related_plan);
}

/// Sorts nodes by id.
fn by_id<N: Node>(rows: &mut [N]) {
    rows.sort_by_key(Node::id);
}

/// Sorts link rows by (left, right).
fn by_ends<L: Link>(rows: &mut [L]) {
    rows.sort_by_key(|r| (r.left(), r.right()));
}

/// Sorts every table: nodes and id-keyed rows by id, links by their two ends.
fn sort(d: &mut Document) {
    let s = &mut d.shared;
    by_id(&mut s.municipality);
    s.municipality_former_number.sort_by_key(|f| f.id);
    by_ends(&mut s.municipality_neighbour);
    by_id(&mut s.region);
    by_ends(&mut s.region_member);
    by_id(&mut s.publisher);
    by_id(&mut s.theme);
    by_id(&mut s.target_group);
    by_id(&mut s.law);
    by_id(&mut s.legal_reference);
    by_id(&mut s.guidance);
    by_ends(&mut s.guidance_publisher);
    by_ends(&mut s.guidance_legal_reference);
    by_ends(&mut s.guidance_theme);
    by_ends(&mut s.guidance_target_group);
    by_id(&mut s.concept);
    by_id(&mut s.unit);
    by_id(&mut s.plan);
    let o = &mut d.owned;
    by_id(&mut o.unit);
    by_ends(&mut o.unit_member);
    by_id(&mut o.plan);
    by_ends(&mut o.plan_owner);
    o.plan_adoption
        .sort_by_key(|a| (a.plan_id, a.municipality_id));
    by_ends(&mut o.plan_legal_reference);
    by_ends(&mut o.plan_guidance);
    by_ends(&mut o.plan_theme);
    by_ends(&mut o.plan_target_group);
    by_ends(&mut o.plan_concept);
    by_id(&mut o.goal);
    by_id(&mut o.measure);
    by_ends(&mut o.measure_unit);
    by_ends(&mut o.measure_legal_reference);
    by_ends(&mut o.measure_guidance);
    by_ends(&mut o.measure_theme);
    by_ends(&mut o.measure_target_group);
    by_ends(&mut o.measure_related_plan);
    o.adoption.sort_by_key(|a| a.id);
    o.derivation.sort_by_key(|a| a.id);
}
