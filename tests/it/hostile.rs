//! A catalogue of hostile and broken requests (with the cases the schema-driven fuzzer in tests/fuzz found):
//! each gets its exact status and error code, and none of them changes the database.

use crate::common;

use axum::{body::Body, http::Request};
use common::TestApp;
use serde_json::{Value, json};

/// One hostile request and what it must get.
struct Case {
    name: &'static str,
    request: Request<Body>,
    status: u16,
    code: &'static str,
}

fn post(body: impl Into<Body>, content_type: &str, token: Option<&str>) -> Request<Body> {
    let mut request = Request::post("/graphql").header("content-type", content_type);
    if let Some(token) = token {
        request = request.header("authorization", token);
    }
    request.body(body.into()).expect("request")
}

fn query(q: &str) -> Request<Body> {
    post(json!({ "query": q }).to_string(), "application/json", None)
}

fn query_as(q: &str, variables: Value, token: &str) -> Request<Body> {
    post(
        json!({ "query": q, "variables": variables }).to_string(),
        "application/json",
        Some(&format!("Bearer {token}")),
    )
}

on_both!(hostile_requests_get_exact_answers_and_change_nothing);
async fn hostile_requests_get_exact_answers_and_change_nothing(app: &TestApp) {
    let rauma = app.token("editor", Some("1539")).await;
    let moss_measure = app
        .gql(
            r#"{ measure(slug: "moss-samlet-oversikt-over-forebyggende-tiltak") { id version } }"#,
            json!({}),
        )
        .await["data"]["measure"]
        .clone();
    let rauma_measure = app
        .gql(
            r#"{ measure(slug: "rauma-etablere-oppvekstforum") { id version } }"#,
            json!({}),
        )
        .await["data"]["measure"]
        .clone();
    let deep = format!(
        r#"{{ municipality(number: "1539") {{ {} name {} }} }}"#,
        "neighbours { nodes { ".repeat(8),
        " } }".repeat(8)
    );
    let nested_json = (0..200).fold(json!(1), |inner, _| json!({ "a": inner }));
    let cases = vec![
        Case { name: "deep nesting", request: query(&deep), status: 400, code: "QUERY_LIMIT_EXCEEDED" },
        Case { name: "fragment fan-out", request: query(&common::fan_out(10, 10)), status: 400, code: "QUERY_LIMIT_EXCEEDED" },
        Case { name: "fragment cycle", request: query("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"), status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
        Case { name: "alias flood", request: query(&format!("{{ {} }}", (0..60).map(|i| format!("a{i}: __typename")).collect::<Vec<_>>().join(" "))), status: 400, code: "QUERY_LIMIT_EXCEEDED" },
        Case { name: "directive flood", request: query(&format!("{{ __typename {} }}", ["@include(if: true)"; 6].join(" "))), status: 400, code: "QUERY_LIMIT_EXCEEDED" },
        Case { name: "token flood", request: query(&format!("{{ __typename {} }}", "( )".repeat(3_000))), status: 400, code: "QUERY_LIMIT_EXCEEDED" },
        Case { name: "huge document", request: query(&format!("{{ __typename {} }}", " ".repeat(40_000))), status: 400, code: "QUERY_LIMIT_EXCEEDED" },
        Case { name: "wide pages nested", request: query("{ municipalities(first: 100) { nodes { plans(first: 100) { nodes { measures(first: 100) { nodes { title } } } } } } }"), status: 400, code: "QUERY_LIMIT_EXCEEDED" },
        Case { name: "oversized page", request: query("{ measures(first: 101) { totalCount } }"), status: 200, code: "VALIDATION" },
        Case { name: "negative page", request: query("{ measures(first: -1) { totalCount } }"), status: 200, code: "VALIDATION" },
        Case { name: "too many ids", request: query(&format!("{{ nodes(ids: [{}]) {{ id }} }}", vec!["\"x\""; 101].join(","))), status: 200, code: "VALIDATION" },
        Case { name: "forged global id", request: query(r#"{ node(id: "bm9wZQ") { id } }"#), status: 200, code: "VALIDATION" },
        Case { name: "cursor of another type", request: query(&format!(r#"{{ measures(after: "{}") {{ totalCount }} }}"#, common::base64("Plan:3"))), status: 200, code: "VALIDATION" },
        Case { name: "wrong argument type", request: query(r#"{ measures(first: "ten") { totalCount } }"#), status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
        Case { name: "unknown field", request: query("{ measuresss { totalCount } }"), status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
        Case { name: "syntax error", request: query("{ measures { totalCount "), status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
        Case { name: "NUL byte in a string argument", request: query("{ municipality(number: \"15\\u000039\") { name } }"), status: 200, code: "VALIDATION" },
        Case { name: "scalar for an input-object variable", request: post(json!({ "query": "query($f: MeasureFilter) { measures(first: 5, filter: $f) { totalCount } }", "variables": { "f": "TWVhc3VyZTp4" } }).to_string(), "application/json", None), status: 200, code: "GRAPHQL_VALIDATION_FAILED" },
        Case { name: "boolean for an input-object variable", request: post(json!({ "query": "query($f: PlanFilter) { plans(first: 5, filter: $f) { totalCount } }", "variables": { "f": true } }).to_string(), "application/json", None), status: 200, code: "GRAPHQL_VALIDATION_FAILED" },
        Case { name: "invalid UTF-8 body", request: post(vec![b'{', b'"', b'q', 0xff, 0xfe, b'"', b'}'], "application/json", None), status: 400, code: "BAD_REQUEST" },
        Case { name: "malformed JSON", request: post("{\"query\": ", "application/json", None), status: 400, code: "BAD_REQUEST" },
        Case { name: "batch array", request: post(r#"[{"query":"{ __typename }"},{"query":"{ __typename }"}]"#, "application/json", None), status: 400, code: "BAD_REQUEST" },
        Case { name: "deeply nested JSON variables", request: post(json!({ "query": "query($v: String) { __typename }", "variables": { "v": nested_json } }).to_string(), "application/json", None), status: 400, code: "BAD_REQUEST" },
        Case { name: "body over the limit", request: post(format!("{{\"query\":\"{{ __typename }}\",\"x\":\"{}\"}}", "a".repeat(300 * 1024)), "application/json", None), status: 413, code: "PAYLOAD_TOO_LARGE" },
        Case { name: "text/plain post (CSRF)", request: post(r#"{"query":"{ __typename }"}"#, "text/plain", None), status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
        Case { name: "form post (CSRF)", request: post("query=%7B__typename%7D", "application/x-www-form-urlencoded", None), status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
        Case { name: "mutation over GET", request: Request::get("/graphql?query=mutation%7BmeasureAdopt(input%3A%7Bsource%3A%22x%22%2Ckind%3AREFERENCE%7D)%7Brevision%7Bid%7D%7D%7D").body(Body::empty()).expect("request"), status: 405, code: "METHOD_NOT_ALLOWED" },
        Case { name: "forged token", request: post(r#"{"query":"{ __typename }"}"#, "application/json", Some("Bearer ogt_forged_secret")), status: 401, code: "UNAUTHENTICATED" },
        Case { name: "preview without a token", request: Request::post("/graphql").header("content-type", "application/json").header("x-preview", "true").body(Body::from(r#"{"query":"{ __typename }"}"#)).expect("request"), status: 401, code: "UNAUTHENTICATED" },
        Case { name: "anonymous mutation", request: query(r#"mutation { measureUnadopt(input: {source: "x"}) { revision { id } } }"#), status: 200, code: "UNAUTHENTICATED" },
        Case { name: "cross-tenant update", request: query_as("mutation($i: MeasureUpdateInput!) { measureUpdate(input: $i) { measure { id } } }", json!({ "i": { "id": moss_measure["id"], "version": moss_measure["version"], "title": "Kapret" } }), &rauma), status: 200, code: "FORBIDDEN" },
        Case { name: "huge string argument", request: query_as("mutation($i: MeasureUpdateInput!) { measureUpdate(input: $i) { measure { id } } }", json!({ "i": { "id": rauma_measure["id"], "version": rauma_measure["version"], "title": "x".repeat(100_000) } }), &rauma), status: 200, code: "VALIDATION" },
        Case { name: "not acceptable", request: Request::post("/graphql").header("content-type", "application/json").header("accept", "text/csv").body(Body::from(r#"{"query":"{ __typename }"}"#)).expect("request"), status: 406, code: "NOT_ACCEPTABLE" },
    ];
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let before = app.dump().await;
    let mut wrong = Vec::new();
    for case in cases {
        let response = common::router::call(&app.router, case.request).await;
        let status = response.status.as_u16();
        let body = response.json();
        let code = body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let text = response.text().to_lowercase();
        let leaks = [
            "select ", "sqlx", "sqlite", "postgres", "/work/", "/tmp/", "panicked",
        ]
        .iter()
        .any(|word| text.contains(word));
        if status != case.status || code != case.code || leaks || status >= 500 {
            wrong.push(format!(
                "{}: got {status} {code:?} (leaks: {leaks}), want {} {}",
                case.name, case.status, case.code
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "[{:?}]\n{}",
        app.backend,
        wrong.join("\n")
    );
    assert_eq!(
        app.dump().await,
        before,
        "a hostile request changed the database"
    );
}

on_both!(link_mutation_errors_name_the_real_input_field);
/// A link mutation given the id of the wrong type of node names its own input field (`input.measure`), not
/// a placeholder of the code that defines it.
async fn link_mutation_errors_name_the_real_input_field(app: &TestApp) {
    let rauma = app.token("editor", Some("1539")).await;
    let ids = app
        .gql(
            "{ themes(first: 1) { nodes { id } } units(first: 1) { nodes { id } } }",
            json!({}),
        )
        .await;
    let theme = ids["data"]["themes"]["nodes"][0]["id"].clone();
    let unit = ids["data"]["units"]["nodes"][0]["id"].clone();
    assert!(theme.is_string() && unit.is_string(), "{ids}");
    let before = app.dump().await;
    let body = app
        .gql_as(
            Some(&rauma),
            "mutation($i: MeasureLinkUnitInput!) { measureLinkUnit(input: $i) { measure { id } } }",
            json!({ "i": { "measure": theme, "unit": unit, "role": "LEAD" } }),
        )
        .await;
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "VALIDATION", "{body}");
    assert_eq!(error["extensions"]["field"], "input.measure", "{body}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("input.measure:") && !message.contains('$'),
        "{message}"
    );
    assert_eq!(
        app.dump().await,
        before,
        "a refused link changed the database"
    );
}
