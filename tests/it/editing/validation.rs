//! Editing: every validation rule, refused with the field named and nothing written, or accepted.

use crate::common;

use common::{TestApp, merged};
use serde_json::{Value, json};

use super::{HANDLINGSDEL, MEASURE_CREATE, node, ok, refused, who};

on_both!(validation_rules);
/// Every validation rule, with a bad value (refused, naming the field, nothing written) and a good one.
async fn validation_rules(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let long = "x".repeat(501);
    const PLAN_CREATE: &str = "mutation($input: PlanCreateInput!) { planCreate(input: $input) { plan { slug owners { nodes { number } } } } }";
    let plan_input = |extra: Value| {
        let base = json!({ "title": "Ny plan", "kind": "THEMATIC_PLAN" });
        json!({ "input": merged(base, extra) })
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
        let error = refused(&w.rauma, query, bad, "VALIDATION").await;
        assert_eq!(error["extensions"]["field"], field, "{name}: {error}");
        ok(&w.rauma, query, good).await;
    }
    // Unknown enum values and wrong types are refused by GraphQL validation, before anything runs.
    refused(
        &w.rauma,
        PLAN_CREATE,
        json!({ "input": { "title": "x", "kind": "NOPE" } }),
        "GRAPHQL_VALIDATION_FAILED",
    )
    .await;
    refused(
        &w.rauma,
        PLAN_CREATE,
        json!({ "input": { "title": "x", "kind": "THEMATIC_PLAN", "adoptedOn": "2023-13-45" } }),
        "GRAPHQL_VALIDATION_FAILED",
    )
    .await;
    // Inputs cannot set server-owned fields.
    refused(
        &w.rauma,
        MEASURE_CREATE,
        json!({ "input": { "plan": plan, "title": "x", "version": 7 } }),
        "GRAPHQL_VALIDATION_FAILED",
    )
    .await;
    refused(
        &w.rauma,
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
        let error = refused(&w.admin, query, bad, "VALIDATION").await;
        assert_eq!(error["extensions"]["field"], field, "{name}: {error}");
        ok(&w.admin, query, good).await;
    }
    // Section syntax, on a law that exists.
    let (law, _) = node(app, "law(lovdataId: \"LOV-2021-06-18-97\")").await;
    const SECTION: &str = "mutation($input: LegalReferenceCreateInput!) { legalReferenceCreate(input: $input) { legalReference { citation } } }";
    let error = refused(
        &w.admin,
        SECTION,
        json!({ "input": { "law": law, "section": "§ 3-1" } }),
        "VALIDATION",
    )
    .await;
    assert_eq!(error["extensions"]["field"], "input.section");
    refused(
        &w.admin,
        SECTION,
        json!({ "input": { "law": law, "section": "15-1" } }),
        "VALIDATION",
    )
    .await;
    let created = ok(
        &w.admin,
        SECTION,
        json!({ "input": { "law": law, "section": "3-1", "paragraph": 2 } }),
    )
    .await;
    assert_eq!(
        created["legalReferenceCreate"]["legalReference"]["citation"],
        "barnevernsloven § 3-1 annet ledd"
    );
}
