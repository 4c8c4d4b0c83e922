//! Sharing: adopting by copy, following upstream changes, and the provenance a copy carries as linked data.

use crate::common;

use common::{TestApp, Who};
use serde_json::{Value, json};

use super::{ADOPT, MOSS_MEASURE, RAUMA_PLAN, measure, ok, plan, preview, refused, who};

const DERIVATION: &str =
    "query($id: ID!) { node(id: $id) { ... on Measure { id version title summary body status
    derivation { sourceVersion upstreamVersion mode upstreamChanged sourceStatus
      upstreamDiff { field copied upstream local } source { id } } } } }";

on_both!(adopting_by_copy_and_following_upstream);
async fn adopting_by_copy_and_following_upstream(app: &TestApp) {
    let w = who(app).await;
    let (source, version) = measure(app, MOSS_MEASURE).await;
    let (rauma_plan, _) = plan(app, RAUMA_PLAN).await;
    const LINKS: &str = "query($s: String) { measure(slug: $s) { legalReferences { totalCount } themes { totalCount } units { totalCount } } }";
    let source_links = ok(&w.anonymous, LINKS, json!({ "s": MOSS_MEASURE })).await;
    // Another municipality's plan is refused as the copy's plan.
    let (moss_plan, _) = plan(app, "moss-oppvekstportal").await;
    let into_moss_plan =
        json!({ "input": { "source": source, "kind": "COPY", "plan": moss_plan } });
    refused(&w.rauma, ADOPT, into_moss_plan, "FORBIDDEN", None).await;

    let adapted = json!({ "input": { "source": source, "kind": "COPY", "mode": "ADAPTED", "plan": rauma_plan } });
    let copied = ok(&w.rauma, ADOPT, adapted).await["measureAdopt"].clone();
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
    let anonymous = ok(&w.anonymous, reused, json!({ "s": MOSS_MEASURE })).await;
    assert_eq!(anonymous["measure"]["reusedBy"], json!([]));
    let owner = preview(&w.rauma, reused, json!({ "s": MOSS_MEASURE })).await;
    assert_eq!(
        owner["measure"]["reusedBy"],
        json!([{ "kind": "COPY", "mode": "ADAPTED", "municipality": { "number": "1539" }, "copy": { "id": copy } }])
    );

    follow_upstream(&w, &source, version, &copy).await;
}

/// Rauma adapts its copy of Moss's measure `source` (at `version`), Moss changes the source, and Rauma
/// takes in part of the change and dismisses the rest; then Moss archives the source.
async fn follow_upstream(w: &Who<'_>, source: &str, version: i64, copy: &str) {
    let at = |id: &str, version: i64| json!({ "i": { "id": id, "version": version } });
    // Rauma adapts its copy; then Moss changes the source's title and body.
    let update =
        "mutation($i: MeasureUpdateInput!) { measureUpdate(input: $i) { measure { version } } }";
    let own_text = json!({ "i": { "id": copy, "version": 1, "summary": "Raumas egen tekst" } });
    ok(&w.rauma, update, own_text).await;
    const TITLE: &str = "query($s: String) { measure(slug: $s) { title } }";
    let original_title =
        ok(&w.anonymous, TITLE, json!({ "s": MOSS_MEASURE })).await["measure"]["title"].clone();
    let revised = json!({ "i": { "id": source, "version": version, "title": "Samlet oversikt (revidert)", "body": "Ny tekst fra Moss" } });
    ok(&w.moss, update, revised).await;
    let state = preview(&w.rauma, DERIVATION, json!({ "id": copy })).await;
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
    let fields = |names: Value| json!({ "i": { "id": copy, "version": 2, "fields": names } });
    let frequency = fields(json!(["frequency"]));
    refused(&w.rauma, accept, frequency, "VALIDATION", "input.fields[0]").await;
    refused(&w.rauma, accept, at(copy, 1), "CONFLICT", None).await;
    refused(&w.moss, accept, at(copy, 2), "NOT_FOUND", None).await;
    let the_source = at(source, version + 1);
    refused(&w.moss, accept, the_source, "VALIDATION", "input.id").await;
    let taken =
        ok(&w.rauma, accept, fields(json!(["title"]))).await["measureUpstreamAccept"].clone();
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
    let dismissed = ok(&w.rauma, dismiss, at(copy, 3)).await["measureUpstreamDismiss"].clone();
    assert_eq!(dismissed["measure"]["body"], Value::Null);
    assert_eq!(dismissed["measure"]["version"], 4);
    assert_eq!(dismissed["derivation"]["upstreamChanged"], false);
    assert_eq!(dismissed["revision"]["action"], "UPSTREAM_DISMISS");
    refused(&w.rauma, dismiss, at(copy, 4), "VALIDATION", "input.id").await;

    // Moss archives the source: the copy is unaffected and shows where it came from.
    const ARCHIVE: &str =
        "mutation($i: MeasureArchiveInput!) { measureArchive(input: $i) { measure { status } } }";
    ok(&w.moss, ARCHIVE, at(source, version + 1)).await;
    let state = preview(&w.rauma, DERIVATION, json!({ "id": copy })).await;
    assert_eq!(state["node"]["title"], "Samlet oversikt (revidert)");
    assert_eq!(state["node"]["derivation"]["sourceStatus"], "ARCHIVED");
    assert_eq!(state["node"]["derivation"]["source"]["id"], json!(source));
    // A later upstream change to the archived source is still visible to the copy.
    const RESTORE: &str =
        "mutation($i: MeasureRestoreInput!) { measureRestore(input: $i) { measure { status } } }";
    ok(&w.admin, RESTORE, at(source, version + 2)).await;
}

on_both!(a_copy_carries_its_provenance_as_linked_data);
async fn a_copy_carries_its_provenance_as_linked_data(app: &TestApp) {
    let w = who(app).await;
    let (source, version) = measure(app, MOSS_MEASURE).await;
    let translated = json!({ "input": { "source": source, "kind": "COPY", "mode": "TRANSLATED" } });
    let copied = ok(&w.rauma, ADOPT, translated).await;
    let copy = copied["measureAdopt"]["measure"]["id"]
        .as_str()
        .expect("copy")
        .to_string();
    const PUBLISH: &str =
        "mutation($i: MeasurePublishInput!) { measurePublish(input: $i) { measure { status } } }";
    ok(
        &w.rauma,
        PUBLISH,
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
