//! The HTTP server's connections: our own accept loop over hyper, because what a public server must decide
//! is decided per connection. It caps the connections open at once (past the cap a client gets `503` at
//! once and is closed), closes a connection whose request headers do not arrive in time or that stays idle
//! too long, pauses accepting when the process runs out of file descriptors instead of ending, and on
//! shutdown stops accepting, lets the requests in flight finish and closes idle connections.

use std::{
    future::Future,
    io,
    sync::Arc,
    time::{Duration, Instant},
};

use axum::Router;
use hyper_util::{rt::TokioExecutor, server::conn::auto::Builder};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::{OwnedSemaphorePermit, Semaphore, watch},
    task::JoinSet,
};

use crate::{config::ConnectionConfig, metrics::Metrics};

mod connection;

use connection::{Connection, Deadlines};

/// Refusals written at once; a connection past the cap beyond these is closed without an answer.
const REFUSALS_AT_ONCE: usize = 64;
/// How long a refusal may take to write its answer and drain what the client sent.
const REFUSAL_TIME: Duration = Duration::from_secs(1);
/// How long accepting pauses after an error such as running out of file descriptors.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// Set once the server stops: a request (a WebSocket) can watch it to end itself.
#[derive(Clone, Debug)]
pub struct Stopping(pub watch::Receiver<bool>);

impl Stopping {
    /// Resolves once the server stops (or is gone).
    pub async fn wait(&mut self) {
        while !*self.0.borrow_and_update() {
            if self.0.changed().await.is_err() {
                return;
            }
        }
    }
}

/// Serves `router` on `listener` under `limits` until `shutdown` resolves; then stops accepting, lets the
/// requests in flight finish, and returns once every HTTP connection has closed (upgraded WebSockets are
/// told through [`Stopping`] and close themselves).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: &ConnectionConfig,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()>,
) {
    let max = limits.max_connections();
    tracing::info!(
        max_connections = max,
        header_read_timeout_secs = limits.header_read_timeout_secs,
        idle_timeout_secs = limits.idle_timeout_secs,
        "accepting connections"
    );
    let (stop, stopping) = watch::channel(false);
    let permits = Arc::new(Semaphore::new(max));
    let refusals = Arc::new(Semaphore::new(REFUSALS_AT_ONCE));
    // No hyper timer: hyper's own header timeout would also run while a keep-alive connection waits for its
    // next request; the watchdog of each connection keeps both deadlines apart.
    let builder = Arc::new(Builder::new(TokioExecutor::new()));
    let deadlines = Deadlines::of(limits);
    let mut tasks = JoinSet::new();
    let mut pauses = AcceptPauses::default();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(err) => {
                    pauses.after(&err).await;
                    continue;
                }
            },
        };
        match permits.clone().try_acquire_owned() {
            Ok(permit) => {
                let connection = Connection {
                    builder: builder.clone(),
                    router: router.clone(),
                    peer,
                    deadlines,
                    metrics: metrics.clone(),
                    stopping: Stopping(stopping.clone()),
                };
                tasks.spawn(connection.run(stream, permit));
            }
            Err(_) => {
                metrics.http_connections_refused.inc();
                if let Ok(slot) = refusals.clone().try_acquire_owned() {
                    tokio::spawn(refuse(stream, slot));
                }
            }
        }
    }
    drop(listener);
    let _ = stop.send(true);
    while tasks.join_next().await.is_some() {}
}

/// Pauses accepting after an error that is not one connection's (out of file descriptors or memory), with
/// one warning a second at most.
#[derive(Default)]
struct AcceptPauses {
    warned: Option<Instant>,
}

impl AcceptPauses {
    async fn after(&mut self, err: &io::Error) {
        use io::ErrorKind::*;
        if matches!(
            err.kind(),
            ConnectionAborted | ConnectionReset | ConnectionRefused | Interrupted
        ) {
            return;
        }
        if self
            .warned
            .is_none_or(|at| at.elapsed() >= Duration::from_secs(1))
        {
            tracing::warn!(error = %err, "cannot accept connections now: pausing (connections wait in the backlog)");
            self.warned = Some(Instant::now());
        }
        tokio::time::sleep(ACCEPT_PAUSE).await;
    }
}

/// Answers a connection past the cap with `503 SERVICE_UNAVAILABLE` and closes it.
async fn refuse(mut stream: TcpStream, _slot: OwnedSemaphorePermit) {
    let body = crate::http::reply::error_body(
        "the server has too many open connections; try again shortly",
        "SERVICE_UNAVAILABLE",
        None,
    )
    .to_string();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(REFUSAL_TIME, async {
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await?;
        // Read what the client sent until it closes, so that closing does not reset the connection before
        // the client has read the answer.
        let mut sink = [0u8; 4096];
        while stream.read(&mut sink).await? > 0 {}
        Ok::<(), io::Error>(())
    })
    .await;
}
