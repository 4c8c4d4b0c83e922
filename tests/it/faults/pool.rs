//! Faults in process: an exhausted pool, SQLite busy, PostgreSQL statement timeouts and killed connections.

use crate::common;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::{Backend, TestApp};
use oppvekstgraf_api::{
    app,
    error::{ApiError, DbFault},
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement, TransactionTrait};
use serde_json::json;

use super::{COUNT, admin, assert_clean, code, post, scalar_i64, state_over};

// ---------------------------------------------------------------------------------------------------------
// Pool exhaustion (both engines)

/// With one connection, held by an open transaction, a request fails fast with SERVICE_UNAVAILABLE instead
/// of waiting; once the transaction ends the same request succeeds.
async fn pool_exhaustion_fails_fast(backend: Backend) {
    let Some(test) = TestApp::seeded(backend).await else {
        return;
    };
    let state = state_over(&test.url, |c| {
        c.database_max_connections = 1;
        c.database_acquire_timeout = 1;
    })
    .await;
    let router = app(state.clone());
    let (status, body, _) = post(&router, COUNT).await;
    assert_eq!(status, StatusCode::OK);
    assert!(code(&body).is_none(), "[{backend:?}] {body}");

    let held = state.db.begin().await.expect("take the only connection");
    let (status, body, elapsed) = post(&router, COUNT).await;
    assert_eq!(status, StatusCode::OK, "GraphQL errors keep HTTP 200");
    assert_eq!(
        code(&body),
        Some("SERVICE_UNAVAILABLE"),
        "[{backend:?}] {body}"
    );
    assert_clean(&body);
    assert!(
        elapsed < Duration::from_secs(4),
        "[{backend:?}] the acquire timeout is 1 s, the request took {elapsed:?}"
    );
    eprintln!("[{backend:?}] exhausted pool answered in {elapsed:?}");
    held.rollback().await.expect("release the connection");

    let (_, body, _) = post(&router, COUNT).await;
    assert!(
        code(&body).is_none(),
        "[{backend:?}] after the release: {body}"
    );
    state.db.clone().close().await.ok();
    test.finish().await;
}

mod pool_exhaustion {
    #[tokio::test]
    async fn sqlite() {
        super::pool_exhaustion_fails_fast(super::Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn postgres() {
        super::pool_exhaustion_fails_fast(super::Backend::Postgres).await;
    }
}

/// SQLite: a write that cannot get the file's lock within the busy timeout is SERVICE_UNAVAILABLE, not
/// INTERNAL (the API's busy timeout is 5 s; this pool waits 100 ms to keep the test short).
#[tokio::test]
async fn sqlite_busy_maps_to_service_unavailable() {
    let Some(test) = TestApp::empty(Backend::Sqlite).await else {
        return;
    };
    let holder = test.state.db.begin().await.expect("begin");
    holder
        .execute_unprepared("CREATE TABLE fault_probe (x INTEGER)")
        .await
        .expect("a write takes the lock");
    let mut options = sea_orm::ConnectOptions::new(test.url.clone());
    options.map_sqlx_sqlite_opts(|o| o.busy_timeout(Duration::from_millis(100)));
    let impatient = Database::connect(options).await.expect("connect");
    let started = Instant::now();
    let err = impatient
        .execute_unprepared("CREATE TABLE fault_probe_2 (x INTEGER)")
        .await
        .expect_err("the file is locked");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(DbFault::of(&err), DbFault::Unavailable, "{err}");
    assert_eq!(ApiError::from(err).code(), "SERVICE_UNAVAILABLE");
    holder.rollback().await.expect("rollback");
    impatient.close().await.ok();
    test.finish().await;
}

// ---------------------------------------------------------------------------------------------------------
// Statement and request timeouts (PostgreSQL)

/// Holds `ACCESS EXCLUSIVE` on `municipality` in the test database from a connection of its own; every
/// query of municipalities waits for it. Returns the transaction (roll it back to release) and its pid.
async fn lock_municipalities(url: &str) -> (DatabaseConnection, sea_orm::DatabaseTransaction, i64) {
    let holder = Database::connect(url).await.expect("lock holder connects");
    let txn = holder.begin().await.expect("begin");
    txn.execute_unprepared("LOCK TABLE municipality IN ACCESS EXCLUSIVE MODE")
        .await
        .expect("lock");
    let pid = scalar_i64(&txn, "SELECT pg_backend_pid()::bigint").await;
    (holder, txn, pid)
}

#[tokio::test]
async fn postgres_statement_timeout_cancels_and_maps_to_timeout() {
    let Some(test) = TestApp::seeded(Backend::Postgres).await else {
        return;
    };
    let state = state_over(&test.url, |c| c.database_statement_timeout_ms = 500).await;

    // Straight through the pool: the server cancels the statement after 500 ms.
    let started = Instant::now();
    let err = state
        .db
        .execute_unprepared("SELECT pg_sleep(5)")
        .await
        .expect_err("pg_sleep(5) is cancelled");
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_secs(3),
        "cancelled after {elapsed:?}"
    );
    assert_eq!(DbFault::of(&err), DbFault::Timeout, "{err}");
    assert_eq!(ApiError::from(err).code(), "TIMEOUT");
    eprintln!("pg_sleep(5) cancelled after {elapsed:?}");

    // Through GraphQL: a query that waits for a lock longer than the timeout gets TIMEOUT, not INTERNAL.
    let router = app(state.clone());
    let (_holder, txn, _) = lock_municipalities(&test.url).await;
    let (status, body, elapsed) = post(&router, COUNT).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(code(&body), Some("TIMEOUT"), "{body}");
    assert_clean(&body);
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    txn.rollback().await.expect("release the lock");
    let (_, body, _) = post(&router, COUNT).await;
    assert!(code(&body).is_none(), "after the release: {body}");

    // The request timeout: without a statement timeout, the request itself is cut off and answered 503.
    let unbounded = state_over(&test.url, |c| c.database_statement_timeout_ms = 0)
        .await
        .with_request_timeout(Duration::from_millis(500));
    let router = app(unbounded.clone());
    let (_holder, txn, _) = lock_municipalities(&test.url).await;
    let (status, body, elapsed) = post(&router, COUNT).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(code(&body), Some("TIMEOUT"), "{body}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    eprintln!("request timeout answered in {elapsed:?}");
    txn.rollback().await.expect("release the lock");
    let (status, body, _) = post(&router, COUNT).await;
    assert_eq!(status, StatusCode::OK);
    assert!(code(&body).is_none(), "after the release: {body}");

    state.db.clone().close().await.ok();
    unbounded.db.clone().close().await.ok();
    test.finish().await;
}

// ---------------------------------------------------------------------------------------------------------
// Killed connections (PostgreSQL: only this test's own database's backends)

/// Terminates every backend of `database` except `spare` (and the admin connection itself); returns how
/// many.
async fn terminate_backends(admin: &DatabaseConnection, database: &str, spare: i64) -> i64 {
    let row = admin
        .query_one_raw(Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid))::bigint FROM pg_stat_activity \
             WHERE datname = $1 AND pid <> pg_backend_pid() AND pid <> $2",
            [database.into(), spare.into()],
        ))
        .await
        .expect("terminate")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("count")
}

#[tokio::test]
async fn postgres_killed_connections_recover() {
    let Some(test) = TestApp::seeded(Backend::Postgres).await else {
        return;
    };
    // Every read must reach the database.
    let test = test.without_response_cache();
    let name = test
        .database_name()
        .expect("a PostgreSQL database")
        .to_string();
    let admin = admin().await;

    // Idle pooled connections killed: the pool notices (a ping before each use) and reconnects.
    for _ in 0..3 {
        let body = test.gql(COUNT, json!({})).await;
        assert!(code(&body).is_none(), "{body}");
    }
    let killed = terminate_backends(&admin, &name, 0).await;
    assert!(killed >= 1, "the pool had connections to kill");
    let first = test.gql(COUNT, json!({})).await;
    assert!(
        code(&first).is_none() || code(&first) == Some("SERVICE_UNAVAILABLE"),
        "right after the kill: success or SERVICE_UNAVAILABLE, got {first}"
    );
    let second = test.gql(COUNT, json!({})).await;
    assert!(
        code(&second).is_none(),
        "the request after recovers: {second}"
    );
    eprintln!(
        "killed {killed} idle backends; the next request: {}",
        code(&first).unwrap_or("ok")
    );

    // A statement in flight killed: that request gets SERVICE_UNAVAILABLE, the next one succeeds.
    let (_holder, txn, holder_pid) = lock_municipalities(&test.url).await;
    let router = test.router.clone();
    let waiting = tokio::spawn(async move { post(&router, COUNT).await });
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let waiters = scalar_i64(
            &admin,
            &format!(
                "SELECT COUNT(*)::bigint FROM pg_stat_activity WHERE datname = '{name}' \
                 AND wait_event_type = 'Lock'"
            ),
        )
        .await;
        if waiters > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the query never waited for the lock"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let started = Instant::now();
    terminate_backends(&admin, &name, holder_pid).await;
    let (status, body, _) = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .expect("the killed request answers within 10 s")
        .expect("task");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(code(&body), Some("SERVICE_UNAVAILABLE"), "{body}");
    assert_clean(&body);
    eprintln!(
        "a statement killed in flight answered {:?} after the kill",
        started.elapsed()
    );
    txn.rollback().await.expect("release the lock");
    let after = test.gql(COUNT, json!({})).await;
    assert!(
        code(&after).is_none(),
        "the request after recovers: {after}"
    );
    test.finish().await;
}
