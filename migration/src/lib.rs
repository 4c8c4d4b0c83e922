//! Schema migrations of the Oppvekstgraf database. The same migrations run on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_content_graph;
mod m20261126_000002_editing;
mod m20261126_000003_sharing;
mod m20261202_000001_measure_goal;

/// All migrations, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_content_graph::Migration),
            Box::new(m20261126_000002_editing::Migration),
            Box::new(m20261126_000003_sharing::Migration),
            Box::new(m20261202_000001_measure_goal::Migration),
        ]
    }
}
