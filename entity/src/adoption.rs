//! A municipality listing another municipality's measure or plan as its own, by reference: read-only, the
//! source stays with its owner.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "adoption")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The adopting municipality.
    pub municipality_id: Uuid,
    /// GraphQL type name of the source ("Measure" or "Plan").
    pub node_type: String,
    pub source_id: Uuid,
    /// The source's version when it was adopted.
    pub source_version: i32,
    /// Order among the adopter's adoptions (0-based).
    pub position: i32,
    pub created_at: DateTimeUtc,
    pub actor_name: String,
    pub token_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
