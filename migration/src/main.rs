//! Thin CLI over the migrations: `oppvekstgraf-migration up|down|status|fresh` with `DATABASE_URL`.
//! The `oppvekstgraf migrate` subcommand offers the same inside the main binary.

use oppvekstgraf_migration::{Migrator, MigratorTrait};
use sea_orm_migration::sea_orm::Database;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "sqlite://oppvekstgraf.db?mode=rwc".into());
    let db = Database::connect(&url).await?;
    match std::env::args().nth(1).as_deref().unwrap_or("up") {
        "up" => Migrator::up(&db, None).await?,
        "down" => Migrator::down(&db, Some(1)).await?,
        "fresh" => Migrator::fresh(&db).await?,
        "status" => Migrator::status(&db).await?,
        other => {
            return Err(format!("unknown command {other:?}: use up, down, fresh or status").into());
        }
    }
    Ok(())
}
