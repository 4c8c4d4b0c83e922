//! Sharing: adopting measures by reference.

use crate::common;

use common::{TestApp, merged};
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
        let reference = json!({ "source": source, "kind": "REFERENCE" });
        json!({ "input": merged(reference, extra) })
    };
    let plain = || input(json!({}));
    // Refusals, each writing nothing.
    refused(&w.anonymous, ADOPT, plain(), "UNAUTHENTICATED", None).await;
    refused(&w.moss, ADOPT, plain(), "VALIDATION", "input.source").await;
    let adapted = input(json!({ "mode": "ADAPTED" }));
    refused(&w.rade, ADOPT, adapted, "VALIDATION", "input.mode").await;
    refused(&w.admin, ADOPT, plain(), "VALIDATION", "input.municipality").await;

    let adopted = ok(&w.rade, ADOPT, plain()).await["measureAdopt"].clone();
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
    refused(&w.rade, ADOPT, plain(), "VALIDATION", "input.source").await;

    // Råde lists it among its measures (read-only: its owner is Moss); not when asked for its own only.
    let listed = ok(&w.anonymous, RADE_MEASURES, json!({ "all": true })).await;
    let measures = &listed["municipality"]["measures"];
    assert_eq!(measures["totalCount"], 1);
    assert_eq!(measures["nodes"][0]["slug"], MOSS_MEASURE);
    assert_eq!(measures["nodes"][0]["municipality"]["number"], "3103");
    assert_eq!(
        listed["municipality"]["adoptions"][0]["sourceStatus"],
        "PUBLISHED"
    );
    let own = ok(&w.anonymous, RADE_MEASURES, json!({ "all": false })).await;
    assert_eq!(own["municipality"]["measures"]["totalCount"], 0);
    // Råde cannot change Moss's measure through the adoption.
    const UPDATE: &str =
        "mutation($i: MeasureUpdateInput!) { measureUpdate(input: $i) { measure { id } } }";
    let hijack = json!({ "i": { "id": source, "version": version, "title": "Kapret" } });
    refused(&w.rade, UPDATE, hijack, "FORBIDDEN", None).await;
    // The source shows who reused it.
    const REUSED: &str = "query($s: String) { measure(slug: $s) { reusedBy { kind mode sourceVersion municipality { number } copy { id } } } }";
    let reused = ok(&w.anonymous, REUSED, json!({ "s": MOSS_MEASURE })).await;
    assert_eq!(
        reused["measure"]["reusedBy"],
        json!([{ "kind": "REFERENCE", "mode": null, "sourceVersion": version, "municipality": { "number": "3112" }, "copy": null }])
    );

    // Moss archives its measure: Råde's reference keeps resolving, and Råde sees that it was archived.
    const ARCHIVE: &str =
        "mutation($i: MeasureArchiveInput!) { measureArchive(input: $i) { measure { status } } }";
    ok(
        &w.moss,
        ARCHIVE,
        json!({ "i": { "id": source, "version": version } }),
    )
    .await;
    const ID: &str = "query($s: String) { measure(slug: $s) { id } }";
    let gone = ok(&w.anonymous, ID, json!({ "s": MOSS_MEASURE })).await;
    assert_eq!(
        gone["measure"],
        Value::Null,
        "archived content is gone for readers"
    );
    let listed = ok(&w.anonymous, RADE_MEASURES, json!({ "all": true })).await;
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
    let given_up = json!({ "i": { "source": source } });
    let done = ok(&w.rade, unadopt, given_up.clone()).await;
    assert_eq!(done["measureUnadopt"]["revision"]["action"], "UNADOPT");
    let listed = ok(&w.anonymous, RADE_MEASURES, json!({ "all": true })).await;
    assert_eq!(listed["municipality"]["measures"]["totalCount"], 0);
    assert_eq!(listed["municipality"]["adoptions"], json!([]));
    refused(&w.rade, unadopt, given_up, "VALIDATION", "input.source").await;

    // A draft cannot be adopted: others do not even see it.
    const CREATE: &str =
        "mutation($i: MeasureCreateInput!) { measureCreate(input: $i) { measure { id } } }";
    let utkast = json!({ "i": { "plan": plan(app, RAUMA_PLAN).await.0, "title": "Utkast" } });
    let draft = ok(&w.rauma, CREATE, utkast).await;
    let draft = draft["measureCreate"]["measure"]["id"].clone();
    let draft = json!({ "input": { "source": draft, "kind": "REFERENCE" } });
    refused(&w.rade, ADOPT, draft, "VALIDATION", "input.source").await;
}
