//! The read API: both directions of every relation.

use crate::common;

use common::node_values;
use serde_json::json;

use super::HANDLINGSDEL;

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
                common::nodes(&node["plans"], "plans")
                    .iter()
                    .any(|p| p["slug"] == HANDLINGSDEL),
                "{link} → plans"
            );
        }
    }
    let members = common::nodes(&data["region"]["members"], "members");
    assert_eq!(members.len(), 3);
    for m in members {
        assert_eq!(m["regions"]["nodes"][0]["slug"], "mosseregionen");
        for n in m["neighbours"]["nodes"].as_array().expect("neighbours") {
            assert!(
                common::nodes(&n["neighbours"], "back")
                    .iter()
                    .any(|b| b["number"] == m["number"]),
                "neighbours are symmetric"
            );
        }
    }
    for p in common::nodes(&data["concept"]["plans"], "concept plans") {
        assert!(
            common::nodes(&p["concepts"], "concepts")
                .iter()
                .any(|c| c["slug"] == "bekymring")
        );
    }
    for p in common::nodes(&data["unit"]["adoptedPlans"], "adopted") {
        assert_eq!(p["adoptedBy"]["slug"], "rauma-kommunestyret");
    }
}
