//! `oppvekstgraf serve`: migrates, seeds an empty database and serves HTTP until a shutdown signal.

use std::{process::ExitCode, time::Duration};

use anyhow::Context;
use oppvekstgraf_api::{AppState, Config, app, config::ConnectionConfig, db};
use tokio::net::TcpListener;

/// Serves HTTP with `config` until a shutdown signal, after migrating (and seeding an empty database).
pub(super) async fn serve(config: Config) -> anyhow::Result<ExitCode> {
    config.http.check().map_err(anyhow::Error::msg)?;
    prepare_database(&config).await?;
    let (db, statements) = db::connect(&config.database)
        .await
        .context("connecting to the database")?;
    let listener = listen(&config).await?;
    let state = AppState::new(db.clone(), statements)
        .with_public_url(config.public_url.clone())
        .with_limits(config.limits)
        .with_rate_limits(config.rate)
        .with_request_timeout(config.request_timeout())
        .with_concurrent_executions(config.concurrent_executions())
        .with_http(config.http.clone())
        .with_connections(config.connections.clone())
        .with_cache(config.cache);
    run_until_shutdown(
        listener,
        state,
        config.connections.clone(),
        config.shutdown_grace(),
    )
    .await;
    if tokio::time::timeout(Duration::from_secs(2), db.close())
        .await
        .is_err()
    {
        tracing::warn!("the database connections did not close in time");
    }
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Applies the pending migrations and, unless `--no-seed`, loads the built-in seed content into an empty
/// database. Both may take longer than a request's statement timeout: they run over their own
/// connections without it.
async fn prepare_database(config: &Config) -> anyhow::Result<()> {
    let db = super::connect_migrated(&config.database).await?;
    if !config.no_seed && oppvekstgraf_seed::is_empty(&db).await? {
        let report = oppvekstgraf_seed::load(&db, &oppvekstgraf_seed::Content::builtin()?).await?;
        tracing::info!(%report, "empty database: seed content loaded");
    }
    db.close().await.ok();
    Ok(())
}

/// Binds the listening socket, logs its URLs and, with `--open`, opens the console in a browser.
async fn listen(config: &Config) -> anyhow::Result<TcpListener> {
    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("binding {}", config.bind))?;
    let url = format!("http://{}/graphiql", listener.local_addr()?);
    tracing::info!(console = %url, graphql = %format!("http://{}/graphql", listener.local_addr()?), "listening");
    if config.open
        && let Err(err) = open::that_detached(&url)
    {
        tracing::warn!("could not open a browser: {err}; open {url} yourself");
    }
    Ok(listener)
}

/// Serves `state` on `listener` until it ends or a shutdown signal comes. On the first SIGTERM or SIGINT
/// the server stops accepting connections, closes idle ones and lets the requests in flight finish; after
/// `grace` (or a second signal) whatever is left is dropped.
async fn run_until_shutdown(
    listener: TcpListener,
    state: AppState,
    connections: ConnectionConfig,
    grace: Duration,
) {
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let metrics = state.metrics.clone();
    let server = async move {
        oppvekstgraf_api::server::serve(listener, app(state), &connections, metrics, async move {
            shutdown_signal().await;
            let _ = stopping.send(());
        })
        .await;
    };
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
    use clap::Parser;

    use crate::cli::{Cli, Command};

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
