//! The GraphQL schema: read API over the content graph.

pub mod common;
pub mod enums;
pub mod mutation;
mod node;
pub mod object;

use std::sync::Arc;

use async_graphql::{MergedObject, Schema};
use sea_orm::DatabaseConnection;

use crate::{feed::ChangeHub, guard::QueryLimits};

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

/// Builds the schema over a database and this process's change hub, with the default query limits. Without
/// them it can still print its SDL (`oppvekstgraf schema`).
pub fn schema(db: Option<(&DatabaseConnection, Arc<ChangeHub>)>) -> AppSchema {
    schema_with(db, QueryLimits::default(), true)
}

/// Builds the schema with `limits`; `suggestions` turns "did you mean …" hints in errors on (for clients with
/// a token) or off (anonymous clients).
pub fn schema_with(
    db: Option<(&DatabaseConnection, Arc<ChangeHub>)>,
    limits: QueryLimits,
    suggestions: bool,
) -> AppSchema {
    let mut builder = Schema::build(
        QueryRoot::default(),
        mutation::MutationRoot::default(),
        SubscriptionRoot,
    )
    .register_output_type::<Node>()
    .extension(async_graphql::extensions::Tracing)
    .extension(crate::guard::Guard)
    .extension(crate::loader::Loaders)
    .data(limits);
    if !suggestions {
        builder = builder.disable_suggestions();
    }
    if let Some((db, hub)) = db {
        builder = builder.data(db.clone()).data(hub);
    }
    builder.finish()
}

/// The SDL of the schema, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    schema(None).sdl()
}
