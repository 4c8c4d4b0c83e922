//! The linked-data view: any node as a JSON-LD document at a stable URL, for other systems.
//!
//! URLs:
//! - `GET /ld/{type}/{uuid}` is the canonical form and every document's `@id`, e.g.
//!   `/ld/legal-reference/0b7c…`. The type is the node type in lower case with hyphens (`municipality`,
//!   `region`, `plan`, `goal`, `measure`, `unit`, `law`, `legal-reference`, `guidance`, `publisher`,
//!   `concept`, `theme`, `target-group`); the UUID is the node's stable `uuid`.
//! - `GET /ld/{id}` takes a GraphQL global ID or a bare UUID and serves the same document (its `Link:
//!   rel="canonical"` header and `@id` name the canonical URL).
//!
//! The base of every URL is the configured public URL (`PUBLIC_URL`), or `http://<Host header>`.
//!
//! Documents are `application/ld+json` with an inline `@context` of prefixes only, so every term is a
//! compact IRI a reader can look up: SKOS for concepts and themes (with `skos:exactMatch` to LOS), ELI for
//! laws and sections (with `owl:sameAs` the ELI and Lovdata URIs, and `rdfs:seeAlso` the Lovdata page of a
//! section), ORG for municipalities, units, publishers and regions (a municipality is also a `dct:Location`,
//! `owl:sameAs` its Geonorge URI), Dublin Core for documents and common metadata, schema.org where the others
//! have no term (measures are `schema:Action`s with `schema:agent` and `schema:participant` units), CPSV's
//! `cv:hasLegalResource` for the legal basis of plans, measures and guidance, and PROV for provenance
//! (`prov:wasAttributedTo` the owning municipality; `prov:wasDerivedFrom`, see `nodes::derivation_terms`).
//! The mapping of each node type is in [`nodes`].
//! Literal values carry explicit language tags and datatypes.
//!
//! Visibility is the GraphQL API's: anonymous readers see published nodes only, and a valid token with
//! `x-preview: true` sees what its preview scope covers. The same rule filters every link in a document, so
//! a link never names a node the reader could not fetch. Anything not visible is a 404 `NOT_FOUND`; an
//! invalid token is a 401 `UNAUTHENTICATED`. Errors have the same body as GraphQL errors (`errors[].message`,
//! `errors[].extensions.code`, `errors[].extensions.requestId`) and never carry database text.

use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    error::ApiError,
    http::state::AppState,
    id::{GlobalId, NodeType},
};

mod nodes;
mod reader;
mod terms;

use reader::Ld;

use terms::{Doc, date, date_time, iri, language_uri, text};
pub use terms::{eli_uri, lovdata_document_uri};

/// The media type of every document.
pub const CONTENT_TYPE: &str = "application/ld+json";

/// The routes of the linked-data view.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ld/{id}", get(by_id))
        .route("/ld/{type}/{uuid}", get(by_type))
}

/// The `@context` of every document: the prefixes of the vocabularies used.
pub fn context() -> Value {
    json!({
        "cv": "http://data.europa.eu/m8g/",
        "dct": "http://purl.org/dc/terms/",
        "eli": "http://data.europa.eu/eli/ontology#",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "geo": "http://www.opengis.net/ont/geosparql#",
        "org": "http://www.w3.org/ns/org#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "prov": "http://www.w3.org/ns/prov#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "schema": "http://schema.org/",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "xsd": "http://www.w3.org/2001/XMLSchema#"
    })
}

/// The path segment of a node type in canonical URLs (`legal-reference`); None for revisions, which have
/// no linked-data view.
pub fn type_segment(node: NodeType) -> Option<&'static str> {
    Some(match node {
        NodeType::Municipality => "municipality",
        NodeType::Region => "region",
        NodeType::Plan => "plan",
        NodeType::Goal => "goal",
        NodeType::Measure => "measure",
        NodeType::Unit => "unit",
        NodeType::Law => "law",
        NodeType::LegalReference => "legal-reference",
        NodeType::Guidance => "guidance",
        NodeType::Publisher => "publisher",
        NodeType::Concept => "concept",
        NodeType::Theme => "theme",
        NodeType::TargetGroup => "target-group",
        NodeType::Revision => return None,
    })
}

/// The node type a path segment names.
fn node_of_segment(segment: &str) -> Option<NodeType> {
    NodeType::ALL
        .into_iter()
        .find(|node| type_segment(*node) == Some(segment))
}

/// `GET /ld/{type}/{uuid}`: the canonical form.
async fn by_type(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((segment, uuid)): Path<(String, String)>,
) -> Response {
    let target = match (node_of_segment(&segment), Uuid::try_parse(&uuid)) {
        (Some(node), Ok(uuid)) => Target::Known(node, uuid),
        _ => return error_response(&headers, &not_found(&format!("{segment}/{uuid}"))),
    };
    serve(&state, &headers, target).await
}

/// `GET /ld/{id}`: a GraphQL global ID or a bare UUID.
async fn by_id(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let target = match GlobalId::decode("id", &id) {
        Ok(gid) => Target::Known(gid.node_type, gid.uuid),
        Err(_) => match Uuid::try_parse(&id) {
            Ok(uuid) => Target::Uuid(uuid),
            Err(_) => return error_response(&headers, &not_found(&id)),
        },
    };
    serve(&state, &headers, target).await
}

/// What a URL names.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// A node of a known type.
    Known(NodeType, Uuid),
    /// A bare UUID: the type is looked up among the visible nodes.
    Uuid(Uuid),
}

/// The NOT_FOUND of a URL that names no visible node.
fn not_found(what: &str) -> ApiError {
    ApiError::NotFound(format!("the linked-data node {what:?}"))
}

/// Authenticates, finds the node in the request's scope and answers with its document or an error.
async fn serve(state: &AppState, headers: &HeaderMap, target: Target) -> Response {
    let scope = match state.viewer(headers).await {
        Ok((_, scope)) => scope,
        Err(err) => return error_response(headers, &err),
    };
    let ld = Ld {
        db: &state.db,
        scope,
        base: base_url(state.public_url.as_deref(), headers),
    };
    match ld.document(target).await {
        Ok(Some((url, doc))) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, CONTENT_TYPE.to_string()),
                (header::LINK, format!("<{url}>; rel=\"canonical\"")),
                (header::VARY, "authorization, x-preview".to_string()),
            ],
            doc.to_string(),
        )
            .into_response(),
        Ok(None) => error_response(
            headers,
            &not_found(&match target {
                Target::Known(node, uuid) => {
                    format!("{}/{uuid}", type_segment(node).unwrap_or("revision"))
                }
                Target::Uuid(uuid) => uuid.to_string(),
            }),
        ),
        Err(err) => error_response(headers, &err),
    }
}

/// An error as JSON with its stable code and the request id, in the shape of a GraphQL error.
fn error_response(headers: &HeaderMap, err: &ApiError) -> Response {
    let status = err.status();
    let request_id = crate::http::reply::request_id(headers);
    let body = crate::http::reply::error_body(&err.message(), err.code(), request_id.as_deref());
    crate::error::with_challenge((status, axum::Json(body)).into_response())
}

/// The base of every URL: the configured public URL, or `http://` and the request's `Host` header when it is
/// a plain host name or address with an optional port (anything else falls back to `http://localhost`).
fn base_url(public_url: Option<&str>, headers: &HeaderMap) -> String {
    if let Some(url) = public_url {
        return url.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        });
    format!("http://{}", host.unwrap_or("localhost"))
}

/// The URL of a node's document under `base`.
pub fn node_url(base: &str, node: NodeType, uuid: Uuid) -> String {
    format!(
        "{base}/ld/{}/{uuid}",
        type_segment(node).unwrap_or("revision")
    )
}

#[cfg(test)]
mod tests;
