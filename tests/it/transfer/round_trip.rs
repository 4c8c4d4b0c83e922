//! Transfer: a round trip into an empty database reproduces the graph row for row.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use common::TestApp;
use oppvekstgraf_api::transfer::{ChangeAction, Document};
use oppvekstgraf_entity::{self as entity, enums::Status};
use oppvekstgraf_seed::stable_id;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Statement};

use super::{
    JOINT_PLAN, RADE_COUNCIL, RAUMA_COPY, export, full_dump, import, second, share, text_as_of,
};

/// Rows per table of one or more documents (shared and owned together), each as JSON text.
fn document_rows(documents: &[&Document]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for document in documents {
        let value = serde_json::to_value(document).expect("serialises");
        for section in ["shared", "owned"] {
            let tables = value[section].as_object().expect("section").clone();
            for (table, rows) in tables {
                let set = out.entry(table).or_default();
                for row in rows.as_array().expect("rows") {
                    set.insert(row.to_string());
                }
            }
        }
    }
    out
}

/// The rows of every link table of the catalog, as the export writes them.
async fn link_rows(db: &DatabaseConnection) -> BTreeMap<String, BTreeSet<String>> {
    let backend = db.get_database_backend();
    let mut out = BTreeMap::new();
    for link in oppvekstgraf_catalog::LINKS {
        let (left, right) = (link.left.column, link.right.column);
        let role = if link.has_role() { ", role" } else { "" };
        let sql = format!("SELECT {left}, {right}, position{role} FROM {}", link.table);
        let rows = db
            .query_all_raw(Statement::from_string(backend, sql))
            .await
            .expect("read");
        let rows = rows.iter().map(|row| {
            let uuid = |column: &str| row.try_get::<uuid::Uuid>("", column).expect("uuid");
            let mut value = serde_json::json!({
                left: uuid(left),
                right: uuid(right),
                "position": row.try_get::<i32>("", "position").expect("position"),
            });
            if link.has_role() {
                value["role"] = row.try_get::<String>("", "role").expect("role").into();
            }
            value.to_string()
        });
        out.insert(link.table.to_string(), rows.collect());
    }
    out
}

/// Every row of every table a document carries, each as JSON text: node and record rows through their
/// entities, the rows of every link table of the catalog under its own column names.
async fn database_rows(db: &DatabaseConnection) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = link_rows(db).await;
    macro_rules! tables {
        ($($module:ident),*) => {$(
            let rows = entity::$module::Entity::find().all(db).await.expect("read");
            out.insert(
                stringify!($module).to_string(),
                rows.iter()
                    .map(|r| serde_json::to_value(r).expect("serialises").to_string())
                    .collect::<BTreeSet<_>>(),
            );
        )*};
    }
    tables!(
        municipality,
        municipality_former_number,
        region,
        publisher,
        theme,
        target_group,
        law,
        legal_reference,
        guidance,
        concept,
        unit,
        plan,
        plan_adoption,
        goal,
        measure,
        adoption,
        derivation
    );
    out
}

/// Asserts two row maps are equal, naming the first table that differs and its extra and missing rows.
fn assert_same_rows(
    backend: common::Backend,
    actual: &BTreeMap<String, BTreeSet<String>>,
    expected: &BTreeMap<String, BTreeSet<String>>,
) {
    let tables: BTreeSet<&String> = actual.keys().chain(expected.keys()).collect();
    let empty = BTreeSet::new();
    for table in tables {
        let a = actual.get(table).unwrap_or(&empty);
        let e = expected.get(table).unwrap_or(&empty);
        let extra: Vec<&String> = a.difference(e).collect();
        let missing: Vec<&String> = e.difference(a).collect();
        assert!(
            extra.is_empty() && missing.is_empty(),
            "[{backend:?}] {table}: rows here but not in the documents: {extra:#?}\nrows in the documents but not here: {missing:#?}"
        );
    }
}

on_both!(round_trip_into_an_empty_database);
async fn round_trip_into_an_empty_database(a: &TestApp) {
    share(a).await;
    let rauma = export(a, "1539").await;
    let moss = export(a, "3103").await;

    // Two exports of the same data differ only in exportedAt.
    assert_eq!(
        text_as_of(&export(a, "1539").await, &rauma),
        rauma.to_json().expect("serialises")
    );
    // What the documents hold: drafts, the joint plan with every owner and adoption, units of other
    // municipalities (Råde's council; Moss's family team with its parents), adoptions and derivations.
    assert!(
        rauma
            .owned
            .measure
            .iter()
            .any(|m| m.id == RAUMA_COPY && m.status == Status::Draft)
    );
    assert_eq!(rauma.owned.derivation.len(), 1);
    assert_eq!(rauma.owned.adoption.len(), 1);
    let shared_units: Vec<&str> = rauma.shared.unit.iter().map(|u| u.slug.as_str()).collect();
    for slug in [
        "moss-familieteamet",
        "moss-enhet-kultur-aktivitet-og-mestring",
        "moss-overste-administrative-ledelse",
    ] {
        assert!(shared_units.contains(&slug), "{slug} in {shared_units:?}");
    }
    let joint = stable_id("plan", JOINT_PLAN);
    assert!(moss.owned.plan.iter().any(|p| p.id == joint));
    assert_eq!(
        moss.owned
            .links
            .rows(oppvekstgraf_catalog::LinkDef::get("plan_owner"))
            .iter()
            .filter(|o| o.left == joint)
            .count(),
        3
    );
    assert_eq!(moss.owned.plan_adoption.len(), 3);
    assert!(moss.shared.unit.iter().any(|u| u.id == RADE_COUNCIL));
    let numbers: BTreeSet<&str> = moss
        .shared
        .municipality
        .iter()
        .map(|m| m.number.as_str())
        .collect();
    assert!(numbers.is_superset(&BTreeSet::from(["3103", "3112", "3114"])));
    assert_eq!(
        moss.shared.municipality_former_number.len(),
        3,
        "3002, 3017, 3018"
    );

    let b = second(a).await;
    for document in [&rauma, &moss] {
        let report = import(&b, document).await;
        assert_eq!(report.updated(), 0, "{report}");
        assert!(report.skipped.is_empty(), "{report}");
        assert!(report.created() > 0, "{report}");
        assert!(
            report
                .changes
                .iter()
                .all(|c| c.action == ChangeAction::Created),
            "{report}"
        );
    }
    // Node for node: the rows in B are exactly the documents' rows (same ids, same values, versions and
    // timestamps included).
    assert_same_rows(
        b.backend,
        &database_rows(&b.state.db).await,
        &document_rows(&[&rauma, &moss]),
    );
    // No revisions were written; the change feed has one event per imported node, in write order.
    let dump = full_dump(&b).await;
    assert!(dump["revision"].is_empty());
    let admin = b.token("admin", None).await;
    let changes = "{ changes(first: 500) { changes { action nodeType nodeId } } }";
    let events = b.gql_preview(&admin, changes, serde_json::json!({})).await;
    let events = events["data"]["changes"]["changes"]
        .as_array()
        .expect("events")
        .len();
    assert!(
        events > 0 && events == dump["change_event"].len(),
        "{events} events"
    );
    // And B exports what A exported.
    for document in [&rauma, &moss] {
        assert_eq!(
            text_as_of(&export(&b, &document.municipality).await, document),
            document.to_json().expect("serialises"),
            "[{:?}] export of {} from B",
            b.backend,
            document.municipality
        );
    }
    b.finish().await;
}
