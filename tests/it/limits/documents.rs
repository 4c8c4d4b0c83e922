//! Query limits: hostile documents refused before validation with the limit named.

use crate::common;

use std::time::{Duration, Instant};

use common::TestApp;
use serde_json::{Value, json};

/// Sends `query` and expects it refused for `limit`.
async fn refused_for(app: &TestApp, query: &str, variables: Value, limit: &str) -> Value {
    let before = app.dump().await;
    let response = app.gql(query, variables).await;
    let error = &response["errors"][0];
    assert_eq!(
        error["extensions"]["code"], "QUERY_LIMIT_EXCEEDED",
        "[{:?}] {response:#}",
        app.backend
    );
    assert_eq!(error["extensions"]["limit"], limit, "{response:#}");
    assert!(
        response.get("data").is_none_or(Value::is_null),
        "{response:#}"
    );
    assert_eq!(app.dump().await, before);
    response
}

on_both!(hostile_documents_are_refused_before_validation);
async fn hostile_documents_are_refused_before_validation(app: &TestApp) {
    // Fragment fan-out: 10 fragments spreading the previous 10 times would expand to 10^10 fields. It is
    // refused at once (a guard against a hang, generous for slow machines; not a benchmark).
    let bomb = common::fan_out(10, 10);
    assert!(
        bomb.len() < 1_200,
        "the document is small: {} bytes",
        bomb.len()
    );
    let started = Instant::now();
    refused_for(app, &bomb, json!({}), "fields").await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    // The same through nested fields instead of __typename.
    let mut nested = String::from(
        "query { ...G6 }\nfragment G0 on Query { municipalities { nodes { name } } }\n",
    );
    for i in 1..=6 {
        nested.push_str(&format!(
            "fragment G{i} on Query {{ {} }}\n",
            vec![format!("...G{}", i - 1); 8].join(" ")
        ));
    }
    refused_for(app, &nested, json!({}), "fields").await;

    // A fragment cycle is refused as a validation failure, without looping.
    let response = app
        .gql(
            "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
            json!({}),
        )
        .await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{response:#}"
    );

    // Depth: neighbours of neighbours …
    let mut deep = String::from(r#"{ municipality(number: "1539") { "#);
    for _ in 0..8 {
        deep.push_str("neighbours { nodes { ");
    }
    deep.push_str("name");
    deep.push_str(&" } }".repeat(8));
    deep.push_str(" } }");
    let response = refused_for(app, &deep, json!({}), "depth").await;
    assert_eq!(response["errors"][0]["extensions"]["max"], 12);

    // Cost: wide pages nested three levels deep.
    refused_for(
        app,
        "{ municipalities(first: 100) { nodes { plans(first: 100) { nodes { measures(first: 100) { nodes { title } } } } } } }",
        json!({}),
        "cost",
    )
    .await;
    // … also when the page comes from a variable.
    refused_for(
        app,
        "query($n: Int) { municipalities(first: $n) { nodes { plans(first: $n) { nodes { measures(first: $n) { nodes { title } } } } } } }",
        json!({ "n": 100 }),
        "cost",
    )
    .await;

    // Alias flood.
    let aliases: Vec<String> = (0..60).map(|i| format!("a{i}: __typename")).collect();
    refused_for(
        app,
        &format!("{{ {} }}", aliases.join(" ")),
        json!({}),
        "aliases",
    )
    .await;
    // Directive flood on one field.
    let directives = ["@include(if: true)"; 6].join(" ");
    refused_for(
        app,
        &format!("{{ __typename {directives} }}"),
        json!({}),
        "directives",
    )
    .await;
    // Token flood (under the size limit).
    let tokens = format!("{{ {} }}", vec!["__typename"; 6_000].join(" "));
    assert!(tokens.len() < 32 * 1024 * 3);
    let response = app.gql(&tokens, json!({})).await;
    let limit = response["errors"][0]["extensions"]["limit"].clone();
    assert!(limit == "tokens" || limit == "bytes", "{response:#}");
    let commas = format!("{{ __typename {} }}", ",".repeat(40_000));
    refused_for(app, &commas, json!({}), "bytes").await;
    let few_tokens = format!("{{ __typename {} }}", "( )".repeat(3_000));
    refused_for(app, &few_tokens, json!({}), "tokens").await;
}
