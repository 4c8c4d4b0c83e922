//! Writes the code derived from the catalog (`--check`: compares instead, and fails when it is stale).

use std::process::ExitCode;

use oppvekstgraf_catalog::codegen::{RELATIONS_PATH, relation_fields};

fn main() -> ExitCode {
    let check = std::env::args().any(|arg| arg == "--check");
    let generated = relation_fields();
    let on_disk = std::fs::read_to_string(RELATIONS_PATH).unwrap_or_default();
    if on_disk == generated {
        println!("{RELATIONS_PATH} is up to date");
        return ExitCode::SUCCESS;
    }
    if check {
        eprintln!(
            "{RELATIONS_PATH} is stale: run `cargo run -p oppvekstgraf-catalog --bin codegen`"
        );
        return ExitCode::FAILURE;
    }
    match std::fs::write(RELATIONS_PATH, generated) {
        Ok(()) => {
            println!("wrote {RELATIONS_PATH}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("writing {RELATIONS_PATH}: {error}");
            ExitCode::FAILURE
        }
    }
}
