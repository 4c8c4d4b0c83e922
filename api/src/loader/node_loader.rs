//! The generic loader of nodes by id, one statement per table and scope.

use std::{collections::HashMap, marker::PhantomData, sync::Arc};

use sea_orm::{DatabaseConnection, FromQueryResult};
use uuid::Uuid;

use super::{Activity, NodeTable, Scope};
use crate::{error::ApiError, sql::Sql};

/// Key of [`NodeLoader`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeKey {
    pub id: Uuid,
    pub scope: Scope,
}

/// Loads nodes of one table by id.
pub struct NodeLoader<T> {
    pub(super) db: DatabaseConnection,
    pub(super) activity: Arc<Activity>,
    pub(super) _table: PhantomData<T>,
}

impl<T: NodeTable> async_graphql::dataloader::Loader<NodeKey> for NodeLoader<T> {
    type Value = T::Model;
    type Error = ApiError;

    async fn load(&self, keys: &[NodeKey]) -> Result<HashMap<NodeKey, T::Model>, ApiError> {
        let mut out = HashMap::with_capacity(keys.len());
        let mut by_scope: HashMap<Scope, Vec<Uuid>> = HashMap::new();
        for key in keys {
            by_scope.entry(key.scope).or_default().push(key.id);
        }
        for (scope, ids) in by_scope {
            let backend = self.db.get_database_backend();
            let mut sql = Sql::raw(format!("SELECT t.* FROM {} t WHERE ", T::TABLE));
            sql.append(Sql::uuid_in("t.id", &ids, backend));
            sql.push(" AND ");
            sql.append(scope.sql::<T>());
            let stmt = sql.build(self.db.get_database_backend());
            for model in T::Model::find_by_statement(stmt).all(&self.db).await? {
                out.insert(
                    NodeKey {
                        id: T::id(&model),
                        scope,
                    },
                    model,
                );
            }
        }
        Ok(out)
    }
}
