//! Sharing between municipalities: adoption by reference and by copy, provenance, `reusedBy`, upstream
//! changes (diff, accept, dismiss), archived sources, each owner's adoption of a joint plan, and the queries
//! across municipalities.

mod copy;
mod plans;
mod queries;
mod reference;

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

const MOSS_MEASURE: &str = "moss-samlet-oversikt-over-forebyggende-tiltak";
const RAUMA_PLAN: &str = "rauma-handlingsdel-oppvekstplan-2023-2033";
const JOINT_PLAN: &str = "mosseregionen-handlingsplan-vold-i-naere-relasjoner-2022-2025";

const ADOPT: &str = "mutation($input: MeasureAdoptInput!) { measureAdopt(input: $input) {
    measure { id slug title status version municipality { number } plan { slug }
      legalReferences { totalCount } themes { totalCount } units { totalCount } }
    adoption { sourceType sourceId sourceVersion adoptedBy municipality { number } }
    derivation { sourceId sourceVersion mode copiedBy upstreamVersion upstreamChanged
      sourceMunicipality { number } source { id } }
    revision { action nodeType detail } } }";

struct Who {
    moss: String,
    rade: String,
    rauma: String,
    admin: String,
}

async fn who(app: &TestApp) -> Who {
    Who {
        moss: app.token("editor", Some("3103")).await,
        rade: app.token("editor", Some("3112")).await,
        rauma: app.token("editor", Some("1539")).await,
        admin: app.token("admin", None).await,
    }
}

async fn ok(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Value {
    let response = app.gql_as(token, query, variables).await;
    assert!(
        response.get("errors").is_none(),
        "[{:?}] {query}\n{response:#}",
        app.backend
    );
    response["data"].clone()
}

async fn preview(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let auth = format!("Bearer {token}");
    let (_, body) = app
        .gql_with(
            &[("authorization", &auth), ("x-preview", "true")],
            query,
            variables,
        )
        .await;
    assert!(
        body.get("errors").is_none(),
        "[{:?}] {query}\n{body:#}",
        app.backend
    );
    body["data"].clone()
}

/// Runs `query` expecting one error with `code` (and `field`, for VALIDATION); checks nothing was written.
async fn refused(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
    code: &str,
    field: Option<&str>,
) {
    let before = app.dump().await;
    let response = app.gql_as(token, query, variables.clone()).await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"], code,
        "[{:?}] {variables}\n{response:#}",
        app.backend
    );
    if let Some(field) = field {
        assert_eq!(
            response["errors"][0]["extensions"]["field"], field,
            "{response:#}"
        );
    }
    assert_eq!(
        app.dump().await,
        before,
        "a refused mutation wrote something"
    );
}

async fn measure(app: &TestApp, slug: &str) -> (String, i64) {
    let data = ok(
        app,
        None,
        "query($s: String) { measure(slug: $s) { id version } }",
        json!({ "s": slug }),
    )
    .await;
    (
        data["measure"]["id"].as_str().expect("id").to_string(),
        data["measure"]["version"].as_i64().expect("version"),
    )
}

async fn plan(app: &TestApp, slug: &str) -> (String, i64) {
    let data = ok(
        app,
        None,
        "query($s: String) { plan(slug: $s) { id version } }",
        json!({ "s": slug }),
    )
    .await;
    (
        data["plan"]["id"].as_str().expect("id").to_string(),
        data["plan"]["version"].as_i64().expect("version"),
    )
}
