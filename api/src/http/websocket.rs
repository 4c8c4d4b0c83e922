//! GraphQL subscriptions over WebSocket (graphql-ws and the older graphql-transport-ws subprotocols), run by
//! async-graphql's protocol state machine inside a loop of ours that keeps the connection honest: a client
//! must send `connection_init` in time (else 4408, as graphql-ws says), must answer a ping after a silence
//! (which it cannot while in the middle of a frame, so an unfinished message ends it too), must read what it
//! is sent, and is told 1001 when the server stops.

use std::time::{Duration, Instant};

use async_graphql::http::WsMessage;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::{
    SinkExt, StreamExt,
    stream::{BoxStream, SplitSink},
};
use tokio::sync::mpsc;

use crate::{config::ConnectionConfig, metrics::Metrics, server::Stopping};

/// Client messages queued for the protocol state machine before the socket is read further.
const QUEUED_MESSAGES: usize = 16;

/// How the subscription loop ends: closed by us with this code and reason, or by the client.
enum End {
    Close(u16, String),
    Client,
}

/// Serves one upgraded connection: `protocol` makes the GraphQL side from the stream of the client's text
/// and binary messages; the loop enforces `limits`.
pub async fn serve<S>(
    socket: WebSocket,
    protocol: impl FnOnce(BoxStream<'static, bytes::Bytes>) -> S,
    limits: &ConnectionConfig,
    metrics: &Metrics,
    stopping: Option<Stopping>,
) where
    S: futures_util::Stream<Item = WsMessage>,
{
    let (input, mut queued) = mpsc::channel(QUEUED_MESSAGES);
    let messages = futures_util::stream::poll_fn(move |cx| queued.poll_recv(cx)).boxed();
    let mut protocol = std::pin::pin!(protocol(messages));
    let (mut sink, mut source) = socket.split();
    let mut liveness = Liveness::new(limits.ws_init_timeout(), limits.ws_message_timeout());
    let mut check = tokio::time::interval(liveness.check_period());
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let message_timeout = liveness.message_timeout;
    let mut stopping = stopping;
    let end = loop {
        tokio::select! {
            frame = source.next(), if input.capacity() > 0 => {
                let Some(Ok(frame)) = frame else { break End::Client };
                liveness.frame();
                match frame {
                    Message::Text(_) | Message::Binary(_) => {
                        if input.try_send(frame.into_data()).is_err() {
                            break End::Client;
                        }
                    }
                    Message::Close(_) => break End::Client,
                    Message::Ping(_) | Message::Pong(_) => {}
                }
            }
            out = protocol.next() => {
                let Some(out) = out else { break End::Close(1000, String::new()) };
                let message = match out {
                    WsMessage::Text(text) => {
                        liveness.acknowledged |= text.contains("\"connection_ack\"");
                        Message::Text(text.into())
                    }
                    WsMessage::Close(code, reason) => break End::Close(code, reason),
                };
                if !send(&mut sink, message, message_timeout).await {
                    break End::Client;
                }
            }
            _ = check.tick() => match liveness.due() {
                Due::Nothing => {}
                Due::Ping => {
                    if !send(&mut sink, Message::Ping(bytes::Bytes::new()), message_timeout).await {
                        break End::Client;
                    }
                    liveness.pinged = Some(Instant::now());
                }
                Due::Close(code, reason) => {
                    metrics.websocket_timeouts.inc();
                    break End::Close(code, reason);
                }
            },
            () = stopped(&mut stopping) => {
                break End::Close(1001, "the server is shutting down".into());
            }
        }
    };
    if let End::Close(code, reason) = end {
        let close = Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        }));
        send(&mut sink, close, message_timeout).await;
    }
}

/// The deadlines of one connection: `connection_init` answered in time, and a frame within the message
/// timeout of a ping.
struct Liveness {
    opened: Instant,
    init_timeout: Duration,
    message_timeout: Duration,
    /// The protocol has acknowledged `connection_init`.
    acknowledged: bool,
    last_frame: Instant,
    /// When the unanswered ping went out.
    pinged: Option<Instant>,
}

/// What the deadlines ask for now.
#[derive(Debug, PartialEq, Eq)]
enum Due {
    Nothing,
    Ping,
    Close(u16, String),
}

impl Liveness {
    fn new(init_timeout: Duration, message_timeout: Duration) -> Liveness {
        let now = Instant::now();
        Liveness {
            opened: now,
            init_timeout,
            message_timeout,
            acknowledged: false,
            last_frame: now,
            pinged: None,
        }
    }

    /// How often the deadlines are checked.
    fn check_period(&self) -> Duration {
        (self.init_timeout.min(self.message_timeout) / 4)
            .clamp(Duration::from_millis(100), Duration::from_secs(1))
    }

    /// A frame came in: the client is alive.
    fn frame(&mut self) {
        self.last_frame = Instant::now();
        self.pinged = None;
    }

    fn due(&self) -> Due {
        if !self.acknowledged && self.opened.elapsed() >= self.init_timeout {
            return Due::Close(4408, "Connection initialisation timeout".into());
        }
        match self.pinged {
            Some(at) if at.elapsed() >= self.message_timeout => Due::Close(
                1008,
                format!(
                    "no frame within {} s of a ping",
                    self.message_timeout.as_secs()
                ),
            ),
            None if self.last_frame.elapsed() >= self.message_timeout => Due::Ping,
            _ => Due::Nothing,
        }
    }
}

/// Sends `message`, giving up (false) when the client does not take it within `timeout` or is gone.
async fn send(
    sink: &mut SplitSink<WebSocket, Message>,
    message: Message,
    timeout: Duration,
) -> bool {
    matches!(
        tokio::time::timeout(timeout, sink.send(message)).await,
        Ok(Ok(()))
    )
}

/// Resolves once the server stops; never without a [`Stopping`] (a router served outside our server).
async fn stopped(stopping: &mut Option<Stopping>) {
    match stopping {
        Some(stopping) => stopping.wait().await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deadlines far away (nothing is due) or already past (after a short sleep).
    const FAR: Duration = Duration::from_secs(60);
    const NEAR: Duration = Duration::from_millis(20);

    #[test]
    fn init_must_be_acknowledged_in_time() {
        assert_eq!(Liveness::new(FAR, FAR).due(), Due::Nothing);
        let mut liveness = Liveness::new(NEAR, FAR);
        std::thread::sleep(NEAR * 2);
        assert!(matches!(liveness.due(), Due::Close(4408, _)));
        liveness.acknowledged = true;
        assert_eq!(liveness.due(), Due::Nothing);
    }

    #[test]
    fn silence_is_pinged_and_an_unanswered_ping_closes() {
        let mut liveness = Liveness::new(FAR, NEAR);
        liveness.acknowledged = true;
        std::thread::sleep(NEAR * 2);
        assert_eq!(liveness.due(), Due::Ping);
        liveness.pinged = Some(Instant::now());
        std::thread::sleep(NEAR * 2);
        assert!(matches!(liveness.due(), Due::Close(1008, _)));
        // Any frame answers it.
        let mut answered = Liveness::new(FAR, FAR);
        answered.acknowledged = true;
        answered.pinged = Some(Instant::now());
        answered.frame();
        assert_eq!(answered.pinged, None);
        assert_eq!(answered.due(), Due::Nothing);
    }
}
