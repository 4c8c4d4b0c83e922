//! Goals and the measures that serve them: a relation added as one catalog entry and one migration, seen
//! through every surface the catalog derives — both relation fields with their filters, the link
//! mutations, cache invalidation, the export and the linked-data documents.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::{Value, json};

use crate::common::{self, TestApp, node_values};

const SAMFUNNSDEL: &str = "moss-kommuneplanens-samfunnsdel-2020-2030";
const PORTAL_MEASURE: &str = "moss-samlet-oversikt-over-forebyggende-tiltak";

const LINK: &str = "mutation($input: MeasureLinkGoalInput!) { measureLinkGoal(input: $input) { \
    measure { goals { edges { node { slug } } } } revision { action detail } } }";
const UNLINK: &str = "mutation($input: MeasureUnlinkGoalInput!) { measureUnlinkGoal(input: $input) { \
    measure { goals { totalCount } } } }";
const GOAL_MEASURES: &str = "query($slug: String!, $filter: MeasureFilter) { goal(slug: $slug) { \
    measures(filter: $filter) { totalCount edges { node { slug } } } } }";

/// The global ID and UUID of the node `field` selects (e.g. `measure(slug: "…")`).
async fn ids(app: &TestApp, field: &str) -> (String, String) {
    let data = app
        .data(&format!("{{ n: {field} {{ id uuid }} }}"), json!({}))
        .await;
    let id = data["n"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{field}: {data}"));
    let uuid = data["n"]["uuid"].as_str().unwrap_or_default();
    (id.to_string(), uuid.to_string())
}

/// The slugs of the measures serving the goal `slug`, with `filter`.
async fn goal_measures(app: &TestApp, slug: &str, filter: Value) -> Vec<String> {
    let data = app
        .data(GOAL_MEASURES, json!({ "slug": slug, "filter": filter }))
        .await;
    let mut slugs = node_values(&data["goal"]["measures"], "slug");
    slugs.sort();
    slugs
}

/// The linked-data document at `uri`.
async fn ld(app: &TestApp, uri: &str) -> Value {
    let request = Request::get(uri)
        .header(header::ACCEPT, "application/ld+json")
        .body(Body::empty())
        .expect("request");
    let response = common::router::call(&app.router, request).await;
    assert_eq!(response.status, StatusCode::OK, "[{:?}] {uri}", app.backend);
    serde_json::from_slice(&response.body).expect("JSON-LD")
}

on_both!(the_seed_links_moss_measures_to_the_samfunnsdel_goal);
/// The seed links the measures of the two plans the source lists under "Levekår og folkehelse" to the
/// samfunnsdel's main goal for that focus area, and both ends list the edge.
async fn the_seed_links_moss_measures_to_the_samfunnsdel_goal(app: &TestApp) {
    let goal = format!("{SAMFUNNSDEL}-mal-1");
    assert_eq!(
        goal_measures(app, &goal, Value::Null).await,
        [
            "moss-slt-samarbeid",
            "mosseregionen-samordnet-innsats-mot-vold-i-naere-relasjoner"
        ],
        "[{:?}]",
        app.backend
    );
    // The goal's measures take the measure filter.
    let filter = json!({ "theme": "rusforebygging" });
    assert_eq!(
        goal_measures(app, &goal, filter).await,
        ["moss-slt-samarbeid"]
    );
    let data = app
        .data(
            "{ measure(slug: \"moss-slt-samarbeid\") { goals { totalCount nodes { slug focusArea plan { slug } } } } }",
            json!({}),
        )
        .await;
    let goals = &data["measure"]["goals"];
    assert_eq!(goals["totalCount"], 1);
    assert_eq!(goals["nodes"][0]["focusArea"], "Levekår og folkehelse");
    assert_eq!(goals["nodes"][0]["plan"]["slug"], SAMFUNNSDEL);
    let other = format!("{SAMFUNNSDEL}-mal-2");
    assert!(goal_measures(app, &other, Value::Null).await.is_empty());
}

on_both!(editors_link_and_unlink_the_goals_their_measures_serve);
/// Linking is a change to the measure: its owner's editors may make it, the answer and the cached lists
/// follow, a wrong ID names the field, and unlinking what is not linked is refused.
async fn editors_link_and_unlink_the_goals_their_measures_serve(app: &TestApp) {
    let goal_slug = format!("{SAMFUNNSDEL}-mal-2");
    let (measure, _) = ids(app, &format!("measure(slug: \"{PORTAL_MEASURE}\")")).await;
    let (goal, goal_uuid) = ids(app, &format!("goal(slug: \"{goal_slug}\")")).await;
    // Read (and cache) the goal's measures before the change.
    assert!(goal_measures(app, &goal_slug, Value::Null).await.is_empty());

    let moss = app.token("editor", Some("3103")).await;
    let rauma = app.token("editor", Some("1539")).await;
    let input = json!({ "input": { "measure": measure, "goal": goal } });
    let refused = app.gql_as(Some(&rauma), LINK, input.clone()).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "[{:?}] {refused}",
        app.backend
    );

    let linked = app.gql_as(Some(&moss), LINK, input.clone()).await;
    let payload = &linked["data"]["measureLinkGoal"];
    assert_eq!(payload["revision"]["action"], "LINK", "{linked}");
    assert_eq!(payload["revision"]["detail"]["relation"], "goals");
    let slugs = node_values(&payload["measure"]["goals"], "slug");
    assert_eq!(slugs, [goal_slug.as_str()]);
    assert_eq!(
        goal_measures(app, &goal_slug, Value::Null).await,
        [PORTAL_MEASURE],
        "the cached list of the goal's measures follows the link"
    );

    // The edge is exported with the measure's municipality and shows in both linked-data documents.
    let document = oppvekstgraf_api::transfer::export(&app.state.db, "3103")
        .await
        .expect("export");
    let exported = serde_json::to_value(&document).expect("serialises");
    let rows = exported["owned"]["measure_goal"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.iter().any(|row| row["goal_id"] == goal_uuid.as_str()));
    let goal_doc = ld(app, &format!("/ld/goal/{goal_uuid}")).await;
    let influenced = goal_doc["prov:influenced"].to_string();
    assert!(influenced.contains("/ld/measure/"), "{goal_doc}");

    // A node of another type in the goal's place names the field.
    let (theme, _) = ids(app, "theme(slug: \"forebygging\")").await;
    let wrong = json!({ "input": { "measure": measure, "goal": theme } });
    let error = app.gql_as(Some(&moss), LINK, wrong).await;
    assert_eq!(
        error["errors"][0]["extensions"]["code"], "VALIDATION",
        "{error}"
    );
    assert_eq!(
        error["errors"][0]["extensions"]["field"], "input.goal",
        "{error}"
    );

    let unlinked = app.gql_as(Some(&moss), UNLINK, input.clone()).await;
    assert_eq!(
        unlinked["data"]["measureUnlinkGoal"]["measure"]["goals"]["totalCount"], 0,
        "{unlinked}"
    );
    assert!(goal_measures(app, &goal_slug, Value::Null).await.is_empty());
    let again = app.gql_as(Some(&moss), UNLINK, input).await;
    assert_eq!(
        again["errors"][0]["extensions"]["code"], "VALIDATION",
        "{again}"
    );
}

on_both!(measures_filter_by_the_goal_they_serve);
/// `measures(filter: { goal })` keeps the measures linked to that goal, a goal without measures keeps none,
/// and an ID of another type is refused naming the field.
async fn measures_filter_by_the_goal_they_serve(app: &TestApp) {
    let query = "query($filter: MeasureFilter) { measures(first: 100, filter: $filter) { totalCount edges { node { slug } } } }";
    let (goal, _) = ids(app, &format!("goal(slug: \"{SAMFUNNSDEL}-mal-1\")")).await;
    let data = app.data(query, json!({ "filter": { "goal": goal } })).await;
    let mut slugs = node_values(&data["measures"], "slug");
    slugs.sort();
    assert_eq!(
        slugs,
        [
            "moss-slt-samarbeid",
            "mosseregionen-samordnet-innsats-mot-vold-i-naere-relasjoner"
        ],
        "[{:?}]",
        app.backend
    );
    // Combined with another key, both must hold.
    let both = json!({ "filter": { "goal": goal, "theme": "rusforebygging" } });
    let data = app.data(query, both).await;
    assert_eq!(
        node_values(&data["measures"], "slug"),
        ["moss-slt-samarbeid"]
    );
    let (other_goal, _) = ids(app, &format!("goal(slug: \"{SAMFUNNSDEL}-mal-2\")")).await;
    let data = app
        .data(query, json!({ "filter": { "goal": other_goal } }))
        .await;
    assert_eq!(data["measures"]["totalCount"], 0, "{data}");
    let (measure, _) = ids(app, &format!("measure(slug: \"{PORTAL_MEASURE}\")")).await;
    let body = app
        .gql(query, json!({ "filter": { "goal": measure } }))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "VALIDATION",
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "filter.goal",
        "{body}"
    );
}
