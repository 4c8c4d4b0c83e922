//! Schema migrations of the Oppvekstgraf database. The same migrations run on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_content_graph;
mod m20261126_000002_editing;
mod m20261126_000003_sharing;

/// Link tables (name, left key, right key, whether the edge has a role): the edges of the content graph.
pub use m20261126_000001_content_graph::{Key, LINKS};

/// Tables of the sharing model that connect two nodes (name, one node column, the other node column).
pub const SHARING_EDGES: &[(&str, &str, &str)] = &[
    ("plan_adoption", "plan_id", "municipality_id"),
    ("adoption", "municipality_id", "source_id"),
    ("derivation", "node_id", "source_id"),
];

/// All migrations, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_content_graph::Migration),
            Box::new(m20261126_000002_editing::Migration),
            Box::new(m20261126_000003_sharing::Migration),
        ]
    }
}
