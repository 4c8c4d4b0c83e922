//! `Theme`: a theme or focus area (tema / innsatsområde).

use crate::graphql::node_fields::{NodeFields, node_fields};
use async_graphql::SimpleObject;
use oppvekstgraf_entity::theme::Model;

use crate::graphql::common::connection;

/// A theme or focus area (tema / innsatsområde), e.g. "Vold i nære relasjoner". Shared by every municipality.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Theme {
    #[graphql(flatten)]
    pub node: NodeFields,
    /// Label, e.g. "Vold i nære relasjoner".
    pub label: String,
    /// What the theme covers.
    pub description: Option<String>,
    /// The theme in the Norwegian LOS vocabulary, e.g. "http://psi.norge.no/los/tema/folkehelse".
    pub los_uri: Option<String>,
}

impl From<Model> for Theme {
    fn from(m: Model) -> Self {
        Theme {
            node: node_fields!(Theme, m),
            label: m.label,
            description: m.description,
            los_uri: m.los_uri,
        }
    }
}

connection!(ThemeConnection, ThemeEdge, Theme, Model, "themes");
crate::graphql::common::node_object!(Theme);
