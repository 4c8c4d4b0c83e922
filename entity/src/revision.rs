//! A revision: one change to one node, written in the same transaction as the change.
use sea_orm::entity::prelude::*;

use crate::enums::{RevisionAction, Role};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "revision")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// GraphQL type name of the node ("Measure").
    pub node_type: String,
    pub node_id: Uuid,
    /// The node's version after the change.
    pub node_version: i32,
    pub action: RevisionAction,
    pub actor_name: String,
    pub actor_role: Role,
    pub token_id: Option<Uuid>,
    /// The municipality whose content changed; None for the shared registry.
    pub municipality_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    /// The node before the change (None when it was created).
    pub before: Option<Json>,
    /// The node after the change.
    pub after: Option<Json>,
    /// What a link change touched: `{"relation": …, "target": …, "role": …}`.
    pub detail: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
