//! Sharing between municipalities: adoption by reference and by copy, provenance, `reusedBy`, upstream
//! changes (diff, accept, dismiss), archived sources, each owner's adoption of a joint plan, and the queries
//! across municipalities.

use crate::common;

use common::TestApp;
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

struct Who {
    moss: String,
    rade: String,
    rauma: String,
    admin: String,
}

async fn who(app: &TestApp) -> Who {
    Who {
        moss: app.token("editor", Some("3103")).await,
        rade: app.token("editor", Some("3112")).await,
        rauma: app.token("editor", Some("1539")).await,
        admin: app.token("admin", None).await,
    }
}

async fn ok(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Value {
    let response = app.gql_as(token, query, variables).await;
    assert!(
        response.get("errors").is_none(),
        "[{:?}] {query}\n{response:#}",
        app.backend
    );
    response["data"].clone()
}

async fn preview(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let auth = format!("Bearer {token}");
    let (_, body) = app
        .gql_with(
            &[("authorization", &auth), ("x-preview", "true")],
            query,
            variables,
        )
        .await;
    assert!(
        body.get("errors").is_none(),
        "[{:?}] {query}\n{body:#}",
        app.backend
    );
    body["data"].clone()
}

/// Runs `query` expecting one error with `code` (and `field`, for VALIDATION); checks nothing was written.
async fn refused(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
    code: &str,
    field: Option<&str>,
) {
    let before = app.dump().await;
    let response = app.gql_as(token, query, variables.clone()).await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"], code,
        "[{:?}] {variables}\n{response:#}",
        app.backend
    );
    if let Some(field) = field {
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

async fn measure(app: &TestApp, slug: &str) -> (String, i64) {
    let data = ok(
        app,
        None,
        "query($s: String) { measure(slug: $s) { id version } }",
        json!({ "s": slug }),
    )
    .await;
    (
        data["measure"]["id"].as_str().expect("id").to_string(),
        data["measure"]["version"].as_i64().expect("version"),
    )
}

async fn plan(app: &TestApp, slug: &str) -> (String, i64) {
    let data = ok(
        app,
        None,
        "query($s: String) { plan(slug: $s) { id version } }",
        json!({ "s": slug }),
    )
    .await;
    (
        data["plan"]["id"].as_str().expect("id").to_string(),
        data["plan"]["version"].as_i64().expect("version"),
    )
}

const RADE_MEASURES: &str = "query($all: Boolean!) { municipality(number: \"3112\") {
    measures(includeAdopted: $all) { totalCount nodes { slug status municipality { number } } }
    adoptions { sourceType sourceVersion adoptedBy sourceStatus source { id ... on Measure { title status } } } } }";

on_both!(adopting_by_reference);
async fn adopting_by_reference(app: &TestApp) {
    let w = who(app).await;
    let (source, version) = measure(app, MOSS_MEASURE).await;
    let input = |extra: Value| {
        let mut input = json!({ "source": source, "kind": "REFERENCE" });
        if let (Some(map), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
            map.extend(extra.clone());
        }
        json!({ "input": input })
    };
    // Refusals, each writing nothing.
    refused(app, None, ADOPT, input(json!({})), "UNAUTHENTICATED", None).await;
    refused(
        app,
        Some(&w.moss),
        ADOPT,
        input(json!({})),
        "VALIDATION",
        Some("input.source"),
    )
    .await;
    refused(
        app,
        Some(&w.rade),
        ADOPT,
        input(json!({ "mode": "ADAPTED" })),
        "VALIDATION",
        Some("input.mode"),
    )
    .await;
    refused(
        app,
        Some(&w.admin),
        ADOPT,
        input(json!({})),
        "VALIDATION",
        Some("input.municipality"),
    )
    .await;

    let adopted = ok(app, Some(&w.rade), ADOPT, input(json!({}))).await["measureAdopt"].clone();
    assert_eq!(
        adopted["measure"]["id"],
        json!(source),
        "a reference returns the source itself"
    );
    assert_eq!(adopted["measure"]["municipality"]["number"], "3103");
    assert_eq!(adopted["adoption"]["sourceVersion"], version);
    assert_eq!(adopted["adoption"]["municipality"]["number"], "3112");
    assert_eq!(adopted["adoption"]["adoptedBy"], "test token");
    assert_eq!(adopted["derivation"], Value::Null);
    assert_eq!(adopted["revision"]["action"], "ADOPT");
    assert_eq!(adopted["revision"]["nodeType"], "Municipality");
    assert_eq!(adopted["revision"]["detail"]["target"], json!(source));
    // Twice is refused.
    refused(
        app,
        Some(&w.rade),
        ADOPT,
        input(json!({})),
        "VALIDATION",
        Some("input.source"),
    )
    .await;

    // Råde lists it among its measures (read-only: its owner is Moss); not when asked for its own only.
    let listed = ok(app, None, RADE_MEASURES, json!({ "all": true })).await;
    let measures = &listed["municipality"]["measures"];
    assert_eq!(measures["totalCount"], 1);
    assert_eq!(measures["nodes"][0]["slug"], MOSS_MEASURE);
    assert_eq!(measures["nodes"][0]["municipality"]["number"], "3103");
    assert_eq!(
        listed["municipality"]["adoptions"][0]["sourceStatus"],
        "PUBLISHED"
    );
    let own = ok(app, None, RADE_MEASURES, json!({ "all": false })).await;
    assert_eq!(own["municipality"]["measures"]["totalCount"], 0);
    // Råde cannot change Moss's measure through the adoption.
    refused(
        app,
        Some(&w.rade),
        "mutation($i: MeasureUpdateInput!) { measureUpdate(input: $i) { measure { id } } }",
        json!({ "i": { "id": source, "version": version, "title": "Kapret" } }),
        "FORBIDDEN",
        None,
    )
    .await;
    // The source shows who reused it.
    let reused = ok(
        app,
        None,
        "query($s: String) { measure(slug: $s) { reusedBy { kind mode sourceVersion municipality { number } copy { id } } } }",
        json!({ "s": MOSS_MEASURE }),
    )
    .await;
    assert_eq!(
        reused["measure"]["reusedBy"],
        json!([{ "kind": "REFERENCE", "mode": null, "sourceVersion": version, "municipality": { "number": "3112" }, "copy": null }])
    );

    // Moss archives its measure: Råde's reference keeps resolving, and Råde sees that it was archived.
    ok(
        app,
        Some(&w.moss),
        "mutation($i: MeasureArchiveInput!) { measureArchive(input: $i) { measure { status } } }",
        json!({ "i": { "id": source, "version": version } }),
    )
    .await;
    let gone = ok(
        app,
        None,
        "query($s: String) { measure(slug: $s) { id } }",
        json!({ "s": MOSS_MEASURE }),
    )
    .await;
    assert_eq!(
        gone["measure"],
        Value::Null,
        "archived content is gone for readers"
    );
    let listed = ok(app, None, RADE_MEASURES, json!({ "all": true })).await;
    assert_eq!(listed["municipality"]["measures"]["totalCount"], 1);
    assert_eq!(
        listed["municipality"]["measures"]["nodes"][0]["status"],
        "ARCHIVED"
    );
    let adoption = &listed["municipality"]["adoptions"][0];
    assert_eq!(adoption["sourceStatus"], "ARCHIVED");
    assert_eq!(adoption["source"]["status"], "ARCHIVED");
    assert_eq!(adoption["source"]["id"], json!(source));

    // Giving the reference up; a second time is refused.
    let unadopt = "mutation($i: UnadoptInput!) { measureUnadopt(input: $i) { municipality { number } revision { action } } }";
    let done = ok(
        app,
        Some(&w.rade),
        unadopt,
        json!({ "i": { "source": source } }),
    )
    .await;
    assert_eq!(done["measureUnadopt"]["revision"]["action"], "UNADOPT");
    let listed = ok(app, None, RADE_MEASURES, json!({ "all": true })).await;
    assert_eq!(listed["municipality"]["measures"]["totalCount"], 0);
    assert_eq!(listed["municipality"]["adoptions"], json!([]));
    refused(
        app,
        Some(&w.rade),
        unadopt,
        json!({ "i": { "source": source } }),
        "VALIDATION",
        Some("input.source"),
    )
    .await;

    // A draft cannot be adopted: others do not even see it.
    let draft = ok(
        app,
        Some(&w.rauma),
        "mutation($i: MeasureCreateInput!) { measureCreate(input: $i) { measure { id } } }",
        json!({ "i": { "plan": plan(app, RAUMA_PLAN).await.0, "title": "Utkast" } }),
    )
    .await;
    let draft = draft["measureCreate"]["measure"]["id"].clone();
    refused(
        app,
        Some(&w.rade),
        ADOPT,
        json!({ "input": { "source": draft, "kind": "REFERENCE" } }),
        "VALIDATION",
        Some("input.source"),
    )
    .await;
}

const DERIVATION: &str =
    "query($id: ID!) { node(id: $id) { ... on Measure { id version title summary body status
    derivation { sourceVersion upstreamVersion mode upstreamChanged sourceStatus
      upstreamDiff { field copied upstream local } source { id } } } } }";

on_both!(adopting_by_copy_and_following_upstream);
async fn adopting_by_copy_and_following_upstream(app: &TestApp) {
    let w = who(app).await;
    let (source, version) = measure(app, MOSS_MEASURE).await;
    let (rauma_plan, _) = plan(app, RAUMA_PLAN).await;
    let source_links = ok(
        app,
        None,
        "query($s: String) { measure(slug: $s) { legalReferences { totalCount } themes { totalCount } units { totalCount } } }",
        json!({ "s": MOSS_MEASURE }),
    )
    .await;
    // Another municipality's plan is refused as the copy's plan.
    let (moss_plan, _) = plan(app, "moss-oppvekstportal").await;
    refused(
        app,
        Some(&w.rauma),
        ADOPT,
        json!({ "input": { "source": source, "kind": "COPY", "plan": moss_plan } }),
        "FORBIDDEN",
        None,
    )
    .await;

    let copied = ok(
        app,
        Some(&w.rauma),
        ADOPT,
        json!({ "input": { "source": source, "kind": "COPY", "mode": "ADAPTED", "plan": rauma_plan } }),
    )
    .await["measureAdopt"]
        .clone();
    let copy = copied["measure"]["id"]
        .as_str()
        .expect("copy id")
        .to_string();
    assert_ne!(copy, source);
    assert_eq!(copied["measure"]["status"], "DRAFT");
    assert_eq!(copied["measure"]["version"], 1);
    assert_eq!(copied["measure"]["municipality"]["number"], "1539");
    assert_eq!(copied["measure"]["plan"]["slug"], RAUMA_PLAN);
    assert_eq!(
        copied["measure"]["slug"],
        "rauma-samlet-oversikt-over-kommunens-forebyggende-tiltak"
    );
    // Links to shared national nodes come along; Moss's own units do not.
    assert_eq!(
        copied["measure"]["legalReferences"],
        source_links["measure"]["legalReferences"]
    );
    assert_eq!(
        copied["measure"]["themes"],
        source_links["measure"]["themes"]
    );
    assert_eq!(copied["measure"]["units"]["totalCount"], 0);
    // Provenance.
    let d = &copied["derivation"];
    assert_eq!(d["sourceId"], json!(source));
    assert_eq!(d["source"]["id"], json!(source));
    assert_eq!(d["sourceVersion"], version);
    assert_eq!(d["upstreamVersion"], version);
    assert_eq!(d["mode"], "ADAPTED");
    assert_eq!(d["copiedBy"], "test token");
    assert_eq!(d["sourceMunicipality"]["number"], "3103");
    assert_eq!(d["upstreamChanged"], false);
    assert_eq!(copied["revision"]["action"], "CREATE");
    assert_eq!(copied["revision"]["detail"]["derivedFrom"], json!(source));

    // reusedBy: the draft copy shows to its owner's preview, not to anonymous readers.
    let reused = "query($s: String) { measure(slug: $s) { reusedBy { kind mode municipality { number } copy { id } } } }";
    let anonymous = ok(app, None, reused, json!({ "s": MOSS_MEASURE })).await;
    assert_eq!(anonymous["measure"]["reusedBy"], json!([]));
    let owner = preview(app, &w.rauma, reused, json!({ "s": MOSS_MEASURE })).await;
    assert_eq!(
        owner["measure"]["reusedBy"],
        json!([{ "kind": "COPY", "mode": "ADAPTED", "municipality": { "number": "1539" }, "copy": { "id": copy } }])
    );

    // Rauma adapts its copy; then Moss changes the source's title and body.
    let update =
        "mutation($i: MeasureUpdateInput!) { measureUpdate(input: $i) { measure { version } } }";
    ok(
        app,
        Some(&w.rauma),
        update,
        json!({ "i": { "id": copy, "version": 1, "summary": "Raumas egen tekst" } }),
    )
    .await;
    let original_title = ok(
        app,
        None,
        "query($s: String) { measure(slug: $s) { title } }",
        json!({ "s": MOSS_MEASURE }),
    )
    .await["measure"]["title"]
        .clone();
    ok(
        app,
        Some(&w.moss),
        update,
        json!({ "i": { "id": source, "version": version, "title": "Samlet oversikt (revidert)", "body": "Ny tekst fra Moss" } }),
    )
    .await;
    let state = preview(app, &w.rauma, DERIVATION, json!({ "id": copy })).await;
    let d = &state["node"]["derivation"];
    assert_eq!(d["upstreamChanged"], true);
    assert_eq!(
        d["upstreamDiff"],
        json!([
            { "field": "title", "copied": original_title, "upstream": "Samlet oversikt (revidert)", "local": original_title },
            { "field": "body", "copied": null, "upstream": "Ny tekst fra Moss", "local": null }
        ])
    );

    // Taking in only the title: the local summary stays, the body change is still pending.
    let accept = "mutation($i: UpstreamInput!) { measureUpstreamAccept(input: $i) { measure { version title summary body }
        derivation { upstreamVersion upstreamChanged upstreamDiff { field } } revision { action detail } } }";
    refused(
        app,
        Some(&w.rauma),
        accept,
        json!({ "i": { "id": copy, "version": 2, "fields": ["frequency"] } }),
        "VALIDATION",
        Some("input.fields[0]"),
    )
    .await;
    refused(
        app,
        Some(&w.rauma),
        accept,
        json!({ "i": { "id": copy, "version": 1 } }),
        "CONFLICT",
        None,
    )
    .await;
    refused(
        app,
        Some(&w.moss),
        accept,
        json!({ "i": { "id": copy, "version": 2 } }),
        "NOT_FOUND",
        None,
    )
    .await;
    refused(
        app,
        Some(&w.moss),
        accept,
        json!({ "i": { "id": source, "version": version + 1 } }),
        "VALIDATION",
        Some("input.id"),
    )
    .await;
    let taken = ok(
        app,
        Some(&w.rauma),
        accept,
        json!({ "i": { "id": copy, "version": 2, "fields": ["title"] } }),
    )
    .await["measureUpstreamAccept"]
        .clone();
    assert_eq!(taken["measure"]["title"], "Samlet oversikt (revidert)");
    assert_eq!(taken["measure"]["summary"], "Raumas egen tekst");
    assert_eq!(taken["measure"]["body"], Value::Null);
    assert_eq!(taken["measure"]["version"], 3);
    assert_eq!(taken["derivation"]["upstreamVersion"], version + 1);
    assert_eq!(taken["derivation"]["upstreamChanged"], true);
    assert_eq!(
        taken["derivation"]["upstreamDiff"],
        json!([{ "field": "body" }])
    );
    assert_eq!(taken["revision"]["action"], "UPSTREAM_ACCEPT");
    assert_eq!(taken["revision"]["detail"]["fields"], json!(["title"]));

    // Dismissing the rest: the copy keeps its body, and is no longer behind.
    let dismiss = "mutation($i: UpstreamInput!) { measureUpstreamDismiss(input: $i) { measure { version body }
        derivation { upstreamChanged upstreamDiff { field } } revision { action } } }";
    let dismissed = ok(
        app,
        Some(&w.rauma),
        dismiss,
        json!({ "i": { "id": copy, "version": 3 } }),
    )
    .await["measureUpstreamDismiss"]
        .clone();
    assert_eq!(dismissed["measure"]["body"], Value::Null);
    assert_eq!(dismissed["measure"]["version"], 4);
    assert_eq!(dismissed["derivation"]["upstreamChanged"], false);
    assert_eq!(dismissed["revision"]["action"], "UPSTREAM_DISMISS");
    refused(
        app,
        Some(&w.rauma),
        dismiss,
        json!({ "i": { "id": copy, "version": 4 } }),
        "VALIDATION",
        Some("input.id"),
    )
    .await;

    // Moss archives the source: the copy is unaffected and shows where it came from.
    ok(
        app,
        Some(&w.moss),
        "mutation($i: MeasureArchiveInput!) { measureArchive(input: $i) { measure { status } } }",
        json!({ "i": { "id": source, "version": version + 1 } }),
    )
    .await;
    let state = preview(app, &w.rauma, DERIVATION, json!({ "id": copy })).await;
    assert_eq!(state["node"]["title"], "Samlet oversikt (revidert)");
    assert_eq!(state["node"]["derivation"]["sourceStatus"], "ARCHIVED");
    assert_eq!(state["node"]["derivation"]["source"]["id"], json!(source));
    // A later upstream change to the archived source is still visible to the copy.
    ok(
        app,
        Some(&w.admin),
        "mutation($i: MeasureRestoreInput!) { measureRestore(input: $i) { measure { status } } }",
        json!({ "i": { "id": source, "version": version + 2 } }),
    )
    .await;
}

on_both!(copying_a_plan_and_joint_plan_adoptions);
async fn copying_a_plan_and_joint_plan_adoptions(app: &TestApp) {
    let w = who(app).await;
    let (rauma_plan, _) = plan(app, RAUMA_PLAN).await;
    let published = ok(
        app,
        None,
        "query($s: String) { plan(slug: $s) { measures { totalCount } goals { totalCount } legalReferences { totalCount } } }",
        json!({ "s": RAUMA_PLAN }),
    )
    .await;
    let plan_adopt = "mutation($i: PlanAdoptInput!) { planAdopt(input: $i) { copiedMeasures
        plan { id slug status adoptedOn owners { nodes { number } } goals { totalCount } legalReferences { totalCount }
          measures(first: 100) { totalCount nodes { number derivation { mode sourceMunicipality { number } } } } }
        derivation { mode sourceMunicipality { number } } adoption { sourceType } } }";
    // With a preview, so the payload shows the copy's draft measures.
    let copied = preview(
        app,
        &w.rade,
        plan_adopt,
        json!({ "i": { "source": rauma_plan, "kind": "COPY", "mode": "TRANSLATED", "language": "NN" } }),
    )
    .await["planAdopt"]
        .clone();
    let copy = &copied["plan"];
    assert_eq!(copy["status"], "DRAFT");
    assert_eq!(copy["owners"]["nodes"], json!([{ "number": "3112" }]));
    assert_eq!(
        copy["adoptedOn"],
        Value::Null,
        "the adopter records its own adoption"
    );
    assert_eq!(copy["goals"], published["plan"]["goals"]);
    assert_eq!(
        copy["legalReferences"],
        published["plan"]["legalReferences"]
    );
    let count = published["plan"]["measures"]["totalCount"].clone();
    assert!(count.as_i64().unwrap_or(0) > 0);
    assert_eq!(copied["copiedMeasures"], count);
    assert_eq!(copy["measures"]["totalCount"], count);
    for m in copy["measures"]["nodes"].as_array().expect("measures") {
        assert_eq!(m["derivation"]["mode"], "TRANSLATED");
        assert_eq!(m["derivation"]["sourceMunicipality"]["number"], "1539");
    }
    // The numbering of the source plan is kept.
    assert_eq!(copy["measures"]["nodes"][0]["number"], 1);
    assert_eq!(copied["derivation"]["mode"], "TRANSLATED");
    assert_eq!(copied["derivation"]["sourceMunicipality"]["number"], "1539");
    assert_eq!(copied["adoption"], Value::Null);

    // By reference: Råde lists Rauma's plan among its plans.
    let referenced = ok(
        app,
        Some(&w.rade),
        plan_adopt,
        json!({ "i": { "source": rauma_plan, "kind": "REFERENCE" } }),
    )
    .await;
    assert_eq!(referenced["planAdopt"]["adoption"]["sourceType"], "Plan");
    let plans = ok(
        app,
        None,
        "{ municipality(number: \"3112\") { plans { nodes { slug } } own: plans(includeAdopted: false) { totalCount } } }",
        json!({}),
    )
    .await;
    let slugs: Vec<&str> = plans["municipality"]["plans"]["nodes"]
        .as_array()
        .expect("plans")
        .iter()
        .filter_map(|p| p["slug"].as_str())
        .collect();
    assert!(
        slugs.contains(&"rauma-handlingsdel-oppvekstplan-2023-2033"),
        "{slugs:?}"
    );
    assert!(
        slugs.contains(&"mosseregionen-handlingsplan-vold-i-naere-relasjoner-2022-2025"),
        "{slugs:?}"
    );
    assert_eq!(
        plans["municipality"]["own"]["totalCount"], 1,
        "the joint plan is Råde's own (the copy is a draft)"
    );

    // Joint plan: each owner records its own adoption.
    let (joint, version) = plan(app, JOINT_PLAN).await;
    let set = "mutation($i: PlanAdoptionSetInput!) { planAdoptionSet(input: $i) { plan { version }
        adoption { adoptedOn caseNumber municipality { number } } revision { action detail } } }";
    refused(
        app,
        Some(&w.rauma),
        set,
        json!({ "i": { "plan": joint, "version": version, "adoptedOn": "2022-06-20" } }),
        "FORBIDDEN",
        None,
    )
    .await;
    let moss_council = ok(
        app,
        None,
        "{ unit(slug: \"moss-kommunestyret\") { id } }",
        json!({}),
    )
    .await["unit"]["id"]
        .clone();
    refused(
        app,
        Some(&w.rade),
        set,
        json!({ "i": { "plan": joint, "version": version, "adoptedBy": moss_council } }),
        "VALIDATION",
        Some("input.adoptedBy"),
    )
    .await;
    let done = ok(
        app,
        Some(&w.rade),
        set,
        json!({ "i": { "plan": joint, "version": version, "adoptedOn": "2022-06-20", "caseNumber": "PS 31/22" } }),
    )
    .await;
    assert_eq!(
        done["planAdoptionSet"]["adoption"]["municipality"]["number"],
        "3112"
    );
    assert_eq!(done["planAdoptionSet"]["plan"]["version"], version + 1);
    assert_eq!(done["planAdoptionSet"]["revision"]["action"], "UPDATE");
    refused(
        app,
        Some(&w.moss),
        set,
        json!({ "i": { "plan": joint, "version": version, "adoptedOn": "2022-06-01" } }),
        "CONFLICT",
        None,
    )
    .await;
    ok(
        app,
        Some(&w.moss),
        set,
        json!({ "i": { "plan": joint, "version": version + 1, "adoptedOn": "2022-06-01", "adoptedBy": moss_council, "caseNumber": "PS-50/22" } }),
    )
    .await;
    let adoptions = ok(
        app,
        None,
        "query($s: String) { plan(slug: $s) { adoptions { municipality { number } adoptedOn caseNumber adoptedBy { slug } } } }",
        json!({ "s": JOINT_PLAN }),
    )
    .await;
    assert_eq!(
        adoptions["plan"]["adoptions"],
        json!([
            { "municipality": { "number": "3103" }, "adoptedOn": "2022-06-01", "caseNumber": "PS-50/22", "adoptedBy": { "slug": "moss-kommunestyret" } },
            { "municipality": { "number": "3112" }, "adoptedOn": "2022-06-20", "caseNumber": "PS 31/22", "adoptedBy": null },
            { "municipality": { "number": "3114" }, "adoptedOn": null, "caseNumber": null, "adoptedBy": null }
        ])
    );
    // Each owner's listing shows the joint plan.
    for number in ["3103", "3112", "3114"] {
        let listed = ok(
            app,
            None,
            "query($n: String) { municipality(number: $n) { plans(includeAdopted: false, first: 100) { nodes { slug } } } }",
            json!({ "n": number }),
        )
        .await;
        let found = listed["municipality"]["plans"]["nodes"]
            .as_array()
            .expect("plans")
            .iter()
            .any(|p| p["slug"] == JOINT_PLAN);
        assert!(found, "{number} lists the joint plan");
    }
    let _ = &w.admin;
}

on_both!(queries_across_municipalities);
async fn queries_across_municipalities(app: &TestApp) {
    let w = who(app).await;
    let section = ok(
        app,
        None,
        "{ legalReference(lovdataId: \"LOV-2021-06-18-97\", section: \"15-1\") { id } }",
        json!({}),
    )
    .await["legalReference"]["id"]
        .clone();
    let query = "query($f: MunicipalityFilter) { municipalities(filter: $f, first: 100) { nodes { number } } }";
    let numbers = |data: &Value| -> Vec<String> {
        data["municipalities"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .filter_map(|n| n["number"].as_str().map(str::to_string))
            .collect()
    };
    // § 15-1: Rauma cites the section, Moss its second paragraph.
    let citing = ok(
        app,
        None,
        query,
        json!({ "f": { "measures": { "legalReference": section } } }),
    )
    .await;
    assert_eq!(numbers(&citing), vec!["1539", "3103"]);
    let guided = ok(
        app,
        None,
        query,
        json!({ "f": { "measures": { "guidance": "tidlig-oppdagelse-av-utsatte-barn-og-unge" } } }),
    )
    .await;
    assert_eq!(numbers(&guided), vec!["3103"]);
    let themed = ok(
        app,
        None,
        query,
        json!({ "f": { "measures": { "theme": "rusforebygging" } } }),
    )
    .await;
    assert_eq!(numbers(&themed), vec!["3103"]);
    // Råde adopts Moss's measure by reference: it now counts too.
    let (source, _) = measure(app, MOSS_MEASURE).await;
    ok(
        app,
        Some(&w.rade),
        ADOPT,
        json!({ "input": { "source": source, "kind": "REFERENCE" } }),
    )
    .await;
    let citing = ok(
        app,
        None,
        query,
        json!({ "f": { "measures": { "legalReference": section } } }),
    )
    .await;
    assert_eq!(numbers(&citing), vec!["1539", "3103", "3112"]);
    // A bad nested filter names its field.
    let response = app
        .gql_as(
            None,
            query,
            json!({ "f": { "measures": { "legalReference": "bm9wZQ" } } }),
        )
        .await;
    assert_eq!(
        response["errors"][0]["extensions"]["field"], "filter.measures.legalReference",
        "{response}"
    );

    // A region's measures side by side: flat across members, and nested per member.
    let region = ok(
        app,
        None,
        "{ region(slug: \"mosseregionen\") { measures(first: 100) { totalCount nodes { municipality { number } } }
            members(first: 100) { nodes { number measures(includeAdopted: false) { totalCount } } } } }",
        json!({}),
    )
    .await;
    let per_member: i64 = region["region"]["members"]["nodes"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["measures"]["totalCount"].as_i64().unwrap_or(0))
        .sum();
    assert!(per_member > 0);
    assert_eq!(region["region"]["measures"]["totalCount"], per_member);
    let owners: Vec<&str> = region["region"]["measures"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|m| m["municipality"]["number"].as_str())
        .collect();
    let mut grouped = owners.clone();
    grouped.dedup();
    let mut distinct = grouped.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        grouped.len(),
        distinct.len(),
        "grouped by municipality: {owners:?}"
    );

    // The adoption is in the change feed of Råde.
    let feed = preview(
        app,
        &w.rade,
        "{ changes(municipality: \"3112\") { changes { action nodeType } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        feed["changes"]["changes"],
        json!([{ "action": "ADOPT", "nodeType": "Municipality" }])
    );
}

on_both!(a_copy_carries_its_provenance_as_linked_data);
async fn a_copy_carries_its_provenance_as_linked_data(app: &TestApp) {
    let w = who(app).await;
    let (source, version) = measure(app, MOSS_MEASURE).await;
    let copied = ok(
        app,
        Some(&w.rauma),
        ADOPT,
        json!({ "input": { "source": source, "kind": "COPY", "mode": "TRANSLATED" } }),
    )
    .await;
    let copy = copied["measureAdopt"]["measure"]["id"]
        .as_str()
        .expect("copy")
        .to_string();
    ok(
        app,
        Some(&w.rauma),
        "mutation($i: MeasurePublishInput!) { measurePublish(input: $i) { measure { status } } }",
        json!({ "i": { "id": copy, "version": 1 } }),
    )
    .await;
    let request = axum::http::Request::get(format!("/ld/{copy}"))
        .header("accept", "application/ld+json")
        .body(axum::body::Body::empty())
        .expect("request");
    let (status, doc) = app.send(request).await;
    assert_eq!(status, axum::http::StatusCode::OK, "{doc}");
    let source_uuid = |id: &str| {
        oppvekstgraf_api::id::GlobalId::decode("id", id)
            .expect("global id")
            .uuid
    };
    let derived = doc["prov:wasDerivedFrom"]["@id"]
        .as_str()
        .expect("wasDerivedFrom");
    assert!(
        derived.ends_with(&format!("/ld/measure/{}", source_uuid(&source))),
        "{derived}"
    );
    let qualified = &doc["prov:qualifiedDerivation"];
    assert_eq!(qualified["@type"], "prov:Derivation");
    assert_eq!(qualified["dct:type"], "translated");
    assert_eq!(qualified["owl:versionInfo"], version);
    assert_eq!(qualified["prov:entity"]["@id"], json!(derived));
    assert!(
        qualified["prov:wasAttributedTo"]["@id"]
            .as_str()
            .is_some_and(|m| m.contains("/ld/municipality/")),
        "{qualified}"
    );
}

on_both!(a_single_owner_plan_shows_its_own_adoption);
async fn a_single_owner_plan_shows_its_own_adoption(app: &TestApp) {
    let data = ok(
        app,
        None,
        "{ plan(slug: \"rauma-oppvekstplan-2023-2033\") { adoptedOn caseNumber
            adoptions { municipality { number } adoptedOn caseNumber adoptedBy { slug } } } }",
        json!({}),
    )
    .await;
    let plan = &data["plan"];
    assert_eq!(plan["adoptedOn"], "2023-06-22");
    assert_eq!(
        plan["adoptions"],
        json!([{ "municipality": { "number": "1539" }, "adoptedOn": "2023-06-22", "caseNumber": plan["caseNumber"], "adoptedBy": { "slug": "rauma-kommunestyret" } }])
    );
}
