//! The loader of the sharing relations: a copy's derivation, the copies and adoptions of a source, a
//! municipality's adoptions, and the owners' adoptions of a plan. One statement per relation and level.

use std::{collections::HashMap, sync::Arc};

use async_graphql::{
    Context,
    dataloader::{DataLoader, HashMapCache, Loader},
};
use oppvekstgraf_entity::{adoption, derivation, plan_adoption};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::Activity;
use crate::error::{ApiError, ApiResult};

/// Loads the sharing relations; one key type per relation.
pub struct SharingLoader {
    pub(super) db: DatabaseConnection,
    pub(super) activity: Arc<Activity>,
}

/// The derivation of a copy (by the copy's id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DerivationOf(pub Uuid);
/// The copies made of a source (by the source's id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CopiesOf(pub Uuid);
/// The adoptions by reference of a source (by the source's id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AdoptersOf(pub Uuid);
/// The adoptions by reference a municipality made (by its id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AdoptionsBy(pub Uuid);
/// The owners' adoptions of a plan (by the plan's id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PlanAdoptionsOf(pub Uuid);

fn group<K: Copy + Eq + std::hash::Hash, M>(
    keys: &[K],
    rows: Vec<M>,
    key_of: impl Fn(&M) -> K,
) -> HashMap<K, Vec<M>> {
    let mut out: HashMap<K, Vec<M>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    for row in rows {
        out.entry(key_of(&row)).or_default().push(row);
    }
    out
}

impl Loader<DerivationOf> for SharingLoader {
    type Value = derivation::Model;
    type Error = ApiError;

    async fn load(&self, keys: &[DerivationOf]) -> ApiResult<HashMap<DerivationOf, Self::Value>> {
        let rows = derivation::Entity::find()
            .filter(derivation::Column::NodeId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|d| (DerivationOf(d.node_id), d))
            .collect())
    }
}

impl Loader<CopiesOf> for SharingLoader {
    type Value = Vec<derivation::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[CopiesOf]) -> ApiResult<HashMap<CopiesOf, Self::Value>> {
        let rows = derivation::Entity::find()
            .filter(derivation::Column::SourceId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(derivation::Column::CreatedAt)
            .order_by_asc(derivation::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(keys, rows, |d| CopiesOf(d.source_id)))
    }
}

impl Loader<AdoptersOf> for SharingLoader {
    type Value = Vec<adoption::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[AdoptersOf]) -> ApiResult<HashMap<AdoptersOf, Self::Value>> {
        let rows = adoption::Entity::find()
            .filter(adoption::Column::SourceId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(adoption::Column::CreatedAt)
            .order_by_asc(adoption::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(keys, rows, |a| AdoptersOf(a.source_id)))
    }
}

impl Loader<AdoptionsBy> for SharingLoader {
    type Value = Vec<adoption::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[AdoptionsBy]) -> ApiResult<HashMap<AdoptionsBy, Self::Value>> {
        let rows = adoption::Entity::find()
            .filter(adoption::Column::MunicipalityId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(adoption::Column::Position)
            .order_by_asc(adoption::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(keys, rows, |a| AdoptionsBy(a.municipality_id)))
    }
}

impl Loader<PlanAdoptionsOf> for SharingLoader {
    type Value = Vec<plan_adoption::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[PlanAdoptionsOf],
    ) -> ApiResult<HashMap<PlanAdoptionsOf, Self::Value>> {
        let rows = plan_adoption::Entity::find()
            .filter(plan_adoption::Column::PlanId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(group(keys, rows, |a| PlanAdoptionsOf(a.plan_id)))
    }
}

/// A sharing relation's key names the node whose relation it is.
pub trait SharingKey {
    /// The node the relation hangs off.
    fn node(&self) -> Uuid;
}

macro_rules! sharing_key {
    ($($key:ident),*) => {$(
        impl SharingKey for $key {
            fn node(&self) -> Uuid {
                self.0
            }
        }
    )*};
}
sharing_key!(
    DerivationOf,
    CopiesOf,
    AdoptersOf,
    AdoptionsBy,
    PlanAdoptionsOf
);

/// Loads one sharing relation through the request's [`SharingLoader`].
pub async fn load_sharing<K>(
    ctx: &Context<'_>,
    key: K,
) -> ApiResult<Option<<SharingLoader as Loader<K>>::Value>>
where
    K: SharingKey + Send + Sync + Clone + Eq + std::hash::Hash + 'static,
    SharingLoader: Loader<K, Error = ApiError>,
{
    let loader = ctx
        .data::<DataLoader<SharingLoader, HashMapCache>>()
        .map_err(|_| ApiError::Internal)?;
    loader.loader().activity.touch();
    crate::cache::record(ctx, |deps| deps.add(crate::cache::Tag::Node(key.node())));
    loader.load_one(key).await
}
