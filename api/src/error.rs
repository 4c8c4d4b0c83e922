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
