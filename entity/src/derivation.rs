//! A copy's derivation: which node it was copied from, at which version, when, by whom and how; and the
//! upstream state the copy last took in (moved on by accepting or dismissing upstream changes).
use sea_orm::entity::prelude::*;

use crate::enums::DerivationMode;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "derivation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// GraphQL type name of the copy and its source ("Measure" or "Plan").
    pub node_type: String,
    /// The copy.
    pub node_id: Uuid,
    pub source_id: Uuid,
    /// The municipality that owned the source when it was copied.
    pub source_municipality_id: Option<Uuid>,
    /// The source's version when it was copied.
    pub source_version: i32,
    pub mode: DerivationMode,
    /// The adopting municipality (the copy's owner).
    pub municipality_id: Uuid,
    pub created_at: DateTimeUtc,
    pub actor_name: String,
    pub token_id: Option<Uuid>,
    /// The source version the copy last took in (accepted or dismissed).
    pub upstream_version: i32,
    /// The source as it was at `upstream_version`.
    pub upstream_snapshot: Json,
    pub upstream_synced_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
