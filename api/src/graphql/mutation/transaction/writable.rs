//! The `Writable` trait: the bookkeeping columns (state, version, times) every node table shares, and its
//! implementation for each node table.

use chrono::{DateTime, Utc};
use oppvekstgraf_entity::enums::{Language, Status};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, EntityTrait, IntoActiveModel, PrimaryKeyTrait,
};
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use crate::loader::NodeTable;

/// A node table mutations can write through sea-orm. Every node table has the same bookkeeping columns
/// (publication state, version, creation and change time); the generic write paths set them through this.
/// The bounds sit on the supertraits, so that every generic write path gets them from `T: Writable` alone.
pub trait Writable:
    NodeTable<
        Model: Serialize + DeserializeOwned + IntoActiveModel<<Self as EntityTrait>::ActiveModel>,
    > + EntityTrait<
        Model = <Self as NodeTable>::Model,
        ActiveModel: ActiveModelTrait<Entity = Self> + ActiveModelBehavior + Send,
        PrimaryKey: PrimaryKeyTrait<ValueType: From<Uuid>>,
    >
{
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

    /// The row's id with its slug and language, the two names every update input may change.
    fn names(model: &mut <Self as NodeTable>::Model) -> (Uuid, &mut String, &mut Language);

    /// Keeps what a restored revision must not bring back: the current state and creation time.
    fn keep_bookkeeping(
        model: &mut <Self as NodeTable>::Model,
        current: &<Self as NodeTable>::Model,
    );
}

macro_rules! writable {
    ($($module:ident),*) => {$(
        impl Writable for oppvekstgraf_entity::$module::Entity {
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

            fn names(model: &mut oppvekstgraf_entity::$module::Model) -> (Uuid, &mut String, &mut Language) {
                (model.id, &mut model.slug, &mut model.language)
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
