//! Writes the code derived from the catalog (`--check`: compares instead, and fails when any is stale).

use std::process::ExitCode;

use oppvekstgraf_catalog::codegen::files;

fn main() -> ExitCode {
    let check = std::env::args().any(|arg| arg == "--check");
    let mut code = ExitCode::SUCCESS;
    for (path, generated) in files() {
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        if on_disk == generated {
            println!("{path} is up to date");
        } else if check {
            eprintln!("{path} is stale: run `cargo run -p oppvekstgraf-catalog --bin codegen`");
            code = ExitCode::FAILURE;
        } else if let Err(error) = std::fs::write(path, generated) {
            eprintln!("writing {path}: {error}");
            code = ExitCode::FAILURE;
        } else {
            println!("wrote {path}");
        }
    }
    code
}
