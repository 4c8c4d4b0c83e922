//! Linked data: links that resolve, a document for every node type, and every declared link term served.

use crate::common;

use axum::http::StatusCode;
use serde_json::json;

use super::{doc, get, links, path_of};

on_both!(a_measure_links_to_documents_that_resolve);
async fn a_measure_links_to_documents_that_resolve(app: &common::TestApp) {
    let data = app
        .data(
            r#"{
              measure(slug: "rauma-forhindre-vold-i-naere-relasjoner") {
                uuid
                municipality { uuid }
                plan { uuid }
                themes { nodes { uuid } }
              }
              legalReference(lovdataId: "LOV-2021-06-18-97", section: "15-1") { uuid }
            }"#,
            json!({}),
        )
        .await;
    let measure_uuid = data["measure"]["uuid"].as_str().expect("measure");
    let measure = doc(app, &format!("/ld/measure/{measure_uuid}")).await;
    assert_eq!(measure["@type"], "schema:Action");
    assert_eq!(measure["schema:position"], 3);
    assert_eq!(
        measure["dct:title"],
        json!({ "@value": "Forhindre vold i nære relasjoner", "@language": "nb" })
    );

    let legal = links(&measure, "cv:hasLegalResource");
    let section = data["legalReference"]["uuid"].as_str().unwrap_or_default();
    assert!(
        legal
            .iter()
            .any(|l| l.ends_with(&format!("/ld/legal-reference/{section}"))),
        "{legal:?}"
    );
    let mut themes: Vec<String> = links(&measure, "dct:subject")
        .iter()
        .map(|l| l.rsplit('/').next().unwrap_or_default().to_string())
        .collect();
    let mut expected: Vec<String> = data["measure"]["themes"]["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .filter_map(|n| n["uuid"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    themes.sort();
    expected.sort();
    assert!(!expected.is_empty());
    assert_eq!(themes, expected);
    let owner = links(&measure, "prov:wasAttributedTo");
    assert_eq!(owner.len(), 1);
    assert!(owner[0].ends_with(&format!(
        "/ld/municipality/{}",
        data["measure"]["municipality"]["uuid"].as_str().unwrap_or_default()
    )));
    let plan = links(&measure, "dct:isPartOf");
    assert!(plan[0].ends_with(&format!(
        "/ld/plan/{}",
        data["measure"]["plan"]["uuid"].as_str().unwrap_or_default()
    )));
    assert!(
        !links(&measure, "schema:agent").is_empty(),
        "a lead unit: {measure}"
    );

    // Every link in the document resolves to a document whose @id is the link.
    let mut all = Vec::new();
    for term in measure.as_object().expect("object").keys() {
        if !term.starts_with('@') {
            all.extend(
                links(&measure, term)
                    .into_iter()
                    .filter(|l| l.contains("/ld/")),
            );
        }
    }
    assert!(all.len() >= 6, "{all:?}");
    for link in all {
        let linked = doc(app, path_of(&link)).await;
        assert_eq!(linked["@id"], link.as_str());
    }

    // The plan lists the measure among its parts and is attributed to its owner.
    let plan = doc(app, path_of(&plan[0])).await;
    assert_eq!(plan["@type"], "foaf:Document");
    assert!(
        links(&plan, "dct:hasPart")
            .contains(&measure["@id"].as_str().unwrap_or_default().to_string())
    );
    assert_eq!(links(&plan, "prov:wasAttributedTo"), owner);
}

on_both!(every_node_type_has_a_document);
async fn every_node_type_has_a_document(app: &common::TestApp) {
    let data = app
        .data(
            r#"{
              municipalities(first: 1) { nodes { uuid } }
              regions(first: 1) { nodes { uuid } }
              plans(first: 1) { nodes { uuid } }
              goals(first: 1) { nodes { uuid } }
              measures(first: 1) { nodes { uuid } }
              units(first: 1) { nodes { uuid } }
              laws(first: 1) { nodes { uuid } }
              legalReferences(first: 1) { nodes { uuid } }
              guidances(first: 1) { nodes { uuid } }
              publishers(first: 1) { nodes { uuid } }
              concepts(first: 1) { nodes { uuid } }
              themes(first: 1) { nodes { uuid } }
              targetGroups(first: 1) { nodes { uuid } }
            }"#,
            json!({}),
        )
        .await;
    for (field, segment) in [
        ("municipalities", "municipality"),
        ("regions", "region"),
        ("plans", "plan"),
        ("goals", "goal"),
        ("measures", "measure"),
        ("units", "unit"),
        ("laws", "law"),
        ("legalReferences", "legal-reference"),
        ("guidances", "guidance"),
        ("publishers", "publisher"),
        ("concepts", "concept"),
        ("themes", "theme"),
        ("targetGroups", "target-group"),
    ] {
        let uuid = data[field]["nodes"][0]["uuid"].as_str().expect(field);
        let document = doc(app, &format!("/ld/{segment}/{uuid}")).await;
        for term in [
            "dct:created",
            "dct:modified",
            "dct:language",
            "owl:versionInfo",
            "schema:creativeWorkStatus",
        ] {
            assert!(
                document.get(term).is_some(),
                "{segment} has {term}: {document}"
            );
        }
        // Owned content is attributed to its municipality; the shared registry is not.
        let owned = matches!(segment, "plan" | "goal" | "measure");
        if owned {
            assert!(
                !links(&document, "prov:wasAttributedTo").is_empty(),
                "{segment}: {document}"
            );
        }
        // The type is in the canonical path; another type's path does not find it.
        let other = if segment == "theme" {
            "concept"
        } else {
            "theme"
        };
        let got = get(app, &format!("/ld/{other}/{uuid}")).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{other}/{uuid}");
    }
}

/// `/ld/` path segment of a node type: `LegalReference` → `legal-reference`.
fn ld_segment(node: oppvekstgraf_catalog::NodeType) -> &'static str {
    oppvekstgraf_api::linked_data::type_segment(node).expect("a node type with linked data")
}

on_both!(every_declared_link_term_is_served);
/// Every link the catalog gives a linked-data term is listed under that term in the documents of its end,
/// for a published edge of the seed content.
async fn every_declared_link_term_is_served(app: &common::TestApp) {
    let mut checked = 0;
    for link in oppvekstgraf_catalog::LINKS {
        let sides = [
            (link.left, link.right, link.ld.left),
            (link.right, link.left, link.ld.right),
        ];
        for (this, other, term) in sides {
            let Some(term) = term else { continue };
            let (this_table, other_table) = (
                this.node.def().expect("declared").table,
                other.node.def().expect("declared").table,
            );
            let sql = format!(
                "SELECT l.{} AS a, l.{} AS b FROM {} l JOIN {this_table} x ON x.id = l.{} \
                 JOIN {other_table} y ON y.id = l.{} \
                 WHERE x.status = 'published' AND y.status = 'published' ORDER BY l.position LIMIT 1",
                this.column, other.column, link.table, this.column, other.column
            );
            let row = app
                .query_one(sql)
                .await
                .expect("query")
                .unwrap_or_else(|| panic!("the seed has no published edge in {}", link.table));
            let a: uuid::Uuid = row.try_get("", "a").expect("a");
            let b: uuid::Uuid = row.try_get("", "b").expect("b");
            let document = doc(app, &format!("/ld/{}/{a}", ld_segment(this.node))).await;
            let listed = document[term].to_string();
            assert!(
                listed.contains(&format!("/ld/{}/{b}", ld_segment(other.node))),
                "[{:?}] {} {a}: {term} does not list {b}: {listed}",
                app.backend,
                link.table
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} terms checked");
}
