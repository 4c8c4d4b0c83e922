//! Linked data: SKOS concepts with language tags, ELI laws with Lovdata URIs, Geonorge municipalities.

use crate::common;

use axum::http::{StatusCode, header};
use serde_json::json;

use super::{doc, get, ids, links, path_of};

on_both!(a_concept_is_skos_with_language_tags);
async fn a_concept_is_skos_with_language_tags(app: &common::TestApp) {
    let (uuid, _) = ids(app, r#"concept(slug: "bekymring")"#).await;
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
    let (guidance, _) = ids(app, r#"guidance(code: "IS-2826")"#).await;
    let sources = links(&concept, "dct:source");
    assert_eq!(sources.len(), 1, "{concept}");
    assert!(sources[0].ends_with(&format!("/ld/guidance/{guidance}")));
    let is_2826 = doc(app, path_of(&sources[0])).await;
    assert_eq!(is_2826["@type"], "foaf:Document");
    assert_eq!(is_2826["dct:identifier"], "IS-2826");
    assert!(!links(&is_2826, "dct:publisher").is_empty(), "{is_2826}");

    // A theme is a SKOS concept matched to LOS.
    let themes = r#"{ themes(first: 100) { nodes { uuid losUri } } }"#;
    let data = app.data(themes, json!({})).await;
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
        r#"legalReference(lovdataId: "LOV-2021-06-18-97", section: "15-1")"#,
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
    let (law_uuid, _) = ids(app, r#"law(lovdataId: "LOV-2021-06-18-97")"#).await;
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
        r#"legalReference(lovdataId: "LOV-2021-06-18-97", section: "15-1", paragraph: 2)"#,
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
    let (old, _) = ids(app, r#"law(lovdataId: "LOV-1967-02-10")"#).await;
    let (new, _) = ids(app, r#"law(lovdataId: "LOV-2025-06-20-81")"#).await;
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
    let (uuid, id) = ids(app, r#"municipality(number: "1539")"#).await;
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
    let (moss, _) = ids(app, r#"municipality(number: "3103")"#).await;
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
