//! Sharing: adopting measures by reference.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

use super::{ADOPT, MOSS_MEASURE, RAUMA_PLAN, measure, ok, plan, refused, who};

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
