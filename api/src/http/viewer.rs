//! Who a request is for: the token in `Authorization` (or a graphql-ws `connection_init`) and the preview
//! wish.

use axum::http::{HeaderMap, header};

use super::state::AppState;
use crate::{auth::Viewer, error::ApiError, loader::Scope};

/// The header that asks for a preview: drafts and archived content the token may see.
pub const PREVIEW_HEADER: &str = "x-preview";

/// The connection data of a graphql-ws connection: its `connection_init` payload may carry
/// `{"authorization": "Bearer …", "preview": true}` (as the `Authorization` and `x-preview` headers do for
/// HTTP); without one the subscriber is anonymous.
pub(super) async fn connection_data(
    state: AppState,
    payload: serde_json::Value,
) -> async_graphql::Result<async_graphql::Data> {
    let field = |name: &str| {
        payload
            .as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
            .map(|(_, v)| v.clone())
    };
    let authorization = field("authorization").and_then(|v| v.as_str().map(str::to_owned));
    let preview = field(PREVIEW_HEADER)
        .or_else(|| field("preview"))
        .is_some_and(|v| v == serde_json::json!(true) || v == serde_json::json!("true"));
    let (viewer, scope) = state
        .viewer_of(authorization.as_deref(), preview)
        .await
        .map_err(|err| {
            use async_graphql::ErrorExtensions;
            err.extend()
        })?;
    let mut data = async_graphql::Data::default();
    data.insert(viewer);
    data.insert(scope);
    Ok(data)
}

impl AppState {
    /// Who the headers name (`Authorization`) and what they may see (`x-preview`); an invalid token or a
    /// preview without a token is UNAUTHENTICATED.
    pub(crate) async fn viewer(&self, headers: &HeaderMap) -> Result<(Viewer, Scope), ApiError> {
        let authorization = match headers.get(header::AUTHORIZATION) {
            None => None,
            Some(value) => Some(value.to_str().map_err(|_| {
                ApiError::Unauthenticated("the Authorization header is not text".into())
            })?),
        };
        let preview = headers
            .get(PREVIEW_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| matches!(v.trim(), "1" | "true" | "drafts"));
        self.viewer_of(authorization, preview).await
    }

    /// The viewer and scope of an `Authorization` value and a preview wish.
    async fn viewer_of(
        &self,
        authorization: Option<&str>,
        preview: bool,
    ) -> Result<(Viewer, Scope), ApiError> {
        let viewer = match authorization {
            None => Viewer::Anonymous,
            Some(value) => Viewer::Actor(crate::auth::authenticate(&self.db, value).await?),
        };
        let scope = match (&viewer, preview) {
            (_, false) => Scope::Published,
            (Viewer::Anonymous, true) => {
                return Err(ApiError::Unauthenticated(format!(
                    "`{PREVIEW_HEADER}` needs a token"
                )));
            }
            (Viewer::Actor(actor), true) => match actor.municipality_id {
                Some(id) if !actor.is_admin() => Scope::Municipality(id),
                _ => Scope::Everything,
            },
        };
        Ok((viewer, scope))
    }
}
