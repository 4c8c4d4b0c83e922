//! Faults: SIGTERM drains in-flight requests and then exits, and exits at once when idle.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{Api, COUNT, Reply, graphql, parse_reply};

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
            // The listener closed during this handshake: the next attempt finds it gone.
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => {}
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
