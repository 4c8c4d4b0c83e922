//! Editing: the role × mutation × tenant matrix, and creating and updating every kind of node across tenants.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

use super::{HANDLINGSDEL, JOINT_PLAN, MEASURE_CREATE, MEASURE_UPDATE, node, ok, refused, who};

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
