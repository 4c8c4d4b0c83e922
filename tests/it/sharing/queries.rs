//! Sharing: the queries across municipalities.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

use super::{ADOPT, MOSS_MEASURE, measure, ok, preview, who};

on_both!(queries_across_municipalities);
async fn queries_across_municipalities(app: &TestApp) {
    let w = who(app).await;
    let section = ok(
        app,
        None,
        "{ legalReference(lovdataId: \"LOV-2021-06-18-97\", section: \"15-1\") { id } }",
        json!({}),
    )
    .await["legalReference"]["id"]
        .clone();
    let query = "query($f: MunicipalityFilter) { municipalities(filter: $f, first: 100) { nodes { number } } }";
    let numbers = |data: &Value| -> Vec<String> {
        data["municipalities"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .filter_map(|n| n["number"].as_str().map(str::to_string))
            .collect()
    };
    // § 15-1: Rauma cites the section, Moss its second paragraph.
    let citing = ok(
        app,
        None,
        query,
        json!({ "f": { "measures": { "legalReference": section } } }),
    )
    .await;
    assert_eq!(numbers(&citing), vec!["1539", "3103"]);
    let guided = ok(
        app,
        None,
        query,
        json!({ "f": { "measures": { "guidance": "tidlig-oppdagelse-av-utsatte-barn-og-unge" } } }),
    )
    .await;
    assert_eq!(numbers(&guided), vec!["3103"]);
    let themed = ok(
        app,
        None,
        query,
        json!({ "f": { "measures": { "theme": "rusforebygging" } } }),
    )
    .await;
    assert_eq!(numbers(&themed), vec!["3103"]);
    // Råde adopts Moss's measure by reference: it now counts too.
    let (source, _) = measure(app, MOSS_MEASURE).await;
    ok(
        app,
        Some(&w.rade),
        ADOPT,
        json!({ "input": { "source": source, "kind": "REFERENCE" } }),
    )
    .await;
    let citing = ok(
        app,
        None,
        query,
        json!({ "f": { "measures": { "legalReference": section } } }),
    )
    .await;
    assert_eq!(numbers(&citing), vec!["1539", "3103", "3112"]);
    // A bad nested filter names its field.
    let response = app
        .gql_as(
            None,
            query,
            json!({ "f": { "measures": { "legalReference": "bm9wZQ" } } }),
        )
        .await;
    assert_eq!(
        response["errors"][0]["extensions"]["field"], "filter.measures.legalReference",
        "{response}"
    );

    // A region's measures side by side: flat across members, and nested per member.
    let region = ok(
        app,
        None,
        "{ region(slug: \"mosseregionen\") { measures(first: 100) { totalCount nodes { municipality { number } } }
            members(first: 100) { nodes { number measures(includeAdopted: false) { totalCount } } } } }",
        json!({}),
    )
    .await;
    let per_member: i64 = region["region"]["members"]["nodes"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["measures"]["totalCount"].as_i64().unwrap_or(0))
        .sum();
    assert!(per_member > 0);
    assert_eq!(region["region"]["measures"]["totalCount"], per_member);
    let owners: Vec<&str> = region["region"]["measures"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|m| m["municipality"]["number"].as_str())
        .collect();
    let mut grouped = owners.clone();
    grouped.dedup();
    let mut distinct = grouped.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        grouped.len(),
        distinct.len(),
        "grouped by municipality: {owners:?}"
    );

    // The adoption is in the change feed of Råde.
    let feed = preview(
        app,
        &w.rade,
        "{ changes(municipality: \"3112\") { changes { action nodeType } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        feed["changes"]["changes"],
        json!([{ "action": "ADOPT", "nodeType": "Municipality" }])
    );
}
