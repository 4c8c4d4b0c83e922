//! Response caching: anonymous reads cached and invalidated precisely, in this and every other process.

use crate::common;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::{Backend, TestApp};
use serde_json::json;

use super::{CITED_BY, LINK, MOSS, RAUMA, UPDATE, cost, fixtures, get, get_uri, ok};

on_both!(anonymous_reads_are_cached_and_invalidated_precisely);
async fn anonymous_reads_are_cached_and_invalidated_precisely(app: &TestApp) {
    let editor = app.token("editor", Some("1539")).await;
    let (measure, version, reference) = fixtures(app, &editor).await;

    // First read: computed, stored, with an ETag and public Cache-Control.
    let (first, statements, hits) = cost(app, get(app, RAUMA, json!({}), &[])).await;
    ok(&first);
    assert!(statements > 0, "the first read runs SQL");
    assert_eq!(hits, 0);
    let etag = first.header("etag").expect("an ETag").to_string();
    assert_eq!(
        first.header("cache-control"),
        Some("public, max-age=10, stale-while-revalidate=60")
    );
    // Second read: from the cache, byte for byte, without SQL.
    let (second, statements, hits) = cost(app, get(app, RAUMA, json!({}), &[])).await;
    assert_eq!(second.body, first.body);
    assert_eq!(second.header("etag"), Some(etag.as_str()));
    assert_eq!((statements, hits), (0, 1), "a repeated read is a cache hit");
    // A client that has it gets 304 without a body.
    let (not_modified, statements, _) = cost(
        app,
        get(app, RAUMA, json!({}), &[("if-none-match", etag.as_str())]),
    )
    .await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert!(not_modified.body.is_empty());
    assert_eq!(not_modified.header("etag"), Some(etag.as_str()));
    assert_eq!(statements, 0);
    let stale_etag = get(app, RAUMA, json!({}), &[("if-none-match", "\"other\"")]).await;
    assert_eq!(stale_etag.status, StatusCode::OK);

    // Prime two unrelated reads: Moss's plans and the measures citing the reference.
    ok(&get(app, MOSS, json!({}), &[]).await);
    let cited = get(app, CITED_BY, json!({ "id": reference }), &[]).await;
    let cited_before = ok(&cited)["node"]["measures"]["totalCount"]
        .as_i64()
        .expect("count");
    let (_, statements, hits) =
        cost(app, get(app, CITED_BY, json!({ "id": reference }), &[])).await;
    assert_eq!((statements, hits), (0, 1));

    // An editor renames the measure: Rauma's read is recomputed at once, Moss's and the reference's stay.
    let renamed = app
        .gql_as(
            Some(&editor),
            UPDATE,
            json!({ "input": { "id": measure, "version": version, "title": "Omdøpt tiltak i hurtigbufferen" } }),
        )
        .await;
    assert!(renamed.get("errors").is_none(), "{renamed:#}");
    let (after, statements, hits) = cost(app, get(app, RAUMA, json!({}), &[])).await;
    assert!(
        after.text().contains("Omdøpt tiltak i hurtigbufferen"),
        "{}",
        after.text()
    );
    assert!(
        statements > 0 && hits == 0,
        "the changed read is recomputed"
    );
    assert_ne!(after.header("etag"), Some(etag.as_str()));
    // The old ETag no longer matches.
    let revalidated = get(app, RAUMA, json!({}), &[("if-none-match", etag.as_str())]).await;
    assert_eq!(revalidated.status, StatusCode::OK);
    let (_, statements, hits) = cost(app, get(app, MOSS, json!({}), &[])).await;
    assert_eq!(
        (statements, hits),
        (0, 1),
        "Moss's plans did not change: still cached"
    );
    let (_, statements, hits) =
        cost(app, get(app, CITED_BY, json!({ "id": reference }), &[])).await;
    assert_eq!(
        (statements, hits),
        (0, 1),
        "the reference's citing measures did not change: still cached"
    );

    // Linking the measure to the reference changes the reference's connection: that read is recomputed.
    let linked = app
        .gql_as(
            Some(&editor),
            LINK,
            json!({ "input": { "measure": measure, "legalReference": reference } }),
        )
        .await;
    assert!(linked.get("errors").is_none(), "{linked:#}");
    let (cited, _, hits) = cost(app, get(app, CITED_BY, json!({ "id": reference }), &[])).await;
    assert_eq!(hits, 0);
    let data = ok(&cited);
    assert_eq!(
        data["node"]["measures"]["totalCount"],
        json!(cited_before + 1)
    );
    assert!(cited.text().contains(&measure));
    let (_, statements, hits) = cost(app, get(app, MOSS, json!({}), &[])).await;
    assert_eq!((statements, hits), (0, 1), "Moss's plans are still cached");
}

/// A counter from a process's `/metrics`.
async fn metric(addr: std::net::SocketAddr, name: &str) -> u64 {
    let (_, body) = common::http_get(addr, "/metrics").await;
    body.lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or(0)
}

on_both!(no_process_serves_the_old_result);
async fn no_process_serves_the_old_result(app: &TestApp) {
    let editor = app.token("editor", Some("1539")).await;
    let (measure, version, _) = fixtures(app, &editor).await;
    // Two more API processes over the same database; the change is made through this one.
    let others = [
        common::ApiProcess::start(&app.url).await,
        common::ApiProcess::start(&app.url).await,
    ];
    let rauma = get_uri(RAUMA, &json!({}), None);
    let moss = get_uri(MOSS, &json!({}), None);
    for process in &others {
        for target in [&rauma, &moss] {
            let (status, first) = common::http_get(process.1, target).await;
            assert_eq!(status, 200, "{first}");
            let (_, second) = common::http_get(process.1, target).await;
            assert_eq!(first, second);
        }
        assert_eq!(
            metric(process.1, "oppvekstgraf_response_cache_hits_total").await,
            2,
            "each process answers the repeated reads from its cache"
        );
    }
    ok(&get(app, RAUMA, json!({}), &[]).await);

    let title = "Endret i én prosess, sett i alle";
    let changed = app
        .gql_as(
            Some(&editor),
            UPDATE,
            json!({ "input": { "id": measure, "version": version, "title": title } }),
        )
        .await;
    assert!(changed.get("errors").is_none(), "{changed:#}");
    // The writing process answers with the new title at once.
    assert!(get(app, RAUMA, json!({}), &[]).await.text().contains(title));
    // Every other process drops its old result as soon as the change reaches it (NOTIFY on PostgreSQL,
    // the feed poll on SQLite), and from then on never serves it again.
    let bound = match app.backend {
        Backend::Postgres => Duration::from_secs(2),
        Backend::Sqlite => Duration::from_secs(5),
    };
    for process in &others {
        let started = Instant::now();
        loop {
            let (_, body) = common::http_get(process.1, &rauma).await;
            if body.contains(title) {
                break;
            }
            assert!(
                started.elapsed() < bound,
                "a process still serves the old result after {bound:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        eprintln!(
            "[{:?}] invalidation reached another process within {:?}",
            app.backend,
            started.elapsed()
        );
        for _ in 0..5 {
            let (_, body) = common::http_get(process.1, &rauma).await;
            assert!(body.contains(title), "{body}");
        }
        // Moss's plans were not touched: still answered from the cache.
        let hits = metric(process.1, "oppvekstgraf_response_cache_hits_total").await;
        let (_, _) = common::http_get(process.1, &moss).await;
        assert_eq!(
            metric(process.1, "oppvekstgraf_response_cache_hits_total").await,
            hits + 1,
            "an unrelated result stays cached in the other process"
        );
    }
}
