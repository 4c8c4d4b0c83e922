//! Editing: optimistic concurrency (the first save wins) and concurrent creates that all land.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

use super::{HANDLINGSDEL, MEASURE_CREATE, MEASURE_UPDATE, node, ok, refused, who};

on_both!(versions_conflict_and_the_first_save_wins);
async fn versions_conflict_and_the_first_save_wins(app: &TestApp) {
    let w = who(app).await;
    let (id, version) = node(app, "measure(slug: \"rauma-arshjul\")").await;
    let first = ok(
        &w.rauma,
        MEASURE_UPDATE,
        json!({ "input": { "id": id, "version": version, "title": "Første" } }),
    )
    .await;
    assert_eq!(first["measureUpdate"]["measure"]["version"], version + 1);
    let error = refused(
        &w.rauma,
        MEASURE_UPDATE,
        json!({ "input": { "id": id, "version": version, "title": "Andre" } }),
        "CONFLICT",
    )
    .await;
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("version"),
        "{error}"
    );
    // Two editors saving against the same version at once: exactly one wins.
    let (id, version) = node(app, "measure(slug: \"rauma-arshjul\")").await;
    let a = w.rauma.gql(
        MEASURE_UPDATE,
        json!({ "input": { "id": id, "version": version, "title": "A" } }),
    );
    let b = w.admin.gql(
        MEASURE_UPDATE,
        json!({ "input": { "id": id, "version": version, "title": "B" } }),
    );
    let (a, b) = tokio::join!(a, b);
    let codes: Vec<Value> = [&a, &b]
        .iter()
        .map(|r| r["errors"][0]["extensions"]["code"].clone())
        .collect();
    let wins = [&a, &b]
        .iter()
        .filter(|r| r.get("errors").is_none())
        .count();
    assert_eq!(
        wins, 1,
        "[{:?}] exactly one save wins: {a} {b}",
        app.backend
    );
    assert!(codes.contains(&json!("CONFLICT")), "{codes:?}");
    let (_, now) = node(app, "measure(slug: \"rauma-arshjul\")").await;
    assert_eq!(now, version + 1);
}

on_both!(concurrent_creates_all_land);
/// Editors writing at the same time wait for each other; none of them gets an internal error.
async fn concurrent_creates_all_land(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let creates = (0..6).map(|i| {
        let input = json!({ "input": { "plan": plan, "title": format!("Samtidig {i}") } });
        let rauma = &w.rauma;
        async move { rauma.gql(MEASURE_CREATE, input).await }
    });
    let results = futures_util::future::join_all(creates).await;
    for result in &results {
        assert!(
            result.get("errors").is_none(),
            "[{:?}] {result}",
            app.backend
        );
    }
    let preview = w
        .rauma
        .gql_preview(
            r#"{ measures(filter: { search: "Samtidig" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(preview["data"]["measures"]["totalCount"], 6);
}
