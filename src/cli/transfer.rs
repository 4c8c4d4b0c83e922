//! `oppvekstgraf export` and `import`: one municipality's content as a JSON document, and back.

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::Context;
use oppvekstgraf_api::{config::DatabaseConfig, transfer};

/// Exports `municipality` (a kommunenummer, current or former) to the file `output`, or to standard
/// output.
pub(super) async fn export(
    database: &DatabaseConfig,
    municipality: &str,
    output: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let db = super::connect_migrated(database).await?;
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

/// Imports the export document `file` (`-`: standard input), or with `dry_run` reports what it would
/// change and writes nothing.
pub(super) async fn import(
    database: &DatabaseConfig,
    file: &Path,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let text = if file == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).context("reading standard input")?
    } else {
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
    };
    let document =
        transfer::Document::from_json(&text).with_context(|| format!("{}", file.display()))?;
    let db = super::connect_migrated(database).await?;
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
