//! Faults: the database going away and coming back, an exhausted pool, slow statements, killed connections,
//! SIGTERM under load, and a SQLite writer killed mid-write.
//!
//! Each test breaks only what it owns: a throwaway PostgreSQL cluster started from the installed binaries on
//! its own port and data directory, its own database on the shared server (whose own backends it may
//! terminate), or its own API process. Everything is on loopback and every wait is bounded.

use crate::common;

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use common::{Backend, TestApp};
use http_body_util::BodyExt;
use oppvekstgraf_api::{
    AppState, app,
    config::DatabaseConfig,
    db,
    error::{ApiError, DbFault},
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement, TransactionTrait};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

const COUNT: &str = "{ municipalities(first: 1) { totalCount } }";
const HANDLINGSDEL: &str = "rauma-handlingsdel-oppvekstplan-2023-2033";

// ---------------------------------------------------------------------------------------------------------
// In-process helpers

/// A state over `url` with a pool configured by `configure` (the database is migrated already).
async fn state_over(url: &str, configure: impl FnOnce(&mut DatabaseConfig)) -> AppState {
    let mut config = DatabaseConfig::for_url(url);
    configure(&mut config);
    let (db, statements) = db::connect(&config).await.expect("connect");
    // These tests send the same read again and again to see what the database does: no response cache.
    AppState::new(db, statements).with_cache(oppvekstgraf_api::cache::CacheConfig {
        response_cache_max_bytes: 0,
        ..Default::default()
    })
}

/// POSTs `query` to `router`; returns status, JSON body and how long it took.
async fn post(router: &Router, query: &str) -> (StatusCode, Value, Duration) {
    let started = Instant::now();
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "query": query }).to_string()))
        .expect("request");
    let response = tokio::time::timeout(Duration::from_secs(30), router.clone().oneshot(request))
        .await
        .expect("an answer within 30 s")
        .expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        started.elapsed(),
    )
}

/// The first error's code, or None when the response has no errors.
fn code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// Asserts that an error message is one of ours and carries no database text.
fn assert_clean(body: &Value) {
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    let ours = [
        ApiError::ServiceUnavailable.message(),
        ApiError::Timeout.message(),
    ];
    assert!(
        ours.iter().any(|m| m == message),
        "the message must be the generic one, not database text: {body}"
    );
}

/// An admin connection to the shared server's `postgres` database, for `pg_terminate_backend` and locks.
async fn admin() -> DatabaseConnection {
    Database::connect(format!("{}/postgres", common::postgres_base()))
        .await
        .expect("admin connection")
}

async fn scalar_i64(db: &impl ConnectionTrait, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("an integer")
}

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

// ---------------------------------------------------------------------------------------------------------
// A real API process and a minimal HTTP client over loopback

/// An HTTP answer.
#[derive(Debug)]
struct Reply {
    status: u16,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// Parses a whole HTTP/1.1 response (read until the server closed the connection).
fn parse_reply(raw: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        let mut out = String::new();
        let mut rest = body;
        while let Some((size, tail)) = rest.split_once("\r\n") {
            let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if size == 0 || tail.len() < size {
                break;
            }
            out.push_str(&tail[..size]);
            rest = tail[size..].trim_start_matches("\r\n");
        }
        out
    } else {
        body.to_string()
    };
    Reply { status, body }
}

/// One request on a fresh connection (`Connection: close`), bounded by 20 s.
async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<Reply> {
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(body) = body {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await?;
        if let Some(body) = body {
            stream.write_all(body.as_bytes()).await?;
        }
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        Ok(parse_reply(&raw))
    };
    tokio::time::timeout(Duration::from_secs(20), exchange)
        .await
        .unwrap_or_else(|_| Err(std::io::Error::other("no answer within 20 s")))
}

async fn graphql(
    addr: SocketAddr,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> std::io::Result<Reply> {
    let auth = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
    let body = json!({ "query": query, "variables": variables }).to_string();
    request(addr, "POST", "/graphql", &headers, Some(&body)).await
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("addr")
        .port()
}

/// Our own binary serving over `url`; killed when dropped. Its log goes to a file in `dir`.
struct Api {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Api {
    /// Starts `oppvekstgraf serve` with `env` and waits (at most 60 s) until `/readyz` says 200.
    async fn start(url: &str, dir: &Path, seed: bool, env: &[(&str, &str)]) -> Api {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
        let log = dir.join(format!("api-{}.log", addr.port()));
        let mut command = Command::new(env!("CARGO_BIN_EXE_oppvekstgraf"));
        command.arg("serve");
        if !seed {
            command.arg("--no-seed");
        }
        command
            .env("DATABASE_URL", url)
            .env("BIND", addr.to_string())
            .env("RUST_LOG", "info,sqlx=warn")
            .env("NO_COLOR", "1")
            // Every read must reach the database: no response cache.
            .env("RESPONSE_CACHE_MAX_BYTES", "0")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"));
        let api = Api {
            child: command.spawn().expect("start the API"),
            addr,
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(reply) = request(addr, "GET", "/readyz", &[], None).await
                && reply.status == 200
            {
                return api;
            }
            assert!(
                Instant::now() < deadline,
                "the API did not become ready within 60 s:\n{}",
                api.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal}");
    }

    /// Waits at most `within` for the process to exit.
    async fn exit_within(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

// ---------------------------------------------------------------------------------------------------------
// A throwaway PostgreSQL cluster of our own

/// Where `initdb` and `pg_ctl` are: `OPPVEKSTGRAF_PG_BINDIR`, the newest `/usr/lib/postgresql/*/bin`,
/// `pg_config --bindir`, or the `PATH`.
fn postgres_bindir() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("OPPVEKSTGRAF_PG_BINDIR") {
        return Some(PathBuf::from(dir)).filter(|d| has_tools(d));
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|d| has_tools(d))
        .collect();
    versions.sort_by_key(|d| {
        d.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    if let Some(dir) = versions.pop() {
        return Some(dir);
    }
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if let Some(dir) = from_pg_config.filter(|d| has_tools(d)) {
        return Some(dir);
    }
    std::env::var_os("PATH").and_then(|path| std::env::split_paths(&path).find(|d| has_tools(d)))
}

fn output_of(command: &mut Command) -> Option<String> {
    command
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// A PostgreSQL cluster in a temporary directory on a free loopback port, stopped and removed when dropped.
/// PostgreSQL refuses to run as root: then the cluster belongs to the `postgres` user and its commands run
/// through `runuser`.
struct Cluster {
    dir: tempfile::TempDir,
    bindir: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl Cluster {
    /// Creates (initdb) a cluster; None when the binaries are missing outside CI (said loudly).
    fn create() -> Option<Cluster> {
        let skip = |why: String| {
            if std::env::var_os("CI").is_some() {
                panic!("a throwaway PostgreSQL cluster is required in CI: {why}");
            }
            eprintln!(
                "\n!!!!!!!! SKIPPING a fault test: {why}. Install PostgreSQL's server binaries or set \
                 OPPVEKSTGRAF_PG_BINDIR. In CI this is a failure. !!!!!!!!\n"
            );
            None
        };
        let Some(bindir) = postgres_bindir() else {
            return skip("no initdb and pg_ctl found".into());
        };
        let root = output_of(Command::new("id").arg("-u")).as_deref() == Some("0");
        let dir = tempfile::Builder::new()
            .prefix("og-pg-")
            .tempdir_in("/tmp")
            .expect("temp dir");
        if root {
            let uid = output_of(Command::new("id").args(["-u", "postgres"]));
            let gid = output_of(Command::new("id").args(["-g", "postgres"]));
            let (Some(uid), Some(gid)) = (
                uid.and_then(|u| u.parse().ok()),
                gid.and_then(|g| g.parse().ok()),
            ) else {
                return skip(
                    "running as root and there is no `postgres` user to own a cluster".into(),
                );
            };
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown");
        }
        let cluster = Cluster {
            dir,
            bindir,
            port: free_port(),
            as_postgres: root,
        };
        let data = cluster.data();
        let started = Instant::now();
        let out = cluster
            .command("initdb")
            .args(["-D", &data, "-A", "trust", "-U", "postgres", "-E", "UTF8"])
            .args(["--locale=C", "--no-sync"])
            .output()
            .expect("run initdb");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!(
            "throwaway cluster: initdb in {:?} ({})",
            started.elapsed(),
            cluster.bindir.display()
        );
        Some(cluster)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn command(&self, tool: &str) -> Command {
        let program = self.bindir.join(tool);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }

    fn pg_ctl(&self, args: &[&str]) -> std::process::Output {
        self.command("pg_ctl")
            .args(["-D", &self.data()])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run pg_ctl")
    }

    fn start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=30",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("postgres.log").display().to_string();
        let out = self.pg_ctl(&["-l", &log, "-o", &options, "-w", "-t", "30", "start"]);
        assert!(
            out.status.success(),
            "pg_ctl start failed: {}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    fn stop(&self, mode: &str) {
        let out = self.pg_ctl(&["-m", mode, "-w", "-t", "30", "stop"]);
        assert!(
            out.status.success(),
            "pg_ctl stop failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Stopped already, or stop it now; the directory goes with `dir`.
        if self.dir.path().join("data/postmaster.pid").exists() {
            self.pg_ctl(&["-m", "immediate", "-w", "-t", "30", "stop"]);
        }
    }
}

/// The API against a cluster that stops and starts again: while it is down, requests fail fast with
/// SERVICE_UNAVAILABLE, `/readyz` says 503 and `/healthz` 200; when it is back, the same process serves
/// again by itself.
#[tokio::test]
async fn postgres_restart_on_a_throwaway_cluster() {
    let Some(cluster) = Cluster::create() else {
        return;
    };
    let started = Instant::now();
    cluster.start();
    let api = Api::start(
        &cluster.url(),
        cluster.dir.path(),
        false,
        &[("DATABASE_ACQUIRE_TIMEOUT", "2")],
    )
    .await;
    let reply = graphql(api.addr, None, COUNT, json!({}))
        .await
        .expect("answer");
    assert_eq!(reply.status, 200);
    assert!(code(&reply.json()).is_none(), "{reply:?}");

    cluster.stop("fast");
    let down = Instant::now();
    let reply = graphql(api.addr, None, COUNT, json!({}))
        .await
        .expect("answer");
    let elapsed = down.elapsed();
    assert_eq!(reply.status, 200, "GraphQL errors keep HTTP 200: {reply:?}");
    assert_eq!(
        code(&reply.json()),
        Some("SERVICE_UNAVAILABLE"),
        "{reply:?}"
    );
    assert_clean(&reply.json());
    assert!(
        elapsed < Duration::from_secs(8),
        "the database is down: the answer must come fast, took {elapsed:?}"
    );
    let probe = Instant::now();
    let ready = request(api.addr, "GET", "/readyz", &[], None)
        .await
        .expect("answer");
    assert_eq!(ready.status, 503, "{ready:?}");
    assert!(
        probe.elapsed() < Duration::from_secs(4),
        "/readyz is bounded: {:?}",
        probe.elapsed()
    );
    let health = request(api.addr, "GET", "/healthz", &[], None)
        .await
        .expect("answer");
    assert_eq!(health.status, 200, "{health:?}");
    eprintln!("database down: SERVICE_UNAVAILABLE after {elapsed:?}, /readyz 503");

    cluster.start();
    let up = Instant::now();
    loop {
        let reply = graphql(api.addr, None, COUNT, json!({}))
            .await
            .expect("answer");
        if reply.status == 200 && code(&reply.json()).is_none() {
            break;
        }
        assert_eq!(
            code(&reply.json()),
            Some("SERVICE_UNAVAILABLE"),
            "{reply:?}"
        );
        assert!(
            up.elapsed() < Duration::from_secs(30),
            "the API did not recover within 30 s of the database's return:\n{}",
            api.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovered = up.elapsed();
    let ready = request(api.addr, "GET", "/readyz", &[], None)
        .await
        .expect("answer");
    assert_eq!(ready.status, 200, "{ready:?}");
    eprintln!(
        "database back: the same process served again after {recovered:?} (whole test {:?})",
        started.elapsed()
    );
    drop(api);
    cluster.stop("fast");
}

// ---------------------------------------------------------------------------------------------------------
// SIGTERM

/// Opens a POST whose body has not been sent yet and waits until the server has it in hand (it answers
/// `Expect: 100-continue` when the handler starts reading the body). Returns the stream and the body.
async fn open_request(addr: SocketAddr) -> (tokio::net::TcpStream, String) {
    let body = json!({ "query": COUNT }).to_string();
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("send head");
    let mut seen = Vec::new();
    let mut buf = [0u8; 256];
    let wait = async {
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).await.expect("read");
            assert!(n > 0, "closed before 100 Continue");
            seen.extend_from_slice(&buf[..n]);
        }
    };
    tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .expect("100 Continue within 10 s");
    assert!(
        seen.starts_with(b"HTTP/1.1 100"),
        "{}",
        String::from_utf8_lossy(&seen)
    );
    (stream, body)
}

/// Sends the rest of an opened request and reads the answer.
async fn finish_request(mut stream: tokio::net::TcpStream, body: String) -> Reply {
    let exchange = async {
        stream.write_all(body.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        Ok::<_, std::io::Error>(parse_reply(&raw))
    };
    tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .expect("an answer within 10 s")
        .expect("answer")
}

/// SIGTERM with requests in flight: the process stops accepting connections at once, the requests in
/// flight finish with 200, a client that never finishes is cut off after the grace period, and the
/// process exits with status 0.
#[tokio::test]
async fn sigterm_drains_in_flight_requests_then_exits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("og.db").display());
    let grace = Duration::from_secs(3);
    let mut api = Api::start(&url, dir.path(), false, &[("SHUTDOWN_GRACE_SECS", "3")]).await;

    let mut in_flight = Vec::new();
    for _ in 0..6 {
        in_flight.push(open_request(api.addr).await);
    }
    // A client that starts a request and never sends its body: only the grace period ends it.
    let (straggler, _) = open_request(api.addr).await;

    api.signal("TERM");
    let signalled = Instant::now();
    // New connections are refused while the requests in flight are still open.
    loop {
        match tokio::net::TcpStream::connect(api.addr).await {
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionRefused => break,
            Err(err) => panic!("unexpected connect error {err}"),
            Ok(_) => {}
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(5),
            "still accepting connections 5 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let refused_after = signalled.elapsed();
    assert!(
        api.child.try_wait().expect("try_wait").is_none(),
        "the process waits for its requests in flight"
    );

    let answers = futures_util::future::join_all(
        in_flight
            .into_iter()
            .map(|(stream, body)| finish_request(stream, body)),
    )
    .await;
    for reply in &answers {
        assert_eq!(reply.status, 200, "{reply:?}");
        assert_eq!(
            reply.json()["data"]["municipalities"]["totalCount"],
            0,
            "{reply:?}"
        );
    }

    let status = api
        .exit_within(grace + Duration::from_secs(5))
        .await
        .expect("the process exits within the grace period and a margin");
    let exited_after = signalled.elapsed();
    assert!(status.success(), "exit status {status}\n{}", api.log());
    assert!(
        exited_after >= grace - Duration::from_millis(500),
        "the straggler is given the grace period: exited after {exited_after:?}"
    );
    drop(straggler);
    let log = api.log();
    assert!(log.contains("shutting down"), "{log}");
    assert!(log.contains("grace period over"), "{log}");
    assert!(log.contains("stopped"), "{log}");
    eprintln!(
        "SIGTERM: refusing connections after {refused_after:?}, {} requests in flight answered 200, \
         exit 0 after {exited_after:?} (grace {grace:?})",
        answers.len()
    );
}

/// SIGTERM on an idle server: it exits 0 at once, without waiting for the grace period.
#[tokio::test]
async fn sigterm_on_an_idle_server_exits_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("og.db").display());
    let mut api = Api::start(&url, dir.path(), false, &[("SHUTDOWN_GRACE_SECS", "10")]).await;
    let reply = graphql(api.addr, None, COUNT, json!({}))
        .await
        .expect("answer");
    assert_eq!(reply.status, 200);
    api.signal("TERM");
    let signalled = Instant::now();
    let status = api
        .exit_within(Duration::from_secs(5))
        .await
        .expect("an idle server exits well within its grace period");
    assert!(status.success(), "exit status {status}\n{}", api.log());
    let log = api.log();
    assert!(log.contains("all requests finished"), "{log}");
    eprintln!("idle SIGTERM: exit 0 after {:?}", signalled.elapsed());
}

// ---------------------------------------------------------------------------------------------------------
// SQLite: a writer killed mid-write

const CREATE: &str =
    "mutation($input: MeasureCreateInput!) { measureCreate(input: $input) { measure { uuid } } }";

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
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
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
    let without_revision = scalar_i64(
        &db,
        "SELECT COUNT(*) FROM measure m WHERE m.title LIKE 'Krasjtest %' \
         AND NOT EXISTS (SELECT 1 FROM revision r WHERE r.node_id = m.id)",
    )
    .await;
    assert_eq!(without_revision, 0, "every measure has its revision");
    let orphan_revisions = scalar_i64(
        &db,
        "SELECT COUNT(*) FROM revision r WHERE r.actor_name = 'Krasjtest' \
         AND NOT EXISTS (SELECT 1 FROM measure m WHERE m.id = r.node_id)",
    )
    .await;
    assert_eq!(orphan_revisions, 0, "every revision has its measure");
    let without_event = scalar_i64(
        &db,
        "SELECT COUNT(*) FROM revision r WHERE r.actor_name = 'Krasjtest' \
         AND NOT EXISTS (SELECT 1 FROM change_event e WHERE e.revision_id = r.id)",
    )
    .await;
    assert_eq!(without_event, 0, "every revision has its change event");
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
