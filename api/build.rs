//! Builds the GraphiQL console (`console/`) with npm when its `dist/` folder is missing, so a fresh clone
//! needs one command. Set `OPPVEKSTGRAF_SKIP_CONSOLE_BUILD=1` to skip (IDE runs); the console then shows a
//! page that says how to build it.

use std::{path::Path, process::Command};

fn main() {
    let console = Path::new("console");
    for path in [
        "src",
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.js",
    ] {
        println!("cargo:rerun-if-changed=console/{path}");
    }
    println!("cargo:rerun-if-env-changed=OPPVEKSTGRAF_SKIP_CONSOLE_BUILD");
    let dist = console.join("dist");
    if dist.join("index.html").exists() {
        return;
    }
    if std::env::var_os("OPPVEKSTGRAF_SKIP_CONSOLE_BUILD").is_some() {
        std::fs::create_dir_all(&dist).expect("create console/dist");
        std::fs::write(
            dist.join("index.html"),
            "<!doctype html><title>Oppvekstgraf</title><p>The GraphiQL console was not built: run \
             <code>npm ci &amp;&amp; npm run build</code> in <code>api/console</code>.</p>",
        )
        .expect("write placeholder console");
        return;
    }
    println!(
        "cargo:warning=building the GraphiQL console with npm (npm ci && npm run build in api/console); this takes a minute once"
    );
    for args in [
        &["ci", "--no-audit", "--no-fund"][..],
        &["run", "build"][..],
    ] {
        let status = Command::new("npm")
            .args(args)
            .current_dir(console)
            .status()
            .expect("npm is needed to build the GraphiQL console (install Node.js 20+)");
        assert!(
            status.success(),
            "npm {} failed in api/console",
            args.join(" ")
        );
    }
}
