//! The HTTP server's connections: our own accept loop over hyper, because what a public server must decide
//! is decided per connection. It caps the connections open at once (past the cap a client gets `503` at
//! once and is closed), closes a connection whose request headers do not arrive in time or that stays idle
//! too long, pauses accepting when the process runs out of file descriptors instead of ending, and on
//! shutdown stops accepting, lets the requests in flight finish and closes idle connections.

use std::{
    future::Future,
    io,
    net::SocketAddr,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::{Duration, Instant},
};

use axum::{Router, extract::ConnectInfo};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo},
    server::conn::auto::Builder,
};
use prometheus_client::metrics::gauge::Gauge;
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{OwnedSemaphorePermit, Semaphore, watch},
    task::JoinSet,
};
use tower::ServiceExt;

use crate::{config::ConnectionConfig, metrics::Metrics};

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

/// The two deadlines of a connection with no request in flight, and how often they are checked.
#[derive(Debug, Clone, Copy)]
struct Deadlines {
    header_read: Duration,
    idle: Duration,
    check: Duration,
}

impl Deadlines {
    fn of(limits: &ConnectionConfig) -> Deadlines {
        let header_read = limits.header_read_timeout();
        let idle = limits.idle_timeout();
        let check =
            (header_read.min(idle) / 4).clamp(Duration::from_millis(100), Duration::from_secs(1));
        Deadlines {
            header_read,
            idle,
            check,
        }
    }
}

/// Marks "none" in [`Activity`]'s times.
const NONE: u64 = u64::MAX;

/// What one connection has done lately, kept by its I/O and its requests, read by its watchdog.
#[derive(Debug)]
struct Activity {
    opened: Instant,
    /// The last byte read or written, in milliseconds since `opened`.
    last_io: AtomicU64,
    /// When the request head now being read began (from the opening for the first request, from its first
    /// byte for later ones); [`NONE`] while a request is in flight or before any byte of the next one.
    head_since: AtomicU64,
    /// Requests the router is answering now.
    in_flight: AtomicUsize,
}

/// What the watchdog does about a connection.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Fine,
    /// Request headers began and did not finish in time: close at once.
    SlowHeaders,
    /// Nothing in flight and nothing sent either way for the idle timeout: close gracefully.
    Idle,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            last_io: AtomicU64::new(0),
            head_since: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(NONE - 1)
    }

    fn read(&self) {
        let now = self.now();
        self.last_io.store(now, Ordering::Relaxed);
        if self.in_flight.load(Ordering::Acquire) == 0 {
            let _ =
                self.head_since
                    .compare_exchange(NONE, now, Ordering::AcqRel, Ordering::Relaxed);
        }
    }

    fn wrote(&self) {
        self.last_io.store(self.now(), Ordering::Relaxed);
    }

    fn verdict(&self, deadlines: &Deadlines) -> Verdict {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return Verdict::Fine;
        }
        let now = self.now();
        let since = |at: u64| Duration::from_millis(now.saturating_sub(at));
        match self.head_since.load(Ordering::Acquire) {
            NONE if since(self.last_io.load(Ordering::Relaxed)) >= deadlines.idle => Verdict::Idle,
            NONE => Verdict::Fine,
            began if since(began) >= deadlines.header_read => Verdict::SlowHeaders,
            _ => Verdict::Fine,
        }
    }
}

/// A request in flight on a connection; its end counts as the connection's last activity.
struct InFlight(Arc<Activity>);

impl InFlight {
    fn begin(activity: &Arc<Activity>) -> InFlight {
        activity.in_flight.fetch_add(1, Ordering::AcqRel);
        activity.head_since.store(NONE, Ordering::Release);
        InFlight(activity.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.wrote();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// An open connection counted in a gauge.
struct Open(Gauge);

impl Open {
    fn new(gauge: &Gauge) -> Open {
        gauge.inc();
        Open(gauge.clone())
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// The socket of one connection: it notes its reads and writes in the connection's [`Activity`], and holds
/// the connection's place under the cap for as long as it lives, an upgrade to WebSocket included.
struct TrackedIo {
    stream: TcpStream,
    activity: Arc<Activity>,
    _permit: OwnedSemaphorePermit,
    _open: Open,
}

impl AsyncRead for TrackedIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.activity.read();
        }
        result
    }
}

impl AsyncWrite for TrackedIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.wrote();
        }
        result
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.wrote();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// One accepted connection and what it is served with.
struct Connection {
    builder: Arc<Builder<TokioExecutor>>,
    router: Router,
    peer: SocketAddr,
    deadlines: Deadlines,
    metrics: Arc<Metrics>,
    stopping: Stopping,
}

impl Connection {
    /// Serves the connection until it ends, its watchdog closes it, or the server stops.
    async fn run(self, stream: TcpStream, permit: OwnedSemaphorePermit) {
        let Connection {
            builder,
            router,
            peer,
            deadlines,
            metrics,
            mut stopping,
        } = self;
        let activity = Arc::new(Activity::new());
        let io = TrackedIo {
            stream,
            activity: activity.clone(),
            _permit: permit,
            _open: Open::new(&metrics.http_connections_open),
        };
        let requests = activity.clone();
        let request_stopping = stopping.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            let in_flight = InFlight::begin(&requests);
            request.extensions_mut().insert(ConnectInfo(peer));
            // Only an upgraded connection (a WebSocket) outlives its request and must hear of a shutdown.
            if request.headers().contains_key(hyper::header::UPGRADE) {
                request.extensions_mut().insert(request_stopping.clone());
            }
            let response = router.clone().oneshot(request);
            async move {
                let response = response.await;
                drop(in_flight);
                response
            }
        });
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(io), service);
        tokio::pin!(connection);
        let mut check = tokio::time::interval(deadlines.check);
        check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut closing = false;
        loop {
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(err) = result {
                        tracing::debug!(%peer, error = %err, "connection ended with an error");
                    }
                    return;
                }
                _ = check.tick() => match activity.verdict(&deadlines) {
                    Verdict::SlowHeaders => {
                        metrics.http_connections_slow_headers.inc();
                        tracing::debug!(%peer, "request headers not complete in time: connection closed");
                        return;
                    }
                    Verdict::Idle if !closing => {
                        metrics.http_connections_idle_closed.inc();
                        connection.as_mut().graceful_shutdown();
                        closing = true;
                    }
                    Verdict::Idle | Verdict::Fine => {}
                },
                () = stopping.wait(), if !closing => {
                    connection.as_mut().graceful_shutdown();
                    closing = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 50 ms header deadline and an idle timeout of `idle_ms`.
    fn deadlines(idle_ms: u64) -> Deadlines {
        Deadlines {
            header_read: Duration::from_millis(50),
            idle: Duration::from_millis(idle_ms),
            check: Duration::from_millis(10),
        }
    }

    #[test]
    fn the_first_request_is_due_from_the_opening() {
        let activity = Activity::new();
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(activity.verdict(&deadlines(60_000)), Verdict::SlowHeaders);
    }

    #[test]
    fn a_request_in_flight_is_never_timed_out() {
        let activity = Arc::new(Activity::new());
        let in_flight = InFlight::begin(&activity);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(activity.verdict(&deadlines(10)), Verdict::Fine);
        drop(in_flight);
        // Between requests only the idle timeout runs; the next headers are due from their first byte.
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(activity.verdict(&deadlines(60_000)), Verdict::Fine);
        activity.read();
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(activity.verdict(&deadlines(60_000)), Verdict::SlowHeaders);
    }

    #[test]
    fn a_silent_keep_alive_connection_goes_idle() {
        let activity = Arc::new(Activity::new());
        drop(InFlight::begin(&activity));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(activity.verdict(&deadlines(50)), Verdict::Idle);
    }
}
