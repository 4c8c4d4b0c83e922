//! Query limits: checked after parsing and before validation, resolvers or SQL; each executed query
//! reports its cost. Hostile documents (fragment fan-out, cycles, depth, alias and directive floods, token
//! and size floods) are refused with `QUERY_LIMIT_EXCEEDED` naming the limit, and write nothing.

use crate::common;

use std::time::{Duration, Instant};

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

/// `n` fragments, each spreading the previous one `fan` times: expands to `fan^n` fields.
fn fan_out(n: usize, fan: usize) -> String {
    let mut doc = format!("query {{ ...F{n} }}\nfragment F0 on Query {{ __typename }}\n");
    for i in 1..=n {
        let spreads = vec![format!("...F{}", i - 1); fan].join(" ");
        doc.push_str(&format!("fragment F{i} on Query {{ {spreads} }}\n"));
    }
    doc
}

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

on_both!(hostile_documents_are_refused_before_validation);
async fn hostile_documents_are_refused_before_validation(app: &TestApp) {
    // Fragment fan-out: 10 fragments spreading the previous 10 times would expand to 10^10 fields. It is
    // refused at once (a guard against a hang, generous for slow machines; not a benchmark).
    let bomb = fan_out(10, 10);
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
            let request = axum::http::Request::post("/graphql")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(
                    json!({ "query": query }).to_string(),
                ))
                .expect("request");
            let response = tower::ServiceExt::oneshot(router, request)
                .await
                .expect("response");
            let bytes = http_body_util::BodyExt::collect(response.into_body())
                .await
                .expect("body")
                .to_bytes();
            serde_json::from_slice::<Value>(&bytes).expect("json")
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

on_both!(rate_limits_charge_each_client_by_cost);
async fn rate_limits_charge_each_client_by_cost(app: &TestApp) {
    use oppvekstgraf_api::rate::RateLimits;
    // Cached reads cost nothing and are not charged: this test repeats one read, so no response cache.
    let state = app
        .state
        .clone()
        .with_rate_limits(RateLimits {
            cost_per_minute: 60,
            burst: 40,
            trust_forwarded_for: true,
        })
        .with_cache(oppvekstgraf_api::cache::CacheConfig {
            response_cache_max_bytes: 0,
            ..Default::default()
        });
    let router = oppvekstgraf_api::app(state);
    let token = app.token("editor", Some("1539")).await;
    let send = |client: &'static str, token: Option<String>| {
        let router = router.clone();
        async move {
            let mut request = axum::http::Request::post("/graphql")
                .header("content-type", "application/json")
                .header("x-forwarded-for", client);
            if let Some(token) = token {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            let body =
                json!({ "query": "{ municipalities(first: 10) { nodes { name } } }" }).to_string();
            let response = tower::ServiceExt::oneshot(
                router,
                request.body(axum::body::Body::from(body)).expect("request"),
            )
            .await
            .expect("response");
            let status = response.status();
            let retry = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let bytes = http_body_util::BodyExt::collect(response.into_body())
                .await
                .expect("body")
                .to_bytes();
            (
                status,
                retry,
                serde_json::from_slice::<Value>(&bytes).expect("json"),
            )
        }
    };
    // One client spends its burst (each query costs about 11) and is then refused with 429 and Retry-After.
    let mut served = 0;
    let mut refused = None;
    for _ in 0..10 {
        let (status, retry, body) = send("192.0.2.1", None).await;
        if status == axum::http::StatusCode::OK {
            served += 1;
            continue;
        }
        refused = Some((status, retry, body));
        break;
    }
    let (status, retry, body) = refused.expect("the client is limited within ten queries");
    assert!(served >= 2, "served {served} before the limit");
    assert_eq!(
        status,
        axum::http::StatusCode::TOO_MANY_REQUESTS,
        "{body:#}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{body:#}"
    );
    let retry: u64 = retry.expect("Retry-After").parse().expect("seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(body["errors"][0]["extensions"]["retryAfter"], retry);
    // Other clients are not slowed: another address, and a token.
    let (status, _, body) = send("192.0.2.2", None).await;
    assert_eq!(status, axum::http::StatusCode::OK, "{body:#}");
    let (status, _, body) = send("192.0.2.1", Some(token)).await;
    assert_eq!(status, axum::http::StatusCode::OK, "{body:#}");

    // Tooling fetches the schema on every page load: introspection (answered from memory) is charged a
    // small flat amount, so thirty full schema fetches from one address stay within the default budget
    // (their estimated cost, about 90000 each, would not).
    let router = oppvekstgraf_api::app(app.state.clone().with_rate_limits(RateLimits::default()));
    for i in 0..30 {
        let request = axum::http::Request::post("/graphql")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(
                json!({ "query": INTROSPECTION }).to_string(),
            ))
            .expect("request");
        let response = tower::ServiceExt::oneshot(router.clone(), request)
            .await
            .expect("response");
        assert_eq!(
            response.status(),
            axum::http::StatusCode::OK,
            "schema fetch {i}"
        );
    }
}

on_both!(executions_wait_in_line_for_a_free_slot);
/// With every execution slot taken, a query waits (counted in `/metrics`) and runs as soon as a slot is
/// free; a cached answer does not wait at all.
async fn executions_wait_in_line_for_a_free_slot(app: &TestApp) {
    let state = app.state.clone().with_concurrent_executions(1);
    let router = oppvekstgraf_api::app(state.clone());
    let post =
        |query: &str| common::send_via(router.clone(), common::graphql_post(query, json!({})));
    let query = r#"{ municipality(number: "1539") { name } }"#;
    // Answered once, so the same read is in the response cache.
    assert_eq!(post(query).await.0, 200);

    let slot = state
        .executions
        .clone()
        .acquire_owned()
        .await
        .expect("the only slot");
    let waiting = tokio::spawn(post(r#"{ municipality(number: "3002") { name } }"#));
    let deadline = Instant::now() + Duration::from_secs(5);
    while state.metrics.executions_waiting.get() < 1 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        state.metrics.executions_waiting.get(),
        1,
        "one query in line"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!waiting.is_finished(), "no execution without a slot");
    // The cached read does not need a slot.
    let (status, _) = tokio::time::timeout(Duration::from_secs(5), post(query))
        .await
        .expect("a cached answer does not wait");
    assert_eq!(status, 200);

    drop(slot);
    let (status, body) = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .expect("runs once the slot is free")
        .expect("task");
    assert_eq!(status, 200);
    assert_eq!(body["data"]["municipality"]["name"], "Moss", "{body}");
    assert_eq!(state.metrics.executions_waiting.get(), 0);
    assert_eq!(state.metrics.executions_running.get(), 0);
}
