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
use chrono::{DateTime, NaiveDate, Utc};
use oppvekstgraf_entity::{self as entity, enums::Language};
use sea_orm::{ActiveEnum, DatabaseConnection, FromQueryResult};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::{
    error::{ApiError, ApiResult},
    graphql::object::law::lovdata_path,
    http::state::AppState,
    id::{GlobalId, NodeType},
    loader::{NodeTable, Scope},
    sql::Sql,
};

mod nodes;

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
    let mut response = (status, axum::Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
    }
    response
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

/// One request's view: the database, the visibility scope and the URL base.
struct Ld<'a> {
    db: &'a DatabaseConnection,
    scope: Scope,
    base: String,
}

/// A row of an id query.
#[derive(FromQueryResult)]
struct IdRow {
    id: Uuid,
}

/// A row of the type lookup of a bare UUID.
#[derive(FromQueryResult)]
struct TypeRow {
    node: String,
}

impl Ld<'_> {
    /// The URL of a node's document.
    fn url(&self, node: NodeType, uuid: Uuid) -> String {
        node_url(&self.base, node, uuid)
    }

    /// The canonical URL and document of the node, if it is visible.
    async fn document(&self, target: Target) -> ApiResult<Option<(String, Value)>> {
        let (node, uuid) = match target {
            Target::Known(node, uuid) => (node, uuid),
            Target::Uuid(uuid) => match self.type_of(uuid).await? {
                Some(node) => (node, uuid),
                None => return Ok(None),
            },
        };
        let doc = match node {
            NodeType::Municipality => self.municipality(uuid).await?,
            NodeType::Region => self.region(uuid).await?,
            NodeType::Plan => self.plan(uuid).await?,
            NodeType::Goal => self.goal(uuid).await?,
            NodeType::Measure => self.measure(uuid).await?,
            NodeType::Unit => self.unit(uuid).await?,
            NodeType::Law => self.law(uuid).await?,
            NodeType::LegalReference => self.legal_reference(uuid).await?,
            NodeType::Guidance => self.guidance(uuid).await?,
            NodeType::Publisher => self.publisher(uuid).await?,
            NodeType::Concept => self.concept(uuid).await?,
            NodeType::Theme => self.theme(uuid).await?,
            NodeType::TargetGroup => self.target_group(uuid).await?,
            NodeType::Revision => None,
        };
        Ok(doc.map(|doc| (self.url(node, uuid), doc.into_value())))
    }

    /// The type of the visible node with this UUID, in one statement over every node table:
    /// `SELECT '<type>' AS node FROM <table> t WHERE t.id = ? AND <visibility> UNION ALL …`.
    async fn type_of(&self, uuid: Uuid) -> ApiResult<Option<NodeType>> {
        let mut sql = Sql::default();
        for node in NodeType::ALL {
            let (Some(segment), Some(visible)) = (type_segment(node), self.visibility(node)) else {
                continue;
            };
            let Some((table, _)) = crate::loader::table_of(node) else {
                continue;
            };
            if !sql.text.is_empty() {
                sql.push(" UNION ALL ");
            }
            sql.append(Sql::with(
                format!("SELECT '{segment}' AS node FROM {table} t WHERE t.id = ? AND "),
                vec![uuid.into()],
            ));
            sql.append(visible);
        }
        let rows = TypeRow::find_by_statement(sql.build(self.db.get_database_backend()))
            .all(self.db)
            .await?;
        Ok(rows.iter().find_map(|row| node_of_segment(&row.node)))
    }

    /// The visibility condition on `t` for a node type (see [`Scope::sql`]).
    fn visibility(&self, node: NodeType) -> Option<Sql> {
        use entity::*;
        let scope = self.scope;
        Some(match node {
            NodeType::Municipality => scope.sql::<municipality::Entity>(),
            NodeType::Region => scope.sql::<region::Entity>(),
            NodeType::Plan => scope.sql::<plan::Entity>(),
            NodeType::Goal => scope.sql::<goal::Entity>(),
            NodeType::Measure => scope.sql::<measure::Entity>(),
            NodeType::Unit => scope.sql::<unit::Entity>(),
            NodeType::Law => scope.sql::<law::Entity>(),
            NodeType::LegalReference => scope.sql::<legal_reference::Entity>(),
            NodeType::Guidance => scope.sql::<guidance::Entity>(),
            NodeType::Publisher => scope.sql::<publisher::Entity>(),
            NodeType::Concept => scope.sql::<concept::Entity>(),
            NodeType::Theme => scope.sql::<theme::Entity>(),
            NodeType::TargetGroup => scope.sql::<target_group::Entity>(),
            NodeType::Revision => return None,
        })
    }

    /// The row of a visible node: `SELECT t.* FROM <table> t WHERE t.id = ? AND <visibility>`.
    async fn find<T: NodeTable>(&self, id: Uuid) -> ApiResult<Option<T::Model>> {
        let mut sql = Sql::with(
            format!("SELECT t.* FROM {} t WHERE t.id = ? AND ", T::TABLE),
            vec![id.into()],
        );
        sql.append(self.scope.sql::<T>());
        Ok(
            T::Model::find_by_statement(sql.build(self.db.get_database_backend()))
                .one(self.db)
                .await?,
        )
    }

    /// Links (`{"@id": url}`) to the visible `T` rows matching `condition`:
    /// `SELECT t.id FROM <table> t <join> WHERE <visibility> AND (<condition>) ORDER BY <order>`.
    async fn links<T: NodeTable>(
        &self,
        join: &str,
        condition: Sql,
        order: &str,
    ) -> ApiResult<Vec<Value>> {
        self.links_of(T::NODE, join, condition, order).await
    }

    /// [`Self::links`] for a node type known at run time.
    async fn links_of(
        &self,
        node: NodeType,
        join: &str,
        condition: Sql,
        order: &str,
    ) -> ApiResult<Vec<Value>> {
        let table = node.def().map(|def| def.table).ok_or(ApiError::Internal)?;
        let mut sql = Sql::raw(format!("SELECT t.id FROM {table} t{join} WHERE "));
        sql.append(self.scope.sql_of(node));
        sql.push(" AND (");
        sql.append(condition);
        sql.push(&format!(") ORDER BY {order}"));
        let rows = IdRow::find_by_statement(sql.build(self.db.get_database_backend()))
            .all(self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| iri(self.url(node, row.id)))
            .collect())
    }

    /// Puts, under each link's linked-data term (from the catalog), the visible nodes that `node`'s node `id`
    /// is linked to, in the link's order.
    async fn put_catalog_links(&self, doc: &mut Doc, node: NodeType, id: Uuid) -> ApiResult<()> {
        for link in oppvekstgraf_catalog::LINKS {
            let sides = [
                (link.left, link.right, link.ld.left),
                (link.right, link.left, link.ld.right),
            ];
            for (this, other, term) in sides {
                let Some(term) = term.filter(|_| this.node == node) else {
                    continue;
                };
                let linked = self
                    .links_of(
                        other.node,
                        &format!(" JOIN {} l ON l.{} = t.id", link.table, other.column),
                        Sql::with(format!("l.{} = ?", this.column), vec![id.into()]),
                        "l.position, t.id",
                    )
                    .await?;
                doc.put(term, linked);
            }
        }
        Ok(())
    }

    /// Links to the visible `T` rows that a link table joins to `parent`, in the link's order:
    /// `… JOIN <table> l ON l.<target> = t.id WHERE l.<parent> = ? [AND l.role = ?]`.
    async fn via_link<T: NodeTable>(
        &self,
        table: &str,
        parent_column: &str,
        target_column: &str,
        parent: Uuid,
        role: Option<String>,
    ) -> ApiResult<Vec<Value>> {
        let mut condition = Sql::with(format!("l.{parent_column} = ?"), vec![parent.into()]);
        if let Some(role) = role {
            condition.append(Sql::with(" AND l.role = ?", vec![role.into()]));
        }
        self.links::<T>(
            &format!(" JOIN {table} l ON l.{target_column} = t.id"),
            condition,
            "l.position, t.id",
        )
        .await
    }

    /// Links to the visible `T` rows whose `column` is `parent`.
    async fn via_column<T: NodeTable>(
        &self,
        column: &str,
        parent: Uuid,
        order: &str,
    ) -> ApiResult<Vec<Value>> {
        self.links::<T>(
            "",
            Sql::with(format!("t.{column} = ?"), vec![parent.into()]),
            order,
        )
        .await
    }

    /// A link to one `T` node, if there is one and it is visible.
    async fn one<T: NodeTable>(&self, id: Option<Uuid>) -> ApiResult<Option<Value>> {
        let Some(id) = id else {
            return Ok(None);
        };
        Ok(self
            .links::<T>("", Sql::with("t.id = ?", vec![id.into()]), "t.id")
            .await?
            .into_iter()
            .next())
    }
}

/// A JSON-LD node being built; empty values are left out.
struct Doc(Map<String, Value>);

impl Doc {
    /// Sets `term` unless the value is absent, null or an empty list.
    fn put(&mut self, term: &str, value: impl IntoTerm) {
        match value.into_term() {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) if items.is_empty() => {}
            Some(value) => {
                self.0.insert(term.to_string(), value);
            }
        }
    }

    /// The finished document.
    fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

/// What [`Doc::put`] takes: a JSON-LD value, a plain literal, a list, or nothing.
trait IntoTerm {
    /// The value, or None to leave the term out.
    fn into_term(self) -> Option<Value>;
}

impl IntoTerm for Value {
    fn into_term(self) -> Option<Value> {
        Some(self)
    }
}

impl IntoTerm for Vec<Value> {
    fn into_term(self) -> Option<Value> {
        Some(Value::Array(self))
    }
}

impl IntoTerm for String {
    fn into_term(self) -> Option<Value> {
        Some(Value::from(self))
    }
}

impl IntoTerm for &str {
    fn into_term(self) -> Option<Value> {
        Some(Value::from(self))
    }
}

impl IntoTerm for i32 {
    fn into_term(self) -> Option<Value> {
        Some(Value::from(self))
    }
}

impl<T: IntoTerm> IntoTerm for Option<T> {
    fn into_term(self) -> Option<Value> {
        self.and_then(IntoTerm::into_term)
    }
}

/// A link to another resource.
fn iri(url: impl Into<String>) -> Value {
    json!({ "@id": url.into() })
}

/// A text in the node's language: `{"@value": …, "@language": "nb"}`.
fn text(value: &str, language: Language) -> Value {
    json!({ "@value": value, "@language": language.to_value() })
}

/// An `xsd:date`.
fn date(value: NaiveDate) -> Value {
    json!({ "@value": value.format("%Y-%m-%d").to_string(), "@type": "xsd:date" })
}

/// An `xsd:dateTime` in UTC.
fn date_time(value: DateTime<Utc>) -> Value {
    json!({
        "@value": value.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "@type": "xsd:dateTime"
    })
}

/// The language in the EU Publications Office's authority list (as DCAT-AP-NO uses for `dct:language`).
fn language_uri(language: Language) -> String {
    let code = match language {
        Language::Nb => "NOB",
        Language::Nn => "NNO",
        Language::Se => "SME",
        Language::En => "ENG",
    };
    format!("http://publications.europa.eu/resource/authority/language/{code}")
}

/// The consolidated text at Lovdata: `https://lovdata.no/dokument/NL/lov/2021-06-18-97` (regulations under
/// `SF/forskrift`).
pub fn lovdata_document_uri(lovdata_id: &str) -> String {
    let (kind, path) = lovdata_path(lovdata_id);
    let base = if kind == "lov" { "NL" } else { "SF" };
    format!("https://lovdata.no/dokument/{base}/{kind}/{path}")
}

/// The European Legislation Identifier of an act or regulation with a serial number, as the GraphQL `eli`
/// field gives it (`https://lovdata.no/eli/lov/2021/06/18/97/nor`); None for acts without one.
pub fn eli_uri(lovdata_id: &str) -> Option<String> {
    let (kind, path) = lovdata_path(lovdata_id);
    match path.split('-').collect::<Vec<_>>()[..] {
        [year, month, day, number] => Some(format!(
            "https://lovdata.no/eli/{kind}/{year}/{month}/{day}/{number}/nor"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_round_trip() {
        for node in NodeType::ALL {
            match type_segment(node) {
                Some(segment) => assert_eq!(node_of_segment(segment), Some(node)),
                None => assert_eq!(node, NodeType::Revision),
            }
        }
        assert_eq!(node_of_segment("revision"), None);
    }

    #[test]
    fn lovdata_uris() {
        assert_eq!(
            eli_uri("LOV-2021-06-18-97").as_deref(),
            Some("https://lovdata.no/eli/lov/2021/06/18/97/nor")
        );
        assert_eq!(eli_uri("LOV-1967-02-10"), None);
        assert_eq!(
            lovdata_document_uri("FOR-2011-12-16-1256"),
            "https://lovdata.no/dokument/SF/forskrift/2011-12-16-1256"
        );
    }

    #[test]
    fn base_from_host_or_config() {
        let mut headers = HeaderMap::new();
        assert_eq!(base_url(None, &headers), "http://localhost");
        headers.insert(
            header::HOST,
            header::HeaderValue::from_static("api.example.no:8080"),
        );
        assert_eq!(base_url(None, &headers), "http://api.example.no:8080");
        headers.insert(header::HOST, header::HeaderValue::from_static("evil/\"x"));
        assert_eq!(base_url(None, &headers), "http://localhost");
        assert_eq!(
            base_url(Some("https://oppvekst.example.no/"), &headers),
            "https://oppvekst.example.no"
        );
    }
}
