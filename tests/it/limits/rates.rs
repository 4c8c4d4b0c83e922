//! Query limits: rate limits charging each client by cost, and executions waiting for a free slot.

use crate::common;

use std::time::{Duration, Instant};

use common::TestApp;
use serde_json::{Value, json};

use super::INTROSPECTION;

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
            let auth = token.map(|token| format!("Bearer {token}"));
            let mut headers = vec![("x-forwarded-for", client)];
            headers.extend(auth.as_deref().map(|auth| ("authorization", auth)));
            let request =
                axum::http::Request::post("/graphql").header("content-type", "application/json");
            let body =
                json!({ "query": "{ municipalities(first: 10) { nodes { name } } }" }).to_string();
            let request = common::router::with_headers(request, &headers)
                .body(axum::body::Body::from(body))
                .expect("request");
            let response = common::router::call(&router, request).await;
            let retry = response.header("retry-after").map(str::to_string);
            let body = serde_json::from_slice::<Value>(&response.body).expect("json");
            (response.status, retry, body)
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
        let response = common::router::call(&router, common::query_post(INTROSPECTION)).await;
        assert_eq!(
            response.status,
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
