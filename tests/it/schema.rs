//! `schema.graphql` is generated from the code: a test fails when they differ, and every type, field,
//! argument, input field and enum value has a description.

use serde_json::Value;

#[test]
fn checked_in_schema_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let on_disk = std::fs::read_to_string(&path).expect("schema.graphql is checked in");
    let generated = oppvekstgraf_api::sdl();
    assert!(
        on_disk == generated,
        "schema.graphql differs from the schema the code builds; regenerate it with `cargo run -- schema > schema.graphql`"
    );
}

const INTROSPECTION: &str = r#"{ __schema { types { name kind description
    fields(includeDeprecated: true) { name description args { name description } }
    inputFields { name description }
    enumValues(includeDeprecated: true) { name description } } } }"#;

#[tokio::test]
async fn everything_has_a_description() {
    let response = oppvekstgraf_api::schema(None).execute(INTROSPECTION).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().expect("json");
    let mut missing = Vec::new();
    let described = |v: &Value| {
        v["description"]
            .as_str()
            .is_some_and(|d| !d.trim().is_empty())
    };
    for ty in data["__schema"]["types"].as_array().expect("types") {
        let name = ty["name"].as_str().unwrap_or_default();
        // GraphQL's own introspection types and built-in scalars are described by the specification.
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if !described(ty) {
            missing.push(name.to_string());
        }
        for field in ty["fields"].as_array().into_iter().flatten() {
            let field_name = field["name"].as_str().unwrap_or_default();
            if !described(field) {
                missing.push(format!("{name}.{field_name}"));
            }
            for arg in field["args"].as_array().into_iter().flatten() {
                if !described(arg) {
                    missing.push(format!(
                        "{name}.{field_name}({})",
                        arg["name"].as_str().unwrap_or_default()
                    ));
                }
            }
        }
        for list in ["inputFields", "enumValues"] {
            for item in ty[list].as_array().into_iter().flatten() {
                if !described(item) {
                    missing.push(format!(
                        "{name}.{}",
                        item["name"].as_str().unwrap_or_default()
                    ));
                }
            }
        }
    }
    assert!(missing.is_empty(), "without a description: {missing:#?}");
}
