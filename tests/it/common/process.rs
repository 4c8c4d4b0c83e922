//! Test support: an API process of our own binary, and plain HTTP and WebSocket clients to it.

/// An API process of our own binary (`oppvekstgraf serve --no-seed`) over a database, stopped when dropped.
pub struct ApiProcess(pub std::process::Child, pub std::net::SocketAddr);

impl Drop for ApiProcess {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

impl ApiProcess {
    /// Starts a process over `url` on a free loopback port and waits (at most 10 s) until `/readyz` is 200.
    pub async fn start(url: &str) -> ApiProcess {
        ApiProcess::start_with(url, &[], None).await
    }

    /// [`ApiProcess::start`] with extra environment variables and, when given, a soft limit on open file
    /// descriptors (set by the shell's `ulimit -n` before it runs the binary).
    pub async fn start_with(url: &str, env: &[(&str, &str)], fd_limit: Option<u32>) -> ApiProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("free port")
            .local_addr()
            .expect("addr")
            .port();
        let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
        let binary = env!("CARGO_BIN_EXE_oppvekstgraf");
        let mut command = match fd_limit {
            Some(limit) => {
                let mut shell = std::process::Command::new("sh");
                shell.args([
                    "-c",
                    &format!("ulimit -n {limit} && exec \"$0\" serve --no-seed"),
                    binary,
                ]);
                shell
            }
            None => {
                let mut direct = std::process::Command::new(binary);
                direct.args(["serve", "--no-seed"]);
                direct
            }
        };
        command
            .env("DATABASE_URL", url)
            .env("BIND", addr.to_string())
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null());
        let child = command.spawn().expect("start an API process");
        let mut process = ApiProcess(child, addr);
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(addr).await.is_ok()
                && http_get(addr, "/readyz").await.0 == 200
            {
                return process;
            }
            if let Ok(Some(status)) = process.0.try_wait() {
                panic!("the API process ended before it was ready: {status}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the API process did not become ready");
    }
}

/// A plain HTTP/1.1 GET to `addr` (asking for `application/graphql-response+json`): (status, body).
pub async fn http_get(addr: std::net::SocketAddr, target: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return (0, String::new());
    };
    let request = format!(
        "GET {target} HTTP/1.1\r\nHost: x\r\nAccept: application/graphql-response+json\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).await.is_err() {
        return (0, String::new());
    }
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.ok();
    let status = reply.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = reply
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A WebSocket of the graphql-transport-ws subprotocol to `/graphql/ws` at `addr` (nothing sent yet).
pub async fn websocket(
    addr: std::net::SocketAddr,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    use tokio_tungstenite::tungstenite::{client::IntoClientRequest, http::HeaderValue};
    let mut request = format!("ws://{addr}/graphql/ws")
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    tokio_tungstenite::connect_async(request)
        .await
        .expect("connect")
        .0
}
