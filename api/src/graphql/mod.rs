//! The GraphQL schema: read API over the content graph.

pub mod common;
pub mod enums;
pub mod mutation;
mod node;
pub mod object;

use async_graphql::{EmptySubscription, MergedObject, Schema};
use sea_orm::DatabaseConnection;

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
);

/// The schema type served over HTTP.
pub type AppSchema = Schema<QueryRoot, mutation::MutationRoot, EmptySubscription>;

/// Builds the schema. Without a database it can still print its SDL (`oppvekstgraf schema`).
pub fn schema(db: Option<&DatabaseConnection>) -> AppSchema {
    let mut builder = Schema::build(
        QueryRoot::default(),
        mutation::MutationRoot::default(),
        EmptySubscription,
    )
    .register_output_type::<Node>()
    .extension(async_graphql::extensions::Tracing);
    if let Some(db) = db {
        builder = builder.data(db.clone());
    }
    builder.finish()
}

/// The SDL of the schema, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    schema(None).sdl()
}
