//! Hostile clients: slow and idle connections, a flood past the cap, WebSockets that never finish.

use crate::common;

use std::time::{Duration, Instant};

use common::TestApp;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

// ---------------------------------------------------------------------------------------------------------
// Connections: clients that hold a connection without finishing what they send.

/// Short deadlines, so that a test waits seconds, not minutes.
const DEADLINES: &[(&str, &str)] = &[
    ("HTTP_HEADER_READ_TIMEOUT_SECS", "1"),
    ("HTTP_IDLE_TIMEOUT_SECS", "2"),
    ("WS_INIT_TIMEOUT_SECS", "1"),
    ("WS_MESSAGE_TIMEOUT_SECS", "1"),
];

/// One keep-alive GET on an open connection: the status of its answer (the body is read by its length).
async fn keep_alive_get(stream: &mut TcpStream, target: &str) -> u16 {
    let request = format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut buf).await.expect("read");
        assert!(n > 0, "the connection closed before an answer");
        seen.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&seen[..head_end]).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("content-length");
    while seen.len() < head_end + length {
        let n = stream.read(&mut buf).await.expect("read body");
        assert!(n > 0);
        seen.extend_from_slice(&buf[..n]);
    }
    head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0)
}

on_both!(slow_and_idle_connections_are_closed);
async fn slow_and_idle_connections_are_closed(app: &TestApp) {
    let server = common::ApiProcess::start_with(&app.url, DEADLINES, None).await;
    let addr = server.1;
    // A client that sends its headers a byte at a time.
    let mut slow = TcpStream::connect(addr).await.expect("connect");
    let started = Instant::now();
    slow.write_all(b"POST /graphql HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .expect("write");
    let trickle = tokio::spawn(async move {
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if slow.write_all(b"a").await.is_err() {
                break;
            }
        }
        slow
    });
    // A client that opens a connection and sends nothing, and one that goes quiet after a request.
    let mut silent = TcpStream::connect(addr).await.expect("connect");
    let mut idle = TcpStream::connect(addr).await.expect("connect");
    assert_eq!(keep_alive_get(&mut idle, "/healthz").await, 200);
    let idle_since = Instant::now();
    // Everyone else is served meanwhile.
    for _ in 0..5 {
        let (status, body) =
            common::http_get(addr, "/graphql?query=%7Bmunicipalities%7BtotalCount%7D%7D").await;
        assert_eq!(status, 200, "{body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut slow = trickle.await.expect("trickle");
    let slow_closed = until_closed_since(&mut slow, started, Duration::from_secs(6))
        .await
        .1
        .expect("the slow-header connection is closed");
    assert!(
        slow_closed >= Duration::from_millis(900) && slow_closed < Duration::from_secs(4),
        "[{:?}] closed after {slow_closed:?}, the header timeout is 1 s",
        app.backend
    );
    let silent_closed = until_closed_since(&mut silent, started, Duration::from_secs(6))
        .await
        .1
        .expect("a connection that sends nothing is closed");
    assert!(
        silent_closed >= Duration::from_millis(900),
        "{silent_closed:?}"
    );
    let idle_closed = until_closed_since(&mut idle, idle_since, Duration::from_secs(8))
        .await
        .1
        .expect("the idle keep-alive connection is closed");
    assert!(
        idle_closed >= Duration::from_millis(1800) && idle_closed < Duration::from_secs(5),
        "[{:?}] idle connection closed after {idle_closed:?}, the idle timeout is 2 s",
        app.backend
    );
    let metrics = common::http_get(addr, "/metrics").await.1;
    assert!(
        metrics.contains("oppvekstgraf_http_connections_slow_headers_total 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("oppvekstgraf_http_connections_idle_closed_total 1"),
        "{metrics}"
    );
}

on_both!(past_the_cap_under_a_low_descriptor_limit);
async fn past_the_cap_under_a_low_descriptor_limit(app: &TestApp) {
    // 128 descriptors: the default cap is 96 connections, and a flood of 300 also runs the process out of
    // descriptors while refusals are being written.
    let env = [
        ("HTTP_HEADER_READ_TIMEOUT_SECS", "2"),
        ("HTTP_IDLE_TIMEOUT_SECS", "30"),
    ];
    let server = common::ApiProcess::start_with(&app.url, &env, Some(128)).await;
    let addr = server.1;
    let mut kept = TcpStream::connect(addr).await.expect("connect");
    assert_eq!(keep_alive_get(&mut kept, "/healthz").await, 200);
    let started = Instant::now();
    let mut flood = Vec::new();
    for _ in 0..300 {
        if let Ok(stream) = TcpStream::connect(addr).await {
            flood.push(stream);
        }
    }
    // Past the cap, connections are answered 503 SERVICE_UNAVAILABLE with Retry-After and closed.
    let mut refused = 0;
    for stream in flood.iter_mut().rev().take(100) {
        let mut answer = Vec::new();
        let read =
            tokio::time::timeout(Duration::from_millis(500), stream.read_to_end(&mut answer)).await;
        let text = String::from_utf8_lossy(&answer).to_lowercase();
        if read.is_ok() && text.starts_with("http/1.1 503") {
            assert!(text.contains("retry-after: 1"), "{text}");
            assert!(text.contains("\"code\":\"service_unavailable\""), "{text}");
            refused += 1;
        }
    }
    assert!(
        refused > 0,
        "[{:?}] no connection past the cap was refused",
        app.backend
    );
    // The connection opened before the flood is served throughout, GraphQL included.
    assert_eq!(keep_alive_get(&mut kept, "/healthz").await, 200);
    assert_eq!(
        keep_alive_get(
            &mut kept,
            "/graphql?query=%7Bmunicipalities%7BtotalCount%7D%7D"
        )
        .await,
        200
    );
    // Once the header timeout has closed the flood, new connections are served again.
    let mut served = false;
    while started.elapsed() < Duration::from_secs(10) {
        if common::http_get(addr, "/readyz").await.0 == 200 {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        served,
        "[{:?}] new connections were not served after the flood",
        app.backend
    );
    let metrics = common::http_get(addr, "/metrics").await.1;
    let refused_total: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("oppvekstgraf_http_connections_refused_total "))
        .and_then(|v| v.trim().parse().ok())
        .expect("refused counter");
    assert!(refused_total >= refused, "{metrics}");
    drop(flood);
}

/// Opens a WebSocket to `/graphql/ws` over raw TCP (graphql-transport-ws) and reads the 101.
async fn raw_websocket(addr: std::net::SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let request = "GET /graphql/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                   Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\
                   Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n";
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") {
        assert_eq!(
            stream.read(&mut byte).await.expect("read"),
            1,
            "upgrade answer"
        );
        seen.push(byte[0]);
    }
    assert!(
        seen.starts_with(b"HTTP/1.1 101"),
        "{}",
        String::from_utf8_lossy(&seen)
    );
    stream
}

/// A masked client text frame announcing `announced` payload bytes, with the first `sent` of `payload`.
fn client_frame(payload: &[u8], announced: usize, sent: usize) -> Vec<u8> {
    assert!(announced < 126);
    let mask = [7u8, 1, 9, 3];
    let mut frame = vec![0x81, 0x80 | announced as u8];
    frame.extend_from_slice(&mask);
    frame.extend(
        payload
            .iter()
            .take(sent)
            .enumerate()
            .map(|(i, b)| b ^ mask[i % 4]),
    );
    frame
}

/// Everything the server sends until it closes the connection (at most `limit` after `started`), and how
/// long after `started` that was.
async fn until_closed_since(
    stream: &mut TcpStream,
    started: Instant,
    limit: Duration,
) -> (Vec<u8>, Option<Duration>) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((started + limit).into(), stream.read(&mut buf)).await {
            Err(_) => return (seen, None),
            Ok(Ok(0)) | Ok(Err(_)) => return (seen, Some(started.elapsed())),
            Ok(Ok(n)) => seen.extend_from_slice(&buf[..n]),
        }
    }
}

/// [`until_closed_since`] from now.
async fn until_closed(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, Option<Duration>) {
    until_closed_since(stream, Instant::now(), limit).await
}

/// Whether `bytes` hold a server close frame with `code`.
fn has_close(bytes: &[u8], code: u16) -> bool {
    let [high, low] = code.to_be_bytes();
    bytes
        .windows(4)
        .any(|w| w[0] == 0x88 && w[2] == high && w[3] == low)
}

on_both!(websockets_that_never_initialise_or_finish_are_closed);
async fn websockets_that_never_initialise_or_finish_are_closed(app: &TestApp) {
    let server = common::ApiProcess::start_with(&app.url, DEADLINES, None).await;
    let addr = server.1;
    // No connection_init: closed with 4408 after the init timeout.
    let mut mute = raw_websocket(addr).await;
    let (seen, closed) = until_closed(&mut mute, Duration::from_secs(5)).await;
    let closed = closed.expect("a WebSocket without connection_init is closed");
    assert!(has_close(&seen, 4408), "[{:?}] {seen:?}", app.backend);
    assert!(closed >= Duration::from_millis(900), "{closed:?}");

    // Initialised, then half a frame: no pong can pass it, so the connection ends after the ping.
    let mut half = raw_websocket(addr).await;
    let init = br#"{"type":"connection_init"}"#;
    half.write_all(&client_frame(init, init.len(), init.len()))
        .await
        .expect("init");
    let mut ack = [0u8; 64];
    let n = half.read(&mut ack).await.expect("ack");
    assert!(
        String::from_utf8_lossy(&ack[..n]).contains("connection_ack"),
        "{:?}",
        &ack[..n]
    );
    let subscribe =
        br#"{"id":"1","type":"subscribe","payload":{"query":"subscription { changes { seq } }"}}"#;
    half.write_all(&client_frame(subscribe, subscribe.len(), 20))
        .await
        .expect("half a frame");
    let (seen, closed) = until_closed(&mut half, Duration::from_secs(6)).await;
    let closed = closed.expect("a WebSocket with an unfinished message is closed");
    assert!(has_close(&seen, 1008), "[{:?}] {seen:?}", app.backend);
    assert!(
        closed >= Duration::from_millis(1800) && closed < Duration::from_secs(5),
        "closed after {closed:?}: a ping after 1 s of silence, 1 s to answer"
    );

    // A client that answers pings stays connected however long it is quiet.
    let mut live = common::websocket(addr).await;
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    live.send(Message::text(r#"{"type":"connection_init"}"#))
        .await
        .expect("init");
    let quiet = Instant::now();
    let mut pings = 0;
    while quiet.elapsed() < Duration::from_secs(4) {
        match tokio::time::timeout(Duration::from_millis(500), live.next()).await {
            Err(_) => {}
            Ok(Some(Ok(Message::Ping(_)))) => pings += 1,
            Ok(Some(Ok(Message::Text(_)))) => {}
            Ok(other) => panic!("[{:?}] the live WebSocket ended: {other:?}", app.backend),
        }
    }
    assert!(pings >= 1, "the server pings a quiet client");
}
