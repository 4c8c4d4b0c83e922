//! The `Writable` trait: the bookkeeping columns (state, version, times) every node table shares, and its
//! implementation for each node table.

use chrono::{DateTime, Utc};
use oppvekstgraf_entity::enums::Status;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, EntityTrait, IntoActiveModel, PrimaryKeyTrait,
};
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use crate::loader::NodeTable;

/// A node table mutations can write through sea-orm. Every node table has the same bookkeeping columns
/// (publication state, version, creation and change time); the generic write paths set them through this.
pub trait Writable:
    NodeTable
    + EntityTrait<Model = <Self as NodeTable>::Model, ActiveModel = <Self as Writable>::Active>
where
    <Self as NodeTable>::Model:
        Serialize + DeserializeOwned + IntoActiveModel<<Self as Writable>::Active>,
    <Self::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    type Active: ActiveModelTrait<Entity = Self> + ActiveModelBehavior + Send;

    /// The row's publication state.
    fn status(model: &<Self as NodeTable>::Model) -> Status;

    /// The row's version.
    fn version(model: &<Self as NodeTable>::Model) -> i32;

    /// When the row was last changed.
    fn updated_at(model: &<Self as NodeTable>::Model) -> DateTime<Utc>;

    /// Marks the row as `version`, changed at `at`.
    fn stamp(model: &mut <Self as NodeTable>::Model, version: i32, at: DateTime<Utc>);

    /// Puts the row in publication state `status`.
    fn set_status(model: &mut <Self as NodeTable>::Model, status: Status);

    /// Keeps what a restored revision must not bring back: the current state and creation time.
    fn keep_bookkeeping(
        model: &mut <Self as NodeTable>::Model,
        current: &<Self as NodeTable>::Model,
    );
}

macro_rules! writable {
    ($($module:ident),*) => {$(
        impl Writable for oppvekstgraf_entity::$module::Entity {
            type Active = oppvekstgraf_entity::$module::ActiveModel;

            fn status(model: &oppvekstgraf_entity::$module::Model) -> Status {
                model.status
            }

            fn version(model: &oppvekstgraf_entity::$module::Model) -> i32 {
                model.version
            }

            fn updated_at(model: &oppvekstgraf_entity::$module::Model) -> DateTime<Utc> {
                model.updated_at
            }

            fn stamp(model: &mut oppvekstgraf_entity::$module::Model, version: i32, at: DateTime<Utc>) {
                model.version = version;
                model.updated_at = at;
            }

            fn set_status(model: &mut oppvekstgraf_entity::$module::Model, status: Status) {
                model.status = status;
            }

            fn keep_bookkeeping(
                model: &mut oppvekstgraf_entity::$module::Model,
                current: &oppvekstgraf_entity::$module::Model,
            ) {
                model.status = current.status;
                model.created_at = current.created_at;
            }
        }
    )*};
}
writable!(
    municipality,
    region,
    plan,
    goal,
    measure,
    unit,
    law,
    legal_reference,
    guidance,
    publisher,
    concept,
    theme,
    target_group
);
