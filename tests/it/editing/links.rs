//! Editing: links between nodes respect tenants on both ends, through every route.

use crate::common;

use common::TestApp;
use serde_json::json;

use super::{HANDLINGSDEL, node, ok, refused, who};

on_both!(links_respect_tenants);
async fn links_respect_tenants(app: &TestApp) {
    let w = who(app).await;
    let (measure, _) = node(app, None, "measure(slug: \"rauma-arshjul\")").await;
    let (own_unit, _) = node(app, None, "unit(slug: \"rauma-skolesjef\")").await;
    let (moss_unit, _) = node(app, None, "unit(slug: \"moss-helsestasjonen\")").await;
    let national = app
        .data(
            r#"{ units(filter: { national: true }, first: 1) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    let national = national["units"]["nodes"][0]["id"]
        .as_str()
        .expect("a national unit")
        .to_string();
    const LINK: &str = "mutation($input: MeasureLinkUnitInput!) { measureLinkUnit(input: $input) {
        measure { version units { edges { role node { slug } } } } revision { action detail } } }";
    const UNLINK: &str = "mutation($input: MeasureUnlinkUnitInput!) { measureUnlinkUnit(input: $input) { measure { units { totalCount } } } }";
    // Linking another municipality's unit to your measure is refused.
    refused(
        app,
        Some(&w.rauma),
        LINK,
        json!({ "input": { "measure": measure, "unit": moss_unit, "role": "PARTICIPANT" } }),
        "FORBIDDEN",
    )
    .await;
    // Linking your measure as another municipality's editor is refused.
    refused(
        app,
        Some(&w.moss),
        LINK,
        json!({ "input": { "measure": measure, "unit": moss_unit, "role": "LEAD" } }),
        "FORBIDDEN",
    )
    .await;
    refused(
        app,
        None,
        LINK,
        json!({ "input": { "measure": measure, "unit": own_unit, "role": "LEAD" } }),
        "UNAUTHENTICATED",
    )
    .await;
    let linked = ok(
        app,
        Some(&w.rauma),
        LINK,
        json!({ "input": { "measure": measure, "unit": own_unit, "role": "PARTICIPANT" } }),
    )
    .await;
    let edges = linked["measureLinkUnit"]["measure"]["units"]["edges"]
        .as_array()
        .expect("edges")
        .clone();
    assert!(
        edges
            .iter()
            .any(|e| e["node"]["slug"] == "rauma-skolesjef" && e["role"] == "PARTICIPANT")
    );
    assert_eq!(linked["measureLinkUnit"]["revision"]["action"], "LINK");
    assert_eq!(
        linked["measureLinkUnit"]["revision"]["detail"]["relation"],
        "units"
    );
    ok(
        app,
        Some(&w.rauma),
        LINK,
        json!({ "input": { "measure": measure, "unit": national, "role": "PARTICIPANT" } }),
    )
    .await;
    // Linking shared registry content is fine; it must exist.
    let (theme, _) = node(app, None, "theme(slug: \"barnefattigdom\")").await;
    const THEME: &str = "mutation($input: MeasureLinkThemeInput!) { measureLinkTheme(input: $input) { measure { themes { nodes { slug } } } } }";
    ok(
        app,
        Some(&w.rauma),
        THEME,
        json!({ "input": { "measure": measure, "theme": theme } }),
    )
    .await;
    let (missing_theme, _) = (
        common::base64("Theme:00000000-0000-4000-8000-000000000000"),
        0,
    );
    refused(
        app,
        Some(&w.rauma),
        THEME,
        json!({ "input": { "measure": measure, "theme": missing_theme } }),
        "VALIDATION",
    )
    .await;
    let before = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Measure { units { totalCount } } } }",
            json!({ "id": measure }),
        )
        .await;
    ok(
        app,
        Some(&w.rauma),
        UNLINK,
        json!({ "input": { "measure": measure, "unit": own_unit } }),
    )
    .await;
    let after = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Measure { units { totalCount } } } }",
            json!({ "id": measure }),
        )
        .await;
    assert_eq!(
        after["node"]["units"]["totalCount"].as_i64(),
        before["node"]["units"]["totalCount"]
            .as_i64()
            .map(|n| n - 1)
    );
    refused(
        app,
        Some(&w.rauma),
        UNLINK,
        json!({ "input": { "measure": measure, "unit": own_unit } }),
        "VALIDATION",
    )
    .await;

    // Plan owners: only admins change them, and a plan keeps at least one owner.
    let (plan, _) = node(app, None, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let (rauma, _) = node(app, None, "municipality(number: \"1539\")").await;
    let (molde, _) = node(app, None, "municipality(number: \"1506\")").await;
    const OWNER: &str = "mutation($input: PlanLinkOwnerInput!) { planLinkOwner(input: $input) { plan { owners { nodes { number } } } } }";
    const UNOWNER: &str = "mutation($input: PlanUnlinkOwnerInput!) { planUnlinkOwner(input: $input) { plan { owners { nodes { number } } } } }";
    refused(
        app,
        Some(&w.rauma),
        OWNER,
        json!({ "input": { "plan": plan, "municipality": molde } }),
        "FORBIDDEN",
    )
    .await;
    let joint = ok(
        app,
        Some(&w.admin),
        OWNER,
        json!({ "input": { "plan": plan, "municipality": molde } }),
    )
    .await;
    assert_eq!(
        joint["planLinkOwner"]["plan"]["owners"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    refused(
        app,
        Some(&w.rauma),
        UNOWNER,
        json!({ "input": { "plan": plan, "municipality": molde } }),
        "FORBIDDEN",
    )
    .await;
    ok(
        app,
        Some(&w.admin),
        UNOWNER,
        json!({ "input": { "plan": plan, "municipality": molde } }),
    )
    .await;
    refused(
        app,
        Some(&w.admin),
        UNOWNER,
        json!({ "input": { "plan": plan, "municipality": rauma } }),
        "VALIDATION",
    )
    .await;
    // Members of a forum: the same municipality's units, or national ones.
    let (forum, _) = node(app, None, "unit(slug: \"rauma-oppvekstforum\")").await;
    const MEMBER: &str = "mutation($input: UnitLinkMemberInput!) { unitLinkMember(input: $input) { unit { members { totalCount } } } }";
    refused(
        app,
        Some(&w.rauma),
        MEMBER,
        json!({ "input": { "unit": forum, "member": moss_unit, "role": "MEMBER" } }),
        "FORBIDDEN",
    )
    .await;
    ok(
        app,
        Some(&w.rauma),
        MEMBER,
        json!({ "input": { "unit": forum, "member": national, "role": "INVITED" } }),
    )
    .await;
    // Registry relations are for admins.
    let (guidance, _) = node(app, None, "guidance(code: \"IS-2826\")").await;
    let (publisher, _) = node(app, None, "publisher(slug: \"barneombudet\")").await;
    const PUBLISHER: &str = "mutation($input: GuidanceLinkPublisherInput!) { guidanceLinkPublisher(input: $input) { guidance { publishers { totalCount } } } }";
    refused(
        app,
        Some(&w.rauma),
        PUBLISHER,
        json!({ "input": { "guidance": guidance, "publisher": publisher } }),
        "FORBIDDEN",
    )
    .await;
    ok(
        app,
        Some(&w.admin),
        PUBLISHER,
        json!({ "input": { "guidance": guidance, "publisher": publisher } }),
    )
    .await;
    let (region, _) = node(app, None, "region(slug: \"mosseregionen\")").await;
    const REGION: &str = "mutation($input: RegionLinkMemberInput!) { regionLinkMember(input: $input) { region { members { totalCount } } } }";
    refused(
        app,
        Some(&w.moss),
        REGION,
        json!({ "input": { "region": region, "municipality": molde } }),
        "FORBIDDEN",
    )
    .await;
    let grown = ok(
        app,
        Some(&w.admin),
        REGION,
        json!({ "input": { "region": region, "municipality": molde } }),
    )
    .await;
    assert_eq!(
        grown["regionLinkMember"]["region"]["members"]["totalCount"],
        4
    );
}
