//! Test support: a fresh database per test on SQLite and on PostgreSQL, the real migrations and seed
//! content, and GraphQL over HTTP through the real router.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};

use axum::{
    Router,
    body::Body,
    http::{Request, header},
};
use http_body_util::BodyExt;
use oppvekstgraf_api::{AppState, app, config::DatabaseConfig, db};
use oppvekstgraf_migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use tower::ServiceExt;

/// Which engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Tables compared by [`TestApp::dump`]: every table of the catalog but tokens (using one records
/// `last_used_at`).
pub fn tables() -> Vec<&'static str> {
    let secret: Vec<&str> = oppvekstgraf_catalog::RECORDS
        .iter()
        .filter(|record| record.secret)
        .map(|record| record.table)
        .collect();
    oppvekstgraf_catalog::tables()
        .filter(|table| !secret.contains(table))
        .collect()
}

/// The PostgreSQL server tests create their databases on.
pub fn postgres_base() -> String {
    std::env::var("OPPVEKSTGRAF_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name() -> String {
    format!(
        "og_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        uuid::Uuid::new_v4()
            .simple()
            .to_string()
            .get(..8)
            .unwrap_or_default()
    )
}

/// A fresh, migrated (and optionally seeded) database with the app over it.
pub struct TestApp {
    pub backend: Backend,
    /// The database URL (for a second API process over the same database).
    pub url: String,
    pub state: AppState,
    pub router: Router,
    cleanup: Cleanup,
}

enum Cleanup {
    File(tempfile::TempDir),
    Database {
        admin: DatabaseConnection,
        name: String,
    },
}

impl TestApp {
    /// A migrated, seeded database; `None` when PostgreSQL is not reachable outside CI (the test then
    /// says so loudly and returns).
    pub async fn seeded(backend: Backend) -> Option<TestApp> {
        let app = TestApp::empty(backend).await?;
        let content = oppvekstgraf_seed::Content::builtin().expect("seed content parses");
        oppvekstgraf_seed::load(&app.state.db, &content)
            .await
            .expect("seed content loads");
        Some(app)
    }

    /// A migrated, empty database.
    pub async fn empty(backend: Backend) -> Option<TestApp> {
        TestApp::empty_with(backend, |_| {}).await
    }

    /// A migrated, seeded database whose pool is configured by `configure` (the URL is set already).
    pub async fn seeded_with(
        backend: Backend,
        configure: impl FnOnce(&mut DatabaseConfig),
    ) -> Option<TestApp> {
        let app = TestApp::empty_with(backend, configure).await?;
        let content = oppvekstgraf_seed::Content::builtin().expect("seed content parses");
        oppvekstgraf_seed::load(&app.state.db, &content)
            .await
            .expect("seed content loads");
        Some(app)
    }

    /// A migrated, empty database whose pool is configured by `configure` (the URL is set already).
    pub async fn empty_with(
        backend: Backend,
        configure: impl FnOnce(&mut DatabaseConfig),
    ) -> Option<TestApp> {
        let (url, cleanup) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                (url, Cleanup::File(dir))
            }
            Backend::Postgres => {
                let admin = match Database::connect(format!("{}/postgres", postgres_base())).await {
                    Ok(admin) => admin,
                    Err(err) if std::env::var_os("CI").is_none() => {
                        eprintln!(
                            "\n!!!!!!!! SKIPPING a PostgreSQL test: cannot reach {} ({err}). Start PostgreSQL or set \
                             OPPVEKSTGRAF_TEST_POSTGRES. In CI this is a failure. !!!!!!!!\n",
                            postgres_base()
                        );
                        return None;
                    }
                    Err(err) => panic!(
                        "PostgreSQL is required in CI: cannot reach {}: {err}",
                        postgres_base()
                    ),
                };
                let name = unique_name();
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                (
                    format!("{}/{name}", postgres_base()),
                    Cleanup::Database { admin, name },
                )
            }
        };
        let mut config = DatabaseConfig::for_url(url.clone());
        configure(&mut config);
        let (conn, statements) = db::connect(&config).await.expect("connect");
        Migrator::up(&conn, None).await.expect("migrations apply");
        let state = AppState::new(conn, statements);
        let router = app(state.clone());
        Some(TestApp {
            backend,
            url,
            state,
            router,
            cleanup,
        })
    }

    /// The same app without a response cache: for tests that send the same read again to watch what the
    /// database or the limiter does.
    pub fn without_response_cache(mut self) -> Self {
        self.state = self
            .state
            .clone()
            .with_cache(oppvekstgraf_api::cache::CacheConfig {
                response_cache_max_bytes: 0,
                ..Default::default()
            });
        self.router = app(self.state.clone());
        self
    }

    /// The PostgreSQL database's name (None on SQLite).
    pub fn database_name(&self) -> Option<&str> {
        match &self.cleanup {
            Cleanup::Database { name, .. } => Some(name),
            Cleanup::File(_) => None,
        }
    }

    /// Drops the database.
    pub async fn finish(self) {
        self.state.db.clone().close().await.ok();
        if let Cleanup::Database { admin, name } = self.cleanup {
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await
                .expect("drop test database");
        }
    }

    /// Sends a GraphQL POST and returns the JSON response.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.send(graphql_post(query, variables)).await.1
    }

    /// Sends a request and returns status and JSON body.
    pub async fn send(&self, request: Request<Body>) -> (axum::http::StatusCode, Value) {
        send_via(self.router.clone(), request).await
    }

    /// Sends a query that must succeed and returns its `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let response = self.gql(query, variables).await;
        assert!(
            response.get("errors").is_none(),
            "[{:?}] unexpected errors: {response:#}",
            self.backend
        );
        response["data"].clone()
    }

    /// Sends a query that must fail and returns the first error's `extensions.code`.
    pub async fn error_code(&self, query: &str, variables: Value) -> (String, Value) {
        let response = self.gql(query, variables).await;
        let error = &response["errors"][0];
        assert!(
            !error.is_null(),
            "[{:?}] expected an error: {response:#}",
            self.backend
        );
        (
            error["extensions"]["code"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            error.clone(),
        )
    }

    /// Mints a token: `("editor", Some("1539"))` or `("admin", None)`.
    pub async fn token(&self, role: &str, municipality: Option<&str>) -> String {
        let role = if role == "admin" {
            oppvekstgraf_entity::enums::Role::Admin
        } else {
            oppvekstgraf_entity::enums::Role::Editor
        };
        oppvekstgraf_api::auth::create_token(&self.state.db, "test token", role, municipality, None)
            .await
            .expect("token")
            .secret
    }

    /// Sends a GraphQL POST with these extra headers; returns status and JSON.
    pub async fn gql_with(
        &self,
        headers: &[(&str, &str)],
        query: &str,
        variables: Value,
    ) -> (axum::http::StatusCode, Value) {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let mut request =
            Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body)).expect("request"))
            .await
    }

    /// Sends a GraphQL POST as the holder of `token` (None: anonymous).
    pub async fn gql_as(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let auth = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> =
            auth.iter().map(|a| ("authorization", a.as_str())).collect();
        self.gql_with(&headers, query, variables).await.1
    }

    /// Every row of every content, link and history table, to compare before and after a failed mutation.
    pub async fn dump(&self) -> Value {
        use sea_orm::FromQueryResult;
        let mut out = serde_json::Map::new();
        for table in tables() {
            let backend = self.state.db.get_database_backend();
            let rows = sea_orm::JsonValue::find_by_statement(Statement::from_string(
                backend,
                format!("SELECT * FROM {table}"),
            ))
            .all(&self.state.db)
            .await
            .expect("dump");
            let mut rows: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
            rows.sort();
            out.insert(table.to_string(), json!(rows));
        }
        Value::Object(out)
    }

    /// Runs raw SQL (test setup only).
    pub async fn execute(&self, sql: &str) {
        let backend = self.state.db.get_database_backend();
        self.state
            .db
            .execute_raw(Statement::from_string(backend, sql.to_string()))
            .await
            .expect("execute");
    }
}

/// Defines `mod $name { sqlite, postgres }`: the async fn `$name(&TestApp)` runs once on each engine, each
/// time with a fresh database, seeded unless `empty` is given as the second argument.
#[macro_export]
macro_rules! on_both {
    ($name:ident) => {
        $crate::on_both!($name, seeded);
    };
    ($name:ident, $setup:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::common::TestApp::$setup($crate::common::Backend::Sqlite)
                    .await
                    .expect("sqlite is always there");
                super::$name(&app).await;
                app.finish().await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(app) =
                    $crate::common::TestApp::$setup($crate::common::Backend::Postgres).await
                else {
                    return;
                };
                super::$name(&app).await;
                app.finish().await;
            }
        }
    };
}

/// A GraphQL POST of `query` with `variables` to `/graphql`.
pub fn graphql_post(query: &str, variables: Value) -> Request<Body> {
    let body = json!({ "query": query, "variables": variables }).to_string();
    Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("request")
}

/// Sends a request through `router` (for a router over a differently configured state) and returns status
/// and JSON body (null when the body is not JSON).
pub async fn send_via(router: Router, request: Request<Body>) -> (axum::http::StatusCode, Value) {
    let response = router.oneshot(request).await.expect("response");
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
    )
}

/// `edges[].node.<field>` of a connection as strings.
pub fn node_values(connection: &Value, field: &str) -> Vec<String> {
    connection["edges"]
        .as_array()
        .map(|edges| {
            edges
                .iter()
                .map(|e| match &e["node"][field] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// base64url without padding, to build global IDs of nodes that do not exist.
pub fn base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// An API process of our own binary (`oppvekstgraf serve --no-seed`) over a database, stopped when dropped.
pub struct ApiProcess(pub std::process::Child, pub std::net::SocketAddr);

impl Drop for ApiProcess {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

impl ApiProcess {
    /// Starts a process over `url` on a free loopback port and waits (at most 10 s) until `/readyz` is 200.
    pub async fn start(url: &str) -> ApiProcess {
        ApiProcess::start_with(url, &[], None).await
    }

    /// [`ApiProcess::start`] with extra environment variables and, when given, a soft limit on open file
    /// descriptors (set by the shell's `ulimit -n` before it runs the binary).
    pub async fn start_with(url: &str, env: &[(&str, &str)], fd_limit: Option<u32>) -> ApiProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("free port")
            .local_addr()
            .expect("addr")
            .port();
        let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
        let binary = env!("CARGO_BIN_EXE_oppvekstgraf");
        let mut command = match fd_limit {
            Some(limit) => {
                let mut shell = std::process::Command::new("sh");
                shell.args([
                    "-c",
                    &format!("ulimit -n {limit} && exec \"$0\" serve --no-seed"),
                    binary,
                ]);
                shell
            }
            None => {
                let mut direct = std::process::Command::new(binary);
                direct.args(["serve", "--no-seed"]);
                direct
            }
        };
        command
            .env("DATABASE_URL", url)
            .env("BIND", addr.to_string())
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null());
        let child = command.spawn().expect("start an API process");
        let mut process = ApiProcess(child, addr);
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(addr).await.is_ok()
                && http_get(addr, "/readyz").await.0 == 200
            {
                return process;
            }
            if let Ok(Some(status)) = process.0.try_wait() {
                panic!("the API process ended before it was ready: {status}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the API process did not become ready");
    }
}

/// A plain HTTP/1.1 GET to `addr` (asking for `application/graphql-response+json`): (status, body).
pub async fn http_get(addr: std::net::SocketAddr, target: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return (0, String::new());
    };
    let request = format!(
        "GET {target} HTTP/1.1\r\nHost: x\r\nAccept: application/graphql-response+json\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).await.is_err() {
        return (0, String::new());
    }
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.ok();
    let status = reply.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = reply
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A WebSocket of the graphql-transport-ws subprotocol to `/graphql/ws` at `addr` (nothing sent yet).
pub async fn websocket(
    addr: std::net::SocketAddr,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    use tokio_tungstenite::tungstenite::{client::IntoClientRequest, http::HeaderValue};
    let mut request = format!("ws://{addr}/graphql/ws")
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    tokio_tungstenite::connect_async(request)
        .await
        .expect("connect")
        .0
}
