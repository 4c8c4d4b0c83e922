//! The change feed: one row per revision, numbered in commit order so a reader that remembers the last
//! number it saw never misses an event.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "change_event")]
pub struct Model {
    /// Position in the feed; increases in commit order.
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub revision_id: Option<Uuid>,
    /// GraphQL type name of the node ("Measure").
    pub node_type: String,
    pub node_id: Uuid,
    /// What happened (a revision action: create, update, publish, archive …).
    pub action: String,
    pub node_version: i32,
    /// The municipality whose content changed; None for the shared registry.
    pub municipality_id: Option<Uuid>,
    /// Whether anonymous readers may see the event: the node was published before or after the change.
    pub public: bool,
    pub actor_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
