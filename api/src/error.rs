//! The API's one error type. Every error reaches the client with a stable `code` in its extensions;
//! database and I/O detail goes to the log only.

use async_graphql::ErrorExtensions;

/// An error a request can end in.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// The input is not valid: `field` names the offending argument or input field.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// A node asked for by a non-null field does not exist (or is not visible).
    #[error("{0} was not found")]
    NotFound(String),
    /// The request needs a valid token and has none.
    #[error("{0}")]
    Unauthenticated(String),
    /// The token is valid but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The node changed since the version the client saw.
    #[error("{0}")]
    Conflict(String),
    /// The database cannot be reached right now.
    #[error("the service is temporarily unavailable; try again shortly")]
    ServiceUnavailable,
    /// Anything else; the detail is logged, never sent.
    #[error("internal error; the server log has the details")]
    Internal,
}

impl ApiError {
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
            ApiError::Internal => "INTERNAL",
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        use sea_orm::DbErr;
        match &err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
                tracing::warn!(error = %err, "database unavailable");
                ApiError::ServiceUnavailable
            }
            _ => {
                tracing::error!(error = %err, "database error");
                ApiError::Internal
            }
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.to_string()).extend_with(|_, ext| {
            ext.set("code", self.code());
            if let ApiError::Validation { field, .. } = self {
                ext.set("field", field.as_str());
            }
        })
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
    /// The request took longer than the server allows (408 `REQUEST_TIMEOUT`).
    #[error("the request took longer than {seconds} seconds")]
    Timeout { seconds: u64 },
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
            RequestError::Timeout { .. } => StatusCode::REQUEST_TIMEOUT,
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
            RequestError::Timeout { .. } => "REQUEST_TIMEOUT",
        }
    }
}
