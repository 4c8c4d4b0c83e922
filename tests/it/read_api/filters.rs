//! The read API: filters and ordering, and drafts and archived content staying hidden.

use crate::common;

use common::node_values;
use serde_json::{Value, json};

use super::{HANDLINGSDEL, JOINT_PLAN};

on_both!(filters_and_ordering);
async fn filters_and_ordering(app: &common::TestApp) {
    let data = app
        .data(
            r#"{ byLaw: measures(filter: { law: "LOV-2021-06-18-97" }, first: 100) { nodes { slug } }
                 rauma: measures(filter: { municipality: "1539" }, first: 100) { totalCount }
                 search: measures(filter: { search: "oppvekstFORUM" }) { nodes { title } }
                 theme: measures(filter: { theme: "vold-i-naere-relasjoner" }, first: 100) { nodes { slug } }
                 action: plans(filter: { kind: [ACTION_PLAN, ACTION_PART] }, first: 100) { nodes { kind } }
                 joint: plans(filter: { joint: true }) { nodes { slug } }
                 moss: plans(filter: { municipality: "3103", search: "plan" }, first: 100) { nodes { title owners { nodes { number } } } }
                 forums: units(filter: { kind: [FORUM] }, first: 100) { nodes { kind } }
                 national: units(filter: { national: true }, first: 100) { nodes { municipality { number } } }
                 asc: municipalities(orderBy: NAME_ASC) { nodes { number } }
                 desc: municipalities(orderBy: NAME_DESC) { nodes { number } }
                 byNumber: municipalities { nodes { number } }
                 county: municipalities(filter: { county: "Østfold" }) { totalCount }
                 region: municipalities(filter: { region: "mosseregionen" }) { totalCount }
                 nested: municipality(number: "1539") { measures(filter: { search: "forhindre" }) { nodes { title } } }
                 guidanceByPublisher: guidances(filter: { publisher: "bufdir" }, first: 100) { totalCount }
                 laws(filter: { kind: [CONSTITUTION] }) { nodes { shortTitle } }
                 current: laws(filter: { current: false }, first: 100) { nodes { replacedBy { lovdataId } } } }"#,
            json!({}),
        )
        .await;
    assert!(!data["byLaw"]["nodes"].as_array().expect("byLaw").is_empty());
    assert_eq!(data["rauma"]["totalCount"], 8);
    assert_eq!(
        data["search"]["nodes"][0]["title"], "Oppvekstforum",
        "case-insensitive text match"
    );
    // Whether every node of the connection `name` passes `test`.
    let all =
        |name: &str, test: fn(&Value) -> bool| common::nodes(&data[name], name).iter().all(test);
    assert!(
        common::nodes(&data["theme"], "theme")
            .iter()
            .any(|n| n["slug"] == "rauma-forhindre-vold-i-naere-relasjoner")
    );
    let action_kind = |n: &Value| n["kind"] == "ACTION_PLAN" || n["kind"] == "ACTION_PART";
    assert!(all("action", action_kind));
    assert_eq!(data["joint"]["nodes"], json!([{ "slug": JOINT_PLAN }]));
    for plan in data["moss"]["nodes"].as_array().expect("moss") {
        assert!(
            plan["title"]
                .as_str()
                .unwrap_or_default()
                .to_lowercase()
                .contains("plan")
        );
        assert!(node_values(&json!({"edges": plan["owners"]["nodes"].as_array().expect("owners").iter().map(|n| json!({"node": n})).collect::<Vec<_>>()}), "number").contains(&"3103".to_string()));
    }
    assert!(all("forums", |n| n["kind"] == "FORUM"));
    assert!(all("national", |n| n["municipality"].is_null()));
    let asc: Vec<Value> = data["asc"]["nodes"].as_array().expect("asc").clone();
    let mut desc: Vec<Value> = data["desc"]["nodes"].as_array().expect("desc").clone();
    desc.reverse();
    assert_eq!(asc, desc);
    assert_eq!(
        data["byNumber"]["nodes"][0]["number"], "1506",
        "municipalities are listed by number by default"
    );
    assert_eq!(data["county"]["totalCount"], 3);
    assert_eq!(data["region"]["totalCount"], 3);
    assert!(!common::nodes(&data["nested"]["measures"], "nested").is_empty());
    assert!(
        data["guidanceByPublisher"]["totalCount"]
            .as_i64()
            .unwrap_or_default()
            >= 3
    );
    assert_eq!(
        data["laws"]["nodes"],
        json!([{ "shortTitle": "Grunnloven" }])
    );
    assert!(
        common::nodes(&data["current"], "replaced")
            .iter()
            .all(|n| !n["replacedBy"].is_null())
    );
    // Bad filter values name the field.
    for (query, field) in [
        (
            r#"{ measures(filter: { municipality: "15" }) { totalCount } }"#,
            "filter.municipality",
        ),
        (
            r#"{ plans(filter: { law: "barnevernsloven" }) { totalCount } }"#,
            "filter.law",
        ),
    ] {
        let (code, error) = app.error_code(query, json!({})).await;
        assert_eq!(code, "VALIDATION");
        assert_eq!(error["extensions"]["field"], field);
    }
    let blank = r#"{ measures(filter: { search: "   " }) { totalCount } }"#;
    let (code, _) = app.error_code(blank, json!({})).await;
    assert_eq!(code, "VALIDATION");
    let unknown = r#"{ plans(filter: { kind: [NOPE] }) { totalCount } }"#;
    let (code, error) = app.error_code(unknown, json!({})).await;
    assert_eq!(
        code, "GRAPHQL_VALIDATION_FAILED",
        "unknown enum values are refused: {error}"
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("NOPE"),
        "{error}"
    );
    let (code, _) = app
        .error_code(r#"{ plans { noSuchField } }"#, json!({}))
        .await;
    assert_eq!(code, "GRAPHQL_VALIDATION_FAILED");
}

on_both!(drafts_and_archived_content_stay_hidden);
async fn drafts_and_archived_content_stay_hidden(app: &common::TestApp) {
    let before = app
        .data(
            r#"{ measure(slug: "rauma-etablere-oppvekstforum") { id } }"#,
            json!({}),
        )
        .await;
    let id = before["measure"]["id"].clone();
    app.execute("UPDATE measure SET status = 'draft' WHERE slug = 'rauma-etablere-oppvekstforum'")
        .await;
    app.execute("UPDATE unit SET status = 'archived' WHERE slug = 'rauma-oppvekstforum'")
        .await;
    let data = app
        .data(
            r#"query($id: ID!, $slug: String!) { node(id: $id) { id } measure(slug: "rauma-etablere-oppvekstforum") { id }
                 plan(slug: $slug) { measures { totalCount edges { node { number } } } }
                 measures(filter: { municipality: "1539" }, first: 100) { totalCount }
                 unit(slug: "rauma-oppvekstforum") { id }
                 skolesjef: unit(slug: "rauma-skolesjef") { memberOf { totalCount } measures(first: 50) { nodes { slug } } } }"#,
            json!({ "id": id, "slug": HANDLINGSDEL }),
        )
        .await;
    assert_eq!(data["node"], Value::Null);
    assert_eq!(data["measure"], Value::Null);
    assert_eq!(data["plan"]["measures"]["totalCount"], 7);
    assert_eq!(
        node_values(&data["plan"]["measures"], "number"),
        ["2", "3", "4", "5", "6", "7", "8"]
    );
    assert_eq!(data["measures"]["totalCount"], 7);
    assert_eq!(data["unit"], Value::Null);
    assert_eq!(
        data["skolesjef"]["memberOf"]["totalCount"], 0,
        "an archived forum is not listed through a relation"
    );
    assert!(
        !node_values(&data["skolesjef"]["measures"], "slug")
            .contains(&"rauma-etablere-oppvekstforum".to_string())
    );
}
