//! Test support: a fresh, migrated (and optionally seeded) database per test with the app over it.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::{Router, body::Body, http::Request};
use oppvekstgraf_api::{AppState, app, config::DatabaseConfig, db};
use oppvekstgraf_migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbErr, QueryResult, Statement};
use serde_json::{Value, json};

use super::{Backend, graphql_post, graphql_post_with, send_via};

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
        cache_ready(&state).await;
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
        self.send(graphql_post_with(headers, query, variables))
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
        self.state
            .db
            .execute_raw(self.statement(sql))
            .await
            .expect("execute");
    }

    /// The first row raw SQL returns.
    pub async fn query_one(&self, sql: impl Into<String>) -> Result<Option<QueryResult>, DbErr> {
        self.state.db.query_one_raw(self.statement(sql)).await
    }

    /// Every row raw SQL returns.
    pub async fn query_all(&self, sql: impl Into<String>) -> Result<Vec<QueryResult>, DbErr> {
        self.state.db.query_all_raw(self.statement(sql)).await
    }

    /// `sql` as a raw statement for this app's database backend.
    pub fn statement(&self, sql: impl Into<String>) -> Statement {
        Statement::from_string(self.state.db.get_database_backend(), sql)
    }
}

/// Waits (at most 10 s) until the state's response cache stores results, when it has one. The cache reads
/// the feed's head in a task of its own before it stores anything; on a busy machine a test's first read
/// could otherwise come first and not be cached, as it would not in a server that has been up a moment.
async fn cache_ready(state: &AppState) {
    if !state.cache.enabled() {
        return;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !state.cache.is_ready() {
        assert!(
            std::time::Instant::now() < deadline,
            "the response cache did not read the change feed's head within 10 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}
