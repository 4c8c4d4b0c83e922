//! The command line: its subcommands and what runs each.

mod migrate;
mod schema;
mod seed;
mod serve;
mod token;
mod transfer;

use std::{path::PathBuf, process::ExitCode};

use anyhow::Context;
use clap::{Parser, Subcommand};
use oppvekstgraf_api::{Config, config::DatabaseConfig, db};
use oppvekstgraf_migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;

use migrate::MigrateAction;
use seed::SyntheticArgs;
use token::TokenAction;

/// Oppvekstgraf: plans, measures, responsible units, laws and national guidance as one GraphQL graph.
#[derive(Parser)]
#[command(version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: Config,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, load the seed content into an empty database, and serve HTTP (the default).
    Serve(Config),
    /// Apply or inspect schema migrations.
    Migrate {
        #[command(flatten)]
        database: DatabaseConfig,
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Load the seed content (idempotent: a second load changes nothing), or with `--synthetic` a
    /// deterministic national-scale graph for benchmarks.
    Seed {
        #[command(flatten)]
        database: DatabaseConfig,
        /// Load the data files from this folder instead of the content built into the binary.
        #[arg(long, conflicts_with = "synthetic")]
        dir: Option<PathBuf>,
        #[command(flatten)]
        synthetic: SyntheticArgs,
    },
    /// Create, list and revoke API tokens.
    Token {
        #[command(flatten)]
        database: DatabaseConfig,
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Export one municipality's content, with the shared nodes it links to, as one JSON document.
    Export {
        #[command(flatten)]
        database: DatabaseConfig,
        /// The municipality's kommunenummer (a former number also works).
        #[arg(long)]
        municipality: String,
        /// Write the document to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Import a municipality export (importing the same document again changes nothing).
    Import {
        #[command(flatten)]
        database: DatabaseConfig,
        /// The export document (`-` reads standard input).
        file: PathBuf,
        /// Validate and report what the import would change, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the GraphQL schema (SDL).
    Schema {
        /// Compare with the file instead of printing; exit non-zero when they differ.
        #[arg(long)]
        check: bool,
        /// The checked-in schema file.
        #[arg(long, default_value = "schema.graphql")]
        path: PathBuf,
    },
}

impl Cli {
    /// Runs the command (serving HTTP when none is given); returns the process's exit code.
    pub async fn run(self) -> anyhow::Result<ExitCode> {
        match self.command {
            None => serve::serve(self.serve).await,
            Some(Command::Serve(config)) => serve::serve(config).await,
            Some(Command::Migrate { database, action }) => {
                migrate::migrate(&database, action).await
            }
            Some(Command::Seed {
                database,
                dir,
                synthetic,
            }) => {
                if synthetic.synthetic {
                    seed::seed_synthetic(&database, &synthetic).await
                } else {
                    seed::seed(&database, dir).await
                }
            }
            Some(Command::Schema { check, path }) => schema::schema(check, &path),
            Some(Command::Token { database, action }) => token::token(&database, action).await,
            Some(Command::Export {
                database,
                municipality,
                output,
            }) => transfer::export(&database, &municipality, output).await,
            Some(Command::Import {
                database,
                file,
                dry_run,
            }) => transfer::import(&database, &file, dry_run).await,
        }
    }
}

/// Connects to `database` without the API's statement timeout: a command may run longer than a request.
async fn connect(database: &DatabaseConfig) -> anyhow::Result<DatabaseConnection> {
    let (db, _) = db::connect(&database.without_statement_timeout())
        .await
        .context("connecting to the database")?;
    Ok(db)
}

/// Connects as [`connect`] does, then applies the pending migrations.
async fn connect_migrated(database: &DatabaseConfig) -> anyhow::Result<DatabaseConnection> {
    let db = connect(database).await?;
    Migrator::up(&db, None).await.context("migrating")?;
    Ok(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_parses() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
        let parse = |line: &str| Cli::try_parse_from(line.split(' '));
        assert!(
            parse("oppvekstgraf token create --name x --role editor --municipality 1539").is_ok()
        );
        assert!(parse("oppvekstgraf token create --name x --role owner").is_err());
    }
}
