//! `Theme`: a theme or focus area (tema / innsatsområde).

use super::fields::ThemeFields;
use oppvekstgraf_entity::theme::Model;

use crate::graphql::common::connection;

crate::graphql::common::with_relations! {
    /// A theme or focus area (tema / innsatsområde), e.g. "Vold i nære relasjoner". Shared by every municipality.
    Theme(ThemeFields)
}

connection!(ThemeConnection, ThemeEdge, Theme, Model, "themes");
crate::graphql::common::node_object!(Theme);
