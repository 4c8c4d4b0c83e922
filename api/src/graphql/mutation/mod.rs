//! Mutations: create, update, publish, unpublish, archive, restore, restore a revision, link and unlink.
//! Each is one transaction that writes a revision with the change; inputs carry the `version` the client
//! saw, and a stale version gives CONFLICT.

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
