//! Faults: the database going away and coming back, an exhausted pool, slow statements, killed connections,
//! SIGTERM under load, and a SQLite writer killed mid-write.
//!
//! Each test breaks only what it owns: a throwaway PostgreSQL cluster started from the installed binaries on
//! its own port and data directory, its own database on the shared server (whose own backends it may
//! terminate), or its own API process. Everything is on loopback and every wait is bounded.

mod pool;
mod restart;
mod sigterm;
mod sqlite_kill;

use crate::common;

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use axum::{Router, http::StatusCode};
use oppvekstgraf_api::{AppState, config::DatabaseConfig, db, error::ApiError};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
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
    let request = common::query_post(query);
    let response = tokio::time::timeout(Duration::from_secs(30), router.clone().oneshot(request))
        .await
        .expect("an answer within 30 s")
        .expect("response");
    let response = common::router::read(response).await;
    (response.status, response.json(), started.elapsed())
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
