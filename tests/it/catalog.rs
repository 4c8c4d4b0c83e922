//! The catalog (the declared shape of the content graph) against the database the migrations build, on
//! SQLite and on PostgreSQL: every declared table exists with its declared columns, keys and foreign keys,
//! and every table the migrations built is declared. Migrations never read the catalog, so this is what
//! keeps the two in step.

use crate::common;

use std::collections::BTreeSet;

use common::{Backend, TestApp};
use oppvekstgraf_catalog::{LINKS, NODE_COLUMNS, NODES, RECORDS};
use sea_orm::{ConnectionTrait, Statement, Value};

/// The column `name` of every row `sql` returns (one `?`/`$1` parameter: a table name, when given).
async fn strings(app: &TestApp, sql: &str, table: Option<&str>, column: &str) -> Vec<String> {
    let backend = app.state.db.get_database_backend();
    let values: Vec<Value> = table.map(|t| t.into()).into_iter().collect();
    app.state
        .db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap_or_else(|err| panic!("{sql}: {err}"))
        .iter()
        .map(|row| row.try_get::<String>("", column).expect(column))
        .collect()
}

async fn tables(app: &TestApp) -> BTreeSet<String> {
    let sql = match app.backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
    };
    strings(app, sql, None, "name")
        .await
        .into_iter()
        .filter(|t| t != "seaql_migrations")
        .collect()
}

async fn columns(app: &TestApp, table: &str) -> BTreeSet<String> {
    let sql = match app.backend {
        Backend::Sqlite => "SELECT name FROM pragma_table_info(?)",
        Backend::Postgres => {
            "SELECT column_name::text AS name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1"
        }
    };
    strings(app, sql, Some(table), "name")
        .await
        .into_iter()
        .collect()
}

/// The primary key's columns, in key order.
async fn primary_key(app: &TestApp, table: &str) -> Vec<String> {
    let sql = match app.backend {
        Backend::Sqlite => "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk",
        Backend::Postgres => {
            "SELECT a.attname::text AS name FROM pg_index i \
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
             WHERE i.indrelid = $1::regclass AND i.indisprimary \
             ORDER BY array_position(i.indkey::int2[], a.attnum)"
        }
    };
    strings(app, sql, Some(table), "name").await
}

/// The foreign keys as `column → referenced table`.
async fn foreign_keys(app: &TestApp, table: &str) -> BTreeSet<String> {
    let sql = match app.backend {
        Backend::Sqlite => {
            "SELECT \"from\" || ' -> ' || \"table\" AS fk FROM pragma_foreign_key_list(?)"
        }
        Backend::Postgres => {
            "SELECT (a.attname || ' -> ' || c.confrelid::regclass::text) AS fk FROM pg_constraint c \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) \
             WHERE c.conrelid = $1::regclass AND c.contype = 'f'"
        }
    };
    strings(app, sql, Some(table), "fk")
        .await
        .into_iter()
        .collect()
}

on_both!(the_catalog_matches_the_migrated_database, empty);
async fn the_catalog_matches_the_migrated_database(app: &TestApp) {
    let backend = app.backend;
    let built = tables(app).await;
    let declared: BTreeSet<String> = oppvekstgraf_catalog::tables().map(String::from).collect();
    assert_eq!(
        built, declared,
        "[{backend:?}] the tables the migrations built differ from the catalog's"
    );
    for node in NODES {
        let have = columns(app, node.table).await;
        for column in NODE_COLUMNS.iter().chain([&node.name_column]) {
            assert!(
                have.contains(*column),
                "[{backend:?}] node table {} has no column {column}",
                node.table
            );
        }
        assert_eq!(primary_key(app, node.table).await, ["id"], "{}", node.table);
    }
    for link in LINKS {
        let have = columns(app, link.table).await;
        let want: BTreeSet<String> = link.columns().into_iter().map(String::from).collect();
        assert_eq!(
            have, want,
            "[{backend:?}] columns of link table {}",
            link.table
        );
        assert_eq!(
            primary_key(app, link.table).await,
            [link.left.column, link.right.column],
            "[{backend:?}] primary key of {}",
            link.table
        );
        let table_of = |end: &oppvekstgraf_catalog::End| {
            end.node.def().map(|def| def.table).unwrap_or_default()
        };
        let want: BTreeSet<String> = [
            format!("{} -> {}", link.left.column, table_of(&link.left)),
            format!("{} -> {}", link.right.column, table_of(&link.right)),
        ]
        .into();
        assert_eq!(
            foreign_keys(app, link.table).await,
            want,
            "[{backend:?}] foreign keys of link table {}",
            link.table
        );
    }
    for record in RECORDS {
        if let Some((a, b)) = record.edge {
            let have = columns(app, record.table).await;
            assert!(
                have.contains(a) && have.contains(b),
                "[{backend:?}] {} has no edge columns {a}, {b}",
                record.table
            );
        }
    }
}
