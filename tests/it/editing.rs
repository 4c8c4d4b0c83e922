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

use common::TestApp;
use serde_json::{Value, json};

const HANDLINGSDEL: &str = "rauma-handlingsdel-oppvekstplan-2023-2033";
const JOINT_PLAN: &str = "mosseregionen-handlingsplan-vold-i-naere-relasjoner-2022-2025";

/// Tokens of every role.
struct Who {
    rauma: String,
    moss: String,
    admin: String,
}

async fn who(app: &TestApp) -> Who {
    Who {
        rauma: app.token("editor", Some("1539")).await,
        moss: app.token("editor", Some("3103")).await,
        admin: app.token("admin", None).await,
    }
}

/// `{ id version }` of a node found by a root lookup such as `measure(slug: "…")`.
async fn node(app: &TestApp, token: Option<&str>, lookup: &str) -> (String, i64) {
    let field = lookup
        .split('(')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    let response = app
        .gql_as(
            token,
            &format!("{{ {lookup} {{ id version }} }}"),
            json!({}),
        )
        .await;
    let found = &response["data"][&field];
    assert!(!found.is_null(), "{lookup}: {response}");
    (
        found["id"].as_str().unwrap_or_default().to_string(),
        found["version"].as_i64().unwrap_or_default(),
    )
}

/// Runs a mutation that must fail with `code`, and checks that nothing changed.
async fn refused(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
    code: &str,
) -> Value {
    let before = app.dump().await;
    let response = app.gql_as(token, query, variables).await;
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

/// Runs a mutation that must succeed and returns its `data`.
async fn ok(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Value {
    let response = app.gql_as(token, query, variables).await;
    assert!(
        response.get("errors").is_none(),
        "[{:?}] {query}\n{response:#}",
        app.backend
    );
    response["data"].clone()
}

const MEASURE_CREATE: &str = "mutation($input: MeasureCreateInput!) { measureCreate(input: $input) {
    measure { id slug status version title municipality { number } } revision { action nodeVersion actorName } } }";
const MEASURE_UPDATE: &str =
    "mutation($input: MeasureUpdateInput!) { measureUpdate(input: $input) {
    measure { id version title summary } revision { action before after } } }";
