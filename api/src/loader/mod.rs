//! DataLoaders: every relation field goes through one, so a nested query issues one statement per level.
//!
//! Two generic loaders serve every node table:
//! - [`NodeLoader`] loads nodes by id:
//!   `SELECT t.* FROM <table> t WHERE t.id IN (…) AND <visibility>`
//! - [`PageLoader`] loads one page of a to-many relation for many parents at once, paginated in SQL with
//!   window functions (SQLite ≥ 3.25 and PostgreSQL alike):
//!   ```sql
//!   SELECT * FROM (
//!     SELECT t.*, <parent> AS o__parent, [l.role AS o__role,]
//!            ROW_NUMBER() OVER (PARTITION BY <parent> ORDER BY <order>, t.id) AS o__rn,
//!            COUNT(*) OVER (PARTITION BY <parent>) AS o__cnt   -- only when `totalCount` is asked for
//!     FROM <table> t [JOIN <link> l ON l.<target> = t.id]
//!     WHERE <parent> IN (…) AND <visibility> AND <filters>
//!   ) w WHERE (<window>) OR o__rn = 1
//!   ```
//!   Rows come back in no particular order (sorting them again in SQL cost as much as the window itself);
//!   each page puts its few rows in order by position.
//!   When the count is asked for, the first row of every partition is always returned so `totalCount` is known
//!   even for an empty page. Without it, the window reaches one row past the page instead, which is all
//!   `pageInfo.hasNextPage` needs, and PostgreSQL can stop reading each partition at the window's end.

mod batching;
mod node_loader;
pub mod ownership;
mod page_loader;
mod page_query;
mod scope;
mod sharing;
mod tables;

use std::sync::Arc;

use async_graphql::{
    Context,
    dataloader::{DataLoader, HashMapCache},
};
pub use batching::{Activity, Tracked};
pub use node_loader::{NodeKey, NodeLoader};
pub use page_loader::PageLoader;
pub use page_query::{PageKey, PageQueries, PageQuery, Via};
pub use scope::Scope;
use sea_orm::{DatabaseConnection, FromQueryResult};
pub use sharing::{
    AdoptersOf, AdoptionsBy, CopiesOf, DerivationOf, PlanAdoptionsOf, SharingLoader, load_sharing,
};
pub use tables::{Loaders, NodeTable, data_loaders, table_of};
use uuid::Uuid;

use crate::{
    cache::Tag,
    error::{ApiError, ApiResult},
    page::Page,
    sql::Sql,
};

/// Loads one page of `T` rows for `parent` (use `Uuid::nil()` for a root connection).
pub async fn load_page<T: NodeTable>(
    ctx: &Context<'_>,
    parent: Uuid,
    query: Arc<PageQuery>,
) -> ApiResult<Page<T::Model>> {
    let loader = ctx
        .data::<DataLoader<PageLoader<T>, HashMapCache>>()
        .map_err(|_| ApiError::Internal)?;
    loader.loader().activity.touch();
    let root = matches!(query.via, Via::Root);
    // The page loaders keep no cache (see `data_loaders`), so the loaded page is usually this caller's alone
    // and its rows move out without a copy.
    let page = loader
        .load_one(PageKey { parent, query })
        .await?
        .map(|page| Arc::try_unwrap(page).unwrap_or_else(|shared| (*shared).clone()))
        .unwrap_or_default();
    crate::cache::record(ctx, |deps| {
        deps.add(if root {
            Tag::Type(T::NODE)
        } else {
            Tag::Node(parent)
        });
        deps.nodes(page.items.iter().map(|(_, model, _)| T::id(model)));
    });
    Ok(page)
}

/// Loads one node of `T` by id, if it exists and is visible.
pub async fn load_node<T: NodeTable>(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<T::Model>> {
    load_node_in::<T>(ctx, id, scope(ctx)).await
}

/// Loads one node of `T` by id if it is visible in `scope`.
async fn load_node_in<T: NodeTable>(
    ctx: &Context<'_>,
    id: Uuid,
    scope: Scope,
) -> ApiResult<Option<T::Model>> {
    let loader = ctx
        .data::<DataLoader<NodeLoader<T>, HashMapCache>>()
        .map_err(|_| ApiError::Internal)?;
    loader.loader().activity.touch();
    crate::cache::record(ctx, |deps| deps.add(Tag::Node(id)));
    loader.load_one(NodeKey { id, scope }).await
}

/// Loads one node of `T` by id if it is visible or was ever published (see [`Scope::released`]).
pub async fn load_released<T: NodeTable>(
    ctx: &Context<'_>,
    id: Uuid,
) -> ApiResult<Option<T::Model>> {
    load_node_in::<T>(ctx, id, scope(ctx).released()).await
}

/// Loads a node that a non-null field points to.
pub async fn load_required<T: NodeTable>(ctx: &Context<'_>, id: Uuid) -> ApiResult<T::Model> {
    load_node::<T>(ctx, id).await?.ok_or_else(|| {
        ApiError::NotFound(format!(
            "{} {}",
            T::NODE.name(),
            crate::id::GlobalId::new(T::NODE, id).encode()
        ))
    })
}

/// Finds the one visible `T` row matching `condition` (a natural-key lookup at the root).
pub async fn find_one<T: NodeTable>(
    ctx: &Context<'_>,
    condition: Sql,
) -> ApiResult<Option<T::Model>> {
    let db = ctx
        .data::<DatabaseConnection>()
        .map_err(|_| ApiError::Internal)?;
    let mut sql = Sql::raw(format!("SELECT t.* FROM {} t WHERE ", T::TABLE));
    sql.append(scope(ctx).sql::<T>());
    sql.push(" AND (");
    sql.append(condition);
    sql.push(") LIMIT 1");
    let found = T::Model::find_by_statement(sql.build(db.get_database_backend()))
        .one(db)
        .await?;
    crate::cache::record(ctx, |deps| {
        deps.add(Tag::Type(T::NODE));
        deps.nodes(found.as_ref().map(T::id));
    });
    Ok(found)
}

/// The scope of the current request.
pub fn scope(ctx: &Context<'_>) -> Scope {
    ctx.data_opt::<Scope>().copied().unwrap_or_default()
}
