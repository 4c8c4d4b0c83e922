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
    let init_timeout = limits.ws_init_timeout();
    let message_timeout = limits.ws_message_timeout();
    let opened = Instant::now();
    let mut acknowledged = false;
    let mut last_frame = Instant::now();
    let mut pinged: Option<Instant> = None;
    let mut check = tokio::time::interval(
        (init_timeout.min(message_timeout) / 4)
            .clamp(Duration::from_millis(100), Duration::from_secs(1)),
    );
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut stopping = stopping;
    let end = loop {
        tokio::select! {
            frame = source.next(), if input.capacity() > 0 => {
                let Some(Ok(frame)) = frame else { break End::Client };
                last_frame = Instant::now();
                pinged = None;
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
                        acknowledged |= text.contains("\"connection_ack\"");
                        Message::Text(text.into())
                    }
                    WsMessage::Close(code, reason) => break End::Close(code, reason),
                };
                if !send(&mut sink, message, message_timeout).await {
                    break End::Client;
                }
            }
            _ = check.tick() => {
                if !acknowledged && opened.elapsed() >= init_timeout {
                    metrics.websocket_timeouts.inc();
                    break End::Close(4408, "Connection initialisation timeout".into());
                }
                match pinged {
                    Some(at) if at.elapsed() >= message_timeout => {
                        metrics.websocket_timeouts.inc();
                        break End::Close(
                            1008,
                            format!("no frame within {} s of a ping", message_timeout.as_secs()),
                        );
                    }
                    None if last_frame.elapsed() >= message_timeout => {
                        if !send(&mut sink, Message::Ping(bytes::Bytes::new()), message_timeout).await {
                            break End::Client;
                        }
                        pinged = Some(Instant::now());
                    }
                    _ => {}
                }
            }
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
