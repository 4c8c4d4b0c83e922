//! Test support for writing tests: callers of every role, and GraphQL calls as a caller that must succeed,
//! with or without the preview header.

use serde_json::Value;

use super::TestApp;

/// A caller of the API: the holder of a token, or anonymous.
pub struct Caller<'a> {
    pub app: &'a TestApp,
    token: Option<String>,
}

impl<'a> Caller<'a> {
    /// The holder of `token`.
    pub fn new(app: &'a TestApp, token: String) -> Self {
        Caller {
            app,
            token: Some(token),
        }
    }

    /// A caller without a token.
    pub fn anonymous(app: &'a TestApp) -> Self {
        Caller { app, token: None }
    }

    /// The caller's token (None: anonymous).
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The caller's token; the caller must hold one.
    pub fn secret(&self) -> &str {
        self.token().expect("a caller with a token")
    }

    /// Sends a GraphQL POST as this caller; returns the JSON response.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.app.gql_as(self.token(), query, variables).await
    }

    /// Sends a GraphQL POST as this caller with the preview header; returns the JSON response.
    pub async fn gql_preview(&self, query: &str, variables: Value) -> Value {
        self.app.gql_preview(self.secret(), query, variables).await
    }
}

impl TestApp {
    /// Sends a GraphQL POST as the holder of `token` with the preview header; returns the JSON response.
    pub async fn gql_preview(&self, token: &str, query: &str, variables: Value) -> Value {
        let auth = format!("Bearer {token}");
        let headers = [("authorization", auth.as_str()), ("x-preview", "true")];
        self.gql_with(&headers, query, variables).await.1
    }
}

/// Callers of every role: editors of Rauma, Moss and Råde, an admin, and anonymous.
pub struct Who<'a> {
    pub rauma: Caller<'a>,
    pub moss: Caller<'a>,
    pub rade: Caller<'a>,
    pub admin: Caller<'a>,
    pub anonymous: Caller<'a>,
}

/// Mints the tokens of [`Who`].
pub async fn who(app: &TestApp) -> Who<'_> {
    Who {
        rauma: Caller::new(app, app.token("editor", Some("1539")).await),
        moss: Caller::new(app, app.token("editor", Some("3103")).await),
        rade: Caller::new(app, app.token("editor", Some("3112")).await),
        admin: Caller::new(app, app.token("admin", None).await),
        anonymous: Caller::anonymous(app),
    }
}

/// Runs a query or mutation as `by` that must succeed; returns its `data`.
pub async fn ok(by: &Caller<'_>, query: &str, variables: Value) -> Value {
    let response = by.gql(query, variables).await;
    data_of(by.app, query, response)
}

/// [`ok`] with the preview header (drafts shown).
pub async fn preview(by: &Caller<'_>, query: &str, variables: Value) -> Value {
    let response = by.gql_preview(query, variables).await;
    data_of(by.app, query, response)
}

/// `base` with the fields of `extra` added (both JSON objects), to vary one input.
pub fn merged(mut base: Value, extra: Value) -> Value {
    if let (Some(fields), Value::Object(extra)) = (base.as_object_mut(), extra) {
        fields.extend(extra);
    }
    base
}

/// The `data` of a response that must have no errors.
fn data_of(app: &TestApp, query: &str, response: Value) -> Value {
    assert!(
        response.get("errors").is_none(),
        "[{:?}] {query}\n{response:#}",
        app.backend
    );
    response["data"].clone()
}
