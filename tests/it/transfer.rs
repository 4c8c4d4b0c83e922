//! Export and import of one municipality's content on SQLite and PostgreSQL: a round trip into an empty
//! database reproduces the graph row for row, a repeated import changes nothing, a newer export updates in
//! place, shared nodes converge on the importing installation's own nodes by natural key, a broken document
//! is refused without writing anything, and the real binary does it all from the command line.

mod broken;
mod cli;
mod natural_keys;
mod reimport;
mod round_trip;

use crate::common;

use std::collections::BTreeMap;

use common::TestApp;
use oppvekstgraf_api::transfer::{self, Document, ImportReport};
use oppvekstgraf_entity::{
    self as entity,
    enums::{DerivationMode, Language, ResponsibilityRole, Status, UnitKind},
};
use oppvekstgraf_seed::stable_id;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DbBackend, EntityTrait, FromQueryResult, IntoActiveModel,
    JsonValue, ModelTrait, Statement,
};
use serde_json::json;
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
