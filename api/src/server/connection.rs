//! One accepted connection: its deadlines, what it has done lately (kept by its I/O and requests, read by
//! its watchdog), and serving it until it ends, its watchdog closes it or the server stops.

use std::{
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
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::TcpStream,
    sync::OwnedSemaphorePermit,
};
use tower::ServiceExt;

use crate::{config::ConnectionConfig, metrics::Metrics};

use super::Stopping;

/// The two deadlines of a connection with no request in flight, and how often they are checked.
#[derive(Debug, Clone, Copy)]
pub(super) struct Deadlines {
    header_read: Duration,
    idle: Duration,
    check: Duration,
}

impl Deadlines {
    pub(super) fn of(limits: &ConnectionConfig) -> Deadlines {
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
pub(super) struct Connection {
    pub(super) builder: Arc<Builder<TokioExecutor>>,
    pub(super) router: Router,
    pub(super) peer: SocketAddr,
    pub(super) deadlines: Deadlines,
    pub(super) metrics: Arc<Metrics>,
    pub(super) stopping: Stopping,
}

impl Connection {
    /// Serves the connection until it ends, its watchdog closes it, or the server stops.
    pub(super) async fn run(self, stream: TcpStream, permit: OwnedSemaphorePermit) {
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
mod tests;
