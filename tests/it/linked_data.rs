//! The linked-data view (`/ld/…`): every node as JSON-LD with SKOS, ELI, ORG, Dublin Core and PROV terms,
//! its links resolving to other documents, and the same visibility as GraphQL.

use crate::common;

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// A response: status, headers and the body parsed as JSON (Null when it is not JSON).
struct Got {
    status: StatusCode,
    headers: HeaderMap,
    json: Value,
}

impl Got {
    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The error code of an error body.
    fn code(&self) -> &str {
        self.json["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_default()
    }
}

/// GET `uri` on `router` with these headers.
async fn get_on(router: &Router, uri: &str, headers: &[(&str, &str)]) -> Got {
    let mut request = Request::get(uri).header(header::ACCEPT, "application/ld+json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Got {
        status,
        headers,
        json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

/// GET `uri` anonymously.
async fn get(app: &common::TestApp, uri: &str) -> Got {
    get_on(&app.router, uri, &[]).await
}

/// GET `uri` that must answer 200 with a JSON-LD document; returns the document.
async fn doc(app: &common::TestApp, uri: &str) -> Value {
    let got = get(app, uri).await;
    assert_eq!(
        got.status,
        StatusCode::OK,
        "[{:?}] {uri}: {}",
        app.backend,
        got.json
    );
    assert_eq!(got.content_type(), "application/ld+json", "{uri}");
    assert_json_ld(&got.json);
    got.json
}

/// The path of a `/ld/` URL (what the test router is asked for).
fn path_of(url: &str) -> &str {
    url.find("/ld/").map_or(url, |at| &url[at..])
}

/// `uuid` and global `id` of the node a GraphQL query finds at `data.<field>`.
async fn ids(app: &common::TestApp, query: &str, field: &str) -> (String, String) {
    let data = app.data(query, json!({})).await;
    let node = &data[field];
    (
        node["uuid"].as_str().expect("uuid").to_string(),
        node["id"].as_str().expect("id").to_string(),
    )
}

/// The `@id`s of a term's values (one value or a list).
fn links(doc: &Value, term: &str) -> Vec<String> {
    let values = match &doc[term] {
        Value::Array(items) => items.clone(),
        Value::Null => Vec::new(),
        one => vec![one.clone()],
    };
    values
        .iter()
        .filter_map(|v| v["@id"].as_str().map(str::to_string))
        .collect()
}

/// Checks the JSON-LD structure of a document: an `@context` of prefixes, an absolute `@id`, an `@type`, and
/// every term, type and datatype a compact IRI whose prefix the context defines; every value a string,
/// number, node reference, value object (with a known language tag or a datatype, not both) or embedded node.
fn assert_json_ld(doc: &Value) {
    let context = doc["@context"].as_object().expect("@context is an object");
    for (prefix, iri) in context {
        let iri = iri.as_str().expect("prefixes map to IRIs");
        assert!(iri.starts_with("http"), "{prefix}: {iri}");
        assert!(
            iri.ends_with('/') || iri.ends_with('#'),
            "{prefix}: {iri} ends with / or #, so it works as a prefix"
        );
    }
    let id = doc["@id"].as_str().expect("@id");
    assert!(id.starts_with("http") && id.contains("/ld/"), "{id}");
    assert!(!doc["@type"].is_null(), "@type: {doc}");
    let defined = |compact: &str| {
        compact
            .split_once(':')
            .is_some_and(|(prefix, _)| context.contains_key(prefix))
    };
    fn check(value: &Value, defined: &dyn Fn(&str) -> bool, top: bool) {
        match value {
            Value::Array(items) => {
                for item in items {
                    assert!(!item.is_array(), "no nested lists: {value}");
                    check(item, defined, false);
                }
            }
            Value::Object(map) if map.contains_key("@value") => {
                assert!(map["@value"].is_string(), "{value}");
                assert!(
                    !(map.contains_key("@language") && map.contains_key("@type")),
                    "{value}"
                );
                if let Some(lang) = map.get("@language") {
                    assert!(
                        ["nb", "nn", "se", "en"].contains(&lang.as_str().unwrap_or_default()),
                        "{value}"
                    );
                }
                if let Some(datatype) = map.get("@type") {
                    assert!(defined(datatype.as_str().unwrap_or_default()), "{value}");
                }
                assert!(
                    map.keys()
                        .all(|k| ["@value", "@language", "@type"].contains(&k.as_str())),
                    "{value}"
                );
            }
            Value::Object(map) => {
                for (key, inner) in map {
                    match key.as_str() {
                        "@context" => assert!(top, "only the top has a context"),
                        "@id" => assert!(
                            inner.as_str().is_some_and(|i| i.starts_with("http")),
                            "absolute @id: {value}"
                        ),
                        "@type" => {
                            let types = match inner {
                                Value::Array(t) => t.clone(),
                                one => vec![one.clone()],
                            };
                            for t in types {
                                assert!(defined(t.as_str().unwrap_or_default()), "type {t}");
                            }
                        }
                        term => {
                            assert!(!term.starts_with('@'), "unexpected keyword {term}");
                            assert!(defined(term), "{term} has no prefix in the context");
                            check(inner, defined, false);
                        }
                    }
                }
            }
            Value::String(_) | Value::Number(_) | Value::Bool(_) => {}
            Value::Null => panic!("null values are left out"),
        }
    }
    check(doc, &defined, true);
}

on_both!(a_concept_is_skos_with_language_tags);
async fn a_concept_is_skos_with_language_tags(app: &common::TestApp) {
    let (uuid, _) = ids(
        app,
        r#"{ concept(slug: "bekymring") { uuid id } }"#,
        "concept",
    )
    .await;
    let concept = doc(app, &format!("/ld/concept/{uuid}")).await;
    assert_eq!(concept["@type"], "skos:Concept");
    assert_eq!(
        concept["@context"]["skos"],
        "http://www.w3.org/2004/02/skos/core#"
    );
    assert!(
        concept["@id"]
            .as_str()
            .is_some_and(|id| id.ends_with(&format!("/ld/concept/{uuid}"))),
        "{concept}"
    );
    assert_eq!(
        concept["skos:prefLabel"],
        json!({ "@value": "Bekymring", "@language": "nb" })
    );
    assert_eq!(concept["skos:definition"]["@language"], "nb");
    assert!(
        concept["skos:definition"]["@value"]
            .as_str()
            .is_some_and(|d| d.starts_with("En skjønnsmessig vurdering"))
    );
    assert_eq!(concept["skos:scopeNote"]["@language"], "nb");
    assert_eq!(concept["schema:creativeWorkStatus"], "published");
    assert_eq!(
        concept["dct:language"]["@id"],
        "http://publications.europa.eu/resource/authority/language/NOB"
    );
    assert_eq!(concept["dct:modified"]["@type"], "xsd:dateTime");
    assert_eq!(concept["dct:created"]["@type"], "xsd:dateTime");
    assert!(concept["owl:versionInfo"].is_number());
    // The source is the guideline IS-2826, as a link that resolves to it.
    let (guidance, _) = ids(
        app,
        r#"{ guidance(code: "IS-2826") { uuid id } }"#,
        "guidance",
    )
    .await;
    let sources = links(&concept, "dct:source");
    assert_eq!(sources.len(), 1, "{concept}");
    assert!(sources[0].ends_with(&format!("/ld/guidance/{guidance}")));
    let is_2826 = doc(app, path_of(&sources[0])).await;
    assert_eq!(is_2826["@type"], "foaf:Document");
    assert_eq!(is_2826["dct:identifier"], "IS-2826");
    assert!(!links(&is_2826, "dct:publisher").is_empty(), "{is_2826}");

    // A theme is a SKOS concept matched to LOS.
    let data = app
        .data(
            r#"{ themes(first: 100) { nodes { uuid losUri } } }"#,
            json!({}),
        )
        .await;
    let folkehelse = data["themes"]["nodes"]
        .as_array()
        .and_then(|nodes| {
            nodes
                .iter()
                .find(|n| n["losUri"] == "http://psi.norge.no/los/tema/folkehelse")
        })
        .expect("a theme with a LOS URI");
    let theme = doc(
        app,
        &format!(
            "/ld/theme/{}",
            folkehelse["uuid"].as_str().unwrap_or_default()
        ),
    )
    .await;
    assert_eq!(theme["@type"], "skos:Concept");
    assert_eq!(
        theme["skos:exactMatch"]["@id"],
        "http://psi.norge.no/los/tema/folkehelse"
    );
    assert_eq!(theme["skos:prefLabel"]["@language"], "nb");
}

on_both!(laws_and_sections_carry_eli_and_lovdata_uris);
async fn laws_and_sections_carry_eli_and_lovdata_uris(app: &common::TestApp) {
    let (uuid, _) = ids(
        app,
        r#"{ legalReference(lovdataId: "LOV-2021-06-18-97", section: "15-1") { uuid id } }"#,
        "legalReference",
    )
    .await;
    let section = doc(app, &format!("/ld/legal-reference/{uuid}")).await;
    assert_eq!(section["@type"], "eli:LegalResourceSubdivision");
    assert_eq!(
        section["rdfs:seeAlso"]["@id"],
        "https://lovdata.no/lov/2021-06-18-97/§15-1"
    );
    assert_eq!(section["eli:number"], "15-1");
    assert_eq!(section["dct:identifier"], "LOV-2021-06-18-97 § 15-1");
    assert_eq!(
        section["dct:bibliographicCitation"],
        json!({ "@value": "barnevernsloven § 15-1", "@language": "nb" })
    );

    // The section is part of barnevernsloven, whose document is the same as its ELI and Lovdata URIs.
    let law_url = section["eli:is_part_of"]["@id"]
        .as_str()
        .expect("is_part_of");
    let (law_uuid, _) = ids(
        app,
        r#"{ law(lovdataId: "LOV-2021-06-18-97") { uuid id } }"#,
        "law",
    )
    .await;
    assert!(
        law_url.ends_with(&format!("/ld/law/{law_uuid}")),
        "{law_url}"
    );
    let law = doc(app, path_of(law_url)).await;
    assert_eq!(law["@type"], "eli:LegalResource");
    let same = links(&law, "owl:sameAs");
    assert!(
        same.contains(&"https://lovdata.no/eli/lov/2021/06/18/97/nor".to_string()),
        "{same:?}"
    );
    assert!(
        same.contains(&"https://lovdata.no/dokument/NL/lov/2021-06-18-97".to_string()),
        "{same:?}"
    );
    assert_eq!(law["eli:id_local"], "LOV-2021-06-18-97");
    assert_eq!(
        law["eli:title_short"],
        json!({ "@value": "barnevernsloven", "@language": "nb" })
    );
    assert_eq!(
        law["eli:date_document"],
        json!({ "@value": "2021-06-18", "@type": "xsd:date" })
    );
    assert_eq!(law["eli:first_date_entry_in_force"]["@value"], "2023-01-01");
    assert!(
        links(&law, "eli:has_part")
            .contains(&section["@id"].as_str().unwrap_or_default().to_string()),
        "the law lists its cited sections: {law}"
    );
    // The shared registry has no owner.
    assert!(law.get("prov:wasAttributedTo").is_none());

    // A paragraph cites as people do and links to the section's page.
    let (paragraph, _) = ids(
        app,
        r#"{ legalReference(lovdataId: "LOV-2021-06-18-97", section: "15-1", paragraph: 2) { uuid id } }"#,
        "legalReference",
    )
    .await;
    let paragraph = doc(app, &format!("/ld/legal-reference/{paragraph}")).await;
    assert_eq!(
        paragraph["dct:bibliographicCitation"]["@value"],
        "barnevernsloven § 15-1 annet ledd"
    );
    assert_eq!(
        paragraph["dct:identifier"],
        "LOV-2021-06-18-97 § 15-1 ledd 2"
    );
    assert_eq!(
        paragraph["rdfs:seeAlso"]["@id"],
        "https://lovdata.no/lov/2021-06-18-97/§15-1"
    );

    // An old act without a serial number has no ELI, and says what replaces it.
    let (old, _) = ids(
        app,
        r#"{ law(lovdataId: "LOV-1967-02-10") { uuid id } }"#,
        "law",
    )
    .await;
    let (new, _) = ids(
        app,
        r#"{ law(lovdataId: "LOV-2025-06-20-81") { uuid id } }"#,
        "law",
    )
    .await;
    let old_law = doc(app, &format!("/ld/law/{old}")).await;
    assert_eq!(
        links(&old_law, "owl:sameAs"),
        vec!["https://lovdata.no/dokument/NL/lov/1967-02-10".to_string()]
    );
    let replaced_by = links(&old_law, "dct:isReplacedBy");
    assert_eq!(replaced_by.len(), 1);
    assert!(replaced_by[0].ends_with(&format!("/ld/law/{new}")));
    let new_law = doc(app, path_of(&replaced_by[0])).await;
    assert!(links(&new_law, "dct:replaces")[0].ends_with(&format!("/ld/law/{old}")));
}

on_both!(a_municipality_is_the_geonorge_municipality);
async fn a_municipality_is_the_geonorge_municipality(app: &common::TestApp) {
    let (uuid, id) = ids(
        app,
        r#"{ municipality(number: "1539") { uuid id } }"#,
        "municipality",
    )
    .await;
    let rauma = doc(app, &format!("/ld/municipality/{uuid}")).await;
    assert_eq!(rauma["@type"], json!(["org:Organization", "dct:Location"]));
    assert_eq!(
        rauma["owl:sameAs"]["@id"],
        "https://data.geonorge.no/administrativeEnheter/kommune/id/1539"
    );
    assert_eq!(rauma["dct:identifier"], "1539");
    assert_eq!(rauma["org:identifier"], "864980902");
    assert_eq!(
        rauma["skos:prefLabel"],
        json!({ "@value": "Rauma", "@language": "nb" })
    );
    assert!(rauma.get("prov:wasAttributedTo").is_none());

    // The global ID and the bare UUID serve the same document, naming the canonical URL.
    for uri in [format!("/ld/{id}"), format!("/ld/{uuid}")] {
        let got = get(app, &uri).await;
        assert_eq!(got.status, StatusCode::OK, "{uri}");
        assert_eq!(got.json, rauma, "{uri}");
        assert_eq!(
            got.headers[header::LINK].to_str().unwrap_or_default(),
            format!(
                "<{}>; rel=\"canonical\"",
                rauma["@id"].as_str().unwrap_or_default()
            )
        );
    }

    // Moss is in Mosseregionen, with its neighbours; the region lists its members back.
    let (moss, _) = ids(
        app,
        r#"{ municipality(number: "3103") { uuid id } }"#,
        "municipality",
    )
    .await;
    let moss = doc(app, &format!("/ld/municipality/{moss}")).await;
    let regions = links(&moss, "org:memberOf");
    assert!(!regions.is_empty(), "{moss}");
    let region = doc(app, path_of(&regions[0])).await;
    assert_eq!(region["@type"], "org:OrganizationalCollaboration");
    assert!(
        links(&region, "org:hasMember")
            .contains(&moss["@id"].as_str().unwrap_or_default().to_string())
    );
}

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

on_both!(drafts_need_a_token_and_a_preview);
async fn drafts_need_a_token_and_a_preview(app: &common::TestApp) {
    app.execute("UPDATE measure SET status = 'draft' WHERE slug = 'rauma-etablere-oppvekstforum'")
        .await;
    let (rauma, moss, admin) = (
        app.token("editor", Some("1539")).await,
        app.token("editor", Some("3103")).await,
        app.token("admin", None).await,
    );
    let auth = |token: &str| format!("Bearer {token}");
    let (rauma, moss, admin) = (auth(&rauma), auth(&moss), auth(&admin));
    let data = app
        .gql_with(
            &[("authorization", &rauma), ("x-preview", "true")],
            r#"{ measure(slug: "rauma-etablere-oppvekstforum") { uuid id plan { uuid } } }"#,
            json!({}),
        )
        .await
        .1;
    let uuid = data["data"]["measure"]["uuid"]
        .as_str()
        .expect("the draft")
        .to_string();
    let plan = data["data"]["measure"]["plan"]["uuid"]
        .as_str()
        .expect("plan")
        .to_string();
    let uri = format!("/ld/measure/{uuid}");

    // Anonymous: a 404 with a JSON code, by any URL form.
    for uri in [
        uri.clone(),
        format!("/ld/{uuid}"),
        format!(
            "/ld/{}",
            data["data"]["measure"]["id"].as_str().unwrap_or_default()
        ),
    ] {
        let got = get(app, &uri).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(got.content_type().starts_with("application/json"));
        assert_eq!(got.code(), "NOT_FOUND", "{}", got.json);
    }
    // A token without a preview, and another municipality's preview, see published content only.
    for headers in [
        vec![("authorization", rauma.as_str())],
        vec![("authorization", moss.as_str()), ("x-preview", "true")],
    ] {
        let got = get_on(&app.router, &uri, &headers).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{headers:?}");
        assert_eq!(got.code(), "NOT_FOUND");
    }
    // The owner's and an admin's previews see the draft.
    for token in [&rauma, &admin] {
        let got = get_on(
            &app.router,
            &uri,
            &[("authorization", token.as_str()), ("x-preview", "true")],
        )
        .await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.json);
        assert_eq!(got.content_type(), "application/ld+json");
        assert_json_ld(&got.json);
        assert_eq!(got.json["schema:creativeWorkStatus"], "draft");
        assert_eq!(
            got.headers[header::VARY].to_str().unwrap_or_default(),
            "authorization, x-preview"
        );
    }
    // Links follow the same rule: the plan names the draft only in a preview.
    let plan_uri = format!("/ld/plan/{plan}");
    let public = doc(app, &plan_uri).await;
    assert!(
        !links(&public, "dct:hasPart")
            .iter()
            .any(|l| l.ends_with(&uuid))
    );
    let preview = get_on(
        &app.router,
        &plan_uri,
        &[("authorization", rauma.as_str()), ("x-preview", "true")],
    )
    .await;
    assert!(
        links(&preview.json, "dct:hasPart")
            .iter()
            .any(|l| l.ends_with(&uuid))
    );

    // An invalid token, or a preview without a token, is a 401 whatever the node.
    for headers in [
        vec![("authorization", "Bearer ogt_nonsense")],
        vec![("x-preview", "true")],
    ] {
        let got = get_on(&app.router, &format!("/ld/plan/{plan}"), &headers).await;
        assert_eq!(got.status, StatusCode::UNAUTHORIZED, "{headers:?}");
        assert_eq!(got.code(), "UNAUTHENTICATED");
        assert_eq!(got.headers[header::WWW_AUTHENTICATE], "Bearer");
    }
}

on_both!(unknown_ids_are_not_found);
async fn unknown_ids_are_not_found(app: &common::TestApp) {
    let nobody = "3f1c2b8e-0000-4000-8000-000000000000";
    for uri in [
        format!("/ld/measure/{nobody}"),
        format!("/ld/{nobody}"),
        format!("/ld/{}", common::base64(&format!("Measure:{nobody}"))),
        format!("/ld/revision/{nobody}"),
        format!("/ld/{}", common::base64(&format!("Revision:{nobody}"))),
        format!("/ld/no-such-type/{nobody}"),
        "/ld/measure/not-a-uuid".to_string(),
        "/ld/not-an-id".to_string(),
    ] {
        let got = get(app, &uri).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(got.content_type().starts_with("application/json"), "{uri}");
        assert_eq!(got.code(), "NOT_FOUND", "{uri}: {}", got.json);
    }
}

on_both!(failures_hide_database_text);
async fn failures_hide_database_text(app: &common::TestApp) {
    let (uuid, _) = ids(
        app,
        r#"{ measure(slug: "rauma-arshjul") { uuid id } }"#,
        "measure",
    )
    .await;
    app.execute("DROP TABLE measure_theme").await;
    let got = get(app, &format!("/ld/measure/{uuid}")).await;
    assert_eq!(got.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(got.code(), "INTERNAL");
    let text = got.json.to_string().to_lowercase();
    for leak in [
        "measure_theme",
        "select",
        "no such table",
        "does not exist",
        "sqlx",
    ] {
        assert!(!text.contains(leak), "leaks {leak:?}: {text}");
    }
}

on_both!(ids_use_the_public_url);
async fn ids_use_the_public_url(app: &common::TestApp) {
    let (uuid, _) = ids(
        app,
        r#"{ municipality(number: "1539") { uuid id } }"#,
        "municipality",
    )
    .await;
    let uri = format!("/ld/municipality/{uuid}");
    // Configured: every @id and link starts with the public URL.
    let public_url = oppvekstgraf_api::config::public_url("https://oppvekst.example.no/data/")
        .expect("a valid public URL");
    let router = oppvekstgraf_api::app(app.state.clone().with_public_url(Some(public_url)));
    let got = get_on(&router, &uri, &[("host", "ignored.example")]).await;
    assert_eq!(
        got.json["@id"],
        format!("https://oppvekst.example.no/data/ld/municipality/{uuid}")
    );
    // Not configured: the Host header.
    let got = get_on(&app.router, &uri, &[("host", "api.example.no:8080")]).await;
    assert_eq!(
        got.json["@id"],
        format!("http://api.example.no:8080/ld/municipality/{uuid}")
    );
    assert!(oppvekstgraf_api::config::public_url("ftp://example.no").is_err());
    assert!(oppvekstgraf_api::config::public_url("not a url").is_err());
}

/// `/ld/` path segment of a node type: `LegalReference` → `legal-reference`.
fn ld_segment(node: oppvekstgraf_catalog::NodeType) -> &'static str {
    oppvekstgraf_api::linked_data::type_segment(node).expect("a node type with linked data")
}

on_both!(every_declared_link_term_is_served);
/// Every link the catalog gives a linked-data term is listed under that term in the documents of its end,
/// for a published edge of the seed content.
async fn every_declared_link_term_is_served(app: &common::TestApp) {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.state.db.get_database_backend();
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
                .state
                .db
                .query_one_raw(Statement::from_string(backend, sql))
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
