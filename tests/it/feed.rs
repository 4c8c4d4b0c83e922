//! The change feed: the `changes` query, its order without gaps under concurrent writers, and the `changes`
//! subscription over graphql-ws, delivered across API processes on PostgreSQL.

mod query;
mod subscription;

use crate::common;

use common::{Caller, TestApp, ok, preview};
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

async fn plan_id(app: &TestApp) -> String {
    let query = format!("{{ plan(slug: \"{HANDLINGSDEL}\") {{ id }} }}");
    let data = ok(&Caller::anonymous(app), &query, json!({})).await;
    data["plan"]["id"].as_str().expect("plan id").to_string()
}

/// Creates, updates and publishes one measure as `by`; returns its id.
async fn create_update_publish(by: &Caller<'_>, plan: &str, title: &str) -> String {
    let input = json!({ "input": { "plan": plan, "title": title } });
    let created = ok(by, CREATE, input).await;
    let id = created["measureCreate"]["measure"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let summary = json!({ "input": { "id": id, "version": 1, "summary": "Endret" } });
    ok(by, UPDATE, summary).await;
    ok(by, PUBLISH, json!({ "i": { "id": id, "version": 2 } })).await;
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
