//! The seed content: loading is idempotent, edits update in place, and bad references or values are
//! refused with the file and the key named, before anything is written.

use crate::common;

use std::path::Path;

use oppvekstgraf_seed::{Content, load};
use serde_json::json;

const COUNTS: &str = "{ municipalities { totalCount } plans(first: 1) { totalCount } measures(first: 1) { totalCount }
    units(first: 1) { totalCount } laws(first: 1) { totalCount } legalReferences(first: 1) { totalCount }
    guidances(first: 1) { totalCount } publishers(first: 1) { totalCount } concepts(first: 1) { totalCount }
    themes(first: 1) { totalCount } targetGroups(first: 1) { totalCount } regions { totalCount } goals { totalCount } }";

fn data_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seed/data")
}

/// Copies the seed data to a temp folder and applies `edit` to one file.
fn edited_copy(file: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&data_dir(), dir.path());
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).expect("seed file");
    std::fs::write(&path, edit(text)).expect("write");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

on_both!(loading_twice_changes_nothing, empty);
async fn loading_twice_changes_nothing(app: &common::TestApp) {
    let content = Content::builtin().expect("parses");
    let first = load(&app.state.db, &content).await.expect("first load");
    assert!(first.inserted > 150, "{first}");
    let counts = app.data(COUNTS, json!({})).await;
    let second = load(&app.state.db, &content).await.expect("second load");
    assert!(second.is_noop(), "a second load changes nothing: {second}");
    assert_eq!(second.unchanged, first.inserted);
    assert_eq!(app.data(COUNTS, json!({})).await, counts);
    // The folder on disk is the same content as the one built in.
    let from_disk = Content::from_dir(&data_dir()).expect("parses");
    assert!(
        load(&app.state.db, &from_disk)
            .await
            .expect("load from disk")
            .is_noop()
    );
}

on_both!(an_edit_updates_in_place, empty);
async fn an_edit_updates_in_place(app: &common::TestApp) {
    load(&app.state.db, &Content::builtin().expect("parses"))
        .await
        .expect("load");
    let before = app
        .data(
            r#"{ measure(slug: "rauma-arshjul") { id title version } }"#,
            json!({}),
        )
        .await;
    let dir = edited_copy("municipalities/1539-rauma.toml", |t| {
        t.replacen("title = \"Årshjul\"", "title = \"Årshjul for oppvekst\"", 1)
    });
    let report = load(
        &app.state.db,
        &Content::from_dir(dir.path()).expect("parses"),
    )
    .await
    .expect("load");
    assert_eq!((report.inserted, report.updated), (0, 1), "{report}");
    // The load announced the change in the feed; this process applies it (another process would on its own,
    // through NOTIFY or the feed poll).
    app.state.cache.settle(&app.state.db).await;
    let after = app
        .data(
            r#"{ measure(slug: "rauma-arshjul") { id title version } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        after["measure"]["id"], before["measure"]["id"],
        "same node, same id"
    );
    assert_eq!(after["measure"]["title"], "Årshjul for oppvekst");
    assert_eq!(
        after["measure"]["version"],
        before["measure"]["version"].as_i64().unwrap_or_default() + 1
    );
}

on_both!(a_link_to_a_missing_node_names_file_and_key, empty);
async fn a_link_to_a_missing_node_names_file_and_key(app: &common::TestApp) {
    let dir = edited_copy("municipalities/1539-rauma.toml", |t| {
        t.replacen(
            "{ unit = \"rauma-skolesjef\", role = \"lead\" }",
            "{ unit = \"rauma-no-such-unit\", role = \"lead\" }",
            1,
        )
    });
    let err = load(
        &app.state.db,
        &Content::from_dir(dir.path()).expect("parses"),
    )
    .await
    .expect_err("refused");
    let message = format!("{err:#}");
    assert!(
        message.contains("municipalities/1539-rauma.toml"),
        "{message}"
    );
    assert!(message.contains("rauma-no-such-unit"), "{message}");
    let counts = app.data(COUNTS, json!({})).await;
    assert_eq!(
        counts["municipalities"]["totalCount"], 0,
        "nothing was written"
    );
}

#[test]
fn bad_values_are_refused_with_the_file_named() {
    type Edit = fn(String) -> String;
    let cases: [(&str, Edit, &str); 4] = [
        (
            "municipalities.toml",
            |t| t.replacen("920817521", "920817522", 1),
            "organisation number",
        ),
        (
            "national/laws.toml",
            |t| {
                t.replacen(
                    "lovdata_id = \"LOV-2021-06-18-97\"",
                    "lovdata_id = \"LOV-2021-6-18-97\"",
                    1,
                )
            },
            "Lovdata id",
        ),
        (
            "national/laws.toml",
            |t| t.replacen("section = \"15-1\"", "section = \"§ 15-1\"", 1),
            "not a section",
        ),
        (
            "municipalities/1539-rauma.toml",
            |t| t.replacen("kind = \"forum\"", "kind = \"committee\"", 1),
            "committee",
        ),
    ];
    for (file, edit, expected) in cases {
        let dir = edited_copy(file, edit);
        let err = Content::from_dir(dir.path())
            .and_then(|content| {
                // Values are checked while keys are collected, before any connection is needed.
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async {
                    let db = sea_orm::Database::connect("sqlite::memory:").await?;
                    load(&db, &content).await
                })
            })
            .expect_err(expected);
        let message = format!("{err:#}");
        assert!(message.contains(file), "{file}: {message}");
        assert!(message.contains(expected), "{file}: {message}");
    }
}
