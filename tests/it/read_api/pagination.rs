//! The read API: pagination edges, and pages without a total count paging the same.

use crate::common;

use common::node_values;
use serde_json::{Value, json};

use super::HANDLINGSDEL;

on_both!(pagination_edges);
async fn pagination_edges(app: &common::TestApp) {
    const PAGE: &str = r#"query($slug: String!, $first: Int, $after: String, $last: Int, $before: String) {
        plan(slug: $slug) { measures(first: $first, after: $after, last: $last, before: $before) {
          totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { number } } } } }"#;
    let page = |vars: Value| {
        let mut vars = vars;
        vars["slug"] = json!(HANDLINGSDEL);
        async move { app.data(PAGE, vars).await["plan"]["measures"].clone() }
    };
    let first = page(json!({ "first": 3 })).await;
    assert_eq!(node_values(&first, "number"), ["1", "2", "3"]);
    assert_eq!(first["totalCount"], 8);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["pageInfo"]["hasPreviousPage"], false);
    let second = page(json!({ "first": 3, "after": first["pageInfo"]["endCursor"] })).await;
    assert_eq!(node_values(&second, "number"), ["4", "5", "6"]);
    assert_eq!(second["pageInfo"]["hasPreviousPage"], true);
    let last = page(json!({ "first": 3, "after": second["pageInfo"]["endCursor"] })).await;
    assert_eq!(node_values(&last, "number"), ["7", "8"]);
    assert_eq!(last["pageInfo"]["hasNextPage"], false);
    let beyond = page(json!({ "first": 3, "after": last["pageInfo"]["endCursor"] })).await;
    assert_eq!(beyond["edges"], json!([]));
    assert_eq!(
        beyond["totalCount"], 8,
        "totalCount is known for an empty page"
    );
    assert_eq!(beyond["pageInfo"]["endCursor"], Value::Null);
    let tail = page(json!({ "last": 2 })).await;
    assert_eq!(node_values(&tail, "number"), ["7", "8"]);
    let back = page(json!({ "last": 2, "before": tail["edges"][0]["cursor"] })).await;
    assert_eq!(node_values(&back, "number"), ["5", "6"]);
    let empty = page(json!({ "first": 0 })).await;
    assert_eq!(empty["edges"], json!([]));
    assert_eq!(empty["totalCount"], 8);
    let unpaged = r#"{ legalReferences { edges { cursor } totalCount } }"#;
    let default = app.data(unpaged, json!({})).await;
    let count = default["legalReferences"]["edges"]
        .as_array()
        .expect("edges")
        .len() as i64;
    assert_eq!(
        count,
        default["legalReferences"]["totalCount"]
            .as_i64()
            .unwrap_or_default()
            .min(20),
        "default page size is 20"
    );

    // first: 101, a negative page, first with last, a foreign cursor and garbage.
    let (code, error) = app
        .error_code(PAGE, json!({ "slug": HANDLINGSDEL, "first": 101 }))
        .await;
    assert_eq!(code, "VALIDATION");
    assert_eq!(error["extensions"]["field"], "first");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("100"),
        "{error}"
    );
    assert_eq!(
        app.error_code(PAGE, json!({ "slug": HANDLINGSDEL, "last": -1 }))
            .await
            .0,
        "VALIDATION"
    );
    assert_eq!(
        app.error_code(PAGE, json!({ "slug": HANDLINGSDEL, "first": 1, "last": 1 }))
            .await
            .0,
        "VALIDATION"
    );
    let plan_cursor = app
        .data(r#"{ plans(first: 1) { edges { cursor } } }"#, json!({}))
        .await["plans"]["edges"][0]["cursor"]
        .clone();
    let (code, error) = app
        .error_code(PAGE, json!({ "slug": HANDLINGSDEL, "after": plan_cursor }))
        .await;
    assert_eq!(code, "VALIDATION");
    assert_eq!(error["extensions"]["field"], "after");
    assert_eq!(
        app.error_code(PAGE, json!({ "slug": HANDLINGSDEL, "before": "garbage!" }))
            .await
            .0,
        "VALIDATION"
    );
}

on_both!(pages_without_total_count_page_the_same);
/// A page whose `totalCount` is not asked for is read without counting the list (one row past the page
/// instead): its edges and `pageInfo` must be the same as the counted page's for every window.
async fn pages_without_total_count_page_the_same(app: &common::TestApp) {
    const COUNTED: &str = r#"query($slug: String!, $first: Int, $after: String, $last: Int, $before: String) {
        plan(slug: $slug) { measures(first: $first, after: $after, last: $last, before: $before) {
          totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { number } } } } }"#;
    const UNCOUNTED: &str = r#"query($slug: String!, $first: Int, $after: String, $last: Int, $before: String) {
        plan(slug: $slug) { measures(first: $first, after: $after, last: $last, before: $before) {
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { number } } } } }"#;
    let cursor = |position: i64| common::base64(&format!("Measure:{position}"));
    let mut windows = vec![json!({}), json!({ "first": 0 }), json!({ "last": 3 })];
    for size in [1, 3, 7, 8, 9] {
        windows.push(json!({ "first": size }));
        for position in [0, 2, 6, 7, 8, 12] {
            windows.push(json!({ "first": size, "after": cursor(position) }));
            windows.push(json!({ "last": size, "before": cursor(position) }));
            windows.push(json!({ "before": cursor(position) }));
        }
    }
    for window in windows {
        let mut vars = window.clone();
        vars["slug"] = json!(HANDLINGSDEL);
        let mut counted = app.data(COUNTED, vars.clone()).await["plan"]["measures"].clone();
        let uncounted = app.data(UNCOUNTED, vars).await["plan"]["measures"].clone();
        assert_eq!(counted["totalCount"], 8, "{window}");
        if let Some(page) = counted.as_object_mut() {
            page.remove("totalCount");
        }
        assert_eq!(counted, uncounted, "[{:?}] window {window}", app.backend);
    }
}
