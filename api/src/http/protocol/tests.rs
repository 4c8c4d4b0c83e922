use super::*;

fn accept(value: Option<&str>) -> Option<Media> {
    let mut headers = HeaderMap::new();
    if let Some(value) = value {
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_str(value).expect("header"),
        );
    }
    Media::negotiate(&headers)
}

#[test]
fn accept_negotiation() {
    use Media::*;
    assert_eq!(accept(None), Some(GraphQLResponseJson));
    assert_eq!(accept(Some("*/*")), Some(GraphQLResponseJson));
    assert_eq!(accept(Some("application/*")), Some(GraphQLResponseJson));
    assert_eq!(accept(Some("application/json")), Some(Json));
    assert_eq!(
        accept(Some("application/json, multipart/mixed")),
        Some(Json)
    );
    assert_eq!(
        accept(Some(
            "application/graphql-response+json, application/json;q=0.9"
        )),
        Some(GraphQLResponseJson)
    );
    assert_eq!(
        accept(Some(
            "application/graphql-response+json;q=0.5, application/json"
        )),
        Some(Json)
    );
    assert_eq!(accept(Some("application/json, */*;q=0.1")), Some(Json));
    assert_eq!(
        accept(Some("APPLICATION/GRAPHQL-RESPONSE+JSON; charset=utf-8")),
        Some(GraphQLResponseJson)
    );
    assert_eq!(accept(Some("text/plain")), None);
    assert_eq!(accept(Some("application/json;q=0")), None);
    assert_eq!(
        accept(Some("*/*, application/graphql-response+json;q=0")),
        Some(Json)
    );
}

#[test]
fn body_shapes() {
    let bad = |body: &str| from_json_body(body.as_bytes()).is_err();
    assert!(bad(""));
    assert!(bad("{ \"not a JSON"));
    assert!(bad("[{\"query\":\"{ __typename }\"}]"));
    assert!(bad("{\"notquery\":\"{ __typename }\"}"));
    assert!(bad("{\"query\":0}"));
    assert!(bad("{\"query\":\"{ a }\",\"variables\":\"x\"}"));
    assert!(bad("{\"query\":\"{ a }\",\"extensions\":[]}"));
    assert!(bad("{\"query\":\"{ a }\",\"operationName\":false}"));
    let request = from_json_body(
        br#"{"query":"query Q($a: Int) { a }","operationName":"Q","variables":{"a":1},"extensions":null}"#,
    )
    .expect("request");
    assert_eq!(request.operation_name.as_deref(), Some("Q"));
}

#[test]
fn mutations_are_found() {
    let get = |query: &str, name: Option<&str>| {
        let mut request = async_graphql::Request::new(query);
        request.operation_name = name.map(str::to_string);
        selects_mutation(&mut request)
    };
    assert!(get("mutation { a }", None));
    assert!(get("mutation M { a }", None));
    assert!(get("query Q { a } mutation M { a }", Some("M")));
    assert!(!get("query Q { a } mutation M { a }", Some("Q")));
    assert!(!get("query Q { a } mutation M { a }", None));
    assert!(!get("{ a }", None));
    assert!(!get("mutation {", None));
}

#[test]
fn non_null_variables_are_required() {
    let check = |query: &str, variables: serde_json::Value| {
        let mut request = async_graphql::Request::new(query)
            .variables(async_graphql::Variables::from_json(variables));
        check_variables(&mut request)
            .map_err(|errors| errors.into_iter().map(|e| e.message).collect::<Vec<_>>())
    };
    let query = "query($a: String!, $b: Int! = 3, $c: ID) { a }";
    assert_eq!(check(query, serde_json::json!({ "a": "x" })), Ok(()));
    assert_eq!(
        check(query, serde_json::json!({ "b": null, "c": null })),
        Err(vec![
            "Variable \"$a\" of required type \"String!\" was not provided".to_string(),
            "Variable \"$b\" of non-null type \"Int!\" must not be null".to_string(),
        ])
    );
    assert_eq!(check("{ a", serde_json::json!({})), Ok(()));
}
