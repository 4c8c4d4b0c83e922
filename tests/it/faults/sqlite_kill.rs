//! Faults: a SQLite writer killed mid-write leaves a consistent database.

use std::{
    process::Command,
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::json;

use super::{Api, HANDLINGSDEL, graphql, scalar_i64};

// ---------------------------------------------------------------------------------------------------------
// SQLite: a writer killed mid-write

const CREATE: &str =
    "mutation($input: MeasureCreateInput!) { measureCreate(input: $input) { measure { uuid } } }";

/// The crash test's measures without a revision.
const WITHOUT_REVISION: &str = "SELECT COUNT(*) FROM measure m WHERE m.title LIKE 'Krasjtest %' \
     AND NOT EXISTS (SELECT 1 FROM revision r WHERE r.node_id = m.id)";
/// The crash test's revisions without a measure.
const ORPHAN_REVISIONS: &str = "SELECT COUNT(*) FROM revision r WHERE r.actor_name = 'Krasjtest' \
     AND NOT EXISTS (SELECT 1 FROM measure m WHERE m.id = r.node_id)";
/// The crash test's revisions without a change event.
const WITHOUT_EVENT: &str = "SELECT COUNT(*) FROM revision r WHERE r.actor_name = 'Krasjtest' \
     AND NOT EXISTS (SELECT 1 FROM change_event e WHERE e.revision_id = r.id)";

/// Writers create measures as fast as they can while the process is SIGKILLed. Afterwards the file passes
/// `integrity_check` and `foreign_key_check`, every acknowledged measure is there, every measure has its
/// revision and change event (no half-written mutation), and the binary serves from the file again.
#[tokio::test]
async fn sqlite_killed_mid_write_leaves_a_consistent_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("og.db").display());
    let token = Command::new(env!("CARGO_BIN_EXE_oppvekstgraf"))
        .args(["token", "create", "--role", "admin", "--name", "Krasjtest"])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("token create");
    let stderr = String::from_utf8_lossy(&token.stderr);
    assert!(token.status.success(), "{stderr}");
    let token = String::from_utf8_lossy(&token.stdout).trim().to_string();
    let mut api = Api::start(&url, dir.path(), true, &[]).await;
    let plan = graphql(
        api.addr,
        None,
        &format!("{{ plan(slug: \"{HANDLINGSDEL}\") {{ id }} }}"),
        json!({}),
    )
    .await
    .expect("answer")
    .json()["data"]["plan"]["id"]
        .as_str()
        .expect("plan id")
        .to_string();

    let addr = api.addr;
    let mut writers = Vec::new();
    for w in 0..4 {
        let (token, plan) = (token.clone(), plan.clone());
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for i in 0..10_000 {
                let input = json!({ "input": {
                    "plan": plan, "municipality": "1539", "title": format!("Krasjtest {w}-{i}")
                } });
                let Ok(reply) = graphql(addr, Some(&token), CREATE, input).await else {
                    break;
                };
                match reply.json()["data"]["measureCreate"]["measure"]["uuid"].as_str() {
                    Some(uuid) => acknowledged.push(uuid.to_string()),
                    None if reply.status == 0 => break,
                    None => panic!("a write failed before the kill: {reply:?}"),
                }
            }
            acknowledged
        }));
    }
    // Let the writers run until some writes are through, then kill the process without warning.
    let started = Instant::now();
    while started.elapsed() < Duration::from_millis(1500) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    api.child.kill().expect("SIGKILL");
    api.child.wait().expect("reap");
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(
            tokio::time::timeout(Duration::from_secs(30), writer)
                .await
                .expect("writers stop")
                .expect("writer"),
        );
    }
    assert!(
        acknowledged.len() >= 4,
        "some writes went through before the kill: {}",
        acknowledged.len()
    );

    let db = Database::connect(url.as_str())
        .await
        .expect("open the file");
    let backend = db.get_database_backend();
    let integrity = db
        .query_one_raw(Statement::from_string(backend, "PRAGMA integrity_check"))
        .await
        .expect("integrity_check")
        .expect("a row")
        .try_get_by_index::<String>(0)
        .expect("text");
    assert_eq!(integrity, "ok");
    let violations = db
        .query_all_raw(Statement::from_string(backend, "PRAGMA foreign_key_check"))
        .await
        .expect("foreign_key_check");
    assert!(
        violations.is_empty(),
        "{} foreign key violations",
        violations.len()
    );
    let written = scalar_i64(
        &db,
        "SELECT COUNT(*) FROM measure WHERE title LIKE 'Krasjtest %'",
    )
    .await;
    assert!(written >= acknowledged.len() as i64);
    for uuid in &acknowledged {
        let id = uuid::Uuid::parse_str(uuid).expect("a uuid");
        let found = db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                "SELECT COUNT(*) FROM measure WHERE id = ?",
                [id.into()],
            ))
            .await
            .expect("query")
            .expect("a row")
            .try_get_by_index::<i64>(0)
            .expect("count");
        assert_eq!(found, 1, "acknowledged measure {uuid} is in the file");
    }
    // No half-written mutation.
    for (sql, what) in [
        (WITHOUT_REVISION, "every measure has its revision"),
        (ORPHAN_REVISIONS, "every revision has its measure"),
        (WITHOUT_EVENT, "every revision has its change event"),
    ] {
        assert_eq!(scalar_i64(&db, sql).await, 0, "{what}");
    }
    let revisions = scalar_i64(
        &db,
        "SELECT COUNT(*) FROM revision WHERE actor_name = 'Krasjtest'",
    )
    .await;
    assert_eq!(revisions, written, "one revision per measure");
    db.close().await.ok();

    // The binary starts again on the file and serves, reads and writes.
    let api = Api::start(&url, dir.path(), true, &[]).await;
    let reply = graphql(
        api.addr,
        Some(&token),
        CREATE,
        json!({ "input": { "plan": plan, "municipality": "1539", "title": "Etter krasjen" } }),
    )
    .await
    .expect("answer");
    assert!(
        reply.json()["data"]["measureCreate"]["measure"]["uuid"].is_string(),
        "{reply:?}"
    );
    eprintln!(
        "SIGKILL after {} acknowledged writes ({written} in the file): integrity ok, no orphans, serves again",
        acknowledged.len()
    );
}
