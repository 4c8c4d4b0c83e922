//! Database entities of the Oppvekstgraf content graph.
//!
//! One module per table. These are rows, not API types: the GraphQL layer in `api` builds its own objects
//! from them, so a new column never reaches the public schema by accident. Relations are walked with
//! explicit queries in the API's loaders; foreign keys live in the migrations.

pub mod enums;
mod link;

pub mod adoption;
pub mod api_token;
pub mod change_event;
pub mod concept;
pub mod derivation;
pub mod goal;
pub mod guidance;
pub mod law;
pub mod legal_reference;
pub mod measure;
pub mod municipality;
pub mod municipality_former_number;
pub mod plan;
pub mod plan_adoption;
pub mod publisher;
pub mod region;
pub mod revision;
pub mod target_group;
pub mod theme;
pub mod unit;

pub use link::*;

/// Defines a node table: the common node columns (`id`, `slug`, `status`, `language`, `version`,
/// `created_at`, `updated_at`) plus the fields given.
macro_rules! node_table {
    ($table:literal { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty,)* }) => {
        use sea_orm::entity::prelude::*;

        #[allow(unused_imports)]
        use crate::enums::*;

        #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
        #[sea_orm(table_name = $table)]
        pub struct Model {
            /// Stable UUID (v5 of the natural key for seeded content).
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: Uuid,
            /// URL-friendly unique name.
            #[sea_orm(unique)]
            pub slug: String,
            $($(#[$fmeta])* pub $field: $ty,)*
            pub status: crate::enums::Status,
            pub language: crate::enums::Language,
            /// Incremented on every change (optimistic concurrency).
            pub version: i32,
            pub created_at: DateTimeUtc,
            pub updated_at: DateTimeUtc,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}
pub(crate) use node_table;
