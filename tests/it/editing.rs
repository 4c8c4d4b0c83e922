//! Editing over HTTP on SQLite and PostgreSQL: tokens and roles, the role × mutation × tenant matrix with
//! its indirect routes, validation, optimistic concurrency, drafts, revisions and restore, the audit log —
//! and that every refused mutation leaves the database exactly as it was.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

const HANDLINGSDEL: &str = "rauma-handlingsdel-oppvekstplan-2023-2033";
const JOINT_PLAN: &str = "mosseregionen-handlingsplan-vold-i-naere-relasjoner-2022-2025";

/// Tokens of every role.
struct Who {
    rauma: String,
    moss: String,
    admin: String,
}

async fn who(app: &TestApp) -> Who {
    Who {
        rauma: app.token("editor", Some("1539")).await,
        moss: app.token("editor", Some("3103")).await,
        admin: app.token("admin", None).await,
    }
}

/// `{ id version }` of a node found by a root lookup such as `measure(slug: "…")`.
async fn node(app: &TestApp, token: Option<&str>, lookup: &str) -> (String, i64) {
    let field = lookup
        .split('(')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    let response = app
        .gql_as(
            token,
            &format!("{{ {lookup} {{ id version }} }}"),
            json!({}),
        )
        .await;
    let found = &response["data"][&field];
    assert!(!found.is_null(), "{lookup}: {response}");
    (
        found["id"].as_str().unwrap_or_default().to_string(),
        found["version"].as_i64().unwrap_or_default(),
    )
}

/// Runs a mutation that must fail with `code`, and checks that nothing changed.
async fn refused(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
    code: &str,
) -> Value {
    let before = app.dump().await;
    let response = app.gql_as(token, query, variables).await;
    let error = &response["errors"][0];
    assert_eq!(
        error["extensions"]["code"], code,
        "[{:?}] {query}\n{response:#}",
        app.backend
    );
    assert_eq!(
        app.dump().await,
        before,
        "[{:?}] a refused mutation changed the database: {query}",
        app.backend
    );
    error.clone()
}

/// Runs a mutation that must succeed and returns its `data`.
async fn ok(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Value {
    let response = app.gql_as(token, query, variables).await;
    assert!(
        response.get("errors").is_none(),
        "[{:?}] {query}\n{response:#}",
        app.backend
    );
    response["data"].clone()
}

const MEASURE_CREATE: &str = "mutation($input: MeasureCreateInput!) { measureCreate(input: $input) {
    measure { id slug status version title municipality { number } } revision { action nodeVersion actorName } } }";
const MEASURE_UPDATE: &str =
    "mutation($input: MeasureUpdateInput!) { measureUpdate(input: $input) {
    measure { id version title summary } revision { action before after } } }";

on_both!(tokens_and_roles);
async fn tokens_and_roles(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, None, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let input = json!({ "input": { "plan": plan, "title": "Nytt tiltak" } });
    // No token: UNAUTHENTICATED, nothing written.
    refused(app, None, MEASURE_CREATE, input.clone(), "UNAUTHENTICATED").await;
    // Malformed, unknown, expired and revoked tokens: 401 for the whole request, nothing written.
    let expired = oppvekstgraf_api::auth::create_token(
        &app.state.db,
        "expiring",
        oppvekstgraf_entity::enums::Role::Editor,
        Some("1539"),
        Some(chrono::Utc::now() + chrono::Duration::milliseconds(300)),
    )
    .await
    .expect("token");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let revoked = oppvekstgraf_api::auth::create_token(
        &app.state.db,
        "revoked",
        oppvekstgraf_entity::enums::Role::Editor,
        Some("1539"),
        None,
    )
    .await
    .expect("token");
    oppvekstgraf_api::auth::revoke_token(&app.state.db, revoked.token.id)
        .await
        .expect("revoke");
    let forged = format!("{}x", &w.rauma[..w.rauma.len() - 1]);
    for bad in [
        "Bearer nonsense",
        "Basic abc",
        &format!("Bearer {forged}"),
        &format!("Bearer {}", expired.secret),
        &format!("Bearer {}", revoked.secret),
    ] {
        let before = app.dump().await;
        let (status, body) = app
            .gql_with(&[("authorization", bad)], MEASURE_CREATE, input.clone())
            .await;
        assert_eq!(
            status,
            axum::http::StatusCode::UNAUTHORIZED,
            "{bad}: {body}"
        );
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{bad}"
        );
        assert_eq!(app.dump().await, before);
    }
    // A preview without a token is refused too.
    let (status, _) = app
        .gql_with(
            &[("x-preview", "true")],
            "{ plans { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(status, axum::http::StatusCode::UNAUTHORIZED);
    // The right token writes, as a draft, recorded with who did it.
    let created = ok(app, Some(&w.rauma), MEASURE_CREATE, input.clone()).await;
    let measure = &created["measureCreate"];
    assert_eq!(measure["measure"]["status"], "DRAFT");
    assert_eq!(measure["measure"]["version"], 1);
    assert_eq!(measure["measure"]["municipality"]["number"], "1539");
    assert_eq!(measure["revision"]["action"], "CREATE");
    assert_eq!(measure["revision"]["actorName"], "test token");
    // Another municipality's editor may not add measures to Rauma's plan.
    refused(
        app,
        Some(&w.moss),
        MEASURE_CREATE,
        input.clone(),
        "FORBIDDEN",
    )
    .await;
    // Admins name the owner.
    refused(
        app,
        Some(&w.admin),
        MEASURE_CREATE,
        input.clone(),
        "VALIDATION",
    )
    .await;
    let by_admin = ok(
        app,
        Some(&w.admin),
        MEASURE_CREATE,
        json!({ "input": { "plan": plan, "title": "Admins tiltak", "municipality": "1539" } }),
    )
    .await;
    assert_eq!(
        by_admin["measureCreate"]["measure"]["municipality"]["number"],
        "1539"
    );
    // Editors cannot name another owner.
    refused(
        app,
        Some(&w.rauma),
        MEASURE_CREATE,
        json!({ "input": { "plan": plan, "title": "X", "municipality": "3103" } }),
        "VALIDATION",
    )
    .await;
}

on_both!(role_mutation_tenant_matrix);
/// Each role × each kind of mutation × own municipality / other municipality / shared registry.
async fn role_mutation_tenant_matrix(app: &TestApp) {
    let w = who(app).await;
    let rauma_measure = "measure(slug: \"rauma-arshjul\")";
    let moss_measure = "measure(slug: \"moss-slt-samarbeid\")";
    let theme = "theme(slug: \"barnefattigdom\")";
    let update = |id: &str, version: i64| json!({ "input": { "id": id, "version": version, "title": "Endret tittel" } });
    const THEME_UPDATE: &str = "mutation($input: ThemeUpdateInput!) { themeUpdate(input: $input) { theme { label version } } }";
    let theme_update = |id: &str, version: i64| json!({ "input": { "id": id, "version": version, "label": "Barnefattigdom (endret)" } });
    const UNPUBLISH: &str = "mutation($input: MeasureUnpublishInput!) { measureUnpublish(input: $input) { measure { status version } } }";
    const THEME_ARCHIVE: &str =
        "mutation($input: ThemeArchiveInput!) { themeArchive(input: $input) { theme { status } } }";

    // Update: own, other, registry — for anonymous, editors and admin.
    for (token, own, other, registry) in [
        (
            None,
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
        ),
        (Some(w.rauma.as_str()), "OK", "FORBIDDEN", "FORBIDDEN"),
    ] {
        let (id, version) = node(app, None, rauma_measure).await;
        check(app, token, MEASURE_UPDATE, update(&id, version), own).await;
        let (id, version) = node(app, None, moss_measure).await;
        check(app, token, MEASURE_UPDATE, update(&id, version), other).await;
        let (id, version) = node(app, None, theme).await;
        check(
            app,
            token,
            THEME_UPDATE,
            theme_update(&id, version),
            registry,
        )
        .await;
    }
    let (id, version) = node(app, None, theme).await;
    check(
        app,
        Some(&w.admin),
        THEME_UPDATE,
        theme_update(&id, version),
        "OK",
    )
    .await;
    let (id, version) = node(app, None, moss_measure).await;
    check(
        app,
        Some(&w.admin),
        MEASURE_UPDATE,
        update(&id, version),
        "OK",
    )
    .await;

    // Publication states: the other municipality's editor is refused, the owner may.
    let (id, version) = node(app, None, moss_measure).await;
    check(
        app,
        Some(&w.rauma),
        UNPUBLISH,
        json!({ "input": { "id": id, "version": version } }),
        "FORBIDDEN",
    )
    .await;
    check(
        app,
        Some(&w.moss),
        UNPUBLISH,
        json!({ "input": { "id": id, "version": version } }),
        "OK",
    )
    .await;
    // Now a draft: to Rauma's editor it does not exist at all.
    check(
        app,
        Some(&w.rauma),
        UNPUBLISH,
        json!({ "input": { "id": id, "version": version + 1 } }),
        "NOT_FOUND",
    )
    .await;
    let (id, version) = node(app, None, theme).await;
    check(
        app,
        Some(&w.rauma),
        THEME_ARCHIVE,
        json!({ "input": { "id": id, "version": version } }),
        "FORBIDDEN",
    )
    .await;
    check(
        app,
        Some(&w.admin),
        THEME_ARCHIVE,
        json!({ "input": { "id": id, "version": version } }),
        "OK",
    )
    .await;

    // Create in the registry: admins only.
    const THEME_CREATE: &str = "mutation($input: ThemeCreateInput!) { themeCreate(input: $input) { theme { slug status } } }";
    check(
        app,
        Some(&w.rauma),
        THEME_CREATE,
        json!({ "input": { "label": "Skolevegring" } }),
        "FORBIDDEN",
    )
    .await;
    check(
        app,
        Some(&w.admin),
        THEME_CREATE,
        json!({ "input": { "label": "Skolevegring" } }),
        "OK",
    )
    .await;

    // Plans and units of another municipality, reached by their global IDs.
    let (plan, version) = node(app, None, &format!("plan(slug: \"{JOINT_PLAN}\")")).await;
    const PLAN_UPDATE: &str = "mutation($input: PlanUpdateInput!) { planUpdate(input: $input) { plan { title version } } }";
    check(
        app,
        Some(&w.rauma),
        PLAN_UPDATE,
        json!({ "input": { "id": plan, "version": version, "summary": "x" } }),
        "FORBIDDEN",
    )
    .await;
    // Every owner of a joint plan may edit it.
    check(
        app,
        Some(&w.moss),
        PLAN_UPDATE,
        json!({ "input": { "id": plan, "version": version, "summary": "Felles plan" } }),
        "OK",
    )
    .await;
    let (unit, version) = node(app, None, "unit(slug: \"moss-helsestasjonen\")").await;
    const UNIT_UPDATE: &str =
        "mutation($input: UnitUpdateInput!) { unitUpdate(input: $input) { unit { name } } }";
    check(
        app,
        Some(&w.rauma),
        UNIT_UPDATE,
        json!({ "input": { "id": unit, "version": version, "name": "x" } }),
        "FORBIDDEN",
    )
    .await;
    // A Moss ID where a Rauma plan is expected is still a Moss node.
    let (rauma_plan, _) = node(app, None, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    check(
        app,
        Some(&w.moss),
        MEASURE_CREATE,
        json!({ "input": { "plan": rauma_plan, "title": "Inntrenger" } }),
        "FORBIDDEN",
    )
    .await;
    // An ID of the wrong type is a validation error.
    check(
        app,
        Some(&w.rauma),
        MEASURE_UPDATE,
        json!({ "input": { "id": unit, "version": 1, "title": "x" } }),
        "VALIDATION",
    )
    .await;
}

/// Checks one matrix cell: "OK" or an error code (with the database unchanged).
async fn check(app: &TestApp, token: Option<&str>, query: &str, variables: Value, expect: &str) {
    if expect == "OK" {
        ok(app, token, query, variables).await;
    } else {
        refused(app, token, query, variables, expect).await;
    }
}

on_both!(links_respect_tenants);
async fn links_respect_tenants(app: &TestApp) {
    let w = who(app).await;
    let (measure, _) = node(app, None, "measure(slug: \"rauma-arshjul\")").await;
    let (own_unit, _) = node(app, None, "unit(slug: \"rauma-skolesjef\")").await;
    let (moss_unit, _) = node(app, None, "unit(slug: \"moss-helsestasjonen\")").await;
    let national = app
        .data(
            r#"{ units(filter: { national: true }, first: 1) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    let national = national["units"]["nodes"][0]["id"]
        .as_str()
        .expect("a national unit")
        .to_string();
    const LINK: &str = "mutation($input: MeasureLinkUnitInput!) { measureLinkUnit(input: $input) {
        measure { version units { edges { role node { slug } } } } revision { action detail } } }";
    const UNLINK: &str = "mutation($input: MeasureUnlinkUnitInput!) { measureUnlinkUnit(input: $input) { measure { units { totalCount } } } }";
    // Linking another municipality's unit to your measure is refused.
    refused(
        app,
        Some(&w.rauma),
        LINK,
        json!({ "input": { "measure": measure, "unit": moss_unit, "role": "PARTICIPANT" } }),
        "FORBIDDEN",
    )
    .await;
    // Linking your measure as another municipality's editor is refused.
    refused(
        app,
        Some(&w.moss),
        LINK,
        json!({ "input": { "measure": measure, "unit": moss_unit, "role": "LEAD" } }),
        "FORBIDDEN",
    )
    .await;
    refused(
        app,
        None,
        LINK,
        json!({ "input": { "measure": measure, "unit": own_unit, "role": "LEAD" } }),
        "UNAUTHENTICATED",
    )
    .await;
    let linked = ok(
        app,
        Some(&w.rauma),
        LINK,
        json!({ "input": { "measure": measure, "unit": own_unit, "role": "PARTICIPANT" } }),
    )
    .await;
    let edges = linked["measureLinkUnit"]["measure"]["units"]["edges"]
        .as_array()
        .expect("edges")
        .clone();
    assert!(
        edges
            .iter()
            .any(|e| e["node"]["slug"] == "rauma-skolesjef" && e["role"] == "PARTICIPANT")
    );
    assert_eq!(linked["measureLinkUnit"]["revision"]["action"], "LINK");
    assert_eq!(
        linked["measureLinkUnit"]["revision"]["detail"]["relation"],
        "units"
    );
    ok(
        app,
        Some(&w.rauma),
        LINK,
        json!({ "input": { "measure": measure, "unit": national, "role": "PARTICIPANT" } }),
    )
    .await;
    // Linking shared registry content is fine; it must exist.
    let (theme, _) = node(app, None, "theme(slug: \"barnefattigdom\")").await;
    const THEME: &str = "mutation($input: MeasureLinkThemeInput!) { measureLinkTheme(input: $input) { measure { themes { nodes { slug } } } } }";
    ok(
        app,
        Some(&w.rauma),
        THEME,
        json!({ "input": { "measure": measure, "theme": theme } }),
    )
    .await;
    let (missing_theme, _) = (
        common::base64("Theme:00000000-0000-4000-8000-000000000000"),
        0,
    );
    refused(
        app,
        Some(&w.rauma),
        THEME,
        json!({ "input": { "measure": measure, "theme": missing_theme } }),
        "VALIDATION",
    )
    .await;
    let before = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Measure { units { totalCount } } } }",
            json!({ "id": measure }),
        )
        .await;
    ok(
        app,
        Some(&w.rauma),
        UNLINK,
        json!({ "input": { "measure": measure, "unit": own_unit } }),
    )
    .await;
    let after = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Measure { units { totalCount } } } }",
            json!({ "id": measure }),
        )
        .await;
    assert_eq!(
        after["node"]["units"]["totalCount"].as_i64(),
        before["node"]["units"]["totalCount"]
            .as_i64()
            .map(|n| n - 1)
    );
    refused(
        app,
        Some(&w.rauma),
        UNLINK,
        json!({ "input": { "measure": measure, "unit": own_unit } }),
        "VALIDATION",
    )
    .await;

    // Plan owners: only admins change them, and a plan keeps at least one owner.
    let (plan, _) = node(app, None, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let (rauma, _) = node(app, None, "municipality(number: \"1539\")").await;
    let (molde, _) = node(app, None, "municipality(number: \"1506\")").await;
    const OWNER: &str = "mutation($input: PlanLinkOwnerInput!) { planLinkOwner(input: $input) { plan { owners { nodes { number } } } } }";
    const UNOWNER: &str = "mutation($input: PlanUnlinkOwnerInput!) { planUnlinkOwner(input: $input) { plan { owners { nodes { number } } } } }";
    refused(
        app,
        Some(&w.rauma),
        OWNER,
        json!({ "input": { "plan": plan, "municipality": molde } }),
        "FORBIDDEN",
    )
    .await;
    let joint = ok(
        app,
        Some(&w.admin),
        OWNER,
        json!({ "input": { "plan": plan, "municipality": molde } }),
    )
    .await;
    assert_eq!(
        joint["planLinkOwner"]["plan"]["owners"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    refused(
        app,
        Some(&w.rauma),
        UNOWNER,
        json!({ "input": { "plan": plan, "municipality": molde } }),
        "FORBIDDEN",
    )
    .await;
    ok(
        app,
        Some(&w.admin),
        UNOWNER,
        json!({ "input": { "plan": plan, "municipality": molde } }),
    )
    .await;
    refused(
        app,
        Some(&w.admin),
        UNOWNER,
        json!({ "input": { "plan": plan, "municipality": rauma } }),
        "VALIDATION",
    )
    .await;
    // Members of a forum: the same municipality's units, or national ones.
    let (forum, _) = node(app, None, "unit(slug: \"rauma-oppvekstforum\")").await;
    const MEMBER: &str = "mutation($input: UnitLinkMemberInput!) { unitLinkMember(input: $input) { unit { members { totalCount } } } }";
    refused(
        app,
        Some(&w.rauma),
        MEMBER,
        json!({ "input": { "unit": forum, "member": moss_unit, "role": "MEMBER" } }),
        "FORBIDDEN",
    )
    .await;
    ok(
        app,
        Some(&w.rauma),
        MEMBER,
        json!({ "input": { "unit": forum, "member": national, "role": "INVITED" } }),
    )
    .await;
    // Registry relations are for admins.
    let (guidance, _) = node(app, None, "guidance(code: \"IS-2826\")").await;
    let (publisher, _) = node(app, None, "publisher(slug: \"barneombudet\")").await;
    const PUBLISHER: &str = "mutation($input: GuidanceLinkPublisherInput!) { guidanceLinkPublisher(input: $input) { guidance { publishers { totalCount } } } }";
    refused(
        app,
        Some(&w.rauma),
        PUBLISHER,
        json!({ "input": { "guidance": guidance, "publisher": publisher } }),
        "FORBIDDEN",
    )
    .await;
    ok(
        app,
        Some(&w.admin),
        PUBLISHER,
        json!({ "input": { "guidance": guidance, "publisher": publisher } }),
    )
    .await;
    let (region, _) = node(app, None, "region(slug: \"mosseregionen\")").await;
    const REGION: &str = "mutation($input: RegionLinkMemberInput!) { regionLinkMember(input: $input) { region { members { totalCount } } } }";
    refused(
        app,
        Some(&w.moss),
        REGION,
        json!({ "input": { "region": region, "municipality": molde } }),
        "FORBIDDEN",
    )
    .await;
    let grown = ok(
        app,
        Some(&w.admin),
        REGION,
        json!({ "input": { "region": region, "municipality": molde } }),
    )
    .await;
    assert_eq!(
        grown["regionLinkMember"]["region"]["members"]["totalCount"],
        4
    );
}

on_both!(create_and_update_across_tenants);
/// Creating and changing every other kind of node: own municipality, another one, the registry.
async fn create_and_update_across_tenants(app: &TestApp) {
    let w = who(app).await;
    const UNIT_CREATE: &str = "mutation($input: UnitCreateInput!) { unitCreate(input: $input) { unit { slug status municipality { number } } } }";
    let created = ok(
        app,
        Some(&w.rauma),
        UNIT_CREATE,
        json!({ "input": { "name": "Familieteamet", "kind": "SERVICE" } }),
    )
    .await;
    assert_eq!(
        created["unitCreate"]["unit"]["municipality"]["number"],
        "1539"
    );
    refused(
        app,
        Some(&w.rauma),
        UNIT_CREATE,
        json!({ "input": { "name": "X", "kind": "SERVICE", "municipality": "3103" } }),
        "VALIDATION",
    )
    .await;
    refused(
        app,
        Some(&w.rauma),
        UNIT_CREATE,
        json!({ "input": { "name": "X", "kind": "EXTERNAL_PARTNER", "national": true } }),
        "FORBIDDEN",
    )
    .await;
    let national = ok(app, Some(&w.admin), UNIT_CREATE, json!({ "input": { "name": "Statsforvalteren", "kind": "EXTERNAL_PARTNER", "national": true } })).await;
    assert_eq!(national["unitCreate"]["unit"]["municipality"], Value::Null);
    const GOAL_CREATE: &str = "mutation($input: GoalCreateInput!) { goalCreate(input: $input) { goal { position plan { slug } } } }";
    let (moss_plan, _) = node(
        app,
        None,
        "plan(slug: \"moss-kommuneplanens-samfunnsdel-2020-2030\")",
    )
    .await;
    refused(
        app,
        Some(&w.rauma),
        GOAL_CREATE,
        json!({ "input": { "plan": moss_plan, "focusArea": "X", "statement": "Y" } }),
        "FORBIDDEN",
    )
    .await;
    let goal = ok(app, Some(&w.moss), GOAL_CREATE, json!({ "input": { "plan": moss_plan, "focusArea": "Oppvekst", "statement": "Alle barn mestrer" } })).await;
    assert_eq!(
        goal["goalCreate"]["goal"]["position"], 3,
        "appended after the three goals"
    );
    const PLAN_CREATE: &str = "mutation($input: PlanCreateInput!) { planCreate(input: $input) { plan { owners { nodes { number } } } } }";
    refused(app, Some(&w.rauma), PLAN_CREATE, json!({ "input": { "title": "Felles", "kind": "ACTION_PLAN", "owners": ["1539", "1506"] } }), "FORBIDDEN").await;
    let joint = ok(app, Some(&w.admin), PLAN_CREATE, json!({ "input": { "title": "Felles", "kind": "ACTION_PLAN", "owners": ["1539", "1506"] } })).await;
    assert_eq!(
        joint["planCreate"]["plan"]["owners"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // The registry and the municipalities themselves: admins only, even for your own municipality.
    let (rauma, version) = node(app, None, "municipality(number: \"1539\")").await;
    const MUNICIPALITY: &str = "mutation($input: MunicipalityUpdateInput!) { municipalityUpdate(input: $input) { municipality { name version } } }";
    refused(
        app,
        Some(&w.rauma),
        MUNICIPALITY,
        json!({ "input": { "id": rauma, "version": version, "name": "Rauma kommune" } }),
        "FORBIDDEN",
    )
    .await;
    ok(
        app,
        Some(&w.admin),
        MUNICIPALITY,
        json!({ "input": { "id": rauma, "version": version, "name": "Rauma kommune" } }),
    )
    .await;
    const LAW: &str = "mutation($input: LawCreateInput!) { lawCreate(input: $input) { law { lovdataId status } } }";
    let law = json!({ "input": { "lovdataId": "LOV-2025-06-20-99", "shortTitle": "testloven", "title": "Lov om test", "kind": "ACT" } });
    refused(app, Some(&w.rauma), LAW, law.clone(), "FORBIDDEN").await;
    refused(app, None, LAW, law.clone(), "UNAUTHENTICATED").await;
    let created = ok(app, Some(&w.admin), LAW, law).await;
    assert_eq!(created["lawCreate"]["law"]["status"], "DRAFT");
    let (concept, version) = node(app, None, "concept(slug: \"bekymring\")").await;
    const CONCEPT: &str = "mutation($input: ConceptUpdateInput!) { conceptUpdate(input: $input) { concept { altLabels } } }";
    refused(
        app,
        Some(&w.moss),
        CONCEPT,
        json!({ "input": { "id": concept, "version": version, "altLabels": ["Uro"] } }),
        "FORBIDDEN",
    )
    .await;
    let updated = ok(
        app,
        Some(&w.admin),
        CONCEPT,
        json!({ "input": { "id": concept, "version": version, "altLabels": ["Uro"] } }),
    )
    .await;
    assert_eq!(
        updated["conceptUpdate"]["concept"]["altLabels"],
        json!(["Uro"])
    );
}

on_both!(drafts_stay_hidden_through_every_route);
async fn drafts_stay_hidden_through_every_route(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, None, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let created = ok(
        app,
        Some(&w.rauma),
        MEASURE_CREATE,
        json!({ "input": { "plan": plan, "title": "Hemmelig utkast" } }),
    )
    .await;
    let id = created["measureCreate"]["measure"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (unit, _) = node(app, None, "unit(slug: \"rauma-skolesjef\")").await;
    let (reference, _) = node(
        app,
        None,
        "legalReference(lovdataId: \"LOV-2021-06-18-97\", section: \"15-1\")",
    )
    .await;
    ok(
        app,
        Some(&w.rauma),
        "mutation($i: MeasureLinkUnitInput!) { measureLinkUnit(input: $i) { measure { id } } }",
        json!({ "i": { "measure": id, "unit": unit, "role": "LEAD" } }),
    )
    .await;
    ok(app, Some(&w.rauma), "mutation($i: MeasureLinkLegalReferenceInput!) { measureLinkLegalReference(input: $i) { measure { id } } }",
        json!({ "i": { "measure": id, "legalReference": reference } })).await;
    const ROUTES: &str = r#"query($id: ID!, $slug: String!) {
        node(id: $id) { id }
        nodes(ids: [$id]) { id }
        measures(filter: { search: "Hemmelig" }) { totalCount }
        plan(slug: $slug) { measures(first: 100) { totalCount nodes { title } } }
        unit(slug: "rauma-skolesjef") { measures(first: 100) { nodes { title } } }
        legalReference(lovdataId: "LOV-2021-06-18-97", section: "15-1") { measures(first: 100) { nodes { title } } }
        municipality(number: "1539") { measures(first: 100) { totalCount } } }"#;
    let vars = json!({ "id": id, "slug": HANDLINGSDEL });
    let mentions =
        |v: &Value| v.to_string().contains("Hemmelig utkast") || v.to_string().contains(&id);
    // Anonymous readers, editors without preview and other municipalities' editors never see it.
    let anonymous = app.gql_as(None, ROUTES, vars.clone()).await;
    assert!(
        !mentions(&anonymous["data"]),
        "anonymous sees a draft: {anonymous}"
    );
    assert_eq!(anonymous["data"]["measures"]["totalCount"], 0);
    let other_preview = app
        .gql_with(
            &[
                ("authorization", &format!("Bearer {}", w.moss)),
                ("x-preview", "true"),
            ],
            ROUTES,
            vars.clone(),
        )
        .await
        .1;
    assert!(
        !mentions(&other_preview["data"]),
        "another municipality sees a draft: {other_preview}"
    );
    let own_plain = app.gql_as(Some(&w.rauma), ROUTES, vars.clone()).await;
    assert!(
        !mentions(&own_plain["data"]),
        "without preview the draft stays hidden"
    );
    // The owner's preview shows it everywhere.
    let preview = app
        .gql_with(
            &[
                ("authorization", &format!("Bearer {}", w.rauma)),
                ("x-preview", "true"),
            ],
            ROUTES,
            vars.clone(),
        )
        .await
        .1;
    assert_eq!(preview["data"]["node"]["id"], id.as_str());
    assert_eq!(preview["data"]["measures"]["totalCount"], 1);
    for route in ["unit", "legalReference"] {
        assert!(
            preview["data"][route]
                .to_string()
                .contains("Hemmelig utkast"),
            "{route}: {preview}"
        );
    }
    let admin_preview = app
        .gql_with(
            &[
                ("authorization", &format!("Bearer {}", w.admin)),
                ("x-preview", "true"),
            ],
            ROUTES,
            vars,
        )
        .await
        .1;
    assert_eq!(admin_preview["data"]["node"]["id"], id.as_str());
}

on_both!(versions_conflict_and_the_first_save_wins);
async fn versions_conflict_and_the_first_save_wins(app: &TestApp) {
    let w = who(app).await;
    let (id, version) = node(app, None, "measure(slug: \"rauma-arshjul\")").await;
    let first = ok(
        app,
        Some(&w.rauma),
        MEASURE_UPDATE,
        json!({ "input": { "id": id, "version": version, "title": "Første" } }),
    )
    .await;
    assert_eq!(first["measureUpdate"]["measure"]["version"], version + 1);
    let error = refused(
        app,
        Some(&w.rauma),
        MEASURE_UPDATE,
        json!({ "input": { "id": id, "version": version, "title": "Andre" } }),
        "CONFLICT",
    )
    .await;
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("version"),
        "{error}"
    );
    // Two editors saving against the same version at once: exactly one wins.
    let (id, version) = node(app, None, "measure(slug: \"rauma-arshjul\")").await;
    let a = app.gql_as(
        Some(&w.rauma),
        MEASURE_UPDATE,
        json!({ "input": { "id": id, "version": version, "title": "A" } }),
    );
    let b = app.gql_as(
        Some(&w.admin),
        MEASURE_UPDATE,
        json!({ "input": { "id": id, "version": version, "title": "B" } }),
    );
    let (a, b) = tokio::join!(a, b);
    let codes: Vec<Value> = [&a, &b]
        .iter()
        .map(|r| r["errors"][0]["extensions"]["code"].clone())
        .collect();
    let wins = [&a, &b]
        .iter()
        .filter(|r| r.get("errors").is_none())
        .count();
    assert_eq!(
        wins, 1,
        "[{:?}] exactly one save wins: {a} {b}",
        app.backend
    );
    assert!(codes.contains(&json!("CONFLICT")), "{codes:?}");
    let (_, now) = node(app, None, "measure(slug: \"rauma-arshjul\")").await;
    assert_eq!(now, version + 1);
}

on_both!(concurrent_creates_all_land);
/// Editors writing at the same time wait for each other; none of them gets an internal error.
async fn concurrent_creates_all_land(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, None, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let creates = (0..6).map(|i| {
        let input = json!({ "input": { "plan": plan, "title": format!("Samtidig {i}") } });
        let token = w.rauma.clone();
        async move { app.gql_as(Some(&token), MEASURE_CREATE, input).await }
    });
    let results = futures_util::future::join_all(creates).await;
    for result in &results {
        assert!(
            result.get("errors").is_none(),
            "[{:?}] {result}",
            app.backend
        );
    }
    let preview = app
        .gql_with(
            &[
                ("authorization", &format!("Bearer {}", w.rauma)),
                ("x-preview", "true"),
            ],
            r#"{ measures(filter: { search: "Samtidig" }) { totalCount } }"#,
            json!({}),
        )
        .await
        .1;
    assert_eq!(preview["data"]["measures"]["totalCount"], 6);
}

on_both!(revisions_record_and_restore);
async fn revisions_record_and_restore(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, None, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let created = ok(
        app,
        Some(&w.rauma),
        MEASURE_CREATE,
        json!({ "input": { "plan": plan, "title": "Versjon en", "summary": "Sammendrag" } }),
    )
    .await;
    let id = created["measureCreate"]["measure"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    ok(
        app,
        Some(&w.rauma),
        MEASURE_UPDATE,
        json!({ "input": { "id": id, "version": 1, "title": "Versjon to", "summary": null } }),
    )
    .await;
    ok(
        app,
        Some(&w.rauma),
        "mutation($i: MeasurePublishInput!) { measurePublish(input: $i) { measure { status } } }",
        json!({ "i": { "id": id, "version": 2 } }),
    )
    .await;
    const REVISIONS: &str = "query($id: ID!) { node(id: $id) { ... on Measure { version revisions { totalCount nodes { id action nodeVersion actorName actorRole before after } } } } }";
    let data = ok(app, Some(&w.rauma), REVISIONS, json!({ "id": id })).await;
    let revisions = data["node"]["revisions"]["nodes"]
        .as_array()
        .expect("revisions")
        .clone();
    let actions: Vec<&str> = revisions
        .iter()
        .map(|r| r["action"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(actions, ["PUBLISH", "UPDATE", "CREATE"], "newest first");
    let update = &revisions[1];
    assert_eq!(update["before"]["title"], "Versjon en");
    assert_eq!(update["before"]["summary"], "Sammendrag");
    assert_eq!(update["before"]["version"], 1);
    assert_eq!(update["after"]["title"], "Versjon to");
    assert_eq!(update["after"]["summary"], Value::Null);
    assert_eq!(update["actorRole"], "EDITOR");
    assert_eq!(revisions[2]["before"], Value::Null);
    // Revisions need a token that may edit the node.
    let anonymous = app.gql_as(None, REVISIONS, json!({ "id": id })).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    // Restore the first revision: a new version, nothing overwritten.
    const RESTORE: &str =
        "mutation($i: MeasureRestoreRevisionInput!) { measureRestoreRevision(input: $i) {
        measure { title summary version status } revision { action nodeVersion detail } } }";
    let first = revisions[2]["id"].clone();
    refused(
        app,
        Some(&w.moss),
        RESTORE,
        json!({ "i": { "id": id, "revision": first, "version": 3 } }),
        "FORBIDDEN",
    )
    .await;
    refused(
        app,
        Some(&w.rauma),
        RESTORE,
        json!({ "i": { "id": id, "revision": first, "version": 2 } }),
        "CONFLICT",
    )
    .await;
    let restored = ok(
        app,
        Some(&w.rauma),
        RESTORE,
        json!({ "i": { "id": id, "revision": first, "version": 3 } }),
    )
    .await;
    let m = &restored["measureRestoreRevision"];
    assert_eq!(m["measure"]["title"], "Versjon en");
    assert_eq!(m["measure"]["summary"], "Sammendrag");
    assert_eq!(m["measure"]["version"], 4);
    assert_eq!(
        m["measure"]["status"], "PUBLISHED",
        "restoring content does not unpublish"
    );
    assert_eq!(m["revision"]["action"], "RESTORE_REVISION");
    let after = ok(app, Some(&w.rauma), REVISIONS, json!({ "id": id })).await;
    assert_eq!(
        after["node"]["revisions"]["totalCount"], 4,
        "restoring adds a revision: {after}"
    );
    // A revision of another node is refused.
    let (other, _) = node(app, None, "measure(slug: \"rauma-arshjul\")").await;
    let (_, other_version) = node(app, None, "measure(slug: \"rauma-arshjul\")").await;
    refused(
        app,
        Some(&w.rauma),
        RESTORE,
        json!({ "i": { "id": other, "revision": first, "version": other_version } }),
        "VALIDATION",
    )
    .await;
    // Archive and restore.
    const ARCHIVE: &str =
        "mutation($i: MeasureArchiveInput!) { measureArchive(input: $i) { measure { status } } }";
    const UNARCHIVE: &str =
        "mutation($i: MeasureRestoreInput!) { measureRestore(input: $i) { measure { status } } }";
    let archived = ok(
        app,
        Some(&w.rauma),
        ARCHIVE,
        json!({ "i": { "id": id, "version": 4 } }),
    )
    .await;
    assert_eq!(archived["measureArchive"]["measure"]["status"], "ARCHIVED");
    refused(
        app,
        Some(&w.rauma),
        "mutation($i: MeasurePublishInput!) { measurePublish(input: $i) { measure { status } } }",
        json!({ "i": { "id": id, "version": 5 } }),
        "VALIDATION",
    )
    .await;
    let back = ok(
        app,
        Some(&w.rauma),
        UNARCHIVE,
        json!({ "i": { "id": id, "version": 5 } }),
    )
    .await;
    assert_eq!(back["measureRestore"]["measure"]["status"], "DRAFT");
}

on_both!(audit_log_for_admins);
async fn audit_log_for_admins(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, None, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    ok(
        app,
        Some(&w.rauma),
        MEASURE_CREATE,
        json!({ "input": { "plan": plan, "title": "Logget" } }),
    )
    .await;
    let (theme, version) = node(app, None, "theme(slug: \"barnefattigdom\")").await;
    ok(
        app,
        Some(&w.admin),
        "mutation($i: ThemeUpdateInput!) { themeUpdate(input: $i) { theme { id } } }",
        json!({ "i": { "id": theme, "version": version, "description": "Ny" } }),
    )
    .await;
    const LOG: &str = "query($f: AuditLogFilter) { auditLog(filter: $f) { totalCount nodes { nodeType action actorName } } }";
    let all = ok(app, Some(&w.admin), LOG, json!({ "f": null })).await;
    assert_eq!(all["auditLog"]["totalCount"], 2);
    let rauma = ok(
        app,
        Some(&w.admin),
        LOG,
        json!({ "f": { "municipality": "1539" } }),
    )
    .await;
    assert_eq!(rauma["auditLog"]["nodes"][0]["nodeType"], "Measure");
    assert_eq!(rauma["auditLog"]["totalCount"], 1);
    let themes = ok(
        app,
        Some(&w.admin),
        LOG,
        json!({ "f": { "nodeType": "Theme", "actor": "TEST" } }),
    )
    .await;
    assert_eq!(themes["auditLog"]["totalCount"], 1);
    let future = ok(
        app,
        Some(&w.admin),
        LOG,
        json!({ "f": { "from": "2999-01-01T00:00:00Z" } }),
    )
    .await;
    assert_eq!(future["auditLog"]["totalCount"], 0);
    let editor = app.gql_as(Some(&w.rauma), LOG, json!({ "f": null })).await;
    assert_eq!(editor["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let anonymous = app.gql_as(None, LOG, json!({ "f": null })).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}

on_both!(validation_rules);
/// Every validation rule, with a bad value (refused, naming the field, nothing written) and a good one.
async fn validation_rules(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, None, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let long = "x".repeat(501);
    const PLAN_CREATE: &str = "mutation($input: PlanCreateInput!) { planCreate(input: $input) { plan { slug owners { nodes { number } } } } }";
    let plan_input = |extra: Value| {
        let mut input = json!({ "title": "Ny plan", "kind": "THEMATIC_PLAN" });
        if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
            input.extend(extra.clone());
        }
        json!({ "input": input })
    };
    let cases: Vec<(&str, &str, Value, Value, &str)> = vec![
        (
            "measure title blank",
            MEASURE_CREATE,
            json!({ "input": { "plan": plan, "title": "   " } }),
            json!({ "input": { "plan": plan, "title": "Tittel" } }),
            "input.title",
        ),
        (
            "measure title too long",
            MEASURE_CREATE,
            json!({ "input": { "plan": plan, "title": long } }),
            json!({ "input": { "plan": plan, "title": "Kort" } }),
            "input.title",
        ),
        (
            "measure number",
            MEASURE_CREATE,
            json!({ "input": { "plan": plan, "title": "N", "number": 0 } }),
            json!({ "input": { "plan": plan, "title": "N", "number": 12 } }),
            "input.number",
        ),
        (
            "NUL byte",
            MEASURE_CREATE,
            json!({ "input": { "plan": plan, "title": "a\u{0}b" } }),
            json!({ "input": { "plan": plan, "title": "ab" } }),
            "input.title",
        ),
        (
            "slug",
            MEASURE_CREATE,
            json!({ "input": { "plan": plan, "title": "S", "slug": "Ikke Slug" } }),
            json!({ "input": { "plan": plan, "title": "S", "slug": "et-slug" } }),
            "input.slug",
        ),
        (
            "slug taken",
            MEASURE_CREATE,
            json!({ "input": { "plan": plan, "title": "S", "slug": "rauma-arshjul" } }),
            json!({ "input": { "plan": plan, "title": "S", "slug": "et-annet-slug" } }),
            "input.slug",
        ),
        (
            "plan id",
            MEASURE_CREATE,
            json!({ "input": { "plan": "bogus", "title": "T" } }),
            json!({ "input": { "plan": plan, "title": "T" } }),
            "input.plan",
        ),
        (
            "document URL",
            PLAN_CREATE,
            plan_input(json!({ "documentUrl": "not a url" })),
            plan_input(json!({ "documentUrl": "https://rauma.kommune.no/plan.pdf" })),
            "input.documentUrl",
        ),
        (
            "case number",
            PLAN_CREATE,
            plan_input(json!({ "caseNumber": "50/23" })),
            plan_input(json!({ "caseNumber": "PS 50/23" })),
            "input.caseNumber",
        ),
        (
            "archive case number",
            PLAN_CREATE,
            plan_input(json!({ "archiveCaseNumber": "15-545" })),
            plan_input(json!({ "archiveCaseNumber": "2015/545" })),
            "input.archiveCaseNumber",
        ),
        (
            "period",
            PLAN_CREATE,
            plan_input(json!({ "periodStart": 2033, "periodEnd": 2023 })),
            plan_input(json!({ "periodStart": 2023, "periodEnd": 2033 })),
            "input.periodEnd",
        ),
        (
            "year",
            PLAN_CREATE,
            plan_input(json!({ "periodStart": 23 })),
            plan_input(json!({ "periodStart": 2023 })),
            "input.periodStart",
        ),
        (
            "owners kommunenummer",
            PLAN_CREATE,
            plan_input(json!({ "owners": ["15"] })),
            plan_input(json!({ "owners": ["1539"] })),
            "input.owners[0]",
        ),
    ];
    for (name, query, bad, good, field) in cases {
        let error = refused(app, Some(&w.rauma), query, bad, "VALIDATION").await;
        assert_eq!(error["extensions"]["field"], field, "{name}: {error}");
        ok(app, Some(&w.rauma), query, good).await;
    }
    // Unknown enum values and wrong types are refused by GraphQL validation, before anything runs.
    refused(
        app,
        Some(&w.rauma),
        PLAN_CREATE,
        json!({ "input": { "title": "x", "kind": "NOPE" } }),
        "GRAPHQL_VALIDATION_FAILED",
    )
    .await;
    refused(
        app,
        Some(&w.rauma),
        PLAN_CREATE,
        json!({ "input": { "title": "x", "kind": "THEMATIC_PLAN", "adoptedOn": "2023-13-45" } }),
        "GRAPHQL_VALIDATION_FAILED",
    )
    .await;
    // Inputs cannot set server-owned fields.
    refused(
        app,
        Some(&w.rauma),
        MEASURE_CREATE,
        json!({ "input": { "plan": plan, "title": "x", "version": 7 } }),
        "GRAPHQL_VALIDATION_FAILED",
    )
    .await;
    refused(
        app,
        Some(&w.rauma),
        MEASURE_CREATE,
        json!({ "input": { "plan": plan, "title": "x", "createdAt": "2020-01-01T00:00:00Z" } }),
        "GRAPHQL_VALIDATION_FAILED",
    )
    .await;

    // The registry's rules (admins).
    let admin_cases: Vec<(&str, &str, Value, Value, &str)> = vec![
        (
            "Lovdata id",
            "mutation($input: LawCreateInput!) { lawCreate(input: $input) { law { slug } } }",
            json!({ "input": { "lovdataId": "LOV-2021-13-01-5", "shortTitle": "ny lov", "title": "Lov om noe", "kind": "ACT" } }),
            json!({ "input": { "lovdataId": "LOV-2024-01-05-5", "shortTitle": "ny lov", "title": "Lov om noe", "kind": "ACT" } }),
            "input.lovdataId",
        ),
        (
            "organisation number",
            "mutation($input: PublisherCreateInput!) { publisherCreate(input: $input) { publisher { slug } } }",
            json!({ "input": { "name": "Nytt direktorat", "organizationNumber": "983544623" } }),
            json!({ "input": { "name": "Nytt direktorat", "organizationNumber": "983544622" } }),
            "input.organizationNumber",
        ),
        (
            "kommunenummer",
            "mutation($input: MunicipalityCreateInput!) { municipalityCreate(input: $input) { municipality { slug } } }",
            json!({ "input": { "number": "12a4", "name": "Ny kommune", "county": "Agder" } }),
            json!({ "input": { "number": "4201", "name": "Ny kommune", "county": "Agder" } }),
            "input.number",
        ),
        (
            "kommunenummer taken",
            "mutation($input: MunicipalityCreateInput!) { municipalityCreate(input: $input) { municipality { slug } } }",
            json!({ "input": { "number": "1539", "name": "Kopi", "county": "Agder" } }),
            json!({ "input": { "number": "4202", "name": "Kopi", "county": "Agder" } }),
            "input.number",
        ),
        (
            "ages",
            "mutation($input: TargetGroupCreateInput!) { targetGroupCreate(input: $input) { targetGroup { slug } } }",
            json!({ "input": { "label": "Ungdom", "minAge": 19, "maxAge": 13 } }),
            json!({ "input": { "label": "Ungdom", "minAge": 13, "maxAge": 19 } }),
            "input.maxAge",
        ),
        (
            "LOS URI",
            "mutation($input: ThemeCreateInput!) { themeCreate(input: $input) { theme { slug } } }",
            json!({ "input": { "label": "Nytt tema", "losUri": "psi.norge.no/los" } }),
            json!({ "input": { "label": "Nytt tema", "losUri": "http://psi.norge.no/los/tema/barnehage" } }),
            "input.losUri",
        ),
    ];
    for (name, query, bad, good, field) in admin_cases {
        let error = refused(app, Some(&w.admin), query, bad, "VALIDATION").await;
        assert_eq!(error["extensions"]["field"], field, "{name}: {error}");
        ok(app, Some(&w.admin), query, good).await;
    }
    // Section syntax, on a law that exists.
    let (law, _) = node(app, None, "law(lovdataId: \"LOV-2021-06-18-97\")").await;
    const SECTION: &str = "mutation($input: LegalReferenceCreateInput!) { legalReferenceCreate(input: $input) { legalReference { citation } } }";
    let error = refused(
        app,
        Some(&w.admin),
        SECTION,
        json!({ "input": { "law": law, "section": "§ 3-1" } }),
        "VALIDATION",
    )
    .await;
    assert_eq!(error["extensions"]["field"], "input.section");
    refused(
        app,
        Some(&w.admin),
        SECTION,
        json!({ "input": { "law": law, "section": "15-1" } }),
        "VALIDATION",
    )
    .await;
    let created = ok(
        app,
        Some(&w.admin),
        SECTION,
        json!({ "input": { "law": law, "section": "3-1", "paragraph": 2 } }),
    )
    .await;
    assert_eq!(
        created["legalReferenceCreate"]["legalReference"]["citation"],
        "barnevernsloven § 3-1 annet ledd"
    );
}
