//! A municipality's adoptions by reference of other municipalities' measures and plans (`Adoption`).

use async_graphql::{ComplexObject, Context, ID, Result, SimpleObject};
use chrono::{DateTime, Utc};
use oppvekstgraf_entity::adoption;
use uuid::Uuid;

use super::{municipality, released_source, shared_type};
use crate::{
    graphql::{Node, enums::Status, object::municipality::Municipality},
    id::GlobalId,
};

/// A municipality's adoption of another municipality's measure or plan by reference: the adopter lists the
/// source as its own, read-only; the source stays with its owner.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Adoption {
    /// GraphQL type of the source: "Measure" or "Plan".
    pub source_type: String,
    /// Global ID of the source.
    pub source_id: ID,
    /// The source's version when it was adopted.
    pub source_version: i32,
    /// When it was adopted.
    pub adopted_at: DateTime<Utc>,
    /// Name of the token that adopted it.
    pub adopted_by: String,
    #[graphql(skip)]
    pub model: adoption::Model,
}

impl From<adoption::Model> for Adoption {
    fn from(m: adoption::Model) -> Self {
        Adoption {
            source_type: m.node_type.clone(),
            source_id: ID(GlobalId::new(shared_type(&m.node_type), m.source_id).encode()),
            source_version: m.source_version,
            adopted_at: m.created_at,
            adopted_by: m.actor_name.clone(),
            model: m,
        }
    }
}

#[ComplexObject]
impl Adoption {
    /// The adopting municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Option<Municipality>> {
        municipality(ctx, self.model.municipality_id).await
    }

    /// The source as it is now; it keeps resolving when its owner archives it. Null only when it went back
    /// to draft.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        let found = released_source(
            ctx,
            shared_type(&self.model.node_type),
            self.model.source_id,
        )
        .await;
        found.map(|f| f.map(|(n, ..)| n)).map_err(Into::into)
    }

    /// The source's status now (ARCHIVED when its owner archived it); null when it cannot be seen.
    async fn source_status(&self, ctx: &Context<'_>) -> Result<Option<Status>> {
        let found = released_source(
            ctx,
            shared_type(&self.model.node_type),
            self.model.source_id,
        )
        .await;
        found
            .map(|f| f.map(|(_, _, s)| s.into()))
            .map_err(Into::into)
    }
}

/// The adoptions by reference municipality `id` made, in its order.
pub async fn adoptions_by(ctx: &Context<'_>, id: Uuid) -> Result<Vec<Adoption>> {
    let found = crate::loader::load_sharing(ctx, crate::loader::AdoptionsBy(id)).await;
    found
        .map(|rows| {
            rows.unwrap_or_default()
                .into_iter()
                .map(Adoption::from)
                .collect()
        })
        .map_err(Into::into)
}
