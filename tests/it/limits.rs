//! Query limits: checked after parsing and before validation, resolvers or SQL; each executed query
//! reports its cost. Hostile documents (fragment fan-out, cycles, depth, alias and directive floods, token
//! and size floods) are refused with `QUERY_LIMIT_EXCEEDED` naming the limit, and write nothing.

mod documents;
mod rates;

use crate::common;

use common::TestApp;
use oppvekstgraf_api::limits::QueryLimits;
use serde_json::{Value, json};

/// The standard introspection query of GraphQL tooling (GraphiQL's, with descriptions and deprecations).
const INTROSPECTION: &str = r#"query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}"#;

on_both!(queries_within_limits_report_their_cost);
async fn queries_within_limits_report_their_cost(app: &TestApp) {
    let response = app
        .gql(
            r#"{ municipality(number: "1539") { name plans(first: 5) { nodes { title measures(first: 10) { nodes { title } } } } } }"#,
            json!({}),
        )
        .await;
    assert!(response.get("errors").is_none(), "{response:#}");
    let cost = &response["extensions"]["cost"];
    // municipality 1, plans 1 + 5 × (plan 1 + measures (1 + 10 × 1)) = 1 + 1 + 5 × 12 + … see the guard docs.
    assert_eq!(cost["limit"], 50_000);
    assert_eq!(cost["depth"], 6);
    let requested = cost["requested"].as_u64().expect("cost");
    assert!(requested > 50 && requested < 200, "{cost}");
    // A bigger page costs more, in proportion.
    let bigger = app
        .gql(
            r#"{ municipality(number: "1539") { name plans(first: 50) { nodes { title measures(first: 10) { nodes { title } } } } } }"#,
            json!({}),
        )
        .await;
    let bigger = bigger["extensions"]["cost"]["requested"]
        .as_u64()
        .expect("cost");
    assert!(bigger > requested * 8, "{bigger} vs {requested}");
    // Page sizes from variables count too.
    let with_variable = app
        .gql(
            r#"query($n: Int) { municipality(number: "1539") { name plans(first: $n) { nodes { title measures(first: 10) { nodes { title } } } } } }"#,
            json!({ "n": 50 }),
        )
        .await;
    assert_eq!(with_variable["extensions"]["cost"]["requested"], bigger);
    // Tooling's full introspection query is allowed: the API is public and documented.
    let introspection = app.gql(INTROSPECTION, json!({})).await;
    assert!(introspection.get("errors").is_none(), "{introspection:#}");
    assert!(
        introspection["data"]["__schema"]["types"]
            .as_array()
            .is_some_and(|t| t.len() > 50)
    );
}

on_both!(limits_are_settings);
async fn limits_are_settings(app: &TestApp) {
    let strict = QueryLimits {
        max_depth: 3,
        max_cost: 10,
        ..QueryLimits::default()
    };
    let state = app.state.clone().with_limits(strict);
    let router = oppvekstgraf_api::app(state);
    let send = |query: &'static str| {
        let router = router.clone();
        async move {
            let response = common::router::call(&router, common::query_post(query)).await;
            serde_json::from_slice::<Value>(&response.body).expect("json")
        }
    };
    let response = send(r#"{ municipality(number: "1539") { plans { nodes { title } } } }"#).await;
    assert_eq!(
        response["errors"][0]["extensions"]["limit"], "depth",
        "{response:#}"
    );
    let response = send(r#"{ municipalities(first: 20) { nodes { name } } }"#).await;
    assert_eq!(
        response["errors"][0]["extensions"]["limit"], "cost",
        "{response:#}"
    );
    let response = send(r#"{ municipality(number: "1539") { name } }"#).await;
    assert_eq!(
        response["data"]["municipality"]["name"], "Rauma",
        "{response:#}"
    );
    assert_eq!(response["extensions"]["cost"]["limit"], 10);
}

on_both!(field_suggestions_only_for_clients_with_a_token);
async fn field_suggestions_only_for_clients_with_a_token(app: &TestApp) {
    let query = "{ municipalitie { totalCount } }";
    let anonymous = app.gql(query, json!({})).await;
    let message = anonymous["errors"][0]["message"].as_str().expect("message");
    assert!(!message.contains("Did you mean"), "{message}");
    let token = app.token("editor", Some("1539")).await;
    let editor = app.gql_as(Some(&token), query, json!({})).await;
    let message = editor["errors"][0]["message"].as_str().expect("message");
    assert!(message.contains("Did you mean"), "{message}");
}
