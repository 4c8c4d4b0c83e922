//! Editing: drafts hidden through every route, and revisions recorded and restored.

use crate::common;

use common::{Caller, TestApp};
use serde_json::{Value, json};

use super::{HANDLINGSDEL, MEASURE_CREATE, MEASURE_UPDATE, node, ok, refused, who};

on_both!(drafts_stay_hidden_through_every_route);
async fn drafts_stay_hidden_through_every_route(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let id = create(
        &w.rauma,
        json!({ "plan": plan, "title": "Hemmelig utkast" }),
    )
    .await;
    let (unit, _) = node(app, "unit(slug: \"rauma-skolesjef\")").await;
    let section = "legalReference(lovdataId: \"LOV-2021-06-18-97\", section: \"15-1\")";
    let (reference, _) = node(app, section).await;
    const LINK_UNIT: &str =
        "mutation($i: MeasureLinkUnitInput!) { measureLinkUnit(input: $i) { measure { id } } }";
    let lead = json!({ "i": { "measure": id, "unit": unit, "role": "LEAD" } });
    ok(&w.rauma, LINK_UNIT, lead).await;
    const LINK_REFERENCE: &str = "mutation($i: MeasureLinkLegalReferenceInput!) { measureLinkLegalReference(input: $i) { measure { id } } }";
    let cited = json!({ "i": { "measure": id, "legalReference": reference } });
    ok(&w.rauma, LINK_REFERENCE, cited).await;
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
    let other_preview = w.moss.gql_preview(ROUTES, vars.clone()).await;
    assert!(
        !mentions(&other_preview["data"]),
        "another municipality sees a draft: {other_preview}"
    );
    let own_plain = w.rauma.gql(ROUTES, vars.clone()).await;
    assert!(
        !mentions(&own_plain["data"]),
        "without preview the draft stays hidden"
    );
    // The owner's preview shows it everywhere.
    let preview = w.rauma.gql_preview(ROUTES, vars.clone()).await;
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
    let admin_preview = w.admin.gql_preview(ROUTES, vars).await;
    assert_eq!(admin_preview["data"]["node"]["id"], id.as_str());
}

on_both!(revisions_record_and_restore);
async fn revisions_record_and_restore(app: &TestApp) {
    let w = who(app).await;
    let (plan, _) = node(app, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let first = json!({ "plan": plan, "title": "Versjon en", "summary": "Sammendrag" });
    let id = create(&w.rauma, first).await;
    let second =
        json!({ "input": { "id": id, "version": 1, "title": "Versjon to", "summary": null } });
    ok(&w.rauma, MEASURE_UPDATE, second).await;
    ok(&w.rauma, PUBLISH, at(&id, 2)).await;
    const REVISIONS: &str = "query($id: ID!) { node(id: $id) { ... on Measure { version revisions { totalCount nodes { id action nodeVersion actorName actorRole before after } } } } }";
    let data = ok(&w.rauma, REVISIONS, json!({ "id": id })).await;
    let revisions = common::nodes(&data["node"]["revisions"], "revisions").clone();
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
    let restore =
        |version: i64| json!({ "i": { "id": id, "revision": first, "version": version } });
    refused(&w.moss, RESTORE, restore(3), "FORBIDDEN").await;
    refused(&w.rauma, RESTORE, restore(2), "CONFLICT").await;
    let restored = ok(&w.rauma, RESTORE, restore(3)).await;
    let m = &restored["measureRestoreRevision"];
    assert_eq!(m["measure"]["title"], "Versjon en");
    assert_eq!(m["measure"]["summary"], "Sammendrag");
    assert_eq!(m["measure"]["version"], 4);
    assert_eq!(
        m["measure"]["status"], "PUBLISHED",
        "restoring content does not unpublish"
    );
    assert_eq!(m["revision"]["action"], "RESTORE_REVISION");
    let after = ok(&w.rauma, REVISIONS, json!({ "id": id })).await;
    assert_eq!(
        after["node"]["revisions"]["totalCount"], 4,
        "restoring adds a revision: {after}"
    );
    // A revision of another node is refused.
    let (other, _) = node(app, "measure(slug: \"rauma-arshjul\")").await;
    let (_, other_version) = node(app, "measure(slug: \"rauma-arshjul\")").await;
    let other = json!({ "i": { "id": other, "revision": first, "version": other_version } });
    refused(&w.rauma, RESTORE, other, "VALIDATION").await;
    // Archive and restore.
    const ARCHIVE: &str =
        "mutation($i: MeasureArchiveInput!) { measureArchive(input: $i) { measure { status } } }";
    const UNARCHIVE: &str =
        "mutation($i: MeasureRestoreInput!) { measureRestore(input: $i) { measure { status } } }";
    let archived = ok(&w.rauma, ARCHIVE, at(&id, 4)).await;
    assert_eq!(archived["measureArchive"]["measure"]["status"], "ARCHIVED");
    refused(&w.rauma, PUBLISH, at(&id, 5), "VALIDATION").await;
    let back = ok(&w.rauma, UNARCHIVE, at(&id, 5)).await;
    assert_eq!(back["measureRestore"]["measure"]["status"], "DRAFT");
}

const PUBLISH: &str =
    "mutation($i: MeasurePublishInput!) { measurePublish(input: $i) { measure { status } } }";

/// `{ "i": { id, version } }`: the input of a mutation that changes a measure's state.
fn at(id: &str, version: i64) -> Value {
    json!({ "i": { "id": id, "version": version } })
}

/// Creates a measure as `by` from the fields of its input; returns its id.
async fn create(by: &Caller<'_>, input: Value) -> String {
    let created = ok(by, MEASURE_CREATE, json!({ "input": input })).await;
    created["measureCreate"]["measure"]["id"]
        .as_str()
        .expect("id")
        .to_string()
}
