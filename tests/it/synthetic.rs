//! `seed --synthetic`: exact row counts at a small scale, 2-3 units and legal references per measure,
//! the same rows from two fresh databases (and from both engines), a second run that writes nothing, a run
//! with other settings refused, and the API serving the synthetic content.

use crate::common;

use oppvekstgraf_seed::synthetic::{self, Outcome, Params};
use serde_json::{Value, json};

/// 3 municipalities × 2 plans × 3 measures, 4 units each.
fn small() -> Params {
    Params {
        municipalities: 3,
        plans_per_municipality: 2,
        measures_per_plan: 3,
        units_per_municipality: 4,
        rng_seed: 1,
    }
}

/// The integer columns `columns` of every row `sql` returns.
async fn ints(app: &common::TestApp, sql: &str, columns: &[&str]) -> Vec<Vec<i64>> {
    let rows = app.query_all(sql).await.expect("query");
    rows.iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| row.try_get::<i64>("", c).expect("an integer"))
                .collect()
        })
        .collect()
}

async fn count(app: &common::TestApp, sql: &str) -> i64 {
    ints(app, sql, &["n"]).await[0][0]
}

const SYNTHETIC: &str = "SELECT id FROM municipality WHERE number >= '6000'";

on_both!(exact_counts_and_links, empty);
async fn exact_counts_and_links(app: &common::TestApp) {
    let summary = synthetic::run(&app.state.db, &small())
        .await
        .expect("synthetic load");
    assert_eq!(summary.outcome, Outcome::Written);
    assert!(
        summary.seed.is_some(),
        "an empty database gets the seed content first"
    );
    let expected = [
        ("municipality", 3),
        ("unit", 12),
        ("plan", 6),
        ("plan_owner", 6),
        ("goal", 12),
        ("measure", 18),
        ("plan_legal_reference", 12),
        ("plan_guidance", 6),
        ("plan_theme", 6),
        ("plan_target_group", 6),
        ("measure_guidance", 18),
        ("measure_theme", 18),
        ("measure_target_group", 18),
    ];
    for (table, n) in expected {
        assert_eq!(summary.count(table), n, "[{:?}] {table}", app.backend);
    }
    // The seed content is all there, and the synthetic rows beside it.
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM municipality").await,
        6 + 3
    );
    assert_eq!(
        count(
            app,
            &format!("SELECT COUNT(*) AS n FROM measure WHERE municipality_id IN ({SYNTHETIC})")
        )
        .await,
        18
    );
    assert_eq!(
        count(
            app,
            &format!("SELECT COUNT(*) AS n FROM unit WHERE municipality_id IN ({SYNTHETIC})")
        )
        .await,
        12
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) AS n FROM unit WHERE slug LIKE '6001-%' AND parent_id IS NOT NULL"
        )
        .await,
        2,
        "the heads of sector sit under the chief executive"
    );
    // Extra sections of the real acts, cited beside the seed content's own.
    let extra = summary.count("legal_reference");
    assert!(extra > 200, "{extra}");
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM legal_reference").await,
        16 + extra as i64
    );

    // 2-3 distinct units per measure, the first the lead; 2-3 legal references.
    let per_measure = ints(
        app,
        &format!(
            "SELECT \
               (SELECT COUNT(*) FROM measure_unit x WHERE x.measure_id = m.id) AS units, \
               (SELECT COUNT(*) FROM measure_unit x WHERE x.measure_id = m.id AND x.role = 'lead') AS leads, \
               (SELECT COUNT(*) FROM measure_unit x WHERE x.measure_id = m.id AND x.role = 'lead' AND x.position = 0) AS first_leads, \
               (SELECT COUNT(*) FROM measure_legal_reference x WHERE x.measure_id = m.id) AS refs \
             FROM measure m WHERE m.municipality_id IN ({SYNTHETIC})"
        ),
        &["units", "leads", "first_leads", "refs"],
    )
    .await;
    assert_eq!(per_measure.len(), 18);
    let (mut units, mut refs) = (0, 0);
    for m in &per_measure {
        let [n, leads, first_leads, r] = m[..] else {
            panic!("{m:?}")
        };
        assert!((2..=3).contains(&n), "{m:?}");
        assert_eq!((leads, first_leads), (1, 1), "one lead, first: {m:?}");
        assert!((2..=3).contains(&r), "{m:?}");
        units += n;
        refs += r;
    }
    assert_eq!(summary.count("measure_unit") as i64, units);
    assert_eq!(summary.count("measure_legal_reference") as i64, refs);
    // A measure's units belong to its municipality.
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) AS n FROM measure_unit x JOIN measure m ON m.id = x.measure_id \
             JOIN unit u ON u.id = x.unit_id WHERE u.municipality_id <> m.municipality_id"
        )
        .await,
        0
    );
    // Everything synthetic is published, version 1.
    for table in ["municipality", "unit", "plan", "goal", "measure"] {
        assert_eq!(
            count(
                app,
                &format!(
                    "SELECT COUNT(*) AS n FROM {table} WHERE slug LIKE '6%' AND (status <> 'published' OR version <> 1)"
                )
            )
            .await,
            0,
            "{table}"
        );
    }
}

/// A dump without the seed content's load times (the seed loader stamps its rows with the current time).
async fn dump_without_seed_times(app: &common::TestApp) -> Value {
    let mut dump = app.dump().await;
    for rows in dump.as_object_mut().expect("tables").values_mut() {
        for row in rows.as_array_mut().expect("rows") {
            let mut parsed: Value =
                serde_json::from_str(row.as_str().expect("a row")).expect("json row");
            let synthetic = parsed["created_at"]
                .as_str()
                .is_some_and(|t| t.starts_with("2026-01-01"));
            if let Some(object) = parsed.as_object_mut()
                && !synthetic
            {
                object.remove("created_at");
                object.remove("updated_at");
            }
            *row = Value::String(parsed.to_string());
        }
        let mut sorted: Vec<Value> = rows.as_array().cloned().unwrap_or_default();
        sorted.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        *rows = Value::Array(sorted);
    }
    dump
}

on_both!(two_fresh_databases_get_the_same_rows, empty);
async fn two_fresh_databases_get_the_same_rows(app: &common::TestApp) {
    synthetic::run(&app.state.db, &small())
        .await
        .expect("first database");
    let other = common::TestApp::empty(app.backend)
        .await
        .expect("a second database");
    synthetic::run(&other.state.db, &small())
        .await
        .expect("second database");
    let (a, b) = (
        dump_without_seed_times(app).await,
        dump_without_seed_times(&other).await,
    );
    other.finish().await;
    assert_eq!(a["measure"].as_array().map(Vec::len), Some(18 + 12));
    assert_eq!(
        a, b,
        "[{:?}] the same arguments give the same rows",
        app.backend
    );
}

on_both!(
    a_second_run_writes_nothing_and_other_settings_are_refused,
    empty
);
async fn a_second_run_writes_nothing_and_other_settings_are_refused(app: &common::TestApp) {
    synthetic::run(&app.state.db, &small())
        .await
        .expect("first run");
    let before = app.dump().await;
    let again = synthetic::run(&app.state.db, &small())
        .await
        .expect("second run");
    assert_eq!(again.outcome, Outcome::AlreadyPresent);
    assert!(again.seed.is_none());
    assert_eq!(again.total(), 0);
    assert_eq!(app.dump().await, before, "nothing changed");
    for other in [
        Params {
            rng_seed: 2,
            ..small()
        },
        Params {
            municipalities: 4,
            ..small()
        },
        Params {
            measures_per_plan: 4,
            ..small()
        },
    ] {
        let err = synthetic::run(&app.state.db, &other)
            .await
            .expect_err("other settings over existing synthetic data");
        let message = format!("{err:#}");
        assert!(message.contains("other settings"), "{message}");
        assert!(message.contains("fresh database"), "{message}");
    }
    assert_eq!(app.dump().await, before, "nothing changed");
    // Out-of-range settings are refused before anything is read.
    let err = synthetic::run(
        &app.state.db,
        &Params {
            units_per_municipality: 2,
            ..small()
        },
    )
    .await
    .expect_err("two units cannot give three per measure");
    assert!(
        format!("{err:#}").contains("--units-per-municipality"),
        "{err:#}"
    );
}

const MUNICIPALITY: &str = r#"query($number: String!) {
  municipality(number: $number) {
    uuid number name county organizationNumber slug createdAt version status
    units(first: 1) { totalCount }
    plans(first: 3) {
      totalCount
      edges { node {
        uuid slug title kind periodStart periodEnd adoptedOn adoptedBy { name } owners(first: 1) { totalCount }
        goals(first: 1) { totalCount }
        themes(first: 1) { totalCount } targetGroups(first: 1) { totalCount } guidance(first: 1) { totalCount }
        legalReferences(first: 1) { totalCount }
        measures(first: 4) {
          totalCount
          edges { node {
            uuid slug number position title summary frequency createdAt
            units(first: 4) { edges { role node { slug name municipality { number } } } }
            legalReferences(first: 4) { totalCount edges { node { citation section law { lovdataId } } } }
            themes(first: 1) { totalCount } targetGroups(first: 1) { totalCount } guidance(first: 1) { totalCount }
          } }
        }
      } }
    }
  }
}"#;

on_both!(the_api_serves_the_synthetic_content, empty);
async fn the_api_serves_the_synthetic_content(app: &common::TestApp) {
    synthetic::run(&app.state.db, &small())
        .await
        .expect("synthetic load");
    for number in ["6001", "6002", "6003"] {
        let data = app.data(MUNICIPALITY, json!({ "number": number })).await;
        let m = &data["municipality"];
        assert_eq!(m["number"], number);
        assert_eq!(m["status"], "PUBLISHED");
        assert_eq!(m["version"], 1);
        assert!(
            m["createdAt"]
                .as_str()
                .is_some_and(|t| t.starts_with("2026-01-01T00:00:00"))
        );
        assert_eq!(m["units"]["totalCount"], 4);
        assert_eq!(m["plans"]["totalCount"], 2);
        for plan in m["plans"]["edges"].as_array().expect("plans") {
            let plan = &plan["node"];
            assert_eq!(plan["owners"]["totalCount"], 1);
            assert_eq!(plan["goals"]["totalCount"], 2);
            assert_eq!(plan["legalReferences"]["totalCount"], 2);
            assert_eq!(plan["themes"]["totalCount"], 1);
            assert_eq!(plan["adoptedBy"]["name"], "Kommunestyret");
            assert_eq!(plan["measures"]["totalCount"], 3);
            let measures = plan["measures"]["edges"].as_array().expect("measures");
            for (i, measure) in measures.iter().enumerate() {
                let measure = &measure["node"];
                assert_eq!(measure["position"], i);
                assert_eq!(measure["number"], i + 1);
                assert!(
                    measure["title"]
                        .as_str()
                        .is_some_and(|t| t.starts_with(&format!("Tiltak {}: ", i + 1))),
                    "{measure}"
                );
                let units = measure["units"]["edges"].as_array().expect("units");
                assert!((2..=3).contains(&units.len()), "{measure}");
                assert_eq!(units[0]["role"], "LEAD");
                assert!(units[1..].iter().all(|u| u["role"] == "PARTICIPANT"));
                assert!(
                    units
                        .iter()
                        .all(|u| u["node"]["municipality"]["number"] == number)
                );
                let refs = measure["legalReferences"]["totalCount"].as_i64();
                assert!(matches!(refs, Some(2 | 3)), "{measure}");
                assert_eq!(measure["themes"]["totalCount"], 1);
                assert_eq!(measure["targetGroups"]["totalCount"], 1);
                assert_eq!(measure["guidance"]["totalCount"], 1);
            }
        }
    }
    // Lists and filters see the synthetic nodes too: the seed content's 12 measures and 18 more.
    let data = app
        .data(
            r#"{ measures(first: 1) { totalCount } municipalities { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["measures"]["totalCount"], 12 + 18);
    assert_eq!(data["municipalities"]["totalCount"], 6 + 3);
}

/// The same arguments give the same content on SQLite and on PostgreSQL, as the API serves it.
#[tokio::test]
async fn both_engines_get_the_same_content() {
    let sqlite = common::TestApp::empty(common::Backend::Sqlite)
        .await
        .expect("sqlite");
    let Some(postgres) = common::TestApp::empty(common::Backend::Postgres).await else {
        sqlite.finish().await;
        return;
    };
    let mut served = Vec::new();
    for app in [&sqlite, &postgres] {
        synthetic::run(&app.state.db, &small())
            .await
            .expect("synthetic load");
        let mut all = Vec::new();
        for number in ["6001", "6002", "6003"] {
            all.push(app.data(MUNICIPALITY, json!({ "number": number })).await);
        }
        served.push(all);
    }
    sqlite.finish().await;
    postgres.finish().await;
    assert_eq!(served[0], served[1]);
}
