//! The GraphQL schema: read API over the content graph.

pub mod common;
pub mod enums;
pub mod mutation;
mod node;
pub mod object;

use std::sync::Arc;

use async_graphql::{MergedObject, Schema};
use sea_orm::DatabaseConnection;

use crate::feed::ChangeHub;

pub use node::Node;
use object::*;

/// All root query fields.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    node::NodeQuery,
    MunicipalityQuery,
    RegionQuery,
    PlanQuery,
    GoalQuery,
    MeasureQuery,
    UnitQuery,
    LawQuery,
    LegalReferenceQuery,
    GuidanceQuery,
    PublisherQuery,
    ConceptQuery,
    ThemeQuery,
    TargetGroupQuery,
    object::revision::RevisionQuery,
    ChangeQuery,
);

/// The schema type served over HTTP.
pub type AppSchema = Schema<QueryRoot, mutation::MutationRoot, SubscriptionRoot>;

/// Builds the schema over a database and this process's change hub. Without them it can still print its SDL
/// (`oppvekstgraf schema`).
pub fn schema(db: Option<(&DatabaseConnection, Arc<ChangeHub>)>) -> AppSchema {
    let mut builder = Schema::build(
        QueryRoot::default(),
        mutation::MutationRoot::default(),
        SubscriptionRoot,
    )
    .register_output_type::<Node>()
    .extension(async_graphql::extensions::Tracing)
    .extension(crate::loader::Loaders);
    if let Some((db, hub)) = db {
        builder = builder.data(db.clone()).data(hub);
    }
    builder.finish()
}

/// The SDL of the schema, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    schema(None).sdl()
}
