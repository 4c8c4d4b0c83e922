//! Sharing between municipalities: adoption by reference and by copy, provenance, `reusedBy`, upstream
//! changes (diff, accept, dismiss), archived sources, each owner's adoption of a joint plan, and the queries
//! across municipalities.

mod copy;
mod plans;
mod queries;
mod reference;

use crate::common;

use common::{Caller, TestApp, ok, preview, who};
use serde_json::{Value, json};

const MOSS_MEASURE: &str = "moss-samlet-oversikt-over-forebyggende-tiltak";
const RAUMA_PLAN: &str = "rauma-handlingsdel-oppvekstplan-2023-2033";
const JOINT_PLAN: &str = "mosseregionen-handlingsplan-vold-i-naere-relasjoner-2022-2025";

const ADOPT: &str = "mutation($input: MeasureAdoptInput!) { measureAdopt(input: $input) {
    measure { id slug title status version municipality { number } plan { slug }
      legalReferences { totalCount } themes { totalCount } units { totalCount } }
    adoption { sourceType sourceId sourceVersion adoptedBy municipality { number } }
    derivation { sourceId sourceVersion mode copiedBy upstreamVersion upstreamChanged
      sourceMunicipality { number } source { id } }
    revision { action nodeType detail } } }";

/// Runs `query` expecting one error with `code` (and `field`, for VALIDATION); checks nothing was written.
async fn refused(
    by: &Caller<'_>,
    query: &str,
    variables: Value,
    code: &str,
    field: impl Into<Option<&str>>,
) {
    let app = by.app;
    let before = app.dump().await;
    let response = by.gql(query, variables.clone()).await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"], code,
        "[{:?}] {variables}\n{response:#}",
        app.backend
    );
    if let Some(field) = field.into() {
        assert_eq!(
            response["errors"][0]["extensions"]["field"], field,
            "{response:#}"
        );
    }
    assert_eq!(
        app.dump().await,
        before,
        "a refused mutation wrote something"
    );
}

/// `(id, version)` of the published `measure` or `plan` with this slug.
async fn lookup(app: &TestApp, field: &str, slug: &str) -> (String, i64) {
    let query = format!("query($s: String) {{ {field}(slug: $s) {{ id version }} }}");
    let data = ok(&Caller::anonymous(app), &query, json!({ "s": slug })).await;
    (
        data[field]["id"].as_str().expect("id").to_string(),
        data[field]["version"].as_i64().expect("version"),
    )
}

async fn measure(app: &TestApp, slug: &str) -> (String, i64) {
    lookup(app, "measure", slug).await
}

async fn plan(app: &TestApp, slug: &str) -> (String, i64) {
    lookup(app, "plan", slug).await
}
