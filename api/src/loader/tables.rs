//! The node tables the generic loaders serve, and their registration.

use std::{marker::PhantomData, time::Duration};

use async_graphql::{SchemaBuilder, dataloader::DataLoader};
use oppvekstgraf_entity as entity;
use sea_orm::{DatabaseConnection, FromQueryResult};
use uuid::Uuid;

use super::{NodeLoader, PageLoader};
use crate::id::NodeType;

/// A table of nodes that the generic loaders can read.
pub trait NodeTable: Send + Sync + 'static {
    /// The row type.
    type Model: FromQueryResult + Clone + Send + Sync + 'static;
    /// The table name.
    const TABLE: &'static str;
    /// The node type of its rows.
    const NODE: NodeType;
    /// A row's id.
    fn id(model: &Self::Model) -> Uuid;
}

macro_rules! node_tables {
    ($($module:ident => $node:ident),* $(,)?) => {
        $(
            impl NodeTable for entity::$module::Entity {
                type Model = entity::$module::Model;
                const TABLE: &'static str = stringify!($module);
                const NODE: NodeType = NodeType::$node;
                fn id(model: &Self::Model) -> Uuid {
                    model.id
                }
            }
        )*

        /// Registers a [`NodeLoader`] and a [`PageLoader`] for every node table.
        pub fn add_data_loaders<Q, M, S>(
            mut builder: SchemaBuilder<Q, M, S>,
            db: &DatabaseConnection,
        ) -> SchemaBuilder<Q, M, S> {
            $(
                builder = builder
                    .data(loader(NodeLoader::<entity::$module::Entity> { db: db.clone(), _table: PhantomData }))
                    .data(loader(PageLoader::<entity::$module::Entity> { db: db.clone(), _table: PhantomData }));
            )*
            builder
        }
    };
}

fn loader<L>(inner: L) -> DataLoader<L> {
    DataLoader::new(inner, tokio::spawn).delay(Duration::from_millis(1))
}

node_tables!(
    municipality => Municipality,
    region => Region,
    plan => Plan,
    goal => Goal,
    measure => Measure,
    unit => Unit,
    law => Law,
    legal_reference => LegalReference,
    guidance => Guidance,
    publisher => Publisher,
    concept => Concept,
    theme => Theme,
    target_group => TargetGroup,
);
