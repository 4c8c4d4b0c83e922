//! Editing: drafts hidden through every route, and revisions recorded and restored.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

use super::{HANDLINGSDEL, MEASURE_CREATE, MEASURE_UPDATE, node, ok, refused, who};

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
