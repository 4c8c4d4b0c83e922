//! Sharing: the queries across municipalities.

use crate::common;

use common::{Caller, TestApp};
use serde_json::{Value, json};

use super::{ADOPT, MOSS_MEASURE, measure, ok, preview, who};

const MUNICIPALITIES: &str =
    "query($f: MunicipalityFilter) { municipalities(filter: $f, first: 100) { nodes { number } } }";

/// The numbers of the municipalities with measures that match `filter`.
async fn municipalities_with(app: &TestApp, filter: Value) -> Vec<String> {
    let variables = json!({ "f": { "measures": filter } });
    let data = ok(&Caller::anonymous(app), MUNICIPALITIES, variables).await;
    common::nodes(&data["municipalities"], "nodes")
        .iter()
        .filter_map(|n| n["number"].as_str().map(str::to_string))
        .collect()
}

on_both!(queries_across_municipalities);
async fn queries_across_municipalities(app: &TestApp) {
    let w = who(app).await;
    const SECTION: &str =
        "{ legalReference(lovdataId: \"LOV-2021-06-18-97\", section: \"15-1\") { id } }";
    let section = ok(&w.anonymous, SECTION, json!({})).await["legalReference"]["id"].clone();
    // § 15-1: Rauma cites the section, Moss its second paragraph.
    let citing = municipalities_with(app, json!({ "legalReference": section })).await;
    assert_eq!(citing, vec!["1539", "3103"]);
    let guidance = json!({ "guidance": "tidlig-oppdagelse-av-utsatte-barn-og-unge" });
    assert_eq!(municipalities_with(app, guidance).await, vec!["3103"]);
    let theme = json!({ "theme": "rusforebygging" });
    assert_eq!(municipalities_with(app, theme).await, vec!["3103"]);
    // Råde adopts Moss's measure by reference: it now counts too.
    let (source, _) = measure(app, MOSS_MEASURE).await;
    let reference = json!({ "input": { "source": source, "kind": "REFERENCE" } });
    ok(&w.rade, ADOPT, reference).await;
    let citing = municipalities_with(app, json!({ "legalReference": section })).await;
    assert_eq!(citing, vec!["1539", "3103", "3112"]);
    // A bad nested filter names its field.
    let bad = json!({ "f": { "measures": { "legalReference": "bm9wZQ" } } });
    let response = app.gql_as(None, MUNICIPALITIES, bad).await;
    assert_eq!(
        response["errors"][0]["extensions"]["field"], "filter.measures.legalReference",
        "{response}"
    );

    // A region's measures side by side: flat across members, and nested per member.
    const REGION: &str = "{ region(slug: \"mosseregionen\") { measures(first: 100) { totalCount nodes { municipality { number } } }
            members(first: 100) { nodes { number measures(includeAdopted: false) { totalCount } } } } }";
    let region = ok(&w.anonymous, REGION, json!({})).await;
    let per_member: i64 = common::nodes(&region["region"]["members"], "members")
        .iter()
        .map(|m| m["measures"]["totalCount"].as_i64().unwrap_or(0))
        .sum();
    assert!(per_member > 0);
    assert_eq!(region["region"]["measures"]["totalCount"], per_member);
    let owners: Vec<&str> = common::nodes(&region["region"]["measures"], "nodes")
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
