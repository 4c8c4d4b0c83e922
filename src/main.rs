//! `oppvekstgraf`: the GraphQL content API for municipal preventive work for children and youth.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc in place of the system allocator: a GraphQL response is built from many small allocations, and
/// glibc's malloc spent a third of the server's CPU on them and kept its arenas' memory after a burst.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    match cli::Cli::parse().run().await {
        Ok(code) => code,
        Err(err) => {
            tracing::error!("{err:#}");
            ExitCode::FAILURE
        }
    }
}
