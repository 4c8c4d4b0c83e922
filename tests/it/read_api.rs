//! The read API over HTTP, on SQLite and PostgreSQL: the seed content, every root query, both directions of
//! every relation, pagination, filters, global IDs and visibility.

use crate::common;

use common::node_values;
use serde_json::{Value, json};

const HANDLINGSDEL: &str = "rauma-handlingsdel-oppvekstplan-2023-2033";
const JOINT_PLAN: &str = "mosseregionen-handlingsplan-vold-i-naere-relasjoner-2022-2025";

on_both!(rauma_has_eight_measures_in_order);
async fn rauma_has_eight_measures_in_order(app: &common::TestApp) {
    let data = app
        .data(
            r#"query($slug: String!) { plan(slug: $slug) { title kind parent { title caseNumber adoptedOn adoptedBy { name } }
                 measures(first: 20) { totalCount edges { node { number position title frequency municipality { number } } } } } }"#,
            json!({ "slug": HANDLINGSDEL }),
        )
        .await;
    let plan = &data["plan"];
    assert_eq!(plan["kind"], "ACTION_PART");
    assert_eq!(plan["parent"]["title"], "Oppvekstplan for 2023-2033");
    assert_eq!(plan["parent"]["caseNumber"], "PS-50/23");
    assert_eq!(plan["parent"]["adoptedOn"], "2023-06-22");
    assert_eq!(plan["parent"]["adoptedBy"]["name"], "Kommunestyret");
    assert_eq!(plan["measures"]["totalCount"], 8);
    let numbers = node_values(&plan["measures"], "number");
    assert_eq!(numbers, ["1", "2", "3", "4", "5", "6", "7", "8"]);
    let titles = node_values(&plan["measures"], "title");
    assert_eq!(titles[0], "Oppvekstforum");
    assert_eq!(titles[1], "Årshjul");
    assert!(
        titles[7].starts_with("Innføre BTS/BTI-modellen"),
        "{titles:?}"
    );
    assert_eq!(
        plan["measures"]["edges"][0]["node"]["frequency"],
        "fire ganger pr år"
    );
    assert_eq!(
        plan["measures"]["edges"][0]["node"]["municipality"]["number"],
        "1539"
    );
}

on_both!(oppvekstforum_is_led_by_skolesjef);
async fn oppvekstforum_is_led_by_skolesjef(app: &common::TestApp) {
    let data = app
        .data(
            r#"{ unit(slug: "rauma-oppvekstforum") { name kind municipality { name }
                 members(first: 20) { totalCount edges { role node { name memberOf { edges { role node { name } } } } } } } }"#,
            json!({}),
        )
        .await;
    let unit = &data["unit"];
    assert_eq!(unit["kind"], "FORUM");
    assert_eq!(unit["municipality"]["name"], "Rauma");
    let edges = unit["members"]["edges"].as_array().expect("edges");
    let leaders: Vec<&Value> = edges.iter().filter(|e| e["role"] == "LEADER").collect();
    assert_eq!(leaders.len(), 1);
    assert_eq!(leaders[0]["node"]["name"], "Skolesjef");
    // The other direction: skolesjef is a member of Oppvekstforum, as its leader.
    assert!(
        leaders[0]["node"]["memberOf"]["edges"]
            .as_array()
            .expect("memberOf")
            .iter()
            .any(|e| e["role"] == "LEADER" && e["node"]["name"] == "Oppvekstforum")
    );
    let members = edges.iter().filter(|e| e["role"] == "MEMBER").count();
    assert_eq!(
        members, 5,
        "barnehagesjef, helse og velferdssjef, helse og omsorgssjef, leder i ungdomsrådet, utbyggingssjef"
    );
    assert!(edges.iter().any(|e| e["role"] == "INVITED"));
}

on_both!(barnevernsloven_15_1_is_cited_by_moss);
async fn barnevernsloven_15_1_is_cited_by_moss(app: &common::TestApp) {
    let data = app
        .data(
            r#"{ legalReference(lovdataId: "LOV-2021-06-18-97", section: "15-1") { citation url law { shortTitle lovdataId url }
                 plans(first: 50) { totalCount edges { node { title owners(first: 5) { edges { node { number } } } } } }
                 measures(first: 50) { totalCount edges { node { title municipality { number } } } } } }"#,
            json!({}),
        )
        .await;
    let reference = &data["legalReference"];
    assert_eq!(reference["citation"], "barnevernsloven § 15-1");
    assert_eq!(
        reference["url"],
        "https://lovdata.no/lov/2021-06-18-97/§15-1"
    );
    assert_eq!(
        reference["law"]["url"],
        "https://lovdata.no/dokument/NL/lov/2021-06-18-97"
    );
    let plan_owners: Vec<String> = reference["plans"]["edges"]
        .as_array()
        .expect("plans")
        .iter()
        .flat_map(|e| node_values(&e["node"]["owners"], "number"))
        .collect();
    assert!(
        plan_owners.contains(&"3103".to_string()),
        "Moss cites § 15-1: {reference:#}"
    );
    assert!(node_values(&reference["plans"], "title").contains(&"Moss oppvekstportal".to_string()));
    // The paragraph itself, cited by Moss's portal as "§ 15-1 annet ledd".
    let data = app
        .data(
            r#"{ legalReference(lovdataId: "LOV-2021-06-18-97", section: "15-1", paragraph: 2) { citation plans(first: 50) { edges { node { title } } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["legalReference"]["citation"],
        "barnevernsloven § 15-1 annet ledd"
    );
    assert!(
        node_values(&data["legalReference"]["plans"], "title")
            .contains(&"Moss oppvekstportal".to_string())
    );
}

on_both!(joint_plan_has_three_owners);
async fn joint_plan_has_three_owners(app: &common::TestApp) {
    let data = app
        .data(
            r#"query($slug: String!) { plan(slug: $slug) { kind owners(first: 10) { totalCount edges { node { number name } } } } }"#,
            json!({ "slug": JOINT_PLAN }),
        )
        .await;
    assert_eq!(data["plan"]["kind"], "ACTION_PLAN");
    assert_eq!(data["plan"]["owners"]["totalCount"], 3);
    let mut numbers = node_values(&data["plan"]["owners"], "number");
    numbers.sort();
    assert_eq!(numbers, ["3103", "3112", "3114"]);
    // Each owner lists it among its plans and its joint plans.
    for number in ["3103", "3112", "3114"] {
        let data = app
            .data(
                r#"query($n: String!) { municipality(number: $n) { jointPlans { edges { node { slug } } }
                     plans(first: 100) { edges { node { slug } } } } }"#,
                json!({ "n": number }),
            )
            .await;
        assert!(
            node_values(&data["municipality"]["jointPlans"], "slug")
                .contains(&JOINT_PLAN.to_string()),
            "{number}"
        );
        assert!(
            node_values(&data["municipality"]["plans"], "slug").contains(&JOINT_PLAN.to_string()),
            "{number}"
        );
    }
    let rauma = app
        .data(
            r#"{ municipality(number: "1539") { jointPlans { totalCount } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(rauma["municipality"]["jointPlans"]["totalCount"], 0);
}

on_both!(moss_plans_by_kind_and_goals);
async fn moss_plans_by_kind_and_goals(app: &common::TestApp) {
    let data = app
        .data(
            r#"{ municipality(number: "3103") { name organizationNumber county formerNumbers { number validFrom validTo }
                 samfunnsdel: plans(filter: { kind: [COMMUNITY_PART] }) { totalCount edges { node { title period
                   goals { totalCount edges { node { focusArea statement plan { title } } } } } } }
                 all: plans(first: 100) { totalCount } } }"#,
            json!({}),
        )
        .await;
    let moss = &data["municipality"];
    assert_eq!(moss["organizationNumber"], "920817521");
    assert_eq!(moss["formerNumbers"][0]["number"], "3002");
    assert_eq!(moss["samfunnsdel"]["totalCount"], 1);
    let plan = &moss["samfunnsdel"]["edges"][0]["node"];
    assert_eq!(plan["period"], "2020-2030");
    assert_eq!(plan["goals"]["totalCount"], 3);
    assert_eq!(
        node_values(&plan["goals"], "focusArea"),
        [
            "Levekår og folkehelse",
            "Verdiskaping og kompetanse",
            "Klima og miljø"
        ]
    );
    assert_eq!(
        plan["goals"]["edges"][0]["node"]["plan"]["title"],
        plan["title"]
    );
    assert!(moss["all"]["totalCount"].as_i64().unwrap_or_default() >= 15);
    // A former number finds the municipality that had it.
    let old = app
        .data(
            r#"{ municipality(number: "3002") { number name } }"#,
            json!({}),
        )
        .await;
    assert_eq!(old["municipality"]["number"], "3103");
}

on_both!(guidance_publishers_and_replacement);
async fn guidance_publishers_and_replacement(app: &common::TestApp) {
    let data = app
        .data(
            r#"{ guidance(code: "IS-2826") { title kind isbn topicGroup replaces { code replacedBy { edges { node { code } } } }
                 publishers(first: 10) { totalCount edges { node { name organizationNumber guidance { edges { node { code } } } } } }
                 concepts(first: 20) { totalCount edges { node { term sourceGuidance { code } } } } } }"#,
            json!({}),
        )
        .await;
    let g = &data["guidance"];
    assert_eq!(g["kind"], "GUIDELINE");
    assert_eq!(g["isbn"], "978-82-8081-601-6");
    assert_eq!(g["replaces"]["code"], "IS-1742");
    assert_eq!(
        node_values(&g["replaces"]["replacedBy"], "code"),
        ["IS-2826"]
    );
    assert_eq!(g["publishers"]["totalCount"], 6);
    assert!(node_values(&g["publishers"], "name").contains(&"Helsedirektoratet".to_string()));
    for edge in g["publishers"]["edges"].as_array().expect("publishers") {
        assert!(node_values(&edge["node"]["guidance"], "code").contains(&"IS-2826".to_string()));
    }
    assert!(g["concepts"]["totalCount"].as_i64().unwrap_or_default() >= 6);
    assert!(node_values(&g["concepts"], "term").contains(&"Utsatte barn og unge".to_string()));
    // The portal's grouping of state guidance.
    let grouped = app
        .data(r#"{ guidances(filter: { topicGroup: "Forebygging og tidlig innsats" }, first: 50) { totalCount edges { node { topicGroup } } } }"#, json!({}))
        .await;
    assert!(
        grouped["guidances"]["totalCount"]
            .as_i64()
            .unwrap_or_default()
            >= 8
    );
    assert!(
        grouped["guidances"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .all(|e| e["node"]["topicGroup"] == "Forebygging og tidlig innsats")
    );
}

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
        let returned: Vec<Value> = many["nodes"]
            .as_array()
            .expect("nodes")
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

on_both!(relations_both_ways);
/// Every relation answers from both ends.
async fn relations_both_ways(app: &common::TestApp) {
    let data = app
        .data(
            r#"{ measure(slug: "rauma-etablere-oppvekstforum") { slug plan { slug } municipality { number }
                   units(first: 1) { edges { role node { slug measures(first: 50) { edges { role node { slug } } } } } }
                   themes(first: 1) { nodes { slug measures(first: 100) { nodes { slug } } } }
                   targetGroups(first: 1) { nodes { slug measures(first: 100) { nodes { slug } } } } }
                 theme: themes(first: 100) { nodes { plans(first: 100) { totalCount } guidance(first: 100) { totalCount } } }
                 plan(slug: "rauma-handlingsdel-oppvekstplan-2023-2033") { slug parent { slug parts { nodes { slug } } }
                   legalReferences(first: 100) { nodes { id measures(first: 100) { totalCount } plans(first: 100) { nodes { slug } } } }
                   guidance(first: 100) { nodes { plans(first: 100) { nodes { slug } } } }
                   targetGroups(first: 100) { nodes { plans(first: 100) { nodes { slug } } } }
                   themes(first: 100) { nodes { plans(first: 100) { nodes { slug } } } }
                   relatedMeasures(first: 10) { totalCount } }
                 region(slug: "mosseregionen") { members(first: 10) { nodes { number regions { nodes { slug } } neighbours { nodes { number neighbours { nodes { number } } } } } } }
                 concept(slug: "bekymring") { plans(first: 10) { nodes { slug concepts(first: 50) { nodes { slug } } } } }
                 unit(slug: "rauma-kommunestyret") { adoptedPlans(first: 10) { nodes { slug adoptedBy { slug } } } } }"#,
            json!({}),
        )
        .await;
    let measure = &data["measure"];
    let slug = measure["slug"].as_str().expect("slug").to_string();
    assert_eq!(measure["plan"]["slug"], HANDLINGSDEL);
    let unit = &measure["units"]["edges"][0];
    assert!(
        unit["node"]["measures"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .any(|e| e["node"]["slug"] == slug.as_str() && e["role"] == unit["role"])
    );
    for link in ["themes", "targetGroups"] {
        let back = &measure[link]["nodes"][0]["measures"]["nodes"];
        assert!(
            back.as_array()
                .expect(link)
                .iter()
                .any(|n| n["slug"] == slug.as_str()),
            "{link}"
        );
    }
    let plan = &data["plan"];
    assert!(node_values(&json!({"edges": plan["parent"]["parts"]["nodes"].as_array().expect("parts").iter().map(|n| json!({"node": n})).collect::<Vec<_>>()}), "slug").contains(&HANDLINGSDEL.to_string()));
    for link in ["legalReferences", "guidance", "targetGroups", "themes"] {
        let nodes = plan[link]["nodes"].as_array().expect(link);
        assert!(!nodes.is_empty(), "the handlingsdel has {link}");
        for node in nodes {
            assert!(
                node["plans"]["nodes"]
                    .as_array()
                    .expect("plans")
                    .iter()
                    .any(|p| p["slug"] == HANDLINGSDEL),
                "{link} → plans"
            );
        }
    }
    let members = data["region"]["members"]["nodes"]
        .as_array()
        .expect("members");
    assert_eq!(members.len(), 3);
    for m in members {
        assert_eq!(m["regions"]["nodes"][0]["slug"], "mosseregionen");
        for n in m["neighbours"]["nodes"].as_array().expect("neighbours") {
            assert!(
                n["neighbours"]["nodes"]
                    .as_array()
                    .expect("back")
                    .iter()
                    .any(|b| b["number"] == m["number"]),
                "neighbours are symmetric"
            );
        }
    }
    for p in data["concept"]["plans"]["nodes"]
        .as_array()
        .expect("concept plans")
    {
        assert!(
            p["concepts"]["nodes"]
                .as_array()
                .expect("concepts")
                .iter()
                .any(|c| c["slug"] == "bekymring")
        );
    }
    for p in data["unit"]["adoptedPlans"]["nodes"]
        .as_array()
        .expect("adopted")
    {
        assert_eq!(p["adoptedBy"]["slug"], "rauma-kommunestyret");
    }
}

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
    let default = app
        .data(
            r#"{ legalReferences { edges { cursor } totalCount } }"#,
            json!({}),
        )
        .await;
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
    assert!(
        data["theme"]["nodes"]
            .as_array()
            .expect("theme")
            .iter()
            .any(|n| n["slug"] == "rauma-forhindre-vold-i-naere-relasjoner")
    );
    assert!(
        data["action"]["nodes"]
            .as_array()
            .expect("action")
            .iter()
            .all(|n| n["kind"] == "ACTION_PLAN" || n["kind"] == "ACTION_PART")
    );
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
    assert!(
        data["forums"]["nodes"]
            .as_array()
            .expect("forums")
            .iter()
            .all(|n| n["kind"] == "FORUM")
    );
    assert!(
        data["national"]["nodes"]
            .as_array()
            .expect("national")
            .iter()
            .all(|n| n["municipality"].is_null())
    );
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
    assert!(
        !data["nested"]["measures"]["nodes"]
            .as_array()
            .expect("nested")
            .is_empty()
    );
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
        data["current"]["nodes"]
            .as_array()
            .expect("replaced")
            .iter()
            .all(|n| !n["replacedBy"].is_null())
    );
    // Bad filter values name the field.
    let (code, error) = app
        .error_code(
            r#"{ measures(filter: { municipality: "15" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(code, "VALIDATION");
    assert_eq!(error["extensions"]["field"], "filter.municipality");
    let (code, error) = app
        .error_code(
            r#"{ plans(filter: { law: "barnevernsloven" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(code, "VALIDATION");
    assert_eq!(error["extensions"]["field"], "filter.law");
    let (code, _) = app
        .error_code(
            r#"{ measures(filter: { search: "   " }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(code, "VALIDATION");
    let (code, error) = app
        .error_code(
            r#"{ plans(filter: { kind: [NOPE] }) { totalCount } }"#,
            json!({}),
        )
        .await;
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
