//! GraphQL over HTTP (<https://graphql.github.io/graphql-over-http/draft/>): which media type a client gets, how
//! a request arrives (a GET query string or a POST JSON body), and which status a response has.

use async_graphql::{
    Positioned, ServerError,
    parser::types::{DocumentOperations, ExecutableDocument, OperationDefinition, OperationType},
};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use serde_json::{Map, Value};

use crate::error::RequestError;

/// The media type of a GraphQL response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// `application/graphql-response+json`: a request that fails before execution (a document that does not
    /// parse or validate, variables that do not coerce) is a 400; once execution began, 200.
    GraphQLResponseJson,
    /// `application/json`, for older clients: every well-formed request is a 200, errors or not.
    Json,
}

impl Media {
    /// The `Content-Type` of a response in this media type.
    pub fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Media::GraphQLResponseJson => "application/graphql-response+json; charset=utf-8",
            Media::Json => "application/json; charset=utf-8",
        })
    }

    /// The media type the `Accept` header prefers; `None` when it allows neither. No header, or one that
    /// allows both equally (`*/*`), gets `application/graphql-response+json`, as the specification says
    /// since 2025.
    pub fn negotiate(headers: &HeaderMap) -> Option<Media> {
        let ranges: Vec<(String, f32)> = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(media_range)
            .collect();
        if ranges.is_empty() {
            return Some(Media::GraphQLResponseJson);
        }
        let graphql = quality(&ranges, "application", "graphql-response+json");
        let json = quality(&ranges, "application", "json");
        match (graphql, json) {
            (g, j) if g <= 0.0 && j <= 0.0 => None,
            (g, j) if g >= j => Some(Media::GraphQLResponseJson),
            _ => Some(Media::Json),
        }
    }

    /// The status of a GraphQL response: under `application/graphql-response+json` a request error (nothing
    /// was executed) is 400; everything else is 200.
    pub fn status(self, response: &async_graphql::Response) -> StatusCode {
        if self == Media::GraphQLResponseJson && is_request_error(response) {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        }
    }
}

/// One element of an `Accept` header as (lower-case media range, quality); `None` when it is empty.
fn media_range(text: &str) -> Option<(String, f32)> {
    let mut parts = text.split(';');
    let range = parts.next()?.trim().to_ascii_lowercase();
    if range.is_empty() {
        return None;
    }
    let q = parts
        .filter_map(|param| param.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
        .map_or(1.0, |(_, value)| value.trim().parse::<f32>().unwrap_or(1.0));
    Some((range, q))
}

/// The quality the ranges give `kind/subtype`: that of the most specific range that matches it (an exact
/// match over `kind/*` over `*/*`), 0 when none does.
fn quality(ranges: &[(String, f32)], kind: &str, subtype: &str) -> f32 {
    let exact = format!("{kind}/{subtype}");
    let family = format!("{kind}/*");
    [exact.as_str(), family.as_str(), "*/*"]
        .into_iter()
        .find_map(|wanted| {
            ranges
                .iter()
                .filter(|(range, _)| range == wanted)
                .map(|(_, q)| *q)
                .reduce(f32::max)
        })
        .unwrap_or(0.0)
}

/// Whether the request failed before execution: errors, no data, and no error at a path (a document that
/// does not parse or validate, variables that do not coerce, an unknown operation name). Such a response
/// has no `data` entry at all.
pub fn is_request_error(response: &async_graphql::Response) -> bool {
    !response.errors.is_empty()
        && response.data == async_graphql::Value::Null
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// Refuses a POST body that is not `application/json` (in UTF-8). Only JSON, which browsers never send
/// cross-origin without a CORS preflight, is accepted: a form, multipart or `text/plain` post from another
/// site (cross-site request forgery) never reaches GraphQL.
pub fn check_content_type(headers: &HeaderMap) -> Result<(), RequestError> {
    let refuse = |what: &str| {
        RequestError::UnsupportedMediaType(format!(
            "{what}: send the request as JSON with `Content-Type: application/json`"
        ))
    };
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(refuse("the request has no Content-Type"));
    };
    let text = value
        .to_str()
        .map_err(|_| refuse("the Content-Type is not text"))?;
    let mut parts = text.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return Err(refuse(&format!(
            "the Content-Type {essence:?} is not accepted"
        )));
    }
    let charset = parts
        .filter_map(|param| param.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, value)| value.trim().trim_matches('"'));
    match charset {
        None => Ok(()),
        Some(charset) if charset.eq_ignore_ascii_case("utf-8") => Ok(()),
        Some(charset) => Err(refuse(&format!(
            "the charset {charset:?} is not accepted (UTF-8 only)"
        ))),
    }
}

/// The request in a POST body: one JSON object with a string `query` and optional `operationName` (string),
/// `variables` and `extensions` (objects); `null` is the same as absent, other keys are ignored.
pub fn from_json_body(body: &[u8]) -> Result<async_graphql::Request, RequestError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(RequestError::BadRequest(
            "the request body is empty; send a JSON object with a `query` string".into(),
        ));
    }
    let value: Value = serde_json::from_slice(body).map_err(|err| {
        RequestError::BadRequest(format!("the request body is not valid JSON: {err}"))
    })?;
    let Value::Object(mut object) = value else {
        let message = if value.is_array() {
            "batched requests are not supported: send one JSON object with a `query` string per request"
        } else {
            "the request body must be a JSON object with a `query` string"
        };
        return Err(RequestError::BadRequest(message.into()));
    };
    let query = match object.remove("query") {
        None | Some(Value::Null) => None,
        Some(Value::String(query)) => Some(query),
        Some(_) => return Err(RequestError::BadRequest("`query` must be a string".into())),
    };
    let operation_name = match object.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => {
            return Err(RequestError::BadRequest(
                "`operationName` must be a string or null".into(),
            ));
        }
    };
    let variables = json_object(object.remove("variables"), "variables")?;
    let extensions = json_object(object.remove("extensions"), "extensions")?;
    let query = document(query, extensions.as_ref())?;
    build(query, operation_name, variables, extensions)
}

/// The request in a GET query string: `query`, and optional `operationName`, `variables` and `extensions`
/// (the last two as JSON text).
pub fn from_query_string(
    query_string: Option<&str>,
) -> Result<async_graphql::Request, RequestError> {
    let mut query = None;
    let mut operation_name = None;
    let mut variables = None;
    let mut extensions = None;
    for (name, value) in url::form_urlencoded::parse(query_string.unwrap_or_default().as_bytes()) {
        let slot = match name.as_ref() {
            "query" => &mut query,
            "operationName" => &mut operation_name,
            "variables" => &mut variables,
            "extensions" => &mut extensions,
            _ => continue,
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(RequestError::BadRequest(format!(
                "the parameter `{name}` appears more than once"
            )));
        }
    }
    let parse =
        |text: Option<String>, name: &str| -> Result<Option<Map<String, Value>>, RequestError> {
            let value = text
                .map(|text| {
                    serde_json::from_str::<Value>(&text).map_err(|err| {
                        RequestError::BadRequest(format!("`{name}` is not valid JSON: {err}"))
                    })
                })
                .transpose()?;
            json_object(value, name)
        };
    let variables = parse(variables, "variables")?;
    let extensions = parse(extensions, "extensions")?;
    let query = document(query, extensions.as_ref())?;
    build(query, operation_name, variables, extensions)
}

/// The document: required, unless the request names a persisted query by its hash (left empty then, and
/// filled in by [`crate::cache::persisted`]).
fn document(
    query: Option<String>,
    extensions: Option<&Map<String, Value>>,
) -> Result<String, RequestError> {
    match query {
        Some(query) => Ok(query),
        None if extensions.is_some_and(|e| e.contains_key("persistedQuery")) => Ok(String::new()),
        None => Err(missing_query()),
    }
}

fn missing_query() -> RequestError {
    RequestError::BadRequest("`query` is missing: send the GraphQL document as `query`".into())
}

/// A parameter that must be a JSON object when present (`null` is absent).
fn json_object(
    value: Option<Value>,
    name: &str,
) -> Result<Option<Map<String, Value>>, RequestError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(object)) => Ok(Some(object)),
        Some(_) => Err(RequestError::BadRequest(format!(
            "`{name}` must be a JSON object or null"
        ))),
    }
}

fn build(
    query: String,
    operation_name: Option<String>,
    variables: Option<Map<String, Value>>,
    extensions: Option<Map<String, Value>>,
) -> Result<async_graphql::Request, RequestError> {
    let request = serde_json::json!({
        "query": query,
        "operationName": operation_name,
        "variables": variables.unwrap_or_default(),
        "extensions": extensions.unwrap_or_default(),
    });
    serde_json::from_value(request).map_err(|err| {
        RequestError::BadRequest(format!("the request parameters are not valid: {err}"))
    })
}

/// The operation a document and an operation name select, as execution will pick it; `None` when there is no
/// single one (executing then fails before anything runs).
fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    match (&document.operations, name) {
        (DocumentOperations::Single(operation), None) => Some(operation),
        (DocumentOperations::Single(_), Some(_)) => None,
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// Whether the operation the request selects is a mutation. A document that does not parse or names no
/// single operation is not: executing it fails before anything runs.
pub fn selects_mutation(request: &mut async_graphql::Request) -> bool {
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return false;
    };
    selected_operation(document, name.as_deref())
        .is_some_and(|operation| operation.node.ty == OperationType::Mutation)
}

/// The variable errors execution would find too late: a variable of a non-null type that is missing (with no
/// default) or `null` is a request error (GraphQL's CoerceVariableValues), not a field error at the first
/// field that uses it. Values of the wrong type are caught by validation already.
pub fn check_variables(request: &mut async_graphql::Request) -> Result<(), Vec<ServerError>> {
    let name = request.operation_name.clone();
    let variables = request.variables.clone();
    let Ok(document) = request.parsed_query() else {
        return Ok(());
    };
    let Some(operation) = selected_operation(document, name.as_deref()) else {
        return Ok(());
    };
    let errors: Vec<ServerError> = operation
        .node
        .variable_definitions
        .iter()
        .filter(|definition| !definition.node.var_type.node.nullable)
        .filter_map(|definition| {
            let variable = &definition.node;
            let message = match variables.get(&variable.name.node) {
                Some(async_graphql::Value::Null) => format!(
                    "Variable \"${}\" of non-null type \"{}\" must not be null",
                    variable.name.node, variable.var_type.node
                ),
                None if variable.default_value.is_none() => format!(
                    "Variable \"${}\" of required type \"{}\" was not provided",
                    variable.name.node, variable.var_type.node
                ),
                _ => return None,
            };
            Some(ServerError::new(message, Some(definition.pos)))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests;
