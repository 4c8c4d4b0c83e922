//! Writing node tables: shared nodes new here are created and matched ones left alone; owned nodes are
//! upserted by id and version. With them, the former numbers of municipalities created here.

use std::collections::{BTreeSet, HashMap};

use oppvekstgraf_entity as entity;
use sea_orm::Value;
use uuid::Uuid;

use super::{
    Decision, Writer,
    store::{insert, load, update},
};
use crate::transfer::{
    TransferError,
    matching::{Local, locals},
    report::ChangeAction,
    rows::{Node, Row, parents_first},
};

/// What is here already of the owned nodes of one table.
struct Here<N> {
    /// The local nodes with the owned rows' ids, by id.
    nodes: HashMap<Uuid, N>,
    /// The local nodes holding the owned rows' slugs, by slug.
    slugs: HashMap<String, Local>,
}

impl Writer<'_> {
    /// Writes the nodes of one table: shared ones are created when they are new here (matched ones are left
    /// alone); owned ones are upserted by id and version. Parents are written before their children.
    pub(super) async fn nodes<N: Node>(
        &mut self,
        shared: &[N],
        owned: &[N],
    ) -> Result<(), TransferError> {
        let rows: Vec<(bool, &N)> = shared
            .iter()
            .map(|r| (false, r))
            .chain(owned.iter().map(|r| (true, r)))
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        let rows = parents_first(rows, |(_, r)| r.id(), |(_, r)| r.parent());
        let here = self.here(owned).await?;
        for (is_owned, row) in rows {
            let mut new = row.clone();
            new.remap(&self.map);
            let decision = if is_owned {
                self.owned_node(&here, new).await?
            } else {
                self.shared_node(row.id(), new).await?
            };
            self.decisions.insert((N::TABLE, row.id()), decision);
        }
        Ok(())
    }

    /// Reads the local nodes that share an id or a slug with the `owned` rows.
    async fn here<N: Node>(&self, owned: &[N]) -> Result<Here<N>, TransferError> {
        let ids: BTreeSet<Uuid> = owned.iter().map(Node::id).collect();
        let nodes: HashMap<Uuid, N> = load::<N>(self.txn, &ids).await?;
        let slugs: Vec<Value> = owned.iter().map(|r| Value::from(r.slug())).collect();
        let slugs: HashMap<String, Local> = locals::<N>(self.txn, "slug", slugs)
            .await?
            .into_iter()
            .map(|l| (l.slug.clone(), l))
            .collect();
        Ok(Here { nodes, slugs })
    }

    /// A shared node (document id `id`): created when it is new here, left as it is when it matched.
    async fn shared_node<N: Node>(&mut self, id: Uuid, new: N) -> Result<Decision, TransferError> {
        if !self.created.contains(&(N::TABLE, id)) {
            return Ok(Decision::Matched);
        }
        insert(self.txn, new.clone()).await?;
        self.changed(&new, ChangeAction::Created, None, false);
        Ok(Decision::SharedCreated)
    }

    /// An owned node: inserted when new here, replaced by a newer exported version, and otherwise left as it
    /// is here (reported as skipped when it differs).
    async fn owned_node<N: Node>(
        &mut self,
        here: &Here<N>,
        new: N,
    ) -> Result<Decision, TransferError> {
        let slug_taken = slug_taken(&here.slugs, &new);
        match here.nodes.get(&new.id()) {
            None => {
                if let Some(error) = slug_taken {
                    return Err(error);
                }
                insert(self.txn, new.clone()).await?;
                self.changed(&new, ChangeAction::Created, None, true);
                self.report.owned_mut(N::TABLE).created += 1;
                Ok(Decision::Created)
            }
            Some(old) if old.municipality() != new.municipality() => Err(TransferError::collision(
                N::TABLE,
                new.id(),
                "a node with this id exists here and belongs to another municipality",
            )),
            Some(old) if *old == new => {
                self.report.owned_mut(N::TABLE).unchanged += 1;
                Ok(Decision::Unchanged)
            }
            Some(old) if new.version() > old.version() => {
                if let Some(error) = slug_taken {
                    return Err(error);
                }
                let before = old.status();
                update(self.txn, new.clone()).await?;
                self.changed(&new, ChangeAction::Updated, Some(before), true);
                self.report.owned_mut(N::TABLE).updated += 1;
                Ok(Decision::Updated)
            }
            Some(old) => {
                let reason = kept_reason(old.version(), new.version());
                self.skip(N::TABLE, new.label(), reason);
                Ok(Decision::Skipped)
            }
        }
    }

    /// Former numbers of municipalities created here (a matched municipality keeps its own).
    pub(super) async fn former_numbers(
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
}

/// The error for `new` when its slug belongs to another node of its table here.
fn slug_taken<N: Node>(slugs: &HashMap<String, Local>, new: &N) -> Option<TransferError> {
    slugs.get(new.slug()).filter(|l| l.id != new.id()).map(|l| {
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
    })
}

/// Why a differing local node that is not older than the exported one was kept.
fn kept_reason(local: i32, exported: i32) -> String {
    if local > exported {
        format!(
            "the local version {local} is newer than the exported version {exported}; kept the local one"
        )
    } else {
        format!("the local row differs at the same version {local}; kept the local one")
    }
}
