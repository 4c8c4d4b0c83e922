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
pub mod ownership;
mod sharing;
mod tables;

use std::{
    collections::HashMap,
    hash::{Hash, Hasher},
    marker::PhantomData,
    sync::Arc,
};

use async_graphql::{
    Context,
    dataloader::{DataLoader, HashMapCache},
};
pub use batching::{Activity, Tracked};
use oppvekstgraf_entity::enums::Status;
use sea_orm::{DatabaseConnection, FromQueryResult, QueryResult, Value};
pub use sharing::{
    AdoptersOf, AdoptionsBy, CopiesOf, DerivationOf, PlanAdoptionsOf, SharingLoader, load_sharing,
};
pub use tables::{Loaders, NodeTable, data_loaders, table_of};
use uuid::Uuid;

use crate::{
    cache::Tag,
    error::{ApiError, ApiResult},
    page::{Page, Window},
    sql::Sql,
};

/// Which publication states a request may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Scope {
    /// Anonymous readers, and editors who do not ask for a preview: published content only.
    #[default]
    Published,
    /// An editor's preview: published content, plus drafts and archived content their municipality owns.
    Municipality(Uuid),
    /// An admin's preview: everything.
    Everything,
    /// What was ever published: published and archived content (the sources of adoptions and copies, which
    /// keep resolving when their owner archives them).
    Released,
    /// [`Scope::Released`] plus what this municipality owns in any state.
    ReleasedOr(Uuid),
}

impl Scope {
    /// The visibility condition on `t` for rows of `T`.
    pub fn sql<T: NodeTable>(self) -> Sql {
        if !T::HAS_STATUS {
            return Sql::raw("1 = 1");
        }
        self.sql_of(T::NODE)
    }

    /// The visibility condition on `t` for rows of the node type `node` (which has a status).
    pub fn sql_of(self, node: crate::id::NodeType) -> Sql {
        let published = || {
            Sql::with(
                "t.status = ?",
                vec![Value::from(status_value(Status::Published))],
            )
        };
        let released = || {
            Sql::with(
                "t.status IN (?, ?)",
                vec![
                    Value::from(status_value(Status::Published)),
                    Value::from(status_value(Status::Archived)),
                ],
            )
        };
        let or_owned = |base: Sql, id: Uuid| match ownership::owned(node) {
            Some(owned) => {
                let mut sql = Sql::raw("(");
                sql.append(base);
                sql.push(" OR ");
                sql.append(Sql::with(owned, vec![id.into()]));
                sql.push(")");
                sql
            }
            None => base,
        };
        match self {
            Scope::Published => published(),
            Scope::Everything => Sql::raw("1 = 1"),
            Scope::Municipality(id) => or_owned(published(), id),
            Scope::Released => released(),
            Scope::ReleasedOr(id) => or_owned(released(), id),
        }
    }

    /// This scope widened to what was ever published: for the sources of adoptions and copies.
    pub fn released(self) -> Scope {
        match self {
            Scope::Published | Scope::Released => Scope::Released,
            Scope::Municipality(id) | Scope::ReleasedOr(id) => Scope::ReleasedOr(id),
            Scope::Everything => Scope::Everything,
        }
    }

    /// The municipality whose own content this scope shows in every state, if any.
    pub fn own_municipality(self) -> Option<Uuid> {
        match self {
            Scope::Municipality(id) | Scope::ReleasedOr(id) => Some(id),
            _ => None,
        }
    }
}

fn status_value(status: Status) -> String {
    use sea_orm::ActiveEnum;
    status.to_value()
}

/// How the target rows of a relation hang off their parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Via {
    /// A root connection: every visible row of the table.
    Root,
    /// `t.<column> = parent`.
    Column(&'static str),
    /// Through a link table: `l.<parent> = parent AND l.<target> = t.id`, optionally with `l.role`.
    Link {
        table: &'static str,
        parent: &'static str,
        target: &'static str,
        role: bool,
    },
    /// What the parent owns (`owned` selects `o_parent, o_target, 0 AS o_adopted`), plus what it adopted by
    /// reference (`adoption` rows of `node_type`). An adopted source stays listed when its owner archives it.
    OwnedOrAdopted {
        owned: &'static str,
        node_type: &'static str,
    },
}

impl Via {
    fn parent_expr(self) -> Option<String> {
        match self {
            Via::Root => None,
            Via::Column(col) => Some(format!("t.{col}")),
            Via::Link { parent, .. } => Some(format!("l.{parent}")),
            Via::OwnedOrAdopted { .. } => Some("l.o_parent".into()),
        }
    }
}

/// Everything that selects a page, apart from the parent: relation, filters, order, window, scope.
#[derive(Debug, Clone)]
pub struct PageQuery {
    via: Via,
    filters: Vec<Sql>,
    order: Vec<String>,
    window: Window,
    scope: Scope,
    count: bool,
    fingerprint: String,
    /// A hash of `fingerprint`, computed once: page keys are hashed several times on their way through a
    /// DataLoader, and a wide level has hundreds of them.
    fingerprint_hash: u64,
}

impl PageQuery {
    /// A page query; `order` terms refer to `t.` (the target) or `l.` (the link row). `count`: whether the
    /// length of the whole list is wanted (`totalCount`); without it, the statement computes no count and
    /// reads one row past the page instead, for `pageInfo.hasNextPage`.
    pub fn new(
        via: Via,
        filters: Vec<Sql>,
        order: Vec<String>,
        window: Window,
        scope: Scope,
        count: bool,
    ) -> Self {
        let count = count || window.needs_count();
        let fingerprint = format!(
            "{via:?}|{}|{}|{window:?}|{scope:?}|{count}",
            filters
                .iter()
                .map(Sql::fingerprint)
                .collect::<Vec<_>>()
                .join("&"),
            order.join(",")
        );
        PageQuery {
            via,
            filters,
            order,
            window,
            scope,
            count,
            fingerprint_hash: {
                let mut hasher = std::hash::DefaultHasher::new();
                fingerprint.hash(&mut hasher);
                hasher.finish()
            },
            fingerprint,
        }
    }
}

/// Key of [`PageLoader`]: a parent and the page query.
#[derive(Debug, Clone)]
pub struct PageKey {
    pub parent: Uuid,
    pub query: Arc<PageQuery>,
}

impl PartialEq for PageKey {
    fn eq(&self, other: &Self) -> bool {
        self.parent == other.parent
            && (Arc::ptr_eq(&self.query, &other.query)
                || (self.query.fingerprint_hash == other.query.fingerprint_hash
                    && self.query.fingerprint == other.query.fingerprint))
    }
}

impl Eq for PageKey {}

impl Hash for PageKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parent.hash(state);
        self.query.fingerprint_hash.hash(state);
    }
}

/// Key of [`NodeLoader`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeKey {
    pub id: Uuid,
    pub scope: Scope,
}

/// A windowed row: the target row plus the window columns.
struct Row<M> {
    parent: Option<Uuid>,
    rn: i64,
    cnt: i64,
    role: Option<String>,
    model: M,
}

impl<M: FromQueryResult> FromQueryResult for Row<M> {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, sea_orm::DbErr> {
        Ok(Row {
            parent: res.try_get(pre, "o__parent")?,
            rn: res.try_get(pre, "o__rn")?,
            cnt: res.try_get(pre, "o__cnt")?,
            role: res.try_get(pre, "o__role")?,
            model: M::from_query_result(res, pre)?,
        })
    }
}

/// Loads nodes of one table by id.
pub struct NodeLoader<T> {
    db: DatabaseConnection,
    activity: Arc<Activity>,
    _table: PhantomData<T>,
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

/// Loads pages of a to-many relation (or a root connection) whose targets live in `T`'s table.
pub struct PageLoader<T> {
    db: DatabaseConnection,
    activity: Arc<Activity>,
    _table: PhantomData<T>,
}

impl<T: NodeTable> PageLoader<T> {
    async fn load_group(
        &self,
        query: &PageQuery,
        parents: &[Uuid],
    ) -> ApiResult<HashMap<Uuid, Page<T::Model>>> {
        let parent = query.via.parent_expr();
        let partition = parent
            .as_ref()
            .map(|p| format!("PARTITION BY {p} "))
            .unwrap_or_default();
        let mut order = query.order.clone();
        order.push("t.id".into());
        let order = order.join(", ");
        let mut sql = Sql::raw(format!(
            "SELECT * FROM (SELECT t.*, {} AS o__parent, {} AS o__role, \
             ROW_NUMBER() OVER ({partition}ORDER BY {order}) AS o__rn, \
             {} AS o__cnt FROM {} t",
            parent.as_deref().unwrap_or("NULL"),
            match query.via {
                Via::Link { role: true, .. } => "l.role",
                _ => "NULL",
            },
            if query.count {
                format!("COUNT(*) OVER ({partition})")
            } else {
                "CAST(0 AS BIGINT)".into()
            },
            T::TABLE,
        ));
        match query.via {
            Via::Link { table, target, .. } => {
                sql.push(&format!(" JOIN {table} l ON l.{target} = t.id"));
            }
            Via::OwnedOrAdopted { owned, node_type } => {
                sql.push(&format!(" JOIN ({owned} UNION ALL SELECT a.municipality_id AS o_parent, a.source_id AS o_target, 1 AS o_adopted FROM adoption a WHERE a.node_type = '{node_type}') l ON l.o_target = t.id"));
            }
            Via::Root | Via::Column(_) => {}
        }
        sql.push(" WHERE ");
        if let Via::OwnedOrAdopted { .. } = query.via {
            sql.push("(");
            sql.append(query.scope.sql::<T>());
            sql.append(Sql::with(
                " OR (l.o_adopted = 1 AND t.status = ?))",
                vec![Value::from(status_value(Status::Archived))],
            ));
        } else {
            sql.append(query.scope.sql::<T>());
        }
        if let Some(parent) = &parent {
            sql.push(" AND ");
            sql.append(Sql::uuid_in(
                parent,
                parents,
                self.db.get_database_backend(),
            ));
        }
        for filter in &query.filters {
            sql.push(" AND (");
            sql.append(filter.clone());
            sql.push(")");
        }
        // A counted page always gets its list's first row, so an empty page still knows the count.
        sql.push(&if query.count {
            format!(") w WHERE ({}) OR o__rn = 1", query.window.sql())
        } else {
            format!(") w WHERE {}", query.window.sql_uncounted())
        });
        let stmt = sql.build(self.db.get_database_backend());
        let rows = Row::<T::Model>::find_by_statement(stmt)
            .all(&self.db)
            .await?;
        let mut pages: HashMap<Uuid, Page<T::Model>> = HashMap::new();
        for row in rows {
            let page = pages.entry(row.parent.unwrap_or_default()).or_default();
            // Uncounted, the list is known to reach at least the last row read (one past the page, if any).
            let total = if query.count { row.cnt } else { i64::MAX };
            page.total = if query.count {
                row.cnt
            } else {
                page.total.max(row.rn)
            };
            let position = row.rn - 1;
            if query.window.contains(position, total) {
                page.items.push((position, row.model, row.role));
            }
        }
        for page in pages.values_mut() {
            page.items.sort_unstable_by_key(|(position, ..)| *position);
        }
        Ok(pages)
    }
}

impl<T: NodeTable> async_graphql::dataloader::Loader<PageKey> for PageLoader<T> {
    type Value = Page<T::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[PageKey]) -> Result<HashMap<PageKey, Page<T::Model>>, ApiError> {
        // A batch holds one page query or a few (one per distinct filter, order or window asked for).
        let mut groups: Vec<(Arc<PageQuery>, Vec<Uuid>)> = Vec::new();
        for key in keys {
            let same = |(query, _): &&mut (Arc<PageQuery>, Vec<Uuid>)| {
                query.fingerprint_hash == key.query.fingerprint_hash
                    && query.fingerprint == key.query.fingerprint
            };
            match groups.iter_mut().find(same) {
                Some((_, parents)) => parents.push(key.parent),
                None => groups.push((key.query.clone(), vec![key.parent])),
            }
        }
        let mut out = HashMap::with_capacity(keys.len());
        for (query, parents) in groups {
            let mut pages = self.load_group(&query, &parents).await?;
            for parent in parents {
                let page = pages.remove(&parent).unwrap_or_default();
                out.insert(
                    PageKey {
                        parent,
                        query: query.clone(),
                    },
                    page,
                );
            }
        }
        Ok(out)
    }
}

/// Loads one page of `T` rows for `parent` (use `Uuid::nil()` for a root connection).
pub async fn load_page<T: NodeTable>(
    ctx: &Context<'_>,
    parent: Uuid,
    query: PageQuery,
) -> ApiResult<Page<T::Model>> {
    let loader = ctx
        .data::<DataLoader<PageLoader<T>, HashMapCache>>()
        .map_err(|_| ApiError::Internal)?;
    loader.loader().activity.touch();
    let root = matches!(query.via, Via::Root);
    let page = loader
        .load_one(PageKey {
            parent,
            query: Arc::new(query),
        })
        .await?
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
