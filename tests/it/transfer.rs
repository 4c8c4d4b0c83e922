//! Export and import of one municipality's content on SQLite and PostgreSQL: a round trip into an empty
//! database reproduces the graph row for row, a repeated import changes nothing, a newer export updates in
//! place, shared nodes converge on the importing installation's own nodes by natural key, a broken document
//! is refused without writing anything, and the real binary does it all from the command line.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Backend, TestApp};
use oppvekstgraf_api::transfer::{self, ChangeAction, Document, ImportReport, ImportedChange};
use oppvekstgraf_entity::{
    self as entity,
    enums::{DerivationMode, Language, LawKind, ResponsibilityRole, Status, UnitKind},
};
use oppvekstgraf_seed::stable_id;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    FromQueryResult, IntoActiveModel, JsonValue, ModelTrait, QueryFilter, Statement,
};
use serde_json::{Value, json};
use uuid::Uuid;

const JOINT_PLAN: &str = "mosseregionen-handlingsplan-vold-i-naere-relasjoner-2022-2025";
const RAUMA_ACTION_PART: &str = "rauma-handlingsdel-oppvekstplan-2023-2033";
const BARNEVERNSLOVEN: &str = "LOV-2021-06-18-97";

/// Fixed ids of the rows [`share`] adds.
const RADE_COUNCIL: Uuid = Uuid::from_u128(0x7261_6465_0000_0000_0000_0000_0000_0001);
const RAUMA_COPY: Uuid = Uuid::from_u128(0x7261_756d_6100_0000_0000_0000_0000_0001);
const RAUMA_DERIVATION: Uuid = Uuid::from_u128(0x7261_756d_6100_0000_0000_0000_0000_0002);
const RAUMA_ADOPTION: Uuid = Uuid::from_u128(0x7261_756d_6100_0000_0000_0000_0000_0003);

fn municipality(number: &str) -> Uuid {
    stable_id("municipality", number)
}

/// Inserts `model` with every column as given.
async fn put<M>(db: &DatabaseConnection, model: M)
where
    M: ModelTrait + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
    <M::Entity as EntityTrait>::ActiveModel: Send,
{
    M::Entity::insert(model.into_active_model().reset_all())
        .exec_without_returning(db)
        .await
        .expect("insert");
}

/// Adds what the seed content does not have: each owner's adoption of the joint plan (Råde's by a unit of
/// Råde), a draft copy in Rauma of a Moss measure with its derivation, a link from that copy to a unit of
/// Moss (deep in Moss's unit tree), and Rauma's adoption by reference of another Moss measure.
async fn share(app: &TestApp) {
    let db = &app.state.db;
    let now = chrono::Utc::now();
    let (moss, rade, valer, rauma) = (
        municipality("3103"),
        municipality("3112"),
        municipality("3114"),
        municipality("1539"),
    );
    put(
        db,
        entity::unit::Model {
            id: RADE_COUNCIL,
            slug: "rade-kommunestyret".into(),
            name: "Kommunestyret".into(),
            kind: UnitKind::PoliticalBody,
            municipality_id: Some(rade),
            parent_id: None,
            description: None,
            status: Status::Published,
            language: Language::Nb,
            version: 1,
            created_at: now,
            updated_at: now,
        },
    )
    .await;
    let joint = stable_id("plan", JOINT_PLAN);
    for (owner, date, unit, case) in [
        (
            moss,
            Some("2022-06-20"),
            Some(stable_id("unit", "moss-kommunestyret")),
            Some("PS-60/22"),
        ),
        (
            rade,
            Some("2022-06-16"),
            Some(RADE_COUNCIL),
            Some("PS 41/22"),
        ),
        (valer, None, None, None),
    ] {
        put(
            db,
            entity::plan_adoption::Model {
                plan_id: joint,
                municipality_id: owner,
                adopted_on: date.map(|d| d.parse().expect("date")),
                adopted_by_id: unit,
                case_number: case.map(Into::into),
                archive_case_number: None,
                updated_at: now,
            },
        )
        .await;
    }
    let source = stable_id(
        "measure",
        "mosseregionen-samordnet-innsats-mot-vold-i-naere-relasjoner",
    );
    put(
        db,
        entity::measure::Model {
            id: RAUMA_COPY,
            slug: "rauma-samordnet-innsats-mot-vold".into(),
            plan_id: Some(stable_id("plan", RAUMA_ACTION_PART)),
            municipality_id: rauma,
            number: None,
            position: 8,
            title: "Samordnet innsats mot vold i nære relasjoner".into(),
            summary: Some("Tilpasset etter Mosseregionens tiltak.".into()),
            body: None,
            frequency: None,
            status: Status::Draft,
            language: Language::Nb,
            version: 1,
            created_at: now,
            updated_at: now,
        },
    )
    .await;
    put(
        db,
        entity::derivation::Model {
            id: RAUMA_DERIVATION,
            node_type: "Measure".into(),
            node_id: RAUMA_COPY,
            source_id: source,
            source_municipality_id: Some(moss),
            source_version: 1,
            mode: DerivationMode::Adapted,
            municipality_id: rauma,
            created_at: now,
            actor_name: "Rauma: oppvekstkoordinator".into(),
            token_id: None,
            upstream_version: 1,
            upstream_snapshot: json!({ "title": "Samordnet innsats mot vold i nære relasjoner" }),
            upstream_synced_at: now,
        },
    )
    .await;
    put(
        db,
        entity::measure_unit::Model {
            measure_id: RAUMA_COPY,
            unit_id: stable_id("unit", "moss-familieteamet"),
            position: 0,
            role: ResponsibilityRole::Participant,
        },
    )
    .await;
    put(
        db,
        entity::adoption::Model {
            id: RAUMA_ADOPTION,
            municipality_id: rauma,
            node_type: "Measure".into(),
            source_id: stable_id("measure", "moss-slt-samarbeid"),
            source_version: 1,
            position: 0,
            created_at: now,
            actor_name: "Rauma: oppvekstkoordinator".into(),
            token_id: None,
        },
    )
    .await;
}

/// A second, empty database on the same engine.
async fn second(app: &TestApp) -> TestApp {
    TestApp::empty(app.backend)
        .await
        .expect("a second database on the same engine")
}

async fn export(app: &TestApp, number: &str) -> Document {
    transfer::export(&app.state.db, number)
        .await
        .unwrap_or_else(|e| panic!("[{:?}] export {number}: {e}", app.backend))
}

async fn import(app: &TestApp, document: &Document) -> ImportReport {
    transfer::import(&app.state.db, document)
        .await
        .unwrap_or_else(|e| panic!("[{:?}] import {}: {e}", app.backend, document.municipality))
}

/// The document's text with `exportedAt` set to `at`'s, to compare two exports.
fn text_as_of(document: &Document, at: &Document) -> String {
    let mut document = document.clone();
    document.exported_at = at.exported_at;
    document.to_json().expect("serialises")
}

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

/// Every row of every table in the database (migrations, tokens, revisions and the change feed included),
/// to compare before and after.
async fn full_dump(app: &TestApp) -> BTreeMap<String, Vec<String>> {
    let db = &app.state.db;
    let backend = db.get_database_backend();
    let list = match backend {
        DbBackend::Postgres => {
            "SELECT table_name::text AS t FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        }
        _ => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
    };
    let tables = JsonValue::find_by_statement(Statement::from_string(backend, list))
        .all(db)
        .await
        .expect("list tables");
    let mut out = BTreeMap::new();
    for table in tables {
        let name = table["t"].as_str().expect("name").to_string();
        let rows = JsonValue::find_by_statement(Statement::from_string(
            backend,
            format!("SELECT * FROM {name}"),
        ))
        .all(db)
        .await
        .expect("dump");
        let mut rows: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
        rows.sort();
        out.insert(name, rows);
    }
    assert!(out.len() >= 38, "{:?}", out.keys());
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
    let events = b
        .gql_with(
            &[
                (
                    "authorization",
                    &format!("Bearer {}", b.token("admin", None).await),
                ),
                ("x-preview", "true"),
            ],
            "{ changes(first: 500) { changes { action nodeType nodeId } } }",
            serde_json::json!({}),
        )
        .await
        .1;
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

on_both!(importing_twice_changes_nothing);
async fn importing_twice_changes_nothing(a: &TestApp) {
    share(a).await;
    let documents = [export(a, "1539").await, export(a, "3103").await];
    let b = second(a).await;
    for document in &documents {
        import(&b, document).await;
    }
    let before = full_dump(&b).await;
    for document in &documents {
        let report = import(&b, document).await;
        assert_eq!((report.created(), report.updated()), (0, 0), "{report}");
        assert!(report.is_noop(), "{report}");
        assert!(
            report.changes.is_empty() && report.skipped.is_empty(),
            "{report}"
        );
        assert!(report.unchanged() > 0 && report.matched() > 0, "{report}");
    }
    assert_eq!(
        full_dump(&b).await,
        before,
        "[{:?}] a second import wrote",
        b.backend
    );
    // Importing a municipality's export into the installation it came from changes nothing either.
    let before = full_dump(a).await;
    for document in &documents {
        assert!(import(a, document).await.is_noop());
    }
    assert_eq!(full_dump(a).await, before);
    b.finish().await;
}

on_both!(a_newer_export_updates_in_place);
async fn a_newer_export_updates_in_place(a: &TestApp) {
    let first = export(a, "1539").await;
    let b = second(a).await;
    import(&b, &first).await;

    // In A: a new title and one theme fewer for Årshjul, as a new version.
    let arshjul = stable_id("measure", "rauma-arshjul");
    let mut measure = entity::measure::Entity::find_by_id(arshjul)
        .one(&a.state.db)
        .await
        .expect("read")
        .expect("årshjul");
    measure.title = "Årshjul for oppvekst".into();
    measure.version += 1;
    measure.updated_at = chrono::Utc::now();
    let version = measure.version;
    entity::measure::Entity::update(measure.into_active_model().reset_all())
        .exec_without_returning(&a.state.db)
        .await
        .expect("update");
    let themes = entity::measure_theme::Entity::find()
        .filter(entity::measure_theme::Column::MeasureId.eq(arshjul))
        .all(&a.state.db)
        .await
        .expect("themes");
    assert!(!themes.is_empty());
    entity::measure_theme::Entity::delete_many()
        .filter(entity::measure_theme::Column::MeasureId.eq(arshjul))
        .filter(entity::measure_theme::Column::ThemeId.eq(themes[0].theme_id))
        .exec(&a.state.db)
        .await
        .expect("unlink");
    let newer = export(a, "1539").await;

    // A dry run reports the update and writes nothing.
    let before = full_dump(&b).await;
    let dry = transfer::import_dry_run(&b.state.db, &newer)
        .await
        .expect("dry run");
    assert_eq!((dry.created(), dry.updated()), (0, 1), "{dry}");
    assert_eq!(full_dump(&b).await, before, "a dry run writes nothing");

    let report = import(&b, &newer).await;
    assert_eq!((report.created(), report.updated()), (0, 1), "{report}");
    assert_eq!(report.owned["measure"].updated, 1, "{report}");
    assert_eq!(report.links["measure_theme"].deleted, 1, "{report}");
    assert_eq!(
        report.changes,
        vec![ImportedChange {
            node_type: "Measure",
            node_id: arshjul,
            action: ChangeAction::Updated,
            version,
            municipality_id: Some(municipality("1539")),
            public: true,
        }]
    );
    let after = full_dump(&b).await;
    for (table, rows) in &before {
        if table != "measure" && table != "measure_theme" && table != "change_event" {
            assert_eq!(&after[table], rows, "[{:?}] {table} changed", b.backend);
        }
    }
    // The update is one new event in the change feed.
    assert_eq!(
        after["change_event"].len(),
        before["change_event"].len() + 1
    );
    let changed = |table: &str| -> (Vec<String>, Vec<String>) {
        let old: BTreeSet<&String> = before[table].iter().collect();
        let new: BTreeSet<&String> = after[table].iter().collect();
        (
            old.difference(&new).map(|s| s.to_string()).collect(),
            new.difference(&old).map(|s| s.to_string()).collect(),
        )
    };
    let (gone, came) = changed("measure");
    assert_eq!((gone.len(), came.len()), (1, 1), "one measure row changed");
    assert!(came[0].contains("Årshjul for oppvekst") && came[0].contains(&arshjul.to_string()));
    let (gone, came) = changed("measure_theme");
    assert_eq!((gone.len(), came.len()), (1, 0), "one theme link removed");
    let in_a = entity::measure::Entity::find_by_id(arshjul)
        .one(&a.state.db)
        .await
        .expect("read");
    let in_b = entity::measure::Entity::find_by_id(arshjul)
        .one(&b.state.db)
        .await
        .expect("read");
    assert_eq!(in_a, in_b, "updated in place with the exported version");

    // The older document now finds a newer local version: kept, reported as skipped, nothing written.
    let report = import(&b, &first).await;
    assert_eq!((report.created(), report.updated()), (0, 0), "{report}");
    assert_eq!(report.skipped.len(), 1, "{report}");
    assert!(report.skipped[0].row.contains(&arshjul.to_string()));
    assert!(report.skipped[0].reason.contains("newer"), "{report}");
    assert_eq!(full_dump(&b).await, after);
    b.finish().await;
}

on_both!(shared_nodes_converge_by_natural_key);
async fn shared_nodes_converge_by_natural_key(a: &TestApp) {
    let document = export(a, "1539").await;
    let exported_law = document
        .shared
        .law
        .iter()
        .find(|l| l.lovdata_id == BARNEVERNSLOVEN)
        .expect("barnevernsloven is exported")
        .id;
    let b = second(a).await;
    // B has its own barnevernsloven and its own § 15-1, under other ids and slugs.
    let now = chrono::Utc::now();
    let law = entity::law::Model {
        id: Uuid::new_v4(),
        slug: "barnevernloven-lokal".into(),
        lovdata_id: BARNEVERNSLOVEN.into(),
        short_title: "bvl.".into(),
        title: "Lov om barnevern (lokal kopi)".into(),
        kind: LawKind::Act,
        in_force_from: None,
        replaced_by_id: None,
        note: None,
        status: Status::Published,
        language: Language::Nb,
        version: 3,
        created_at: now,
        updated_at: now,
    };
    let section = entity::legal_reference::Model {
        id: Uuid::new_v4(),
        slug: "bvl-15-1-lokal".into(),
        law_id: law.id,
        section: "15-1".into(),
        paragraph: None,
        heading: Some("Kommunens plan for forebyggende arbeid".into()),
        note: None,
        natural_key: format!("{BARNEVERNSLOVEN}|15-1|"),
        status: Status::Published,
        language: Language::Nb,
        version: 2,
        created_at: now,
        updated_at: now,
    };
    put(&b.state.db, law.clone()).await;
    put(&b.state.db, section.clone()).await;
    // Reread: the database's own precision of the timestamps.
    let law = entity::law::Entity::find_by_id(law.id)
        .one(&b.state.db)
        .await
        .expect("read")
        .expect("law");
    let section = entity::legal_reference::Entity::find_by_id(section.id)
        .one(&b.state.db)
        .await
        .expect("read")
        .expect("section");

    let report = import(&b, &document).await;
    assert!(report.shared["law"].matched >= 1, "{report}");
    assert!(report.shared["legal_reference"].matched >= 1, "{report}");

    // One barnevernsloven, B's own, unchanged; the same for § 15-1.
    let laws = entity::law::Entity::find()
        .filter(entity::law::Column::LovdataId.eq(BARNEVERNSLOVEN))
        .all(&b.state.db)
        .await
        .expect("laws");
    assert_eq!(laws, vec![law.clone()]);
    assert!(
        entity::law::Entity::find_by_id(exported_law)
            .one(&b.state.db)
            .await
            .expect("read")
            .is_none()
    );
    let sections = entity::legal_reference::Entity::find()
        .filter(entity::legal_reference::Column::NaturalKey.eq(section.natural_key.clone()))
        .all(&b.state.db)
        .await
        .expect("sections");
    assert_eq!(sections, vec![section.clone()]);
    // Every imported reference to barnevernsloven points at B's law …
    let references = entity::legal_reference::Entity::find()
        .filter(
            entity::legal_reference::Column::NaturalKey.starts_with(format!("{BARNEVERNSLOVEN}|")),
        )
        .all(&b.state.db)
        .await
        .expect("references");
    assert!(references.len() >= 3, "{references:?}");
    assert!(
        references.iter().all(|r| r.law_id == law.id),
        "{references:?}"
    );
    // … and the measures cite the same sections as in A, § 15-1 through B's own reference.
    let citing = |db: DatabaseConnection| async move {
        let backend = db.get_database_backend();
        let sql = oppvekstgraf_api::sql::Sql::with(
            "SELECT m.slug AS measure, r.natural_key AS reference, l.lovdata_id AS law, r.slug AS slug \
             FROM measure_legal_reference x JOIN measure m ON m.id = x.measure_id \
             JOIN legal_reference r ON r.id = x.legal_reference_id JOIN law l ON l.id = r.law_id \
             WHERE m.municipality_id = ? ORDER BY m.slug, r.natural_key",
            vec![municipality("1539").into()],
        );
        JsonValue::find_by_statement(sql.build(backend))
            .all(&db)
            .await
            .expect("citations")
    };
    let in_a = citing(a.state.db.clone()).await;
    let in_b = citing(b.state.db.clone()).await;
    let without_ids = |rows: &[Value]| -> Vec<(Value, Value, Value)> {
        rows.iter()
            .map(|r| {
                (
                    r["measure"].clone(),
                    r["reference"].clone(),
                    r["law"].clone(),
                )
            })
            .collect()
    };
    assert!(!in_b.is_empty());
    assert_eq!(without_ids(&in_b), without_ids(&in_a));
    let fifteen_one: Vec<&Value> = in_b
        .iter()
        .filter(|r| r["reference"] == json!(section.natural_key))
        .collect();
    assert!(!fifteen_one.is_empty());
    assert!(
        fifteen_one.iter().all(|r| r["slug"] == json!(section.slug)),
        "{fifteen_one:?}"
    );
    // B's export names B's nodes; importing again changes nothing.
    let from_b = export(&b, "1539").await;
    assert!(from_b.shared.law.iter().any(|l| l.id == law.id));
    assert!(!from_b.shared.law.iter().any(|l| l.id == exported_law));
    assert!(import(&b, &document).await.is_noop());
    b.finish().await;
}

on_both!(a_broken_document_writes_nothing);
async fn a_broken_document_writes_nothing(a: &TestApp) {
    let document = export(a, "1539").await;
    let b = second(a).await;
    import(&b, &export(a, "3103").await).await;
    // A plan of B's own that happens to use the slug of one of Rauma's plans.
    let now = chrono::Utc::now();
    let squatter = Uuid::new_v4();
    put(
        &b.state.db,
        entity::plan::Model {
            id: squatter,
            slug: RAUMA_ACTION_PART.into(),
            title: "En annen plan".into(),
            kind: entity::enums::PlanKind::Other,
            period_start: None,
            period_end: None,
            adopted_on: None,
            adopted_by_id: None,
            case_number: None,
            archive_case_number: None,
            document_url: None,
            summary: None,
            body: None,
            parent_id: None,
            status: Status::Draft,
            language: Language::Nb,
            version: 1,
            created_at: now,
            updated_at: now,
        },
    )
    .await;
    let before = full_dump(&b).await;

    // An unknown format version is refused on reading and on import.
    let mut value = serde_json::to_value(&document).expect("serialises");
    value["version"] = json!(2);
    let err = Document::from_json(&value.to_string()).expect_err("version 2");
    assert!(err.to_string().contains("version 2"), "{err}");
    let mut future = document.clone();
    future.version = 2;
    let err = transfer::import(&b.state.db, &future)
        .await
        .expect_err("version 2");
    assert!(err.to_string().contains("version 2"), "{err}");

    // A malformed id is named by its path.
    let mut value = serde_json::to_value(&document).expect("serialises");
    value["owned"]["measure"][0]["plan_id"] = json!("not-a-uuid");
    let err = Document::from_json(&value.to_string()).expect_err("bad uuid");
    assert!(
        err.to_string().contains("owned.measure[0].plan_id"),
        "{err}"
    );

    // A measure whose plan is in neither the document nor the database.
    let mut orphan = document.clone();
    let missing = Uuid::new_v4();
    let measure = &mut orphan.owned.measure[0];
    measure.plan_id = Some(missing);
    let (measure_id, measure_slug) = (measure.id, measure.slug.clone());
    let err = transfer::import(&b.state.db, &orphan)
        .await
        .expect_err("missing plan");
    let message = err.to_string();
    for part in [
        "owned.measure",
        &measure_id.to_string(),
        &measure_slug,
        "plan_id",
        &missing.to_string(),
    ] {
        assert!(message.contains(part), "{part:?} in {message}");
    }

    // A slug that belongs to a different node here.
    let err = transfer::import(&b.state.db, &document)
        .await
        .expect_err("slug collision");
    let message = err.to_string();
    let rauma_plan = stable_id("plan", RAUMA_ACTION_PART);
    for part in [
        "plan",
        &rauma_plan.to_string(),
        RAUMA_ACTION_PART,
        &squatter.to_string(),
    ] {
        assert!(message.contains(part), "{part:?} in {message}");
    }

    assert_eq!(
        full_dump(&b).await,
        before,
        "[{:?}] a refused import wrote",
        b.backend
    );
    b.finish().await;
}

/// Runs the real binary with `args`; returns (success, stdout, stderr).
fn run(args: &[&str]) -> (bool, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_oppvekstgraf"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run oppvekstgraf");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_cli_exports_to_a_file_and_imports_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = |name: &str| format!("sqlite://{}?mode=rwc", dir.path().join(name).display());
    let (a, b) = (url("a.db"), url("b.db"));
    let file = dir.path().join("rauma.json");
    let file_arg = file.to_str().expect("utf-8 path");

    let (ok, _, err) = run(&["seed", "--database-url", &a]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&[
        "export",
        "--municipality",
        "1539",
        "--database-url",
        &a,
        "--output",
        file_arg,
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&file).expect("export file");
    let document = Document::from_json(&text).expect("a valid document");
    assert_eq!(document.municipality, "1539");
    // Standard output carries the same document.
    let (ok, out, err) = run(&["export", "--municipality", "1539", "--database-url", &a]);
    assert!(ok, "{err}");
    let again = Document::from_json(&out).expect("a valid document");
    assert_eq!(text_as_of(&again, &document), text);

    // A dry run writes nothing; the import then creates everything; a second import changes nothing.
    let (ok, out, err) = run(&["import", "--dry-run", file_arg, "--database-url", &b]);
    assert!(ok, "{err}");
    assert!(out.starts_with("dry run"), "{out}");
    let (ok, out, _) = run(&["export", "--municipality", "1539", "--database-url", &b]);
    assert!(!ok, "the dry run created nothing: {out}");
    let (ok, out, err) = run(&["import", file_arg, "--database-url", &b]);
    assert!(ok, "{err}");
    let summary = out.lines().next().unwrap_or_default();
    assert!(
        summary.contains(" created, 0 updated") && !summary.contains(": 0 created"),
        "{out}"
    );
    let (ok, out, err) = run(&["import", file_arg, "--database-url", &b]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("municipality 1539: 0 created, 0 updated"),
        "{out}"
    );
    let (ok, out, err) = run(&["export", "--municipality", "1539", "--database-url", &b]);
    assert!(ok, "{err}");
    assert_eq!(
        text_as_of(&Document::from_json(&out).expect("valid"), &document),
        text
    );

    // A document of another version fails with a message and a non-zero exit.
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        text.replacen("\"version\": 1", "\"version\": 2", 1),
    )
    .expect("write");
    let (ok, _, err) = run(&[
        "import",
        broken.to_str().expect("utf-8 path"),
        "--database-url",
        &b,
    ]);
    assert!(!ok);
    assert!(err.contains("version 2"), "{err}");
}

/// `value` with every date-time (`createdAt`, `updatedAt`, `exportedAt` …, which the seed load stamps with
/// its own clock) replaced by a placeholder; dates and every other value stay.
fn without_clock(value: &mut Value) {
    match value {
        Value::String(text) if chrono::DateTime::parse_from_rfc3339(text).is_ok() => {
            *text = "<date-time>".into();
        }
        Value::Array(items) => items.iter_mut().for_each(without_clock),
        Value::Object(map) => map.values_mut().for_each(without_clock),
        _ => {}
    }
}

on_both!(the_seed_exports_as_the_golden_files);
/// The export of the seed content is fixed in `tests/golden/`, byte for byte but for the load's clock: a
/// change to how the graph is read, declared or written must not move it. After a deliberate change to the
/// content or the format, write the files again with `OPPVEKSTGRAF_WRITE_GOLDEN=1 cargo test --test it transfer::`.
async fn the_seed_exports_as_the_golden_files(app: &TestApp) {
    for number in ["1539", "3103"] {
        let mut value = serde_json::to_value(export(app, number).await).expect("serialises");
        without_clock(&mut value);
        let text = serde_json::to_string_pretty(&value).expect("serialises") + "\n";
        let path = format!(
            "{}/tests/golden/export-{number}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        if std::env::var_os("OPPVEKSTGRAF_WRITE_GOLDEN").is_some() && app.backend == Backend::Sqlite
        {
            std::fs::write(&path, &text).expect("write the golden file");
        }
        let golden = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(
            text == golden,
            "[{:?}] the export of {number} differs from {path}",
            app.backend
        );
    }
}
