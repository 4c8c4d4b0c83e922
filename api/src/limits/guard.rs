//! The async-graphql extension that applies the query limits to executions outside the HTTP handler
//! (subscriptions over WebSocket) and reports their cost.

use std::sync::{Arc, Mutex};

use async_graphql::{
    Response, SchemaEnv, ServerResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery},
    parser::types::ExecutableDocument,
};

use super::{Measured, QueryLimits, admit, report};

/// The extension that applies [`QueryLimits`] and reports the cost, for executions that do not go through the
/// HTTP handler (subscriptions over WebSocket). It also hands out the schema's environment, whose type
/// registry the HTTP handler measures documents against (see [`crate::graphql::Schemas`]).
#[derive(Default)]
pub struct Guard {
    env: Arc<std::sync::OnceLock<SchemaEnv>>,
}

impl Guard {
    /// The slot the schema's environment is put in by the first request through this extension.
    pub fn env(&self) -> Arc<std::sync::OnceLock<SchemaEnv>> {
        self.env.clone()
    }
}

impl ExtensionFactory for Guard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(GuardExtension {
            env: self.env.clone(),
            measured: Mutex::default(),
        })
    }
}

/// One request's guard: remembers what it measured for the response.
struct GuardExtension {
    env: Arc<std::sync::OnceLock<SchemaEnv>>,
    measured: Mutex<Option<Measured>>,
}

#[async_trait::async_trait]
impl Extension for GuardExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        self.env.get_or_init(|| ctx.schema_env.clone());
        let limits = ctx.data_opt::<QueryLimits>().copied().unwrap_or_default();
        let rate = match (
            ctx.data_opt::<Arc<crate::rate::Limiter>>(),
            ctx.data_opt::<crate::rate::ClientKey>(),
        ) {
            (Some(limiter), Some(client)) => Some((limiter.as_ref(), client)),
            _ => None,
        };
        let (_, measured) = admit(&ctx.schema_env.registry, query, variables, limits, rate)?;
        if let Ok(mut slot) = self.measured.lock() {
            *slot = Some(measured);
        }
        next.run(ctx, query, variables).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        let measured = self.measured.lock().ok().and_then(|m| *m);
        let limits = ctx.data_opt::<QueryLimits>().copied().unwrap_or_default();
        match measured {
            Some(m) => report(response, m, limits),
            None => response,
        }
    }
}
