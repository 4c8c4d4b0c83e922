//! The GraphiQL console, built from the `graphiql` npm package (see `console/`) and embedded in the binary,
//! so it works with no internet.

use axum::{
    Router,
    extract::Path,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "console/dist/"]
struct Assets;

/// The Content-Security-Policy of the console: everything from our own origin, nothing from elsewhere.
pub const CSP: &str = "default-src 'self'; script-src 'self'; worker-src 'self' blob:; connect-src 'self'; \
                       style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
                       frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

fn content_type(path: &str) -> String {
    match path.rsplit('.').next() {
        Some("js" | "mjs") => "text/javascript; charset=utf-8".into(),
        Some("html") => "text/html; charset=utf-8".into(),
        Some("css") => "text/css; charset=utf-8".into(),
        _ => mime_guess::from_path(path)
            .first_or_octet_stream()
            .to_string(),
    }
}

fn serve(path: &str) -> Response {
    match Assets::get(path) {
        Some(file) => {
            let cache = if path == "index.html" {
                "no-cache"
            } else {
                "public, max-age=31536000, immutable"
            };
            (
                [
                    (header::CONTENT_TYPE, content_type(path)),
                    (header::CACHE_CONTROL, cache.to_string()),
                    (header::CONTENT_SECURITY_POLICY, CSP.to_string()),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                ],
                file.data,
            )
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// The console page.
pub async fn index() -> Response {
    serve("index.html")
}

async fn asset(Path(path): Path<String>) -> Response {
    if path.is_empty() {
        serve("index.html")
    } else {
        serve(&path)
    }
}

/// Routes `/graphiql` and its assets.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/graphiql", get(index))
        .route("/graphiql/", get(index))
        .route("/graphiql/{*path}", get(asset))
}
