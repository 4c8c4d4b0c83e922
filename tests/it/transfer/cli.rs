//! Transfer from the command line of the real binary, and the seed exported as the golden files.

use crate::common;

use common::{Backend, TestApp};
use oppvekstgraf_api::transfer::Document;
use serde_json::Value;

use super::{export, text_as_of};

/// Runs the real binary with `args`; returns (success, stdout, stderr).
fn run(args: &[&str]) -> (bool, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_oppvekstgraf"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run oppvekstgraf");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_cli_exports_to_a_file_and_imports_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = |name: &str| format!("sqlite://{}?mode=rwc", dir.path().join(name).display());
    let (a, b) = (url("a.db"), url("b.db"));
    let file = dir.path().join("rauma.json");
    let file_arg = file.to_str().expect("utf-8 path");

    let (ok, _, err) = run(&["seed", "--database-url", &a]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&[
        "export",
        "--municipality",
        "1539",
        "--database-url",
        &a,
        "--output",
        file_arg,
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&file).expect("export file");
    let document = Document::from_json(&text).expect("a valid document");
    assert_eq!(document.municipality, "1539");
    // Standard output carries the same document.
    let (ok, out, err) = run(&["export", "--municipality", "1539", "--database-url", &a]);
    assert!(ok, "{err}");
    let again = Document::from_json(&out).expect("a valid document");
    assert_eq!(text_as_of(&again, &document), text);

    // A dry run writes nothing; the import then creates everything; a second import changes nothing.
    let (ok, out, err) = run(&["import", "--dry-run", file_arg, "--database-url", &b]);
    assert!(ok, "{err}");
    assert!(out.starts_with("dry run"), "{out}");
    let (ok, out, _) = run(&["export", "--municipality", "1539", "--database-url", &b]);
    assert!(!ok, "the dry run created nothing: {out}");
    let (ok, out, err) = run(&["import", file_arg, "--database-url", &b]);
    assert!(ok, "{err}");
    let summary = out.lines().next().unwrap_or_default();
    assert!(
        summary.contains(" created, 0 updated") && !summary.contains(": 0 created"),
        "{out}"
    );
    let (ok, out, err) = run(&["import", file_arg, "--database-url", &b]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("municipality 1539: 0 created, 0 updated"),
        "{out}"
    );
    let (ok, out, err) = run(&["export", "--municipality", "1539", "--database-url", &b]);
    assert!(ok, "{err}");
    assert_eq!(
        text_as_of(&Document::from_json(&out).expect("valid"), &document),
        text
    );

    // A document of another version fails with a message and a non-zero exit.
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        text.replacen("\"version\": 1", "\"version\": 2", 1),
    )
    .expect("write");
    let (ok, _, err) = run(&[
        "import",
        broken.to_str().expect("utf-8 path"),
        "--database-url",
        &b,
    ]);
    assert!(!ok);
    assert!(err.contains("version 2"), "{err}");
}

/// `value` with every date-time (`createdAt`, `updatedAt`, `exportedAt` …, which the seed load stamps with
/// its own clock) replaced by a placeholder; dates and every other value stay.
fn without_clock(value: &mut Value) {
    match value {
        Value::String(text) if chrono::DateTime::parse_from_rfc3339(text).is_ok() => {
            *text = "<date-time>".into();
        }
        Value::Array(items) => items.iter_mut().for_each(without_clock),
        Value::Object(map) => map.values_mut().for_each(without_clock),
        _ => {}
    }
}

on_both!(the_seed_exports_as_the_golden_files);
/// The export of the seed content is fixed in `tests/golden/`, byte for byte but for the load's clock: a
/// change to how the graph is read, declared or written must not move it. After a deliberate change to the
/// content or the format, write the files again with `OPPVEKSTGRAF_WRITE_GOLDEN=1 cargo test --test it transfer::`.
async fn the_seed_exports_as_the_golden_files(app: &TestApp) {
    for number in ["1539", "3103"] {
        let mut value = serde_json::to_value(export(app, number).await).expect("serialises");
        without_clock(&mut value);
        let text = serde_json::to_string_pretty(&value).expect("serialises") + "\n";
        let path = format!(
            "{}/tests/golden/export-{number}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        if std::env::var_os("OPPVEKSTGRAF_WRITE_GOLDEN").is_some() && app.backend == Backend::Sqlite
        {
            std::fs::write(&path, &text).expect("write the golden file");
        }
        let golden = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(
            text == golden,
            "[{:?}] the export of {number} differs from {path}",
            app.backend
        );
    }
}
