//! Oppvekstgraf API: the GraphQL schema, its loaders, the HTTP server and configuration.

pub mod auth;
pub mod cache;
pub mod config;
pub mod console;
pub mod db;
pub mod error;
pub mod feed;
pub mod graphql;
pub mod http;
pub mod id;
pub mod limits;
pub mod linked_data;
pub mod loader;
pub mod metrics;
pub mod page;
pub mod rate;
pub mod server;
pub mod sql;
pub mod transfer;
pub mod validate;

pub use config::Config;
pub use graphql::{AppSchema, schema, sdl};
pub use http::{AppState, app};
