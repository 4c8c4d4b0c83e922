//! The API's one error type. Every error reaches the client with a stable `code` in its extensions;
//! database and I/O detail goes to the log only.

use async_graphql::ErrorExtensions;
use axum::{
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};

/// An error a request can end in. It converts into a GraphQL error with its `code` (and `field`) in the
/// extensions, so `?` in a resolver carries them; it deliberately has no `Display`, which would let
/// async-graphql's blanket conversion drop them. [`ApiError::message`] is its text.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// The input is not valid: `field` names the offending argument or input field.
    Validation { field: String, message: String },
    /// A node asked for by a non-null field does not exist (or is not visible).
    NotFound(String),
    /// The request needs a valid token and has none.
    Unauthenticated(String),
    /// The token is valid but may not do this.
    Forbidden(String),
    /// The node changed since the version the client saw.
    Conflict(String),
    /// The database cannot be reached right now (down, restarting, connections cut, pool exhausted, busy).
    ServiceUnavailable,
    /// The request, or one of its database statements, ran longer than allowed and was cancelled.
    Timeout,
    /// Anything else; the detail is logged, never sent.
    Internal,
}

impl ApiError {
    /// The message the client reads.
    pub fn message(&self) -> String {
        match self {
            ApiError::Validation { field, message } => format!("{field}: {message}"),
            ApiError::NotFound(what) => format!("{what} was not found"),
            ApiError::Unauthenticated(text)
            | ApiError::Forbidden(text)
            | ApiError::Conflict(text) => text.clone(),
            ApiError::ServiceUnavailable => {
                "the service is temporarily unavailable; try again shortly".into()
            }
            ApiError::Timeout => {
                "the request took too long and was cancelled; try again, or ask for less at a time"
                    .into()
            }
            ApiError::Internal => "internal error; the server log has the details".into(),
        }
    }

    /// A validation error on `field`.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Validation { .. } => "VALIDATION",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::Conflict(_) => "CONFLICT",
            ApiError::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            ApiError::Timeout => "TIMEOUT",
            ApiError::Internal => "INTERNAL",
        }
    }
}

impl ApiError {
    /// The HTTP status of a response that is nothing but this error (linked data, or a GraphQL request
    /// refused before it runs).
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Validation { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::ServiceUnavailable | ApiError::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A response of this error alone: its status, and a body in the shape of a GraphQL response
    /// (`{"errors":[{"message":…,"extensions":{"code":…}}]}`); 401 adds `WWW-Authenticate: Bearer`.
    pub fn response(&self) -> Response {
        let body = serde_json::json!({
            "errors": [{ "message": self.message(), "extensions": { "code": self.code() } }]
        });
        with_challenge((self.status(), axum::Json(body)).into_response())
    }
}

/// `response` with `WWW-Authenticate: Bearer` when it is a 401, as RFC 6750 asks of a bearer-token API.
pub fn with_challenge(mut response: Response) -> Response {
    if response.status() == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
    }
    response
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        if let Some(violation) = UniqueViolation::of(&err) {
            tracing::info!(error = %err, "a write collided with a unique key");
            return violation.error();
        }
        match DbFault::of(&err) {
            DbFault::Unavailable => {
                tracing::warn!(error = %err, "database unavailable");
                ApiError::ServiceUnavailable
            }
            DbFault::Timeout => {
                tracing::warn!(error = %err, "database statement cancelled");
                ApiError::Timeout
            }
            DbFault::Other => {
                tracing::error!(error = %err, "database error");
                ApiError::Internal
            }
        }
    }
}

/// A write that collided with a unique key (a slug, a natural key, a link between two nodes): the table
/// and its columns, as the database reports them. Mutations check such values first, under a lock on the
/// value ([`crate::graphql::mutation::transaction::Tx::lock_key`]), so this is the last line: whatever slips past
/// a check is still the client's VALIDATION error, never INTERNAL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueViolation {
    pub table: String,
    pub columns: Vec<String>,
}

impl UniqueViolation {
    /// The violation `err` reports: PostgreSQL SQLSTATE `23505` (its detail names the columns, `Key (a,
    /// b)=(…) already exists.`), SQLite `SQLITE_CONSTRAINT_UNIQUE` or `_PRIMARYKEY` (`UNIQUE constraint
    /// failed: t.a, t.b`).
    pub fn of(err: &sea_orm::DbErr) -> Option<UniqueViolation> {
        use sea_orm::{DbErr, RuntimeErr, sqlx};
        let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err
        else {
            return None;
        };
        let sqlx::Error::Database(db) = e.as_ref() else {
            return None;
        };
        if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
            if pg.code() != "23505" {
                return None;
            }
            let columns = pg
                .detail()
                .and_then(|d| d.strip_prefix("Key ("))
                .and_then(|d| d.split_once(")="))
                .map(|(cols, _)| cols.split(',').map(|c| c.trim().to_string()).collect())
                .unwrap_or_default();
            return Some(UniqueViolation {
                table: pg.table().unwrap_or_default().to_string(),
                columns,
            });
        }
        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
        if !matches!(db.code().as_deref(), Some("2067" | "1555")) {
            return None;
        }
        let list = db.message().split_once(": ")?.1;
        let mut table = String::new();
        let columns = list
            .split(',')
            .filter_map(|qualified| {
                let (t, column) = qualified.trim().split_once('.')?;
                table = t.to_string();
                Some(column.to_string())
            })
            .collect();
        Some(UniqueViolation { table, columns })
    }

    /// The VALIDATION error a client gets: the input field of the one column (`slug` → `input.slug`,
    /// `lovdata_id` → `input.lovdataId`; a legal reference's natural key is its `input.section`), or
    /// `input` for a key of several columns (a link row).
    pub fn error(&self) -> ApiError {
        let what = self.table.replace('_', " ");
        match self.columns.as_slice() {
            [column] if self.table == "legal_reference" && column == "natural_key" => {
                ApiError::validation(
                    "input.section",
                    "the law has a legal reference with this section already",
                )
            }
            [column] => {
                let mut field = String::from("input.");
                let mut upper = false;
                for c in column.chars() {
                    match c {
                        '_' => upper = true,
                        c if upper => {
                            field.extend(c.to_uppercase());
                            upper = false;
                        }
                        c => field.push(c),
                    }
                }
                let name = column.replace('_', " ");
                ApiError::validation(
                    field,
                    format!("this {name} is taken by another {what}: choose another {name}"),
                )
            }
            _ => ApiError::validation(
                "input",
                format!(
                    "another request has just written the same {what}: load it again and retry if it is still needed"
                ),
            ),
        }
    }
}

/// What a database error says about the database, as far as a client is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbFault {
    /// The database is down, restarting, cut us off, is busy, or no connection was free in time: a retry
    /// later may succeed.
    Unavailable,
    /// The server cancelled the statement (`statement_timeout`, `lock_timeout`, or an operator's cancel).
    Timeout,
    /// Anything else (a bug, a constraint, bad data).
    Other,
}

impl DbFault {
    /// Classifies `err`:
    ///
    /// - no connection: `ConnectionAcquire` (pool timed out, i.e. server down or pool exhausted; pool
    ///   closed) and `Conn` (connecting failed);
    /// - a connection lost mid-statement: sqlx `Io` (reset, broken pipe, end of stream), `Tls`,
    ///   `PoolTimedOut`, `PoolClosed`, `WorkerCrashed`;
    /// - PostgreSQL SQLSTATE class `08` (connection exception), `53` (insufficient resources, e.g. too many
    ///   connections), `57P01`–`57P05` (admin/crash shutdown, cannot connect now, idle session timeouts)
    ///   and `25P03` (idle-in-transaction timeout): unavailable; `57014` (query canceled, which is what
    ///   `statement_timeout` raises) and `55P03` (lock not available): timeout;
    /// - SQLite `SQLITE_BUSY` and `SQLITE_LOCKED` (the busy timeout ran out): unavailable.
    pub fn of(err: &sea_orm::DbErr) -> DbFault {
        use sea_orm::{DbErr, RuntimeErr, sqlx};
        let sqlx_err = match err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return DbFault::Unavailable,
            DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e,
            _ => return DbFault::Other,
        };
        match sqlx_err.as_ref() {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => DbFault::Unavailable,
            sqlx::Error::Database(db) => {
                if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                    Self::of_sqlstate(pg.code())
                } else if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    let primary = db
                        .code()
                        .and_then(|code| code.parse::<i32>().ok())
                        .map(|code| code & 0xff);
                    match primary {
                        // SQLITE_BUSY, SQLITE_LOCKED
                        Some(5 | 6) => DbFault::Unavailable,
                        _ => DbFault::Other,
                    }
                } else {
                    DbFault::Other
                }
            }
            _ => DbFault::Other,
        }
    }

    /// Classifies a PostgreSQL SQLSTATE.
    pub fn of_sqlstate(code: &str) -> DbFault {
        match code {
            "57014" | "55P03" => DbFault::Timeout,
            // serialization_failure, deadlock_detected: the transaction was rolled back; a retry succeeds.
            "40001" | "40P01" => DbFault::Unavailable,
            "57P01" | "57P02" | "57P03" | "57P04" | "57P05" | "25P03" => DbFault::Unavailable,
            _ if code.starts_with("08") || code.starts_with("53") => DbFault::Unavailable,
            _ => DbFault::Other,
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.message()).extend_with(|_, ext| {
            ext.set("code", self.code());
            if let ApiError::Validation { field, .. } = self {
                ext.set("field", field.as_str());
            }
        })
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(error: ApiError) -> Self {
        error.extend()
    }
}

/// Result of the API's internal functions.
pub type ApiResult<T> = Result<T, ApiError>;

/// A request refused at the HTTP layer, before any GraphQL runs. The client gets the HTTP status and a body in
/// the shape of a GraphQL error response with this stable `code` (and the request id).
#[derive(Debug, Clone, thiserror::Error)]
pub enum RequestError {
    /// Not a well-formed GraphQL-over-HTTP request: the body is not a JSON object, `query` is missing or not
    /// a string, `variables` or `extensions` is not an object (400 `BAD_REQUEST`).
    #[error("{0}")]
    BadRequest(String),
    /// A mutation sent with GET, which is for queries only (405 `METHOD_NOT_ALLOWED`, `Allow: POST`).
    #[error("mutations are accepted over POST only; send this request as a POST with a JSON body")]
    MutationOverGet,
    /// The `Accept` header names no media type this server answers with (406 `NOT_ACCEPTABLE`).
    #[error(
        "the Accept header allows neither application/graphql-response+json nor application/json"
    )]
    NotAcceptable,
    /// The body is larger than the configured limit (413 `PAYLOAD_TOO_LARGE`).
    #[error("the request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// A POST whose body is not `application/json` (415 `UNSUPPORTED_MEDIA_TYPE`).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The request took longer than the server allows and was cancelled (503 `TIMEOUT`, as for a cancelled
    /// statement).
    #[error(
        "the request took longer than {seconds} seconds and was cancelled; try again or ask for less"
    )]
    Timeout { seconds: f64 },
    /// A persisted query sent by its hash only, and this server does not know the hash (400
    /// `PERSISTED_QUERY_NOT_FOUND`; the client sends the document with the hash again). The message is the
    /// one Apollo clients look for.
    #[error("PersistedQueryNotFound")]
    PersistedQueryNotFound,
}

impl RequestError {
    /// The HTTP status it answers with.
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            RequestError::BadRequest(_) => StatusCode::BAD_REQUEST,
            RequestError::MutationOverGet => StatusCode::METHOD_NOT_ALLOWED,
            RequestError::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            RequestError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            RequestError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            RequestError::Timeout { .. } => StatusCode::SERVICE_UNAVAILABLE,
            RequestError::PersistedQueryNotFound => StatusCode::BAD_REQUEST,
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            RequestError::BadRequest(_) => "BAD_REQUEST",
            RequestError::MutationOverGet => "METHOD_NOT_ALLOWED",
            RequestError::NotAcceptable => "NOT_ACCEPTABLE",
            RequestError::PayloadTooLarge { .. } => "PAYLOAD_TOO_LARGE",
            RequestError::UnsupportedMediaType(_) => "UNSUPPORTED_MEDIA_TYPE",
            RequestError::Timeout { .. } => "TIMEOUT",
            RequestError::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
        }
    }
}

#[cfg(test)]
mod tests;
