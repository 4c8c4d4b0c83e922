//! `oppvekstgraf migrate`: applies, rolls back or lists the schema migrations.

use std::process::ExitCode;

use clap::Subcommand;
use oppvekstgraf_api::config::DatabaseConfig;
use oppvekstgraf_migration::{Migrator, MigratorTrait};

#[derive(Subcommand)]
pub(super) enum MigrateAction {
    /// Apply all pending migrations.
    Up,
    /// Roll back the last migration.
    Down,
    /// List applied and pending migrations.
    Status,
}

/// Runs `action` on `database`.
pub(super) async fn migrate(
    database: &DatabaseConfig,
    action: MigrateAction,
) -> anyhow::Result<ExitCode> {
    let db = super::connect(database).await?;
    match action {
        MigrateAction::Up => Migrator::up(&db, None).await?,
        MigrateAction::Down => Migrator::down(&db, Some(1)).await?,
        MigrateAction::Status => Migrator::status(&db).await?,
    }
    Ok(ExitCode::SUCCESS)
}
