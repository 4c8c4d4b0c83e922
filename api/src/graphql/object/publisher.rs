//! `Publisher`: an organisation that publishes national guidance.

use super::fields::PublisherFields;
use oppvekstgraf_entity::publisher::Model;

use crate::graphql::common::connection;

crate::graphql::common::with_relations! {
    /// An organisation that publishes national guidance: a directorate (Helsedirektoratet, Bufdir, Udir), a ministry or another national body.
    Publisher(PublisherFields)
}

connection!(
    PublisherConnection,
    PublisherEdge,
    Publisher,
    Model,
    "publishers"
);
crate::graphql::common::node_object!(Publisher);
