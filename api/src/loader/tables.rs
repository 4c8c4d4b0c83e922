//! The node tables the generic loaders serve, and their registration.

use std::{marker::PhantomData, sync::Arc};

use async_graphql::Data;
use oppvekstgraf_entity as entity;
use sea_orm::{DatabaseConnection, FromQueryResult};
use uuid::Uuid;

use super::{
    Activity, NodeLoader, PageLoader, Tracked,
    batching::{loader, uncached},
};
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
    /// False for tables without a publication state (revisions): scopes do not filter them.
    const HAS_STATUS: bool = true;
}

impl NodeTable for entity::revision::Entity {
    type Model = entity::revision::Model;
    const TABLE: &'static str = "revision";
    const NODE: NodeType = NodeType::Revision;
    const HAS_STATUS: bool = false;
    fn id(model: &Self::Model) -> Uuid {
        model.id
    }
}

macro_rules! node_tables {
    ($($module:ident => $node:ident;)*) => {
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

        /// The table and owners statement of a node type (see [`super::ownership::owners`]).
        pub fn table_of(node: NodeType) -> Option<(&'static str, Option<&'static str>)> {
            node.def().map(|def| (def.table, super::ownership::owners(node)))
        }

        #[cfg(test)]
        #[test]
        fn node_tables_are_the_catalog_s() {
            $(assert_eq!(
                NodeType::$node.def().map(|def| def.table),
                Some(<entity::$module::Entity as NodeTable>::TABLE)
            );)*
        }

        /// A fresh [`NodeLoader`] and [`PageLoader`] for every node table, for one execution. Loaders live for
        /// one execution (a query, or one event of a subscription) and never serve another execution's rows.
        /// Node loaders cache what they loaded (the same municipality is asked for by many measures); page
        /// loaders do not, as each page is asked for once per parent and caching it would copy its rows. The
        /// page queries the execution makes are kept beside them ([`super::PageQueries`]).
        pub fn data_loaders(data: &mut Data, db: &DatabaseConnection, activity: &Arc<Activity>) {
            data.insert(super::PageQueries::default());
            $(
                data.insert(loader(NodeLoader::<entity::$module::Entity> { db: db.clone(), activity: activity.clone(), _table: PhantomData }, activity));
                data.insert(uncached(loader(PageLoader::<entity::$module::Entity> { db: db.clone(), activity: activity.clone(), _table: PhantomData }, activity)));
            )*
            data.insert(uncached(loader(PageLoader::<entity::revision::Entity> { db: db.clone(), activity: activity.clone(), _table: PhantomData }, activity)));
            data.insert(loader(super::SharingLoader { db: db.clone(), activity: activity.clone() }, activity));
        }
    };
}

node_tables!(
    municipality => Municipality;
    region => Region;
    plan => Plan;
    goal => Goal;
    measure => Measure;
    unit => Unit;
    law => Law;
    legal_reference => LegalReference;
    guidance => Guidance;
    publisher => Publisher;
    concept => Concept;
    theme => Theme;
    target_group => TargetGroup;
);

/// Gives every execution its own loaders (see [`data_loaders`]): one per query, and one per event of a
/// subscription, so an event never shows rows cached for an earlier one.
pub struct Loaders;

impl async_graphql::extensions::ExtensionFactory for Loaders {
    fn create(&self) -> Arc<dyn async_graphql::extensions::Extension> {
        Arc::new(Loaders)
    }
}

#[async_trait::async_trait]
impl async_graphql::extensions::Extension for Loaders {
    async fn execute(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: async_graphql::extensions::NextExecute<'_>,
    ) -> async_graphql::Response {
        match ctx.data_opt::<DatabaseConnection>() {
            Some(db) => {
                let activity = Arc::new(Activity::default());
                let mut data = Data::default();
                data_loaders(&mut data, db, &activity);
                Tracked::new(activity, next.run_with_data(ctx, operation_name, data)).await
            }
            None => next.run(ctx, operation_name).await,
        }
    }
}
