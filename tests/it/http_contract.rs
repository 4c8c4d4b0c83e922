//! The HTTP contract of `/graphql` (GraphQL over HTTP): GET for queries only, POST for JSON only, `Accept`
//! negotiation and the status codes of each media type, the body limit, CORS, the security headers, and the
//! request id in every error.

use crate::common;

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Request, StatusCode},
};
use http_body_util::BodyExt;
use oppvekstgraf_api::{config::HttpConfig, http::middleware::API_CSP};
use serde_json::{Value, json};
use tower::ServiceExt;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

/// What came back.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
    /// The body as JSON (Null when it is not JSON).
    json: Value,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    fn content_type(&self) -> &str {
        self.header("content-type")
    }

    fn request_id(&self) -> &str {
        let id = self.header("x-request-id");
        assert!(!id.is_empty(), "every response has a request id");
        id
    }

    /// The one-error body a refusal has: `message`, `code` and this response's request id.
    fn assert_refusal(&self, status: StatusCode, code: &str, message: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.json,
            json!({ "errors": [{
                "message": message,
                "extensions": { "code": code, "requestId": self.request_id() },
            }] }),
            "{}",
            self.text
        );
    }
}

async fn call(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    let mut json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    // The cost report (tested in tests/it/limits.rs) is left out so bodies compare exactly.
    if let Some(extensions) = json.get_mut("extensions").and_then(Value::as_object_mut)
        && extensions.remove("cost").is_some()
    {
        if extensions.is_empty()
            && let Some(object) = json.as_object_mut()
        {
            object.remove("extensions");
        }
        text = json.to_string();
    }
    Reply {
        status,
        headers,
        text,
        json,
    }
}

/// A POST to `/graphql` with these headers and body.
fn post(headers: &[(&str, &str)], body: impl Into<Body>) -> Request<Body> {
    let mut request = Request::post("/graphql");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(body.into()).expect("request")
}

/// A GET of `/graphql` with these parameters (percent-encoded here) and headers.
fn get(params: &[(&str, &str)], headers: &[(&str, &str)]) -> Request<Body> {
    let query: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect();
    let mut request = Request::get(format!("/graphql?{}", query.join("&")));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::empty()).expect("request")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn body(query: &str, variables: Value) -> String {
    json!({ "query": query, "variables": variables }).to_string()
}

const RAUMA: &str = r#"{ municipality(number: "1539") { name } }"#;
const THEME_CREATE: &str =
    "mutation($input: ThemeCreateInput!) { themeCreate(input: $input) { theme { slug } } }";
const THEME_CREATE_INLINE: &str =
    r#"mutation Create { themeCreate(input: { label: "Skolevegring" }) { theme { slug } } }"#;

on_both!(get_runs_queries);
async fn get_runs_queries(app: &common::TestApp) {
    let reply = call(
        &app.router,
        get(
            &[("query", RAUMA)],
            &[("accept", "application/graphql-response+json")],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.content_type(), GRAPHQL_RESPONSE);
    assert_eq!(reply.text, r#"{"data":{"municipality":{"name":"Rauma"}}}"#);

    // Variables (as JSON text) and the operation name come from the query string too.
    let reply = call(
        &app.router,
        get(
            &[
                (
                    "query",
                    "query A { __typename } query B($n: String!) { municipality(number: $n) { name } }",
                ),
                ("operationName", "B"),
                ("variables", r#"{"n":"1539"}"#),
            ],
            &[("accept", "application/json")],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.content_type(), JSON);
    assert_eq!(reply.text, r#"{"data":{"municipality":{"name":"Rauma"}}}"#);

    // No query at all, or variables that are not an object: 400.
    let reply = call(&app.router, get(&[], &[("accept", "application/json")])).await;
    reply.assert_refusal(
        StatusCode::BAD_REQUEST,
        "BAD_REQUEST",
        "`query` is missing: send the GraphQL document as `query`",
    );
    let reply = call(
        &app.router,
        get(&[("query", RAUMA), ("variables", "[1]")], &[]),
    )
    .await;
    reply.assert_refusal(
        StatusCode::BAD_REQUEST,
        "BAD_REQUEST",
        "`variables` must be a JSON object or null",
    );
    assert_eq!(reply.content_type(), GRAPHQL_RESPONSE);
}

on_both!(get_never_runs_mutations);
async fn get_never_runs_mutations(app: &common::TestApp) {
    let admin = app.token("admin", None).await;
    let bearer = format!("Bearer {admin}");
    let auth = [("authorization", bearer.as_str())];
    let before = app.dump().await;
    let variables = json!({ "input": { "label": "Skolevegring" } }).to_string();
    for params in [
        vec![("query", THEME_CREATE), ("variables", variables.as_str())],
        vec![("query", THEME_CREATE_INLINE)],
        // The mutation chosen among several operations by name.
        vec![
            (
                "query",
                "query Read { __typename } mutation Create { themeCreate(input: { label: \"Skolevegring\" }) { theme { slug } } }",
            ),
            ("operationName", "Create"),
        ],
    ] {
        for accept in ["application/graphql-response+json", "application/json"] {
            let headers = [auth[0], ("accept", accept)];
            let reply = call(&app.router, get(&params, &headers)).await;
            reply.assert_refusal(
                StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                "mutations are accepted over POST only; send this request as a POST with a JSON body",
            );
            assert_eq!(reply.header("allow"), "POST");
            assert_eq!(app.dump().await, before, "{params:?}: nothing written");
        }
    }
    // The query of a document that also holds a mutation runs.
    let reply = call(
        &app.router,
        get(
            &[
                (
                    "query",
                    "query Read { __typename } mutation Create { __typename }",
                ),
                ("operationName", "Read"),
            ],
            &auth,
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.text, r#"{"data":{"__typename":"QueryRoot"}}"#);

    // The same mutation over POST does write: the refusals above are what kept the database unchanged.
    let reply = call(
        &app.router,
        post(
            &[auth[0], ("content-type", "application/json")],
            json!({ "query": THEME_CREATE_INLINE }).to_string(),
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        reply.json,
        json!({ "data": { "themeCreate": { "theme": { "slug": "skolevegring" } } } })
    );
    assert_ne!(app.dump().await, before);
}

on_both!(post_accepts_json_only);
async fn post_accepts_json_only(app: &common::TestApp) {
    let admin = app.token("admin", None).await;
    let bearer = format!("Bearer {admin}");
    let mutation = json!({ "query": THEME_CREATE_INLINE }).to_string();
    let before = app.dump().await;
    let form = format!("query={}", encode(THEME_CREATE_INLINE));
    let multipart = format!(
        "--x\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{mutation}\r\n--x--\r\n"
    );
    for (content_type, body, message) in [
        (
            Some("text/plain"),
            mutation.clone(),
            r#"the Content-Type "text/plain" is not accepted"#,
        ),
        (
            Some("text/plain;charset=UTF-8"),
            mutation.clone(),
            r#"the Content-Type "text/plain" is not accepted"#,
        ),
        (
            Some("application/x-www-form-urlencoded"),
            form,
            r#"the Content-Type "application/x-www-form-urlencoded" is not accepted"#,
        ),
        (
            Some("multipart/form-data; boundary=x"),
            multipart,
            r#"the Content-Type "multipart/form-data" is not accepted"#,
        ),
        (
            Some("application/graphql"),
            THEME_CREATE_INLINE.to_string(),
            r#"the Content-Type "application/graphql" is not accepted"#,
        ),
        (
            Some("application/json; charset=iso-8859-1"),
            mutation.clone(),
            r#"the charset "iso-8859-1" is not accepted (UTF-8 only)"#,
        ),
        (None, mutation.clone(), "the request has no Content-Type"),
    ] {
        let mut headers = vec![("authorization", bearer.as_str())];
        if let Some(content_type) = content_type {
            headers.push(("content-type", content_type));
        }
        let reply = call(&app.router, post(&headers, body)).await;
        reply.assert_refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            &format!("{message}: send the request as JSON with `Content-Type: application/json`"),
        );
        assert_eq!(reply.content_type(), GRAPHQL_RESPONSE);
        assert_eq!(
            app.dump().await,
            before,
            "{content_type:?}: nothing written"
        );
    }
    // `application/json` with or without a UTF-8 charset is the way in.
    for content_type in ["application/json", "Application/JSON; charset=\"UTF-8\""] {
        let reply = call(
            &app.router,
            post(&[("content-type", content_type)], body(RAUMA, json!({}))),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{content_type}");
        assert_eq!(reply.text, r#"{"data":{"municipality":{"name":"Rauma"}}}"#);
    }
}

on_both!(malformed_bodies_are_400, empty);
async fn malformed_bodies_are_400(app: &common::TestApp) {
    for (accept, content_type) in [
        ("application/graphql-response+json", GRAPHQL_RESPONSE),
        ("application/json", JSON),
    ] {
        for (body, message) in [
            (
                r#"{ "not a JSON"#,
                "the request body is not valid JSON: EOF while parsing a string at line 1 column 13",
            ),
            (
                "",
                "the request body is empty; send a JSON object with a `query` string",
            ),
            (
                r#"[{"query":"{ __typename }"}]"#,
                "batched requests are not supported: send one JSON object with a `query` string per request",
            ),
            (
                r#""{ __typename }""#,
                "the request body must be a JSON object with a `query` string",
            ),
            (
                r#"{"qeury":"{ __typename }"}"#,
                "`query` is missing: send the GraphQL document as `query`",
            ),
            (r#"{"query":{"a":1}}"#, "`query` must be a string"),
            (
                r#"{"query":"{ __typename }","operationName":0}"#,
                "`operationName` must be a string or null",
            ),
            (
                r#"{"query":"{ __typename }","variables":"{}"}"#,
                "`variables` must be a JSON object or null",
            ),
            (
                r#"{"query":"{ __typename }","extensions":[]}"#,
                "`extensions` must be a JSON object or null",
            ),
        ] {
            let reply = call(
                &app.router,
                post(
                    &[("content-type", "application/json"), ("accept", accept)],
                    body,
                ),
            )
            .await;
            reply.assert_refusal(StatusCode::BAD_REQUEST, "BAD_REQUEST", message);
            assert_eq!(reply.content_type(), content_type, "{body}");
        }
    }
    // `null` is the same as absent.
    let reply = call(
        &app.router,
        post(
            &[("content-type", "application/json")],
            r#"{"query":"{ __typename }","operationName":null,"variables":null,"extensions":null}"#,
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.text, r#"{"data":{"__typename":"QueryRoot"}}"#);
}

on_both!(accept_negotiation, empty);
async fn accept_negotiation(app: &common::TestApp) {
    let query = body("{ __typename }", json!({}));
    for (accept, content_type) in [
        (Some("application/graphql-response+json"), GRAPHQL_RESPONSE),
        (Some("application/json"), JSON),
        (
            Some("application/graphql-response+json, application/json;q=0.9"),
            GRAPHQL_RESPONSE,
        ),
        (
            Some("application/graphql-response+json;q=0.5, application/json"),
            JSON,
        ),
        // The console's fetcher.
        (Some("application/json, multipart/mixed"), JSON),
        (Some("*/*"), GRAPHQL_RESPONSE),
        (Some("application/*"), GRAPHQL_RESPONSE),
        (None, GRAPHQL_RESPONSE),
    ] {
        let mut headers = vec![("content-type", "application/json")];
        headers.extend(accept.map(|accept| ("accept", accept)));
        let reply = call(&app.router, post(&headers, query.clone())).await;
        assert_eq!(reply.status, StatusCode::OK, "{accept:?}");
        assert_eq!(reply.content_type(), content_type, "{accept:?}");
        assert_eq!(reply.text, r#"{"data":{"__typename":"QueryRoot"}}"#);
    }
    // Neither media type acceptable: 406, answered in plain application/json.
    for accept in ["text/plain", "application/xml", "application/json;q=0"] {
        let reply = call(
            &app.router,
            post(
                &[("content-type", "application/json"), ("accept", accept)],
                query.clone(),
            ),
        )
        .await;
        reply.assert_refusal(
            StatusCode::NOT_ACCEPTABLE,
            "NOT_ACCEPTABLE",
            "the Accept header allows neither application/graphql-response+json nor application/json",
        );
        assert_eq!(reply.content_type(), JSON);
        let reply = call(
            &app.router,
            get(&[("query", "{ __typename }")], &[("accept", accept)]),
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_ACCEPTABLE, "GET {accept}");
    }
    // A browser asking for HTML still gets the console.
    let reply = call(
        &app.router,
        get(
            &[],
            &[(
                "accept",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            )],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type().starts_with("text/html"));
}

on_both!(request_errors_and_status_codes);
async fn request_errors_and_status_codes(app: &common::TestApp) {
    // Requests that fail before execution: a document that does not parse, one that does not validate,
    // variables that do not coerce, an unknown operation name.
    let failing = [
        (body("{", json!({})), "GRAPHQL_VALIDATION_FAILED"),
        (
            body("{ 8f31403dfe404bccbb0e835f2629c6a7 }", json!({})),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            body(
                "query($n: String!) { municipality(number: $n) { name } }",
                json!({ "n": null }),
            ),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            body(
                "query($n: String!) { municipality(number: $n) { name } }",
                json!({}),
            ),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            body(
                "query($n: String!) { municipality(number: $n) { name } }",
                json!({ "n": 1539 }),
            ),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            json!({ "query": "query A { __typename }", "operationName": "B" }).to_string(),
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ];
    for (media, status, content_type) in [
        (
            "application/graphql-response+json",
            StatusCode::BAD_REQUEST,
            GRAPHQL_RESPONSE,
        ),
        ("application/json", StatusCode::OK, JSON),
    ] {
        for (request, code) in &failing {
            let reply = call(
                &app.router,
                post(
                    &[("content-type", "application/json"), ("accept", media)],
                    request.clone(),
                ),
            )
            .await;
            assert_eq!(reply.status, status, "{media} {request}: {}", reply.text);
            assert_eq!(reply.content_type(), content_type);
            let object = reply.json.as_object().expect("an object");
            assert!(
                !object.contains_key("data"),
                "no data entry before execution: {}",
                reply.text
            );
            let errors = reply.json["errors"].as_array().expect("errors");
            assert!(!errors.is_empty());
            for error in errors {
                assert_eq!(error["extensions"]["code"], *code, "{}", reply.text);
                assert_eq!(error["extensions"]["requestId"], reply.request_id());
            }
        }
    }
    // Once execution began, the status is 200 whatever the errors: a field error keeps the data entry.
    for media in ["application/graphql-response+json", "application/json"] {
        let reply = call(
            &app.router,
            post(
                &[("content-type", "application/json"), ("accept", media)],
                body(
                    r#"{ ok: municipality(number: "1539") { name } bad: measures(first: 1000) { totalCount } }"#,
                    json!({}),
                ),
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{media}: {}", reply.text);
        assert_eq!(reply.json["data"]["ok"]["name"], "Rauma", "{}", reply.text);
        assert_eq!(reply.json["errors"][0]["extensions"]["code"], "VALIDATION");
        assert_eq!(
            reply.json["errors"][0]["extensions"]["requestId"],
            reply.request_id()
        );
    }
    // An invalid token is 401 under either media type, with WWW-Authenticate and nothing run.
    for (media, content_type) in [
        ("application/graphql-response+json", GRAPHQL_RESPONSE),
        ("application/json", JSON),
    ] {
        let reply = call(
            &app.router,
            post(
                &[
                    ("content-type", "application/json"),
                    ("accept", media),
                    ("authorization", "Bearer nonsense"),
                ],
                body(RAUMA, json!({})),
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.content_type(), content_type);
        assert_eq!(reply.header("www-authenticate"), "Bearer");
        assert_eq!(
            reply.json["errors"][0]["extensions"]["code"],
            "UNAUTHENTICATED"
        );
        assert_eq!(
            reply.json["errors"][0]["extensions"]["requestId"],
            reply.request_id()
        );
        assert!(reply.json.get("data").is_none());
    }
}

on_both!(bodies_over_the_limit_are_413);
async fn bodies_over_the_limit_are_413(app: &common::TestApp) {
    const LIMIT: usize = 256 * 1024;
    assert_eq!(HttpConfig::default().max_body_bytes, LIMIT);
    let admin = app.token("admin", None).await;
    let bearer = format!("Bearer {admin}");
    // A JSON body of exactly `size` bytes: a mutation padded with spaces.
    let padded = |size: usize| {
        let mut text = json!({ "query": THEME_CREATE_INLINE }).to_string();
        text.pop();
        let padding = size - text.len() - 1;
        text.push_str(&" ".repeat(padding));
        text.push('}');
        assert_eq!(text.len(), size);
        text
    };
    let before = app.dump().await;
    let message = format!("the request body is larger than the limit of {LIMIT} bytes");
    let oversized = padded(LIMIT + 1);

    // Announced by Content-Length: refused before a byte is read.
    let length = oversized.len().to_string();
    let reply = call(
        &app.router,
        post(
            &[
                ("content-type", "application/json"),
                ("content-length", &length),
                ("authorization", &bearer),
            ],
            oversized.clone(),
        ),
    )
    .await;
    reply.assert_refusal(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", &message);
    assert_eq!(reply.content_type(), GRAPHQL_RESPONSE);

    // Chunked, with no Content-Length: cut off where it passes the limit.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = oversized
        .as_bytes()
        .chunks(16 * 1024)
        .map(|chunk| Ok(chunk.to_vec()))
        .collect();
    let reply = call(
        &app.router,
        post(
            &[
                ("content-type", "application/json"),
                ("accept", "application/json"),
                ("authorization", &bearer),
            ],
            Body::from_stream(futures_util::stream::iter(chunks)),
        ),
    )
    .await;
    reply.assert_refusal(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", &message);
    assert_eq!(reply.content_type(), JSON);
    assert_eq!(app.dump().await, before, "nothing written");

    // Exactly the limit is accepted (and the mutation in it runs).
    let reply = call(
        &app.router,
        post(
            &[
                ("content-type", "application/json"),
                ("authorization", &bearer),
            ],
            padded(LIMIT),
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        reply.json["data"]["themeCreate"]["theme"]["slug"],
        "skolevegring"
    );

    // The limit is a setting.
    let small = oppvekstgraf_api::app(app.state.clone().with_http(HttpConfig {
        max_body_bytes: 100,
        ..HttpConfig::default()
    }));
    let reply = call(
        &small,
        post(&[("content-type", "application/json")], padded(101)),
    )
    .await;
    reply.assert_refusal(
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
        "the request body is larger than the limit of 100 bytes",
    );
    let reply = call(
        &small,
        post(
            &[("content-type", "application/json")],
            body("{ __typename }", json!({})),
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

fn preflight(origin: &str, headers: &str) -> Request<Body> {
    Request::options("/graphql")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", headers)
        .body(Body::empty())
        .expect("request")
}

on_both!(cors_allow_list, empty);
async fn cors_allow_list(app: &common::TestApp) {
    const ALLOWED: &str = "https://oppvekst.kommune.example";
    let router = oppvekstgraf_api::app(app.state.clone().with_http(HttpConfig {
        cors_allowed_origins: vec![ALLOWED.into()],
        ..HttpConfig::default()
    }));

    let reply = call(
        &router,
        preflight(ALLOWED, "authorization, content-type, x-preview"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("access-control-allow-origin"), ALLOWED);
    assert_eq!(reply.header("access-control-allow-methods"), "GET,POST");
    assert_eq!(
        reply.header("access-control-allow-headers"),
        "authorization,content-type,x-preview"
    );
    assert_eq!(reply.header("access-control-max-age"), "3600");
    assert!(reply.header("vary").contains("origin"));
    assert!(
        reply
            .headers
            .get("access-control-allow-credentials")
            .is_none()
    );

    // Another origin gets no CORS headers: the browser refuses to send the request.
    let reply = call(
        &router,
        preflight("https://evil.example", "authorization, content-type"),
    )
    .await;
    assert!(
        reply.headers.get("access-control-allow-origin").is_none(),
        "{:?}",
        reply.headers
    );

    // The request itself: the allowed origin may read the response and its request id.
    let request = Request::post("/graphql")
        .header("origin", ALLOWED)
        .header("content-type", "application/json")
        .body(Body::from(body("{ __typename }", json!({}))))
        .expect("request");
    let reply = call(&router, request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("access-control-allow-origin"), ALLOWED);
    assert_eq!(
        reply.header("access-control-expose-headers"),
        "x-request-id"
    );

    // `*`: any origin, anonymous reads only (no Authorization, no x-preview).
    let anyone = oppvekstgraf_api::app(app.state.clone().with_http(HttpConfig {
        cors_allowed_origins: vec!["*".into()],
        ..HttpConfig::default()
    }));
    let reply = call(&anyone, preflight("https://anyone.example", "content-type")).await;
    assert_eq!(reply.header("access-control-allow-origin"), "*");
    assert_eq!(reply.header("access-control-allow-headers"), "content-type");

    // The default: no origins, no CORS headers at all.
    let reply = call(&app.router, preflight(ALLOWED, "content-type")).await;
    assert!(reply.headers.get("access-control-allow-origin").is_none());
    let request = Request::post("/graphql")
        .header("origin", ALLOWED)
        .header("content-type", "application/json")
        .body(Body::from(body("{ __typename }", json!({}))))
        .expect("request");
    let reply = call(&app.router, request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.headers.get("access-control-allow-origin").is_none());
}

on_both!(security_headers_everywhere);
async fn security_headers_everywhere(app: &common::TestApp) {
    let requests = || {
        [
            post(
                &[("content-type", "application/json")],
                body(RAUMA, json!({})),
            ),
            post(&[("content-type", "text/plain")], "x"),
            get(&[("query", "{ __typename }")], &[]),
            Request::get("/healthz")
                .body(Body::empty())
                .expect("request"),
            Request::get("/ld/municipality/00000000-0000-0000-0000-000000000000")
                .body(Body::empty())
                .expect("request"),
            Request::get("/no-such-route")
                .body(Body::empty())
                .expect("request"),
        ]
    };
    for request in requests() {
        let uri = request.uri().clone();
        let reply = call(&app.router, request).await;
        assert_eq!(reply.header("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(reply.header("referrer-policy"), "no-referrer", "{uri}");
        assert_eq!(reply.header("x-frame-options"), "DENY", "{uri}");
        assert_eq!(reply.header("content-security-policy"), API_CSP, "{uri}");
        assert!(reply.headers.get("strict-transport-security").is_none());
        reply.request_id();
    }
    // The console keeps its own policy.
    for uri in ["/graphiql", "/graphql"] {
        let request = Request::get(uri)
            .header("accept", "text/html")
            .body(Body::empty())
            .expect("request");
        let reply = call(&app.router, request).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(
            reply.header("content-security-policy"),
            oppvekstgraf_api::console::CSP
        );
        assert_eq!(reply.header("x-frame-options"), "DENY");
    }
    // HSTS when the server is public over https.
    let public = oppvekstgraf_api::app(
        app.state
            .clone()
            .with_public_url(Some("https://oppvekst.example.no".into())),
    );
    for request in requests() {
        let reply = call(&public, request).await;
        assert_eq!(
            reply.header("strict-transport-security"),
            "max-age=31536000"
        );
    }
}

on_both!(request_id_in_every_error);
async fn request_id_in_every_error(app: &common::TestApp) {
    let errors = || {
        [
            // A document that does not validate.
            post(
                &[("content-type", "application/json")],
                body("{ nope }", json!({})),
            ),
            // A field error during execution.
            post(
                &[("content-type", "application/json")],
                body("{ measures(first: 1000) { totalCount } }", json!({})),
            ),
            // A bad token, a bad body, a bad media type, a mutation over GET, an unknown linked-data node.
            post(
                &[
                    ("content-type", "application/json"),
                    ("authorization", "Bearer nonsense"),
                ],
                body(RAUMA, json!({})),
            ),
            post(&[("content-type", "application/json")], "{"),
            post(&[("content-type", "text/plain")], "{}"),
            get(&[("query", "mutation { __typename }")], &[]),
            Request::get("/ld/municipality/00000000-0000-0000-0000-000000000000")
                .body(Body::empty())
                .expect("request"),
        ]
    };
    for request in errors() {
        let uri = request.uri().clone();
        let reply = call(&app.router, request).await;
        let id = reply.request_id();
        let errors = reply.json["errors"].as_array().expect("errors");
        assert!(!errors.is_empty(), "{uri}: {}", reply.text);
        for error in errors {
            assert_eq!(
                error["extensions"]["requestId"], id,
                "{uri}: {}",
                reply.text
            );
            assert!(error["extensions"]["code"].is_string(), "{}", reply.text);
        }
    }
    // A client's own request id is kept, in the header and in the errors.
    for mut request in errors() {
        request.headers_mut().insert(
            "x-request-id",
            "client-chosen-id-42".parse().expect("header"),
        );
        let reply = call(&app.router, request).await;
        assert_eq!(reply.request_id(), "client-chosen-id-42");
        assert_eq!(
            reply.json["errors"][0]["extensions"]["requestId"],
            "client-chosen-id-42"
        );
    }
}

on_both!(the_editing_api_still_works);
async fn the_editing_api_still_works(app: &common::TestApp) {
    // A token and the preview header over POST, asking for the new media type.
    let editor = app.token("editor", Some("1539")).await;
    let (status, response) = app
        .gql_with(
            &[
                ("authorization", &format!("Bearer {editor}")),
                ("x-preview", "true"),
                ("accept", "application/graphql-response+json"),
            ],
            "{ plans { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{response}");
    assert!(response["data"]["plans"]["totalCount"].as_i64() > Some(0));
}
