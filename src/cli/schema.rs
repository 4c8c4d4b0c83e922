//! `oppvekstgraf schema`: prints the GraphQL schema, or checks the checked-in file against it.

use std::{path::PathBuf, process::ExitCode};

use anyhow::Context;

/// Prints the schema's SDL, or with `check` compares it with the file at `path` (failing when they differ).
pub(super) fn schema(check: bool, path: &PathBuf) -> anyhow::Result<ExitCode> {
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
