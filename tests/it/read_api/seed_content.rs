//! The read API: the seed content as the API serves it (measures, units, laws, plans, guidance).

use crate::common;

use common::node_values;
use serde_json::{Value, json};

use super::{HANDLINGSDEL, JOINT_PLAN};

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
