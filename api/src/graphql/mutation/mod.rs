//! Mutations: create, update, publish, unpublish, archive, restore, restore a revision, link and unlink.
//! Each is one transaction that writes a revision with the change; inputs carry the `version` the client
//! saw, and a stale version gives CONFLICT.

/// A `From` for what a create or update returns (the node and its revision) into its payload, whose field
/// `$field` holds the node as `$Object`.
macro_rules! payload_from {
    ($Payload:ident, $field:ident: $Object:ident) => {
        impl<M> From<(M, oppvekstgraf_entity::revision::Model)> for $Payload
        where
            $Object: From<M>,
        {
            fn from((node, revision): (M, oppvekstgraf_entity::revision::Model)) -> Self {
                $Payload {
                    $field: node.into(),
                    revision: revision.into(),
                }
            }
        }
    };
}

mod content;
pub mod lifecycle;
mod registry;
mod sharing;
pub mod transaction;
#[macro_use]
pub mod links;

use async_graphql::MergedObject;

/// All root mutation fields.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    content::ContentMutation,
    registry::RegistryMutation,
    sharing::SharingMutation,
    links::all::Links,
    lifecycle::all::Lifecycles,
);
