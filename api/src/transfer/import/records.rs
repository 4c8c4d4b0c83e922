//! Writing the owned rows that are not nodes: each owner's adoption of the plans, the municipality's
//! adoptions by reference, and the derivations of its copies.

use std::collections::{BTreeSet, HashMap, HashSet};

use oppvekstgraf_entity as entity;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    Writer,
    store::{insert, update},
};
use crate::transfer::{DbContext, TransferError, rows::Row};

impl Writer<'_> {
    /// Each owner's adoption of the plans: upserted by (plan, owner) and `updated_at`. An adoption whose
    /// owner edge is not here (its plan was kept as it is here) is skipped.
    pub(super) async fn plan_adoptions(
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
    pub(super) async fn adoptions(
        &mut self,
        rows: &[entity::adoption::Model],
    ) -> Result<(), TransferError> {
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
    pub(super) async fn derivations(
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
