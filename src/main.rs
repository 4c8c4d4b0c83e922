//! `oppvekstgraf`: the GraphQL content API for municipal preventive work for children and youth.

use std::{path::PathBuf, process::ExitCode};

use anyhow::Context;
use clap::{Parser, Subcommand};
use oppvekstgraf_api::{AppState, Config, app, config::DatabaseConfig, db, transfer};
use oppvekstgraf_migration::{Migrator, MigratorTrait};
use sea_orm::EntityTrait;

/// mimalloc in place of the system allocator: a GraphQL response is built from many small allocations, and
/// glibc's malloc spent a third of the server's CPU on them and kept its arenas' memory after a burst.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Oppvekstgraf: plans, measures, responsible units, laws and national guidance as one GraphQL graph.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
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

/// `seed --synthetic`: the shape of the synthetic graph (see `seed/README.md`).
#[derive(clap::Args, Debug)]
struct SyntheticArgs {
    /// Write a deterministic synthetic graph (after the built-in seed content when the database is empty).
    /// The same arguments give the same rows; a second run with them writes nothing.
    #[arg(long)]
    synthetic: bool,
    /// Synthetic municipalities, numbered from 6001 and added to the seed content's own.
    #[arg(long, default_value_t = 357, requires = "synthetic")]
    municipalities: usize,
    /// Plans of each synthetic municipality.
    #[arg(long, default_value_t = 20, requires = "synthetic")]
    plans_per_municipality: usize,
    /// Measures of each synthetic plan.
    #[arg(long, default_value_t = 25, requires = "synthetic")]
    measures_per_plan: usize,
    /// Units of each synthetic municipality (at least 3).
    #[arg(long, default_value_t = 30, requires = "synthetic")]
    units_per_municipality: usize,
    /// Seed of the random stream that picks names, titles and links.
    #[arg(long, default_value_t = 1, requires = "synthetic")]
    rng_seed: u64,
}

impl SyntheticArgs {
    fn params(&self) -> oppvekstgraf_seed::synthetic::Params {
        oppvekstgraf_seed::synthetic::Params {
            municipalities: self.municipalities,
            plans_per_municipality: self.plans_per_municipality,
            measures_per_plan: self.measures_per_plan,
            units_per_municipality: self.units_per_municipality,
            rng_seed: self.rng_seed,
        }
    }
}

#[derive(Subcommand)]
enum TokenAction {
    /// Create a token and print its secret (shown once; only a hash is stored).
    Create {
        /// A name that says who or what uses the token.
        #[arg(long)]
        name: String,
        /// `editor` (one municipality's content) or `admin` (the national registry and municipalities).
        #[arg(long, value_parser = ["editor", "admin"])]
        role: String,
        /// The editor's municipality (kommunenummer).
        #[arg(long)]
        municipality: Option<String>,
        /// When the token stops working: an RFC 3339 time, a date (midnight UTC) or a number of days (`90d`).
        #[arg(long)]
        expires: Option<String>,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id; it stops working at once.
    Revoke {
        /// The token's id (from `token list`).
        id: uuid::Uuid,
    },
}

#[derive(Subcommand)]
enum MigrateAction {
    /// Apply all pending migrations.
    Up,
    /// Roll back the last migration.
    Down,
    /// List applied and pending migrations.
    Status,
}

/// Logs go to stderr: human-readable text, or one JSON object per line with `LOG_FORMAT=json`; `RUST_LOG`
/// sets the verbosity.
fn init_tracing() {
    use tracing_subscriber::{EnvFilter, fmt};
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    if std::env::var("LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    let result = match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(config)) => serve(config).await,
        Some(Command::Migrate { database, action }) => migrate(&database, action).await,
        Some(Command::Seed {
            database,
            dir,
            synthetic,
        }) => {
            if synthetic.synthetic {
                seed_synthetic(&database, &synthetic).await
            } else {
                seed(&database, dir).await
            }
        }
        Some(Command::Schema { check, path }) => schema(check, &path),
        Some(Command::Token { database, action }) => token(&database, action).await,
        Some(Command::Export {
            database,
            municipality,
            output,
        }) => export(&database, &municipality, output).await,
        Some(Command::Import {
            database,
            file,
            dry_run,
        }) => import(&database, &file, dry_run).await,
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            tracing::error!("{err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(database: &DatabaseConfig, action: MigrateAction) -> anyhow::Result<ExitCode> {
    let (db, _) = db::connect(&database.without_statement_timeout())
        .await
        .context("connecting to the database")?;
    match action {
        MigrateAction::Up => Migrator::up(&db, None).await?,
        MigrateAction::Down => Migrator::down(&db, Some(1)).await?,
        MigrateAction::Status => Migrator::status(&db).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn seed(database: &DatabaseConfig, dir: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let (db, _) = db::connect(&database.without_statement_timeout())
        .await
        .context("connecting to the database")?;
    Migrator::up(&db, None).await.context("migrating")?;
    let content = match dir {
        Some(dir) => oppvekstgraf_seed::Content::from_dir(&dir)?,
        None => oppvekstgraf_seed::Content::builtin()?,
    };
    let report = oppvekstgraf_seed::load(&db, &content).await?;
    tracing::info!(%report, "seed content loaded");
    Ok(ExitCode::SUCCESS)
}

async fn seed_synthetic(
    database: &DatabaseConfig,
    args: &SyntheticArgs,
) -> anyhow::Result<ExitCode> {
    let (db, _) = db::connect(&database.without_statement_timeout())
        .await
        .context("connecting to the database")?;
    Migrator::up(&db, None).await.context("migrating")?;
    let summary = oppvekstgraf_seed::synthetic::run(&db, &args.params()).await?;
    print!("{summary}");
    Ok(ExitCode::SUCCESS)
}

async fn export(
    database: &DatabaseConfig,
    municipality: &str,
    output: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let (db, _) = db::connect(&database.without_statement_timeout())
        .await
        .context("connecting to the database")?;
    Migrator::up(&db, None).await.context("migrating")?;
    let document = transfer::export(&db, municipality)
        .await
        .with_context(|| format!("exporting municipality {municipality}"))?;
    let text = document.to_json()?;
    let rows: usize = document.row_counts().values().sum();
    match output {
        Some(path) => {
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
            tracing::info!(municipality = %document.municipality, rows, file = %path.display(), "exported");
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .context("writing the document to standard output")?;
            tracing::info!(municipality = %document.municipality, rows, "exported");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn import(
    database: &DatabaseConfig,
    file: &std::path::Path,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let text = if file == std::path::Path::new("-") {
        std::io::read_to_string(std::io::stdin()).context("reading standard input")?
    } else {
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
    };
    let document =
        transfer::Document::from_json(&text).with_context(|| format!("{}", file.display()))?;
    let (db, _) = db::connect(&database.without_statement_timeout())
        .await
        .context("connecting to the database")?;
    Migrator::up(&db, None).await.context("migrating")?;
    let report = if dry_run {
        transfer::import_dry_run(&db, &document).await
    } else {
        transfer::import(&db, &document).await
    }
    .with_context(|| format!("importing {}", file.display()))?;
    if dry_run {
        println!("dry run: nothing was written");
    }
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}

fn parse_expiry(text: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    use chrono::{NaiveDate, Utc};
    if let Some(days) = text.strip_suffix('d') {
        let days: i64 = days
            .parse()
            .context("--expires: write a number of days like `90d`")?;
        return Ok(Utc::now() + chrono::Duration::days(days));
    }
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").context(
        "--expires: give an RFC 3339 time, a date (YYYY-MM-DD) or a number of days (`90d`)",
    )?;
    Ok(date.and_hms_opt(0, 0, 0).context("midnight")?.and_utc())
}

async fn token(database: &DatabaseConfig, action: TokenAction) -> anyhow::Result<ExitCode> {
    use oppvekstgraf_api::auth;
    use oppvekstgraf_entity::enums::Role;
    let (db, _) = db::connect(&database.without_statement_timeout())
        .await
        .context("connecting to the database")?;
    Migrator::up(&db, None).await.context("migrating")?;
    match action {
        TokenAction::Create {
            name,
            role,
            municipality,
            expires,
        } => {
            let role = if role == "admin" {
                Role::Admin
            } else {
                Role::Editor
            };
            let expires = expires.as_deref().map(parse_expiry).transpose()?;
            let created =
                auth::create_token(&db, &name, role, municipality.as_deref(), expires).await?;
            eprintln!(
                "token {} created; the secret is shown once:",
                created.token.id
            );
            println!("{}", created.secret);
        }
        TokenAction::List => {
            println!(
                "{:<36}  {:<6}  {:<12}  {:<20}  {:<20}  name",
                "id", "role", "municipality", "expires", "revoked"
            );
            for t in auth::list_tokens(&db).await? {
                let municipality = match t.municipality_id {
                    Some(id) => oppvekstgraf_entity::municipality::Entity::find_by_id(id)
                        .one(&db)
                        .await?
                        .map(|m| m.number)
                        .unwrap_or_default(),
                    None => "-".into(),
                };
                let fmt = |at: Option<chrono::DateTime<chrono::Utc>>| {
                    at.map_or("-".to_string(), |a| a.format("%Y-%m-%d %H:%M").to_string())
                };
                println!(
                    "{:<36}  {:<6}  {:<12}  {:<20}  {:<20}  {}",
                    t.id,
                    format!("{:?}", t.role).to_lowercase(),
                    municipality,
                    fmt(t.expires_at),
                    fmt(t.revoked_at),
                    t.name
                );
            }
        }
        TokenAction::Revoke { id } => {
            let token = auth::revoke_token(&db, id).await?;
            println!("token {} ({}) is revoked", token.id, token.name);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn schema(check: bool, path: &PathBuf) -> anyhow::Result<ExitCode> {
    let sdl = oppvekstgraf_api::sdl();
    if !check {
        print!("{sdl}");
        return Ok(ExitCode::SUCCESS);
    }
    let on_disk =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    if on_disk == sdl {
        println!("{} matches the schema", path.display());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} differs from the schema the code builds: run `cargo run -- schema > {}`",
            path.display(),
            path.display()
        );
        Ok(ExitCode::FAILURE)
    }
}

async fn serve(config: Config) -> anyhow::Result<ExitCode> {
    config.http.check().map_err(anyhow::Error::msg)?;
    // Migrations and the seed load may take longer than a request's statement timeout: they run over
    // their own connections without it.
    {
        let (db, _) = db::connect(&config.database.without_statement_timeout())
            .await
            .context("connecting to the database")?;
        Migrator::up(&db, None).await.context("migrating")?;
        if !config.no_seed && oppvekstgraf_seed::is_empty(&db).await? {
            let report =
                oppvekstgraf_seed::load(&db, &oppvekstgraf_seed::Content::builtin()?).await?;
            tracing::info!(%report, "empty database: seed content loaded");
        }
        db.close().await.ok();
    }
    let (db, statements) = db::connect(&config.database)
        .await
        .context("connecting to the database")?;
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("binding {}", config.bind))?;
    let url = format!("http://{}/graphiql", listener.local_addr()?);
    tracing::info!(console = %url, graphql = %format!("http://{}/graphql", listener.local_addr()?), "listening");
    if config.open
        && let Err(err) = open::that_detached(&url)
    {
        tracing::warn!("could not open a browser: {err}; open {url} yourself");
    }
    let state = AppState::new(db.clone(), statements)
        .with_public_url(config.public_url.clone())
        .with_limits(config.limits)
        .with_rate_limits(config.rate)
        .with_request_timeout(config.request_timeout())
        .with_concurrent_executions(config.concurrent_executions())
        .with_http(config.http.clone())
        .with_connections(config.connections.clone())
        .with_cache(config.cache);

    // On the first SIGTERM or SIGINT the server stops accepting connections, closes idle ones and lets the
    // requests in flight finish; after the grace period (or a second signal) whatever is left is dropped.
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let metrics = state.metrics.clone();
    let connections = config.connections.clone();
    let server = async move {
        oppvekstgraf_api::server::serve(listener, app(state), &connections, metrics, async move {
            shutdown_signal().await;
            let _ = stopping.send(());
        })
        .await;
    };
    let grace = config.shutdown_grace();
    let deadline = async move {
        if stopped.await.is_err() {
            // The server ended by itself; the other branch has its result.
            std::future::pending::<()>().await;
        }
        tracing::info!(
            grace_secs = grace.as_secs(),
            "shutting down: refusing new connections, finishing the requests in flight"
        );
        tokio::select! {
            () = tokio::time::sleep(grace) => tracing::warn!(
                grace_secs = grace.as_secs(),
                "shutdown grace period over: dropping the requests still in flight"
            ),
            () = shutdown_signal() => tracing::warn!(
                "second signal: dropping the requests still in flight"
            ),
        }
    };
    tokio::select! {
        () = server => tracing::info!("all requests finished"),
        () = deadline => {}
    }
    if tokio::time::timeout(std::time::Duration::from_secs(2), db.close())
        .await
        .is_err()
    {
        tracing::warn!("the database connections did not close in time");
    }
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_forms() {
        let in_ninety = parse_expiry("90d").expect("days");
        let days = (in_ninety - chrono::Utc::now()).num_days();
        assert!((89..=90).contains(&days), "{days}");
        assert_eq!(
            parse_expiry("2027-01-31").expect("date").to_rfc3339(),
            "2027-01-31T00:00:00+00:00"
        );
        assert_eq!(
            parse_expiry("2027-01-31T12:00:00+01:00")
                .expect("time")
                .to_rfc3339(),
            "2027-01-31T11:00:00+00:00"
        );
        assert!(parse_expiry("soon").is_err());
        assert!(parse_expiry("xd").is_err());
    }

    #[test]
    fn cli_parses() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
        let cli = Cli::try_parse_from([
            "oppvekstgraf",
            "token",
            "create",
            "--name",
            "x",
            "--role",
            "editor",
            "--municipality",
            "1539",
        ]);
        assert!(cli.is_ok());
        let bad_role = Cli::try_parse_from([
            "oppvekstgraf",
            "token",
            "create",
            "--name",
            "x",
            "--role",
            "owner",
        ]);
        assert!(bad_role.is_err());
    }

    #[test]
    fn synthetic_seed_flags() {
        let cli = Cli::try_parse_from(["oppvekstgraf", "seed", "--synthetic"]).expect("defaults");
        let Some(Command::Seed { synthetic, dir, .. }) = cli.command else {
            panic!("seed");
        };
        assert!(synthetic.synthetic && dir.is_none());
        assert_eq!(
            synthetic.params(),
            oppvekstgraf_seed::synthetic::Params::default()
        );
        let cli = Cli::try_parse_from([
            "oppvekstgraf",
            "seed",
            "--synthetic",
            "--municipalities",
            "3",
            "--plans-per-municipality",
            "2",
            "--measures-per-plan",
            "4",
            "--units-per-municipality",
            "5",
            "--rng-seed",
            "9",
        ])
        .expect("flags");
        let Some(Command::Seed { synthetic, .. }) = cli.command else {
            panic!("seed");
        };
        assert_eq!(
            synthetic.params(),
            oppvekstgraf_seed::synthetic::Params {
                municipalities: 3,
                plans_per_municipality: 2,
                measures_per_plan: 4,
                units_per_municipality: 5,
                rng_seed: 9,
            }
        );
        assert!(
            Cli::try_parse_from(["oppvekstgraf", "seed", "--municipalities", "3"]).is_err(),
            "the shape flags need --synthetic"
        );
        assert!(
            Cli::try_parse_from(["oppvekstgraf", "seed", "--synthetic", "--dir", "x"]).is_err(),
            "--dir loads data files, --synthetic generates"
        );
    }

    #[test]
    fn query_limit_settings() {
        let cli = Cli::try_parse_from(["oppvekstgraf", "serve"]).expect("defaults");
        let Some(Command::Serve(config)) = cli.command else {
            panic!("serve");
        };
        assert_eq!(
            config.limits,
            oppvekstgraf_api::limits::QueryLimits::default()
        );
        let cli = Cli::try_parse_from([
            "oppvekstgraf",
            "serve",
            "--query-max-depth",
            "7",
            "--query-max-cost",
            "1000",
            "--query-max-bytes",
            "2048",
        ])
        .expect("flags");
        let Some(Command::Serve(config)) = cli.command else {
            panic!("serve");
        };
        assert_eq!(config.limits.max_depth, 7);
        assert_eq!(config.limits.max_cost, 1000);
        assert_eq!(config.limits.max_bytes, 2048);
        assert_eq!(config.limits.max_fields, 2_000);
    }

    #[test]
    fn fault_settings() {
        let cli = Cli::try_parse_from(["oppvekstgraf", "serve"]).expect("defaults");
        let Some(Command::Serve(config)) = cli.command else {
            panic!("serve");
        };
        assert_eq!(config.request_timeout_secs, 30);
        assert_eq!(config.shutdown_grace_secs, 10);
        assert_eq!(config.database.database_statement_timeout_ms, 10_000);
        assert_eq!(
            config.database.statement_timeout(),
            Some(std::time::Duration::from_secs(10))
        );
        assert_eq!(
            config
                .database
                .without_statement_timeout()
                .statement_timeout(),
            None
        );
        let cli = Cli::try_parse_from([
            "oppvekstgraf",
            "serve",
            "--request-timeout-secs",
            "5",
            "--shutdown-grace-secs",
            "0",
            "--database-statement-timeout-ms",
            "250",
        ])
        .expect("flags");
        let Some(Command::Serve(config)) = cli.command else {
            panic!("serve");
        };
        assert_eq!(config.request_timeout_secs, 5);
        assert_eq!(config.shutdown_grace_secs, 0);
        assert_eq!(
            config.database.statement_timeout(),
            Some(std::time::Duration::from_millis(250))
        );
        assert!(
            Cli::try_parse_from(["oppvekstgraf", "serve", "--request-timeout-secs", "0"]).is_err(),
            "a request timeout of 0 would refuse every request"
        );
    }
}
