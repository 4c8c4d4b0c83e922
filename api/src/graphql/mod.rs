//! The GraphQL schema: read API over the content graph.

pub mod common;
pub mod enums;
pub mod mutation;
mod node;
pub mod node_fields;
pub mod object;
pub mod relation;

use std::sync::{Arc, OnceLock};

use async_graphql::{MergedObject, Schema, SchemaBuilder, SchemaEnv};
use sea_orm::DatabaseConnection;

use crate::{feed::ChangeHub, limits::QueryLimits};

pub use node::Node;
use object::*;

/// All root query fields.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    node::NodeQuery,
    NodeRoots,
    object::revision::RevisionQuery,
    ChangeQuery,
);

/// The schema type served over HTTP.
pub type AppSchema = Schema<QueryRoot, mutation::MutationRoot, SubscriptionRoot>;

/// Builds the self-contained schema (guard and loaders as extensions, see [`schema_with`]) over a database and
/// this process's change hub, with the default query limits. Without them it can still print its SDL
/// (`oppvekstgraf schema`).
pub fn schema(db: Option<(&DatabaseConnection, Arc<ChangeHub>)>) -> AppSchema {
    schema_with(db, QueryLimits::default(), true).0
}

/// Builds a self-contained schema: the query guard ([`crate::limits::Guard`]) and the per-execution loaders
/// ([`crate::loader::Loaders`]) run as extensions, so every execution is guarded and batched whoever runs it.
/// `suggestions` turns "did you mean …" hints in errors on (for clients with a token) or off (anonymous
/// clients). Also returns the slot the guard puts the schema's environment in on its first request.
fn schema_with(
    db: Option<(&DatabaseConnection, Arc<ChangeHub>)>,
    limits: QueryLimits,
    suggestions: bool,
) -> (AppSchema, Arc<OnceLock<SchemaEnv>>) {
    let guard = crate::limits::Guard::default();
    let env = guard.env();
    let builder = builder(db, limits, suggestions)
        .extension(guard)
        .extension(crate::loader::Loaders);
    (builder.finish(), env)
}

/// The schema's types, data and limits, without extensions.
fn builder(
    db: Option<(&DatabaseConnection, Arc<ChangeHub>)>,
    limits: QueryLimits,
    suggestions: bool,
) -> SchemaBuilder<QueryRoot, mutation::MutationRoot, SubscriptionRoot> {
    let mut builder = Schema::build(
        QueryRoot::default(),
        mutation::MutationRoot::default(),
        SubscriptionRoot,
    )
    .register_output_type::<Node>()
    .data(limits);
    if !suggestions {
        builder = builder.disable_suggestions();
    }
    if let Some((db, hub)) = db {
        builder = builder.data(db.clone()).data(hub);
    }
    builder
}

/// The schemas a server runs: the same types, built for each way a request arrives.
///
/// Over HTTP the handler applies the guard itself ([`crate::limits::admit`], before validation, parsing the
/// document once) and gives each execution its loaders, so these schemas have no extensions: with none,
/// async-graphql resolves every field directly instead of through the extension chain, which was a large
/// share of the CPU a nested query took. Subscriptions over WebSocket are executed by the WebSocket
/// protocol handler, once per event, so their schema keeps the guard and loaders as extensions.
#[derive(Clone)]
pub struct Schemas {
    /// HTTP, clients with a token: errors suggest field names.
    pub editor: AppSchema,
    /// HTTP, anonymous clients: no field suggestions.
    pub public: AppSchema,
    /// WebSocket subscriptions (anonymous clients).
    pub websocket: AppSchema,
    /// The schema's environment, whose type registry the HTTP guard measures documents against.
    pub env: SchemaEnv,
}

impl Schemas {
    /// Builds the schemas over a database and this process's change hub, with `limits`.
    pub fn new(db: &DatabaseConnection, hub: Arc<ChangeHub>, limits: QueryLimits) -> Self {
        let (websocket, slot) = schema_with(Some((db, hub.clone())), limits, false);
        // The registry is the same in every schema of these types; the guard extension hands it out on the
        // first request it sees, so one request that touches no resolver and no database fetches it.
        futures_executor::block_on(websocket.execute("{ __typename }"));
        let env = match slot.get() {
            Some(env) => env.clone(),
            None => unreachable!("the guard extension sees every request's document"),
        };
        Schemas {
            editor: builder(Some((db, hub.clone())), limits, true).finish(),
            public: builder(Some((db, hub)), limits, false).finish(),
            websocket,
            env,
        }
    }
}

/// The SDL of the schema, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    schema(None).sdl()
}
