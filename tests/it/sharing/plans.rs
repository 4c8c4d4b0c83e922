//! Sharing: copying a plan, each owner's adoption of a joint plan, and a single owner's own adoption.

use crate::common;

use common::{Caller, TestApp, Who, merged};
use serde_json::{Value, json};

use super::{JOINT_PLAN, RAUMA_PLAN, ok, plan, preview, refused, who};

on_both!(copying_a_plan_and_joint_plan_adoptions);
async fn copying_a_plan_and_joint_plan_adoptions(app: &TestApp) {
    let w = who(app).await;
    let (rauma_plan, _) = plan(app, RAUMA_PLAN).await;
    const COUNTS: &str = "query($s: String) { plan(slug: $s) { measures { totalCount } goals { totalCount } legalReferences { totalCount } } }";
    let published = ok(&w.anonymous, COUNTS, json!({ "s": RAUMA_PLAN })).await;
    let plan_adopt = "mutation($i: PlanAdoptInput!) { planAdopt(input: $i) { copiedMeasures
        plan { id slug status adoptedOn owners { nodes { number } } goals { totalCount } legalReferences { totalCount }
          measures(first: 100) { totalCount nodes { number derivation { mode sourceMunicipality { number } } } } }
        derivation { mode sourceMunicipality { number } } adoption { sourceType } } }";
    // With a preview, so the payload shows the copy's draft measures.
    let translation = json!({ "i": { "source": rauma_plan, "kind": "COPY", "mode": "TRANSLATED", "language": "NN" } });
    let copied = preview(&w.rade, plan_adopt, translation).await["planAdopt"].clone();
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
    let reference = json!({ "i": { "source": rauma_plan, "kind": "REFERENCE" } });
    let referenced = ok(&w.rade, plan_adopt, reference).await;
    assert_eq!(referenced["planAdopt"]["adoption"]["sourceType"], "Plan");
    const RADE_PLANS: &str = "{ municipality(number: \"3112\") { plans { nodes { slug } } own: plans(includeAdopted: false) { totalCount } } }";
    let plans = ok(&w.anonymous, RADE_PLANS, json!({})).await;
    let slugs: Vec<&str> = common::nodes(&plans["municipality"]["plans"], "plans")
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
    joint_plan_adoptions(app, &w).await;
}

/// Joint plan: each owner records its own adoption, and each owner's listing shows the plan.
async fn joint_plan_adoptions(app: &TestApp, w: &Who<'_>) {
    let (joint, version) = plan(app, JOINT_PLAN).await;
    let set = "mutation($i: PlanAdoptionSetInput!) { planAdoptionSet(input: $i) { plan { version }
        adoption { adoptedOn caseNumber municipality { number } } revision { action detail } } }";
    let adoption = |version: i64, fields: Value| {
        let base = json!({ "plan": joint, "version": version });
        json!({ "i": merged(base, fields) })
    };
    let not_owner = adoption(version, json!({ "adoptedOn": "2022-06-20" }));
    refused(&w.rauma, set, not_owner, "FORBIDDEN", None).await;
    const COUNCIL: &str = "{ unit(slug: \"moss-kommunestyret\") { id } }";
    let moss_council = ok(&w.anonymous, COUNCIL, json!({})).await["unit"]["id"].clone();
    let by_moss_council = adoption(version, json!({ "adoptedBy": moss_council }));
    refused(
        &w.rade,
        set,
        by_moss_council,
        "VALIDATION",
        "input.adoptedBy",
    )
    .await;
    let rade = json!({ "adoptedOn": "2022-06-20", "caseNumber": "PS 31/22" });
    let done = ok(&w.rade, set, adoption(version, rade)).await;
    assert_eq!(
        done["planAdoptionSet"]["adoption"]["municipality"]["number"],
        "3112"
    );
    assert_eq!(done["planAdoptionSet"]["plan"]["version"], version + 1);
    assert_eq!(done["planAdoptionSet"]["revision"]["action"], "UPDATE");
    let stale = adoption(version, json!({ "adoptedOn": "2022-06-01" }));
    refused(&w.moss, set, stale, "CONFLICT", None).await;
    let moss =
        json!({ "adoptedOn": "2022-06-01", "adoptedBy": moss_council, "caseNumber": "PS-50/22" });
    ok(&w.moss, set, adoption(version + 1, moss)).await;
    const ADOPTIONS: &str = "query($s: String) { plan(slug: $s) { adoptions { municipality { number } adoptedOn caseNumber adoptedBy { slug } } } }";
    let adoptions = ok(&w.anonymous, ADOPTIONS, json!({ "s": JOINT_PLAN })).await;
    assert_eq!(
        adoptions["plan"]["adoptions"],
        json!([
            { "municipality": { "number": "3103" }, "adoptedOn": "2022-06-01", "caseNumber": "PS-50/22", "adoptedBy": { "slug": "moss-kommunestyret" } },
            { "municipality": { "number": "3112" }, "adoptedOn": "2022-06-20", "caseNumber": "PS 31/22", "adoptedBy": null },
            { "municipality": { "number": "3114" }, "adoptedOn": null, "caseNumber": null, "adoptedBy": null }
        ])
    );
    // Each owner's listing shows the joint plan.
    const OWN_PLANS: &str = "query($n: String) { municipality(number: $n) { plans(includeAdopted: false, first: 100) { nodes { slug } } } }";
    for number in ["3103", "3112", "3114"] {
        let listed = ok(&w.anonymous, OWN_PLANS, json!({ "n": number })).await;
        let found = common::nodes(&listed["municipality"]["plans"], "plans")
            .iter()
            .any(|p| p["slug"] == JOINT_PLAN);
        assert!(found, "{number} lists the joint plan");
    }
}

on_both!(a_single_owner_plan_shows_its_own_adoption);
async fn a_single_owner_plan_shows_its_own_adoption(app: &TestApp) {
    const OWN_ADOPTION: &str =
        "{ plan(slug: \"rauma-oppvekstplan-2023-2033\") { adoptedOn caseNumber
            adoptions { municipality { number } adoptedOn caseNumber adoptedBy { slug } } } }";
    let data = ok(&Caller::anonymous(app), OWN_ADOPTION, json!({})).await;
    let plan = &data["plan"];
    assert_eq!(plan["adoptedOn"], "2023-06-22");
    assert_eq!(
        plan["adoptions"],
        json!([{ "municipality": { "number": "1539" }, "adoptedOn": "2023-06-22", "caseNumber": plan["caseNumber"], "adoptedBy": { "slug": "rauma-kommunestyret" } }])
    );
}
