//! The generic loader of pages of a to-many relation (or a root connection), paginated in SQL with window
//! functions: one statement per page query and level.

use std::{collections::HashMap, marker::PhantomData, sync::Arc};

use oppvekstgraf_entity::enums::Status;
use sea_orm::{DatabaseConnection, DbBackend, FromQueryResult, QueryResult, Value};
use uuid::Uuid;

use super::{Activity, NodeTable, PageKey, PageQuery, Via, scope::status_value};
use crate::{
    error::{ApiError, ApiResult},
    page::Page,
    sql::Sql,
};

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

/// Loads pages of a to-many relation (or a root connection) whose targets live in `T`'s table.
pub struct PageLoader<T> {
    pub(super) db: DatabaseConnection,
    pub(super) activity: Arc<Activity>,
    pub(super) _table: PhantomData<T>,
}

impl<T: NodeTable> PageLoader<T> {
    async fn load_group(
        &self,
        query: &PageQuery,
        parents: &[Uuid],
    ) -> ApiResult<HashMap<Uuid, Page<T::Model>>> {
        let backend = self.db.get_database_backend();
        let stmt = page_sql::<T>(query, parents, backend).build(backend);
        let rows = Row::<T::Model>::find_by_statement(stmt)
            .all(&self.db)
            .await?;
        Ok(collect_pages(query, rows))
    }
}

/// The statement of one page query for `parents`: the windowed select, its join, its conditions and the window.
fn page_sql<T: NodeTable>(query: &PageQuery, parents: &[Uuid], backend: DbBackend) -> Sql {
    let parent = query.via.parent_expr();
    let mut sql = windowed_select::<T>(query, parent.as_deref());
    push_join(&mut sql, query.via);
    push_conditions::<T>(&mut sql, query, parent.as_deref(), parents, backend);
    // A counted page always gets its list's first row, so an empty page still knows the count.
    sql.push(&if query.count {
        format!(") w WHERE ({}) OR o__rn = 1", query.window.sql())
    } else {
        format!(") w WHERE {}", query.window.sql_uncounted())
    });
    sql
}

/// The inner select of `T` rows with the window columns (parent, role, row number, count), up to its `FROM`.
fn windowed_select<T: NodeTable>(query: &PageQuery, parent: Option<&str>) -> Sql {
    let partition = parent
        .map(|p| format!("PARTITION BY {p} "))
        .unwrap_or_default();
    let mut order = query.order.clone();
    order.push("t.id".into());
    let order = order.join(", ");
    Sql::raw(format!(
        "SELECT * FROM (SELECT t.*, {} AS o__parent, {} AS o__role, \
         ROW_NUMBER() OVER ({partition}ORDER BY {order}) AS o__rn, \
         {} AS o__cnt FROM {} t",
        parent.unwrap_or("NULL"),
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
    ))
}

/// Joins the link rows that a relation through a link table, or through ownership and adoption, reads.
fn push_join(sql: &mut Sql, via: Via) {
    match via {
        Via::Link { table, target, .. } => {
            sql.push(&format!(" JOIN {table} l ON l.{target} = t.id"));
        }
        Via::OwnedOrAdopted { owned, node_type } => {
            sql.push(&format!(" JOIN ({owned} UNION ALL SELECT a.municipality_id AS o_parent, a.source_id AS o_target, 1 AS o_adopted FROM adoption a WHERE a.node_type = '{node_type}') l ON l.o_target = t.id"));
        }
        Via::Root | Via::Column(_) => {}
    }
}

/// The inner select's `WHERE`: visibility (adopted sources also when archived), the parents and the filters.
fn push_conditions<T: NodeTable>(
    sql: &mut Sql,
    query: &PageQuery,
    parent: Option<&str>,
    parents: &[Uuid],
    backend: DbBackend,
) {
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
    if let Some(parent) = parent {
        sql.push(" AND ");
        sql.append(Sql::uuid_in(parent, parents, backend));
    }
    for filter in &query.filters {
        sql.push(" AND (");
        sql.append(filter.clone());
        sql.push(")");
    }
}

/// Sorts the rows read into their parents' pages, each page's items in order by position.
fn collect_pages<M>(query: &PageQuery, rows: Vec<Row<M>>) -> HashMap<Uuid, Page<M>> {
    let mut pages: HashMap<Uuid, Page<M>> = HashMap::new();
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
    pages
}

impl<T: NodeTable> async_graphql::dataloader::Loader<PageKey> for PageLoader<T> {
    /// Shared, so that handing a page to its resolver does not copy its rows.
    type Value = Arc<Page<T::Model>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[PageKey],
    ) -> Result<HashMap<PageKey, Arc<Page<T::Model>>>, ApiError> {
        // A batch holds one page query or a few (one per distinct filter, order or window asked for).
        let mut groups: Vec<(Arc<PageQuery>, Vec<Uuid>)> = Vec::new();
        for key in keys {
            match groups.iter_mut().find(|(query, _)| query.same(&key.query)) {
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
                    Arc::new(page),
                );
            }
        }
        Ok(out)
    }
}
