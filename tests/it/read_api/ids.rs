//! The read API: root connections, global IDs, lookups by natural key, and validated IDs and arguments.

use crate::common;

use common::node_values;
use serde_json::{Value, json};

on_both!(root_connections_and_global_ids);
/// Every root connection answers, and every node it returns comes back through `node(id)` and `nodes(ids)`.
async fn root_connections_and_global_ids(app: &common::TestApp) {
    let roots = [
        ("municipalities", "Municipality"),
        ("regions", "Region"),
        ("plans", "Plan"),
        ("goals", "Goal"),
        ("measures", "Measure"),
        ("units", "Unit"),
        ("laws", "Law"),
        ("legalReferences", "LegalReference"),
        ("guidances", "Guidance"),
        ("publishers", "Publisher"),
        ("concepts", "Concept"),
        ("themes", "Theme"),
        ("targetGroups", "TargetGroup"),
    ];
    for (field, typename) in roots {
        let query =
            format!("{{ {field}(first: 3) {{ totalCount nodes {{ __typename id slug uuid }} }} }}");
        let data = app.data(&query, json!({})).await;
        let connection = &data[field];
        assert!(
            connection["totalCount"].as_i64().unwrap_or_default() > 0,
            "{field}: {connection}"
        );
        let nodes = connection["nodes"].as_array().expect("nodes");
        assert!(!nodes.is_empty(), "{field}");
        let ids: Vec<Value> = nodes.iter().map(|n| n["id"].clone()).collect();
        for node in nodes {
            assert_eq!(node["__typename"], typename);
            let again = app
                .data(
                    "query($id: ID!) { node(id: $id) { __typename id ... on Plan { title } } }",
                    json!({ "id": node["id"] }),
                )
                .await;
            assert_eq!(again["node"]["__typename"], typename);
            assert_eq!(again["node"]["id"], node["id"]);
        }
        let many = app
            .data(
                "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                json!({ "ids": ids }),
            )
            .await;
        let returned: Vec<Value> = common::nodes(&many, "nodes")
            .iter()
            .map(|n| n["id"].clone())
            .collect();
        assert_eq!(returned, ids, "{field}: nodes(ids) keeps the order");
    }
}

on_both!(lookups_by_natural_key);
async fn lookups_by_natural_key(app: &common::TestApp) {
    let data = app
        .data(
            r#"{ municipality(slug: "rauma") { number } law(lovdataId: "LOV-2021-06-18-97") { shortTitle kind eli
                 legalReferences(first: 20) { edges { node { section paragraph } } } }
                 old: law(lovdataId: "LOV-1967-02-10") { shortTitle eli replacedBy { lovdataId replaces { edges { node { lovdataId } } } } }
                 bySlug: law(slug: "barnevernsloven") { lovdataId }
                 legalReference(lovdataId: "LOV-2011-06-24-30", section: "7-2 a") { citation url }
                 unit(slug: "rauma-skolesjef") { name } measure(slug: "rauma-etablere-oppvekstforum") { number }
                 publisher(slug: "helsedirektoratet") { organizationNumber } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["municipality"]["number"], "1539");
    assert_eq!(data["law"]["shortTitle"], "barnevernsloven");
    assert_eq!(
        data["law"]["eli"],
        "https://lovdata.no/eli/lov/2021/06/18/97/nor"
    );
    assert!(node_values(&data["law"]["legalReferences"], "section").contains(&"15-1".to_string()));
    assert_eq!(
        data["old"]["eli"],
        Value::Null,
        "old acts have no serial number"
    );
    assert_eq!(data["old"]["replacedBy"]["lovdataId"], "LOV-2025-06-20-81");
    assert_eq!(
        node_values(&data["old"]["replacedBy"]["replaces"], "lovdataId"),
        ["LOV-1967-02-10"]
    );
    assert_eq!(data["bySlug"]["lovdataId"], "LOV-2021-06-18-97");
    assert_eq!(
        data["legalReference"]["url"],
        "https://lovdata.no/lov/2011-06-24-30/§7-2a"
    );
    assert_eq!(data["unit"]["name"], "Skolesjef");
    assert_eq!(data["measure"]["number"], 1);
    assert_eq!(data["publisher"]["organizationNumber"], "983544622");
    // Unknown keys give null.
    let missing = app
        .data(r#"{ municipality(number: "9999") { name } law(lovdataId: "LOV-2000-01-01-1") { title } plan(slug: "nope") { title } }"#, json!({}))
        .await;
    assert_eq!(
        missing,
        json!({ "municipality": null, "law": null, "plan": null })
    );
}

on_both!(ids_and_arguments_are_validated);
async fn ids_and_arguments_are_validated(app: &common::TestApp) {
    let (code, error) = app
        .error_code(r#"{ node(id: "not an id") { id } }"#, json!({}))
        .await;
    assert_eq!(code, "VALIDATION");
    assert_eq!(error["extensions"]["field"], "id");
    // A well-formed ID of a node that does not exist gives null.
    let unknown = common::base64("Plan:00000000-0000-4000-8000-000000000000");
    let data = app
        .data(
            "query($id: ID!) { node(id: $id) { id } plan(id: $id) { id } }",
            json!({ "id": unknown }),
        )
        .await;
    assert_eq!(data, json!({ "node": null, "plan": null }));
    // The ID of a municipality where a plan is expected.
    let rauma = app
        .data(r#"{ municipality(number: "1539") { id } }"#, json!({}))
        .await["municipality"]["id"]
        .clone();
    let (code, error) = app
        .error_code(
            "query($id: ID!) { plan(id: $id) { id } }",
            json!({ "id": rauma }),
        )
        .await;
    assert_eq!(code, "VALIDATION");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Plan")
    );
    assert_eq!(
        app.error_code(r#"{ municipality(number: "15390") { id } }"#, json!({}))
            .await
            .0,
        "VALIDATION"
    );
    assert_eq!(
        app.error_code(r#"{ municipality { id } }"#, json!({}))
            .await
            .0,
        "VALIDATION"
    );
    assert_eq!(
        app.error_code(
            r#"{ law(lovdataId: "LOV-2021-13-18-97") { id } }"#,
            json!({})
        )
        .await
        .0,
        "VALIDATION"
    );
    assert_eq!(
        app.error_code(
            r#"{ legalReference(lovdataId: "LOV-2021-06-18-97", section: "§15-1") { id } }"#,
            json!({})
        )
        .await
        .0,
        "VALIDATION"
    );
    let too_many: Vec<String> = (0..101).map(|_| unknown.clone()).collect();
    assert_eq!(
        app.error_code(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": too_many })
        )
        .await
        .0,
        "VALIDATION"
    );
}
