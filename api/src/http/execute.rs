//! Running one GraphQL request: who asks, what it may cost, one execution slot, and the answer with its
//! cache headers.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    body::Bytes,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{
    protocol,
    protocol::Media,
    reply::request_id,
    reply::{NO_STORE, ResponseBody, VARY, error_response, unauthenticated},
    state::AppState,
    viewer::PREVIEW_HEADER,
};
use crate::{
    auth::Viewer,
    cache::{Deps, ResponseCache, etag_of},
    error::{ApiError, ApiResult},
    loader::{Activity, Scope, Tracked},
    rate::ClientKey,
};

/// Decrements a gauge when dropped: what is counted stops being counted however its future ends.
struct Counted<'a>(&'a prometheus_client::metrics::gauge::Gauge);

impl<'a> Counted<'a> {
    fn new(gauge: &'a prometheus_client::metrics::gauge::Gauge) -> Self {
        gauge.inc();
        Counted(gauge)
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// An execution slot, held while a GraphQL execution runs (see [`AppState::executions`]).
struct ExecutionSlot<'a> {
    _permit: tokio::sync::SemaphorePermit<'a>,
    _running: Counted<'a>,
}

/// The response-cache key of a request.
fn cache_key(request: &async_graphql::Request) -> crate::cache::Key {
    let variables = serde_json::to_string(&request.variables).unwrap_or_default();
    ResponseCache::key(
        &request.query,
        request.operation_name.as_deref(),
        &variables,
    )
}

/// Gives every error a `code`. Errors from our resolvers carry one already; the rest come from parsing and
/// validating the document (no path: `GRAPHQL_VALIDATION_FAILED`) or are unexpected failures inside
/// execution, whose text is logged and replaced (`INTERNAL`).
fn classify(error: &mut async_graphql::ServerError) {
    if error
        .extensions
        .as_ref()
        .is_some_and(|ext| ext.get("code").is_some())
    {
        return;
    }
    // Input coercion errors (a variable of the wrong type, an unknown enum value, a scalar where an input
    // object belongs) arrive with a path but say only what the client sent.
    let coercion = [
        "Failed to parse",
        "Invalid value for argument",
        "Expected input type",
    ]
    .iter()
    .any(|p| error.message.starts_with(p));
    let code = if error.path.is_empty() || coercion {
        "GRAPHQL_VALIDATION_FAILED"
    } else {
        tracing::error!(message = %error.message, path = ?error.path, "unexpected error in a resolver");
        error.message = crate::error::ApiError::Internal.message();
        "INTERNAL"
    };
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
}

impl AppState {
    /// Waits for a free execution slot, first come first served. The semaphore is never closed; if it were,
    /// the request would fail as INTERNAL.
    async fn execution_slot(&self) -> ApiResult<ExecutionSlot<'_>> {
        let permit = match self.executions.try_acquire() {
            Ok(permit) => permit,
            Err(_) => {
                let _waiting = Counted::new(&self.metrics.executions_waiting);
                self.executions
                    .acquire()
                    .await
                    .map_err(|_| ApiError::Internal)?
            }
        };
        Ok(ExecutionSlot {
            _permit: permit,
            _running: Counted::new(&self.metrics.executions_running),
        })
    }

    /// Runs one GraphQL request for whoever its headers name, with its own loaders, and answers in `media`:
    /// every error gets a `code` and the request id, a request that failed before execution has no `data`
    /// and, under `application/graphql-response+json`, the status 400.
    pub async fn execute(
        &self,
        headers: &HeaderMap,
        peer: Option<SocketAddr>,
        media: Media,
        request: async_graphql::Request,
        get: bool,
    ) -> Response {
        let (viewer, scope) = match self.viewer(headers).await {
            Ok(found) => found,
            // An invalid token is 401; a database that cannot check the token is 503.
            Err(err @ ApiError::Unauthenticated(_)) => {
                return unauthenticated(&err, headers, media);
            }
            Err(err) => {
                let id = request_id(headers);
                return error_response(
                    err.status(),
                    media,
                    &err.message(),
                    err.code(),
                    id.as_deref(),
                );
            }
        };
        self.metrics.graphql_requests.inc();
        let anonymous = matches!(viewer, Viewer::Anonymous) && scope == Scope::Published;
        // Anonymous reads may come from (and go into) the response cache. A GET was looked up already, before
        // its document was parsed (`cached`): looking again would only count a second miss.
        let key = (anonymous && self.cache.enabled()).then(|| cache_key(&request));
        if !get
            && let Some(key) = &key
            && let Some(entry) = self.cache.get(key)
        {
            let (body, etag) = (entry.body.clone(), Some(entry.etag.clone()));
            return self.respond_ok(headers, media, get, body, etag);
        }
        let seen = self.cache.watermark();
        let request_id = request_id(headers);
        let client = self.client_of(&viewer, headers, peer);
        let (mut response, deps) = self
            .run(request, viewer, scope, client, key.is_some())
            .await;
        mark_errors(&mut response, request_id.as_deref());
        let body = match serde_json::to_vec(&ResponseBody::of(&response)) {
            Ok(body) => Bytes::from(body),
            Err(err) => {
                tracing::error!(error = %err, "a GraphQL response does not serialize");
                let internal = ApiError::Internal;
                let status = StatusCode::INTERNAL_SERVER_ERROR;
                return error_response(
                    status,
                    media,
                    &internal.message(),
                    internal.code(),
                    request_id.as_deref(),
                );
            }
        };
        if response.is_ok() && anonymous {
            let etag = etag_of(&body);
            if let (Some(key), Some(deps)) = (key, &deps) {
                self.cache
                    .insert(key, body.clone(), etag.clone(), deps, seen);
            }
            let mut http = self.respond_ok(headers, media, get, body, Some(etag));
            http.headers_mut().extend(response.http_headers);
            return http;
        }
        uncached(response, media, body)
    }

    /// Whom a request is charged to: its token, or for an anonymous one its address.
    fn client_of(
        &self,
        viewer: &Viewer,
        headers: &HeaderMap,
        peer: Option<SocketAddr>,
    ) -> ClientKey {
        match viewer {
            Viewer::Anonymous => ClientKey(format!("addr:{}", self.client_address(headers, peer))),
            Viewer::Actor(actor) => ClientKey(format!("token:{}", actor.token_id)),
        }
    }

    /// Admits the request (its variables, its cost and the client's rate) and executes it in an execution
    /// slot, with its own loaders; `cached` collects what the answer depends on, for the response cache.
    async fn run(
        &self,
        mut request: async_graphql::Request,
        viewer: Viewer,
        scope: Scope,
        client: ClientKey,
        cached: bool,
    ) -> (async_graphql::Response, Option<Arc<Deps>>) {
        let schema = match &viewer {
            Viewer::Anonymous => &self.schemas.public,
            Viewer::Actor(_) => &self.schemas.editor,
        };
        let admitted = protocol::check_variables(&mut request).and_then(|()| {
            let rate = self.limiter.as_deref().map(|limiter| (limiter, &client));
            let registry = &self.schemas.env.registry;
            crate::limits::admit(
                registry,
                &request.query,
                &request.variables,
                self.limits,
                rate,
            )
            .map_err(|error| vec![error])
        });
        let (document, measured) = match admitted {
            Ok(admitted) => admitted,
            Err(errors) => return (async_graphql::Response::from_errors(errors), None),
        };
        request.set_parsed_query(document);
        let activity = Arc::new(Activity::default());
        let mut request = request.data(viewer).data(scope);
        crate::loader::data_loaders(&mut request.data, &self.db, &activity);
        let deps = cached.then(|| Arc::new(Deps::default()));
        request = match &deps {
            Some(deps) => request.data(deps.clone()),
            // A mutation settles this process's cache before it answers.
            None => request.data(self.cache.clone()),
        };
        let response = match self.execution_slot().await {
            Ok(_slot) => Tracked::new(activity, schema.execute(request)).await,
            Err(err) => async_graphql::Response::from_errors(vec![{
                use async_graphql::ErrorExtensions;
                err.extend()
                    .into_server_error(async_graphql::Pos::default())
            }]),
        };
        if protocol::is_request_error(&response) {
            (response, deps)
        } else {
            (crate::limits::report(response, measured, self.limits), deps)
        }
    }

    /// The cached answer to an anonymous request, if there is one: checked before anything else is done
    /// with the request (only successful anonymous queries are ever stored, so a hit needs no parsing).
    pub(super) fn cached(
        &self,
        headers: &HeaderMap,
        media: Media,
        get: bool,
        request: &async_graphql::Request,
    ) -> Option<Response> {
        if !self.cache.enabled()
            || headers.contains_key(header::AUTHORIZATION)
            || headers.contains_key(PREVIEW_HEADER)
        {
            return None;
        }
        let entry = self.cache.get(&cache_key(request))?;
        self.metrics.graphql_requests.inc();
        Some(self.respond_ok(
            headers,
            media,
            get,
            entry.body.clone(),
            Some(entry.etag.clone()),
        ))
    }
}

/// Gives every error of `response` a `code` and the request id.
fn mark_errors(response: &mut async_graphql::Response, request_id: Option<&str>) {
    for error in &mut response.errors {
        classify(error);
        if let Some(id) = request_id {
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("requestId", id);
        }
    }
}

/// An answer no cache may keep (an editor's read, a preview, an error, a mutation), with `Retry-After` when
/// the client is rate limited.
fn uncached(response: async_graphql::Response, media: Media, body: Bytes) -> Response {
    let retry_after = response.errors.iter().find_map(|e| {
        let ext = e.extensions.as_ref()?;
        match (ext.get("code"), ext.get("retryAfter")) {
            (Some(async_graphql::Value::String(code)), Some(async_graphql::Value::Number(n)))
                if code == "RATE_LIMITED" =>
            {
                n.as_u64()
            }
            _ => None,
        }
    });
    let status = match retry_after {
        Some(_) => StatusCode::TOO_MANY_REQUESTS,
        None => media.status(&response),
    };
    let mut http = (
        status,
        [
            (header::CONTENT_TYPE, media.content_type()),
            (header::VARY, HeaderValue::from_static(VARY)),
            (header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE)),
        ],
        body,
    )
        .into_response();
    http.headers_mut().extend(response.http_headers);
    if let Some(seconds) = retry_after {
        http.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    http
}
