//! The linked-data view (`/ld/…`): every node as JSON-LD with SKOS, ELI, ORG, Dublin Core and PROV terms,
//! its links resolving to other documents, and the same visibility as GraphQL.

mod links;
mod visibility;
mod vocabularies;

use crate::common;

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Request, StatusCode, header},
};
use serde_json::{Value, json};

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
    let request = Request::get(uri).header(header::ACCEPT, "application/ld+json");
    let request = common::router::with_headers(request, headers);
    let response =
        common::router::call(router, request.body(Body::empty()).expect("request")).await;
    Got {
        json: response.json(),
        status: response.status,
        headers: response.headers,
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

/// `uuid` and global `id` of the node a root lookup such as `measure(slug: "…")` finds.
async fn ids(app: &common::TestApp, lookup: &str) -> (String, String) {
    let field = lookup.split('(').next().unwrap_or_default().trim();
    let data = app
        .data(&format!("{{ {lookup} {{ uuid id }} }}"), json!({}))
        .await;
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
