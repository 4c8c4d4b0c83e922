//! Editing over HTTP on SQLite and PostgreSQL: tokens and roles, the role × mutation × tenant matrix with
//! its indirect routes, validation, optimistic concurrency, drafts, revisions and restore, the audit log —
//! and that every refused mutation leaves the database exactly as it was.

mod concurrency;
mod links;
mod revisions;
mod tenants;
mod tokens;
mod validation;

use crate::common;

use common::{Caller, TestApp, ok, who};
use serde_json::{Value, json};

const HANDLINGSDEL: &str = "rauma-handlingsdel-oppvekstplan-2023-2033";
const JOINT_PLAN: &str = "mosseregionen-handlingsplan-vold-i-naere-relasjoner-2022-2025";

/// `{ id version }` of a node found by a root lookup such as `measure(slug: "…")`.
async fn node(app: &TestApp, lookup: &str) -> (String, i64) {
    let field = lookup
        .split('(')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    let query = format!("{{ {lookup} {{ id version }} }}");
    let response = app.gql_as(None, &query, json!({})).await;
    let found = &response["data"][&field];
    assert!(!found.is_null(), "{lookup}: {response}");
    (
        found["id"].as_str().unwrap_or_default().to_string(),
        found["version"].as_i64().unwrap_or_default(),
    )
}

/// Runs a mutation that must fail with `code`, and checks that nothing changed.
async fn refused(by: &Caller<'_>, query: &str, variables: Value, code: &str) -> Value {
    let app = by.app;
    let before = app.dump().await;
    let response = by.gql(query, variables).await;
    let error = &response["errors"][0];
    assert_eq!(
        error["extensions"]["code"], code,
        "[{:?}] {query}\n{response:#}",
        app.backend
    );
    assert_eq!(
        app.dump().await,
        before,
        "[{:?}] a refused mutation changed the database: {query}",
        app.backend
    );
    error.clone()
}

const MEASURE_CREATE: &str = "mutation($input: MeasureCreateInput!) { measureCreate(input: $input) {
    measure { id slug status version title municipality { number } } revision { action nodeVersion actorName } } }";
const MEASURE_UPDATE: &str =
    "mutation($input: MeasureUpdateInput!) { measureUpdate(input: $input) {
    measure { id version title summary } revision { action before after } } }";
