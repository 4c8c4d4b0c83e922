//! Queries a mutation runs in its transaction: raw statements, positions, and the nodes its input names.

use async_graphql::ID;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{Tx, node_id, owners, status_of};
use crate::{
    error::{ApiError, ApiResult},
    id::NodeType,
    loader::table_of,
    sql::Sql,
};

impl Tx {
    /// The municipality of unit `id`; None for a national unit.
    pub async fn unit_owner(&self, id: Uuid) -> ApiResult<Option<Uuid>> {
        Ok(owners(&self.txn, NodeType::Unit, id)
            .await?
            .and_then(|list| list.first().copied()))
    }

    /// Runs a query for one row inside the mutation's transaction.
    pub async fn txn_query_one(&self, sql: Sql) -> ApiResult<Option<sea_orm::QueryResult>> {
        Ok(self
            .txn
            .query_one_raw(sql.build(self.txn.get_database_backend()))
            .await?)
    }

    /// Runs a statement inside the mutation's transaction.
    pub async fn execute(&self, sql: Sql) -> ApiResult<u64> {
        Ok(self
            .txn
            .execute_raw(sql.build(self.txn.get_database_backend()))
            .await?
            .rows_affected())
    }

    /// The next position after the last row of `table` whose `column` is `parent`.
    pub async fn next_position(&self, table: &str, column: &str, parent: Uuid) -> ApiResult<i32> {
        let sql = Sql::with(
            format!(
                "SELECT COALESCE(MAX(position) + 1, 0) AS next FROM {table} WHERE {column} = ?"
            ),
            vec![parent.into()],
        );
        let row = self
            .txn
            .query_one_raw(sql.build(self.txn.get_database_backend()))
            .await?
            .ok_or(ApiError::Internal)?;
        let next: i64 = row
            .try_get::<i64>("", "next")
            .or_else(|_| row.try_get::<i32>("", "next").map(i64::from))?;
        i32::try_from(next).map_err(|_| ApiError::Internal)
    }

    /// The id of the municipality with this kommunenummer.
    pub async fn municipality_id(&self, field: &str, number: &str) -> ApiResult<Uuid> {
        crate::graphql::common::check_municipality_number(field, number)?;
        let sql = Sql::with(
            "SELECT id FROM municipality WHERE number = ?",
            vec![number.into()],
        );
        let row = self
            .txn
            .query_one_raw(sql.build(self.txn.get_database_backend()))
            .await?;
        match row {
            Some(row) => Ok(row.try_get::<Uuid>("", "id")?),
            None => Err(ApiError::validation(
                field,
                format!("no municipality has number {number:?}"),
            )),
        }
    }

    /// Checks that a node that input `field` points to exists and may be seen by the actor; returns its id.
    pub async fn visible(&self, field: &str, id: &ID, node: NodeType) -> ApiResult<Uuid> {
        let uuid = node_id(field, id, node)?;
        let (table, _) = table_of(node).ok_or(ApiError::Internal)?;
        let status = status_of(&self.txn, table, uuid).await?;
        let seen = match status.as_deref() {
            None => false,
            Some("published") => true,
            Some(_) => {
                self.actor.is_admin()
                    || matches!((owners(&self.txn, node, uuid).await?, self.actor.municipality_id), (Some(list), Some(mine)) if list.contains(&mine))
            }
        };
        if seen {
            Ok(uuid)
        } else {
            Err(ApiError::validation(
                field,
                format!("no {} has this ID", node.name()),
            ))
        }
    }
}
