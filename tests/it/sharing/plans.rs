//! Sharing: copying a plan, each owner's adoption of a joint plan, and a single owner's own adoption.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

use super::{JOINT_PLAN, RAUMA_PLAN, ok, plan, preview, refused, who};

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
