//! Hostile timing: many writers claiming one slug, one Lovdata id or the same link at once.

use crate::common;

use common::TestApp;
use futures_util::future::join_all;
use serde_json::{Value, json};

const HANDLINGSDEL: &str = "rauma-handlingsdel-oppvekstplan-2023-2033";
/// How many writers race for one value.
const RACERS: usize = 20;

/// One number from a `SELECT COUNT(*) AS n …`.
async fn count(app: &TestApp, sql: &str) -> i64 {
    let row = app.query_one(sql).await.expect("count").expect("a row");
    row.try_get::<i64>("", "n")
        .or_else(|_| row.try_get::<i32>("", "n").map(i64::from))
        .expect("n")
}

/// Sends the same mutation `RACERS` times at once as the holder of `token`; returns the responses.
async fn race(app: &TestApp, token: &str, query: &str, variables: Value) -> Vec<Value> {
    join_all((0..RACERS).map(|_| app.gql_as(Some(token), query, variables.clone()))).await
}

/// Splits responses into successes and errors; every error must be VALIDATION on `field`.
fn outcome(app: &TestApp, responses: &[Value], field: &str) -> usize {
    let mut won = 0;
    for response in responses {
        match response.get("errors") {
            None => won += 1,
            Some(errors) => {
                let error = &errors[0];
                assert_eq!(
                    error["extensions"]["code"], "VALIDATION",
                    "[{:?}] a racing writer got {response}",
                    app.backend
                );
                assert_eq!(error["extensions"]["field"], field, "{response}");
            }
        }
    }
    won
}

async fn id_of(app: &TestApp, lookup: &str) -> String {
    let field = lookup.split('(').next().unwrap_or_default().to_string();
    let response = app
        .gql(&format!("{{ {lookup} {{ id }} }}"), json!({}))
        .await;
    response["data"][&field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{lookup}: {response}"))
        .to_string()
}

const MEASURE_CREATE: &str = "mutation($input: MeasureCreateInput!) { measureCreate(input: $input) { measure { id slug } revision { action } } }";

on_both!(one_slug_claimed_at_once);
async fn one_slug_claimed_at_once(app: &TestApp) {
    let token = app.token("editor", Some("1539")).await;
    let plan = id_of(app, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let before = count(app, "SELECT COUNT(*) AS n FROM revision").await;
    let input =
        json!({ "input": { "plan": plan, "title": "Samtidig tiltak", "slug": "samtidig-tiltak" } });
    let responses = race(app, &token, MEASURE_CREATE, input).await;
    assert_eq!(outcome(app, &responses, "input.slug"), 1, "{responses:#?}");
    let lost = responses.iter().find(|r| r.get("errors").is_some());
    assert_eq!(
        lost.map(|r| r["errors"][0]["message"].clone()),
        Some(json!(
            "input.slug: \"samtidig-tiltak\" is taken: choose another slug"
        )),
        "the loser gets the error a sequential request gets"
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) AS n FROM measure WHERE slug = 'samtidig-tiltak'"
        )
        .await,
        1
    );
    // One revision (and nothing else) per success.
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM revision").await,
        before + 1
    );

    // Without a slug, writers of one title at once all succeed, each with a slug of its own.
    let input = json!({ "input": { "plan": plan, "title": "Samme tittel" } });
    let responses = race(app, &token, MEASURE_CREATE, input).await;
    assert_eq!(outcome(app, &responses, "input.slug"), RACERS);
    let mut slugs: Vec<&str> = responses
        .iter()
        .filter_map(|r| r["data"]["measureCreate"]["measure"]["slug"].as_str())
        .collect();
    slugs.sort_unstable();
    slugs.dedup();
    assert_eq!(slugs.len(), RACERS, "{slugs:?}");
    assert!(slugs.contains(&"samme-tittel"), "{slugs:?}");
}

on_both!(one_lovdata_id_claimed_at_once);
async fn one_lovdata_id_claimed_at_once(app: &TestApp) {
    let admin = app.token("admin", None).await;
    let before = count(app, "SELECT COUNT(*) AS n FROM revision").await;
    const LAW: &str =
        "mutation($input: LawCreateInput!) { lawCreate(input: $input) { law { id } } }";
    let input = json!({ "input": { "lovdataId": "LOV-2026-12-02-1", "shortTitle": "samtidigloven", "title": "Lov om samtidighet", "kind": "ACT" } });
    let responses = race(app, &admin, LAW, input).await;
    assert_eq!(
        outcome(app, &responses, "input.lovdataId"),
        1,
        "{responses:#?}"
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) AS n FROM law WHERE lovdata_id = 'LOV-2026-12-02-1'"
        )
        .await,
        1
    );
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM revision").await,
        before + 1
    );
}

on_both!(one_link_made_at_once);
async fn one_link_made_at_once(app: &TestApp) {
    let token = app.token("editor", Some("1539")).await;
    let plan = id_of(app, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let created = app
        .gql_as(
            Some(&token),
            MEASURE_CREATE,
            json!({ "input": { "plan": plan, "title": "Lenket tiltak" } }),
        )
        .await;
    let measure = created["data"]["measureCreate"]["measure"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_string();
    let theme = id_of(app, "theme(slug: \"barnefattigdom\")").await;
    const THEME: &str = "mutation($input: MeasureLinkThemeInput!) { measureLinkTheme(input: $input) { measure { version } revision { nodeVersion } } }";
    let responses = race(
        app,
        &token,
        THEME,
        json!({ "input": { "measure": measure, "theme": theme } }),
    )
    .await;
    // Linking what is linked already moves nothing and succeeds, so every writer succeeds, one after the
    // other: versions 2 to 21, each with its revision.
    assert_eq!(outcome(app, &responses, "input"), RACERS, "{responses:#?}");
    let mut versions: Vec<i64> = responses
        .iter()
        .filter_map(|r| r["data"]["measureLinkTheme"]["revision"]["nodeVersion"].as_i64())
        .collect();
    versions.sort_unstable();
    assert_eq!(versions, (2..2 + RACERS as i64).collect::<Vec<_>>());
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM measure_theme WHERE measure_id IN (SELECT id FROM measure WHERE title = 'Lenket tiltak')").await,
        1
    );
}
