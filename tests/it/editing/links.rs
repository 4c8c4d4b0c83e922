//! Editing: links between nodes respect tenants on both ends, through every route.

use crate::common;

use common::TestApp;
use serde_json::json;

use super::{HANDLINGSDEL, node, ok, refused, who};

on_both!(links_respect_tenants);
async fn links_respect_tenants(app: &TestApp) {
    let w = who(app).await;
    let (measure, _) = node(app, "measure(slug: \"rauma-arshjul\")").await;
    let (own_unit, _) = node(app, "unit(slug: \"rauma-skolesjef\")").await;
    let (moss_unit, _) = node(app, "unit(slug: \"moss-helsestasjonen\")").await;
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
    let link = |unit: &str, role: &str| json!({ "input": { "measure": measure, "unit": unit, "role": role } });
    // Linking another municipality's unit to your measure is refused.
    refused(&w.rauma, LINK, link(&moss_unit, "PARTICIPANT"), "FORBIDDEN").await;
    // Linking your measure as another municipality's editor is refused.
    refused(&w.moss, LINK, link(&moss_unit, "LEAD"), "FORBIDDEN").await;
    refused(
        &w.anonymous,
        LINK,
        link(&own_unit, "LEAD"),
        "UNAUTHENTICATED",
    )
    .await;
    let linked = ok(&w.rauma, LINK, link(&own_unit, "PARTICIPANT")).await;
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
    ok(&w.rauma, LINK, link(&national, "PARTICIPANT")).await;
    // Linking shared registry content is fine; it must exist.
    let (theme, _) = node(app, "theme(slug: \"barnefattigdom\")").await;
    const THEME: &str = "mutation($input: MeasureLinkThemeInput!) { measureLinkTheme(input: $input) { measure { themes { nodes { slug } } } } }";
    let link_theme = |theme: &str| json!({ "input": { "measure": measure, "theme": theme } });
    ok(&w.rauma, THEME, link_theme(&theme)).await;
    let (missing_theme, _) = (
        common::base64("Theme:00000000-0000-4000-8000-000000000000"),
        0,
    );
    refused(&w.rauma, THEME, link_theme(&missing_theme), "VALIDATION").await;
    const UNITS: &str =
        "query($id: ID!) { node(id: $id) { ... on Measure { units { totalCount } } } }";
    let before = app.data(UNITS, json!({ "id": measure })).await;
    let unlink = json!({ "input": { "measure": measure, "unit": own_unit } });
    ok(&w.rauma, UNLINK, unlink.clone()).await;
    let after = app.data(UNITS, json!({ "id": measure })).await;
    assert_eq!(
        after["node"]["units"]["totalCount"].as_i64(),
        before["node"]["units"]["totalCount"]
            .as_i64()
            .map(|n| n - 1)
    );
    refused(&w.rauma, UNLINK, unlink, "VALIDATION").await;

    // Plan owners: only admins change them, and a plan keeps at least one owner.
    let (plan, _) = node(app, &format!("plan(slug: \"{HANDLINGSDEL}\")")).await;
    let (rauma, _) = node(app, "municipality(number: \"1539\")").await;
    let (molde, _) = node(app, "municipality(number: \"1506\")").await;
    const OWNER: &str = "mutation($input: PlanLinkOwnerInput!) { planLinkOwner(input: $input) { plan { owners { nodes { number } } } } }";
    const UNOWNER: &str = "mutation($input: PlanUnlinkOwnerInput!) { planUnlinkOwner(input: $input) { plan { owners { nodes { number } } } } }";
    let owner =
        |municipality: &str| json!({ "input": { "plan": plan, "municipality": municipality } });
    refused(&w.rauma, OWNER, owner(&molde), "FORBIDDEN").await;
    let joint = ok(&w.admin, OWNER, owner(&molde)).await;
    assert_eq!(
        joint["planLinkOwner"]["plan"]["owners"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    refused(&w.rauma, UNOWNER, owner(&molde), "FORBIDDEN").await;
    ok(&w.admin, UNOWNER, owner(&molde)).await;
    refused(&w.admin, UNOWNER, owner(&rauma), "VALIDATION").await;
    // Members of a forum: the same municipality's units, or national ones.
    let (forum, _) = node(app, "unit(slug: \"rauma-oppvekstforum\")").await;
    const MEMBER: &str = "mutation($input: UnitLinkMemberInput!) { unitLinkMember(input: $input) { unit { members { totalCount } } } }";
    let member = |unit: &str, role: &str| json!({ "input": { "unit": forum, "member": unit, "role": role } });
    refused(&w.rauma, MEMBER, member(&moss_unit, "MEMBER"), "FORBIDDEN").await;
    ok(&w.rauma, MEMBER, member(&national, "INVITED")).await;
    // Registry relations are for admins.
    let (guidance, _) = node(app, "guidance(code: \"IS-2826\")").await;
    let (publisher, _) = node(app, "publisher(slug: \"barneombudet\")").await;
    const PUBLISHER: &str = "mutation($input: GuidanceLinkPublisherInput!) { guidanceLinkPublisher(input: $input) { guidance { publishers { totalCount } } } }";
    let published = json!({ "input": { "guidance": guidance, "publisher": publisher } });
    refused(&w.rauma, PUBLISHER, published.clone(), "FORBIDDEN").await;
    ok(&w.admin, PUBLISHER, published).await;
    let (region, _) = node(app, "region(slug: \"mosseregionen\")").await;
    const REGION: &str = "mutation($input: RegionLinkMemberInput!) { regionLinkMember(input: $input) { region { members { totalCount } } } }";
    let joined = json!({ "input": { "region": region, "municipality": molde } });
    refused(&w.moss, REGION, joined.clone(), "FORBIDDEN").await;
    let grown = ok(&w.admin, REGION, joined).await;
    assert_eq!(
        grown["regionLinkMember"]["region"]["members"]["totalCount"],
        4
    );
}
