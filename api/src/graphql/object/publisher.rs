//! `Publisher`: an organisation that publishes national guidance.

use crate::graphql::node_fields::{NodeFields, node_fields};
use async_graphql::SimpleObject;
use oppvekstgraf_entity::publisher::Model;

use crate::graphql::common::connection;

/// An organisation that publishes national guidance: a directorate (Helsedirektoratet, Bufdir, Udir), a ministry or another national body.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Publisher {
    #[graphql(flatten)]
    pub node: NodeFields,
    /// Name, e.g. "Helsedirektoratet".
    pub name: String,
    /// Short name, e.g. "Hdir".
    pub short_name: Option<String>,
    /// Organisation number in Enhetsregisteret (9 digits).
    pub organization_number: Option<String>,
    /// Web site.
    pub url: Option<String>,
}

impl From<Model> for Publisher {
    fn from(m: Model) -> Self {
        Publisher {
            node: node_fields!(Publisher, m),
            name: m.name,
            short_name: m.short_name,
            organization_number: m.organization_number,
            url: m.url,
        }
    }
}

connection!(
    PublisherConnection,
    PublisherEdge,
    Publisher,
    Model,
    "publishers"
);
crate::graphql::common::node_object!(Publisher);
