//! The change feed: the `changes` query, its order without gaps under concurrent writers, and the `changes`
//! subscription over graphql-ws, delivered across API processes on PostgreSQL.

mod query;
mod subscription;

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

const HANDLINGSDEL: &str = "rauma-handlingsdel-oppvekstplan-2023-2033";

const CREATE: &str = "mutation($input: MeasureCreateInput!) { measureCreate(input: $input) { measure { id version } } }";
const UPDATE: &str = "mutation($input: MeasureUpdateInput!) { measureUpdate(input: $input) { measure { id version } } }";
const PUBLISH: &str =
    "mutation($i: MeasurePublishInput!) { measurePublish(input: $i) { measure { id version } } }";
const FEED: &str = "query($after: String, $first: Int, $municipality: String, $types: [String!]) {
    changes(after: $after, first: $first, municipality: $municipality, types: $types) {
      cursor hasMore changes { cursor action nodeType nodeId nodeVersion municipality { number }
        node { id ... on Measure { title version } } } } }";

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

async fn plan_id(app: &TestApp) -> String {
    let data = ok(
        app,
        None,
        &format!("{{ plan(slug: \"{HANDLINGSDEL}\") {{ id }} }}"),
        json!({}),
    )
    .await;
    data["plan"]["id"].as_str().expect("plan id").to_string()
}

/// Creates, updates and publishes one measure as `token`; returns its id.
async fn create_update_publish(app: &TestApp, token: &str, plan: &str, title: &str) -> String {
    let created = ok(
        app,
        Some(token),
        CREATE,
        json!({ "input": { "plan": plan, "title": title } }),
    )
    .await;
    let id = created["measureCreate"]["measure"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    ok(
        app,
        Some(token),
        UPDATE,
        json!({ "input": { "id": id, "version": 1, "summary": "Endret" } }),
    )
    .await;
    ok(
        app,
        Some(token),
        PUBLISH,
        json!({ "i": { "id": id, "version": 2 } }),
    )
    .await;
    id
}

fn actions(page: &Value) -> Vec<(String, String)> {
    page["changes"]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["action"].as_str().unwrap_or_default().to_string(),
                c["nodeId"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}
