//! The change feed: the `changes` query in order with visibility, without gaps, and a writer waiting for it.

use crate::common;

use std::{collections::HashSet, time::Duration};

use common::{Caller, TestApp};
use serde_json::{Value, json};

use super::{CREATE, FEED, UPDATE, actions, create_update_publish, ok, plan_id, preview};

on_both!(feed_lists_changes_in_order_with_visibility);
async fn feed_lists_changes_in_order_with_visibility(app: &TestApp) {
    let rauma = Caller::new(app, app.token("editor", Some("1539")).await);
    let moss = Caller::new(app, app.token("editor", Some("3103")).await);
    let anyone = Caller::anonymous(app);
    let plan = plan_id(app).await;
    // Seeded content is the starting point, not a change.
    let empty = ok(&anyone, FEED, json!({})).await;
    assert_eq!(empty["changes"]["changes"], json!([]));
    assert_eq!(empty["changes"]["cursor"], Value::Null);
    assert_eq!(empty["changes"]["hasMore"], false);

    let id = create_update_publish(&rauma, &plan, "Feedtiltak").await;

    // The owner's preview sees all three events, in order, with the node as it is now.
    let all = preview(&rauma, FEED, json!({})).await;
    assert_eq!(
        actions(&all),
        vec![
            ("CREATE".to_string(), id.clone()),
            ("UPDATE".to_string(), id.clone()),
            ("PUBLISH".to_string(), id.clone())
        ]
    );
    let events = all["changes"]["changes"].as_array().expect("events");
    assert_eq!(
        events
            .iter()
            .map(|e| e["nodeVersion"].as_i64().unwrap_or(0))
            .collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(events[0]["municipality"]["number"], "1539");
    assert_eq!(events[0]["nodeType"], "Measure");
    assert_eq!(events[0]["node"]["version"], 3);
    assert_eq!(all["changes"]["cursor"], events[2]["cursor"]);

    // Anonymous readers see only what touched published content: the publication.
    let public = ok(&anyone, FEED, json!({})).await;
    assert_eq!(actions(&public), vec![("PUBLISH".to_string(), id.clone())]);
    // Another municipality's editor (preview) does not see Rauma's draft events either.
    let other = preview(&moss, FEED, json!({})).await;
    assert_eq!(actions(&other), vec![("PUBLISH".to_string(), id.clone())]);

    // Paging: one at a time with the cursor, `hasMore` until the end; the last cursor stays put.
    let mut after = Value::Null;
    let mut seen = Vec::new();
    for _ in 0..10 {
        let page = preview(&rauma, FEED, json!({ "after": after, "first": 1 })).await;
        seen.extend(actions(&page));
        after = page["changes"]["cursor"].clone();
        if page["changes"]["hasMore"] == false {
            break;
        }
    }
    assert_eq!(seen, actions(&all));
    let tail = preview(&rauma, FEED, json!({ "after": after })).await;
    assert_eq!(tail["changes"]["changes"], json!([]));
    assert_eq!(tail["changes"]["cursor"], after);

    // Filters: by municipality and by type.
    let moss_only = preview(&rauma, FEED, json!({ "municipality": "3103" })).await;
    assert_eq!(moss_only["changes"]["changes"], json!([]));
    let rauma_only = preview(&rauma, FEED, json!({ "municipality": "1539" })).await;
    assert_eq!(actions(&rauma_only).len(), 3);
    let plans_only = preview(&rauma, FEED, json!({ "types": ["Plan"] })).await;
    assert_eq!(plans_only["changes"]["changes"], json!([]));

    // Bad arguments name the field.
    for (vars, field) in [
        (json!({ "after": "bm9wZQ" }), "after"),
        (json!({ "first": 0 }), "first"),
        (json!({ "first": 501 }), "first"),
        (json!({ "municipality": "99" }), "municipality"),
        (json!({ "municipality": "9999" }), "municipality"),
        (json!({ "types": ["Measure", "Nope"] }), "types[1]"),
    ] {
        let response = app.gql_as(None, FEED, vars.clone()).await;
        assert_eq!(
            response["errors"][0]["extensions"]["code"], "VALIDATION",
            "{vars}"
        );
        assert_eq!(
            response["errors"][0]["extensions"]["field"], field,
            "{vars}"
        );
    }

    // A failed mutation writes no event.
    let before = preview(&rauma, FEED, json!({})).await;
    let stale = rauma
        .gql(
            UPDATE,
            json!({ "input": { "id": id, "version": 1, "title": "Gammel" } }),
        )
        .await;
    assert_eq!(stale["errors"][0]["extensions"]["code"], "CONFLICT");
    assert_eq!(preview(&rauma, FEED, json!({})).await, before);
}

on_both!(feed_has_no_gaps_under_concurrent_writers);
async fn feed_has_no_gaps_under_concurrent_writers(app: &TestApp) {
    const WRITERS: usize = 6;
    const PER_WRITER: usize = 5;
    let admin = Caller::new(app, app.token("admin", None).await);
    let plan = plan_id(app).await;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));

    // A reader follows the feed with its cursor while the writers run.
    let reader = {
        let router = app.router.clone();
        let auth = format!("Bearer {}", admin.secret());
        let done = done.clone();
        async move {
            let mut cursor = Value::Null;
            let mut seen: Vec<String> = Vec::new();
            let mut rounds = 0;
            loop {
                rounds += 1;
                let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                let request = common::graphql_post_with(
                    &[("authorization", &auth), ("x-preview", "true")],
                    FEED,
                    json!({ "after": cursor, "first": 7 }),
                );
                let response = common::router::call(&router, request).await;
                let page: Value = serde_json::from_slice(&response.body).expect("json");
                assert!(page.get("errors").is_none(), "{page}");
                for change in page["data"]["changes"]["changes"]
                    .as_array()
                    .expect("changes")
                {
                    seen.push(change["cursor"].as_str().expect("cursor").to_string());
                }
                cursor = page["data"]["changes"]["cursor"].clone();
                let more = page["data"]["changes"]["hasMore"] == true;
                if finished && !more {
                    break;
                }
                assert!(rounds < 10_000, "reader did not finish");
                if !more {
                    tokio::task::yield_now().await;
                }
            }
            seen
        }
    };
    let writers = async {
        let mut tasks = Vec::new();
        for w in 0..WRITERS {
            let router = app.router.clone();
            let auth = format!("Bearer {}", admin.secret());
            let plan = plan.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..PER_WRITER {
                    let variables = json!({ "input": {
                        "plan": plan, "title": format!("Samtidig {w}-{i}"), "municipality": "1539" } });
                    let request =
                        common::graphql_post_with(&[("authorization", &auth)], CREATE, variables);
                    let response = common::router::call(&router, request).await;
                    let page: Value = serde_json::from_slice(&response.body).expect("json");
                    assert!(page.get("errors").is_none(), "{page}");
                }
            }));
        }
        for task in tasks {
            task.await.expect("writer");
        }
        done.store(true, std::sync::atomic::Ordering::SeqCst);
    };
    let (seen, ()) = tokio::join!(reader, writers);
    // Every revision shows up exactly once, in the order of the feed.
    let expected = WRITERS * PER_WRITER;
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "an event was read twice");
    assert_eq!(
        seen.len(),
        expected,
        "events missed while following the feed"
    );
    let all = preview(&admin, FEED, json!({ "first": 500 })).await;
    let listed: Vec<String> = all["changes"]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["cursor"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(listed, seen);
    let revisions = ok(&admin, "{ auditLog(first: 100) { totalCount } }", json!({})).await;
    assert_eq!(revisions["auditLog"]["totalCount"], expected);
}

/// An event for the ordering test.
fn event(name: &str) -> oppvekstgraf_api::feed::PendingChange {
    oppvekstgraf_api::feed::PendingChange {
        revision_id: None,
        node_type: "Measure".into(),
        node_id: uuid::Uuid::new_v4(),
        action: "create".into(),
        node_version: 1,
        municipality_id: None,
        public: true,
        actor_name: name.into(),
        created_at: chrono::Utc::now(),
    }
}

on_both!(
    a_writer_waits_for_the_feed_until_the_earlier_one_commits,
    empty
);
async fn a_writer_waits_for_the_feed_until_the_earlier_one_commits(app: &TestApp) {
    use sea_orm::TransactionTrait;
    let options = || sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let db = app.state.db.clone();
    // The first writer has appended its event but not committed yet.
    let first = db.begin_with_options(options()).await.expect("begin");
    oppvekstgraf_api::feed::append(&first, vec![event("first")])
        .await
        .expect("append");
    // A second writer cannot take a feed position before the first commits: otherwise it could commit a
    // larger number first, and a reader between the two commits would skip the smaller one for good.
    let second = tokio::spawn(async move {
        let tx = db.begin_with_options(options()).await.expect("begin");
        oppvekstgraf_api::feed::append(&tx, vec![event("second")])
            .await
            .expect("append");
        tx.commit().await.expect("commit");
    });
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(
        !second.is_finished(),
        "[{:?}] the second writer did not wait",
        app.backend
    );
    first.commit().await.expect("commit");
    tokio::time::timeout(Duration::from_secs(10), second)
        .await
        .expect("the second writer finishes once the first committed")
        .expect("second writer");
    let events = oppvekstgraf_api::feed::read(
        &app.state.db,
        &oppvekstgraf_api::feed::FeedFilter::default(),
        oppvekstgraf_api::loader::Scope::Everything,
        10,
    )
    .await
    .expect("read");
    let order: Vec<(i64, &str)> = events
        .iter()
        .map(|e| (e.seq, e.actor_name.as_str()))
        .collect();
    assert_eq!(
        order.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        vec!["first", "second"]
    );
    assert!(order[0].0 < order[1].0);
}
