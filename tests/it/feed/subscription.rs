//! The change feed: the `changes` subscription over graphql-ws, across API processes.

use crate::common;

use std::time::Duration;

use common::{Backend, Caller, TestApp};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use super::{UPDATE, create_update_publish, ok, plan_id};

/// Serves `app`'s router on a loopback port; returns the address.
async fn serve(app: &TestApp) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = app.router.clone();
    tokio::spawn(async move {
        axum::serve(listener, router).await.ok();
    });
    addr
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a graphql-transport-ws connection to `addr` and subscribes to `query`.
async fn subscribe(addr: std::net::SocketAddr, init: Value, query: &str) -> Socket {
    let mut socket = common::websocket(addr).await;
    socket
        .send(Message::text(
            json!({ "type": "connection_init", "payload": init }).to_string(),
        ))
        .await
        .expect("init");
    let ack = next_message(&mut socket).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    socket
        .send(Message::text(
            json!({ "id": "1", "type": "subscribe", "payload": { "query": query } }).to_string(),
        ))
        .await
        .expect("subscribe");
    socket
}

/// The next JSON message (bounded wait).
async fn next_message(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(20), socket.next())
            .await
            .expect("a message within 20 s")
            .expect("open socket")
            .expect("message");
        if let Message::Text(text) = message {
            let value: Value = serde_json::from_str(&text).expect("json");
            if value["type"] == "ping" {
                continue;
            }
            return value;
        }
    }
}

const SUBSCRIPTION: &str = "subscription { changes(municipality: \"1539\") { action nodeType nodeId nodeVersion node { ... on Measure { title status } } } }";

on_both!(subscription_delivers_events);
async fn subscription_delivers_events(app: &TestApp) {
    let rauma = Caller::new(app, app.token("editor", Some("1539")).await);
    let plan = plan_id(app).await;
    // On PostgreSQL the subscriber talks to a second API process; the change is made through this one.
    let (_process, addr) = match app.backend {
        Backend::Postgres => {
            let process = common::ApiProcess::start(&app.url).await;
            let addr = process.1;
            (Some(process), addr)
        }
        Backend::Sqlite => (None, serve(app).await),
    };
    let mut anonymous = subscribe(addr, json!({}), SUBSCRIPTION).await;
    let mut editor = subscribe(
        addr,
        json!({ "authorization": format!("Bearer {}", rauma.secret()), "preview": true }),
        SUBSCRIPTION,
    )
    .await;
    // Give the subscriptions a moment to read the feed's head before the change.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let id = create_update_publish(&rauma, &plan, "Abonnert tiltak").await;

    // The editor's preview gets every event, in order, with the node as it is now.
    let mut got = Vec::new();
    for _ in 0..3 {
        let message = next_message(&mut editor).await;
        assert_eq!(message["type"], "next", "{message}");
        let change = &message["payload"]["data"]["changes"];
        assert_eq!(change["nodeId"], json!(id));
        got.push((change["action"].clone(), change["nodeVersion"].clone()));
    }
    assert_eq!(
        got,
        vec![
            (json!("CREATE"), json!(1)),
            (json!("UPDATE"), json!(2)),
            (json!("PUBLISH"), json!(3))
        ]
    );
    // The anonymous subscriber gets the publication only, with the published node.
    let message = next_message(&mut anonymous).await;
    let change = &message["payload"]["data"]["changes"];
    assert_eq!(change["action"], "PUBLISH", "{message}");
    assert_eq!(change["node"]["title"], "Abonnert tiltak");
    assert_eq!(change["node"]["status"], "PUBLISHED");

    // A later change shows the node's new state, not a cached one.
    ok(
        &rauma,
        UPDATE,
        json!({ "input": { "id": id, "version": 3, "title": "Nytt navn" } }),
    )
    .await;
    let message = next_message(&mut anonymous).await;
    assert_eq!(
        message["payload"]["data"]["changes"]["node"]["title"], "Nytt navn",
        "{message}"
    );

    // A bad token is refused at connection_init.
    let mut socket = common::websocket(addr).await;
    socket
        .send(Message::text(
            json!({ "type": "connection_init", "payload": { "authorization": "Bearer nonsense" } })
                .to_string(),
        ))
        .await
        .expect("init");
    let closed = tokio::time::timeout(Duration::from_secs(10), socket.next())
        .await
        .expect("reply");
    match closed {
        // graphql-transport-ws closes a refused connection_init with 1002 and the reason.
        Some(Ok(Message::Close(Some(frame)))) => {
            assert_eq!(u16::from(frame.code), 1002);
            assert!(
                frame.reason.to_lowercase().contains("token"),
                "{}",
                frame.reason
            );
        }
        other => panic!("expected the connection to be closed, got {other:?}"),
    }
}
