//! Editing: the role × mutation × tenant matrix, and creating and updating every kind of node across tenants.

use crate::common;

use common::{Caller, TestApp, merged};
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
    let denied = "UNAUTHENTICATED";
    for (by, own, other, registry) in [
        (&w.anonymous, denied, denied, denied),
        (&w.rauma, "OK", "FORBIDDEN", "FORBIDDEN"),
    ] {
        let (id, version) = node(app, rauma_measure).await;
        check(by, MEASURE_UPDATE, update(&id, version), own).await;
        let (id, version) = node(app, moss_measure).await;
        check(by, MEASURE_UPDATE, update(&id, version), other).await;
        let (id, version) = node(app, theme).await;
        check(by, THEME_UPDATE, theme_update(&id, version), registry).await;
    }
    let (id, version) = node(app, theme).await;
    check(&w.admin, THEME_UPDATE, theme_update(&id, version), "OK").await;
    let (id, version) = node(app, moss_measure).await;
    check(&w.admin, MEASURE_UPDATE, update(&id, version), "OK").await;

    // Publication states: the other municipality's editor is refused, the owner may.
    let (id, version) = node(app, moss_measure).await;
    check(&w.rauma, UNPUBLISH, at(&id, version), "FORBIDDEN").await;
    check(&w.moss, UNPUBLISH, at(&id, version), "OK").await;
    // Now a draft: to Rauma's editor it does not exist at all.
    check(&w.rauma, UNPUBLISH, at(&id, version + 1), "NOT_FOUND").await;
    let (id, version) = node(app, theme).await;
    check(&w.rauma, THEME_ARCHIVE, at(&id, version), "FORBIDDEN").await;
    check(&w.admin, THEME_ARCHIVE, at(&id, version), "OK").await;

    // Create in the registry: admins only.
    const THEME_CREATE: &str = "mutation($input: ThemeCreateInput!) { themeCreate(input: $input) { theme { slug status } } }";
    let label = json!({ "input": { "label": "Skolevegring" } });
    check(&w.rauma, THEME_CREATE, label.clone(), "FORBIDDEN").await;
    check(&w.admin, THEME_CREATE, label, "OK").await;

    // Plans and units of another municipality, reached by their global IDs.
    let (plan, version) = node(app, &format!("plan(slug: \"{JOINT_PLAN}\")")).await;
    const PLAN_UPDATE: &str = "mutation($input: PlanUpdateInput!) { planUpdate(input: $input) { plan { title version } } }";
    let summary =
        |text: &str| json!({ "input": { "id": plan, "version": version, "summary": text } });
    check(&w.rauma, PLAN_UPDATE, summary("x"), "FORBIDDEN").await;
    // Every owner of a joint plan may edit it.
    check(&w.moss, PLAN_UPDATE, summary("Felles plan"), "OK").await;
    let (unit, version) = node(app, "unit(slug: \"moss-helsestasjonen\")").await;
    const UNIT_UPDATE: &str =
        "mutation($input: UnitUpdateInput!) { unitUpdate(input: $input) { unit { name } } }";
    let rename = json!({ "input": { "id": unit, "version": version, "name": "x" } });
    check(&w.rauma, UNIT_UPDATE, rename, "FORBIDDEN").await;
    // A Moss ID where a Rauma plan is expected is still a Moss node.
    let (rauma_plan, _) = node(app, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let intruder = json!({ "input": { "plan": rauma_plan, "title": "Inntrenger" } });
    check(&w.moss, MEASURE_CREATE, intruder, "FORBIDDEN").await;
    // An ID of the wrong type is a validation error.
    let wrong_type = json!({ "input": { "id": unit, "version": 1, "title": "x" } });
    check(&w.rauma, MEASURE_UPDATE, wrong_type, "VALIDATION").await;
}

/// `{ "input": { id, version } }`: the input of a mutation that changes a node's state.
fn at(id: &str, version: i64) -> Value {
    json!({ "input": { "id": id, "version": version } })
}

/// Checks one matrix cell: "OK" or an error code (with the database unchanged).
async fn check(by: &Caller<'_>, query: &str, variables: Value, expect: &str) {
    if expect == "OK" {
        ok(by, query, variables).await;
    } else {
        refused(by, query, variables, expect).await;
    }
}

on_both!(create_and_update_across_tenants);
/// Creating and changing every other kind of node: own municipality, another one, the registry.
async fn create_and_update_across_tenants(app: &TestApp) {
    let w = who(app).await;
    const UNIT_CREATE: &str = "mutation($input: UnitCreateInput!) { unitCreate(input: $input) { unit { slug status municipality { number } } } }";
    let unit = |name: &str, kind: &str, extra: Value| {
        let base = json!({ "name": name, "kind": kind });
        json!({ "input": merged(base, extra) })
    };
    let team = unit("Familieteamet", "SERVICE", json!({}));
    let created = ok(&w.rauma, UNIT_CREATE, team).await;
    assert_eq!(
        created["unitCreate"]["unit"]["municipality"]["number"],
        "1539"
    );
    let moss_unit = unit("X", "SERVICE", json!({ "municipality": "3103" }));
    refused(&w.rauma, UNIT_CREATE, moss_unit, "VALIDATION").await;
    let partner = |name: &str| unit(name, "EXTERNAL_PARTNER", json!({ "national": true }));
    refused(&w.rauma, UNIT_CREATE, partner("X"), "FORBIDDEN").await;
    let national = ok(&w.admin, UNIT_CREATE, partner("Statsforvalteren")).await;
    assert_eq!(national["unitCreate"]["unit"]["municipality"], Value::Null);
    const GOAL_CREATE: &str = "mutation($input: GoalCreateInput!) { goalCreate(input: $input) { goal { position plan { slug } } } }";
    let (moss_plan, _) = node(
        app,
        "plan(slug: \"moss-kommuneplanens-samfunnsdel-2020-2030\")",
    )
    .await;
    let goal = |focus_area: &str, statement: &str| json!({ "input": { "plan": moss_plan, "focusArea": focus_area, "statement": statement } });
    refused(&w.rauma, GOAL_CREATE, goal("X", "Y"), "FORBIDDEN").await;
    let goal = ok(&w.moss, GOAL_CREATE, goal("Oppvekst", "Alle barn mestrer")).await;
    assert_eq!(
        goal["goalCreate"]["goal"]["position"], 3,
        "appended after the three goals"
    );
    const PLAN_CREATE: &str = "mutation($input: PlanCreateInput!) { planCreate(input: $input) { plan { owners { nodes { number } } } } }";
    let joint = json!({ "input": { "title": "Felles", "kind": "ACTION_PLAN", "owners": ["1539", "1506"] } });
    refused(&w.rauma, PLAN_CREATE, joint.clone(), "FORBIDDEN").await;
    let joint = ok(&w.admin, PLAN_CREATE, joint).await;
    assert_eq!(
        joint["planCreate"]["plan"]["owners"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // The registry and the municipalities themselves: admins only, even for your own municipality.
    let (rauma, version) = node(app, "municipality(number: \"1539\")").await;
    const MUNICIPALITY: &str = "mutation($input: MunicipalityUpdateInput!) { municipalityUpdate(input: $input) { municipality { name version } } }";
    let name = json!({ "input": { "id": rauma, "version": version, "name": "Rauma kommune" } });
    refused(&w.rauma, MUNICIPALITY, name.clone(), "FORBIDDEN").await;
    ok(&w.admin, MUNICIPALITY, name).await;
    const LAW: &str = "mutation($input: LawCreateInput!) { lawCreate(input: $input) { law { lovdataId status } } }";
    let law = json!({ "input": { "lovdataId": "LOV-2025-06-20-99", "shortTitle": "testloven", "title": "Lov om test", "kind": "ACT" } });
    refused(&w.rauma, LAW, law.clone(), "FORBIDDEN").await;
    refused(&w.anonymous, LAW, law.clone(), "UNAUTHENTICATED").await;
    let created = ok(&w.admin, LAW, law).await;
    assert_eq!(created["lawCreate"]["law"]["status"], "DRAFT");
    let (concept, version) = node(app, "concept(slug: \"bekymring\")").await;
    const CONCEPT: &str = "mutation($input: ConceptUpdateInput!) { conceptUpdate(input: $input) { concept { altLabels } } }";
    let labels = json!({ "input": { "id": concept, "version": version, "altLabels": ["Uro"] } });
    refused(&w.moss, CONCEPT, labels.clone(), "FORBIDDEN").await;
    let updated = ok(&w.admin, CONCEPT, labels).await;
    assert_eq!(
        updated["conceptUpdate"]["concept"]["altLabels"],
        json!(["Uro"])
    );
}
