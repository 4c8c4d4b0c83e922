//! To-many relations: how a node's related nodes hang off it ([`Rel`], made from the catalog's
//! declaration), and the one body every generated relation field shares ([`related`]).

use async_graphql::{Context, Result};
use oppvekstgraf_catalog::{RelationDef, Via as Stored};
use sea_orm::{DatabaseConnection, DbBackend};
use uuid::Uuid;

use super::enums::Order;
use crate::{
    error::{ApiError, ApiResult},
    id::NodeType,
    loader::{NodeTable, PageQueries, PageQuery, Via, load_page, scope},
    page::{Page, PageArgs, Window},
    sql::Sql,
    sql::text_order,
};

/// A filter input that turns into SQL conditions on the target table `t`.
pub trait Filter {
    /// The conditions; validation errors name the offending field.
    fn conditions(&self) -> ApiResult<Vec<Sql>>;
}

impl<F: Filter> Filter for Option<F> {
    fn conditions(&self) -> ApiResult<Vec<Sql>> {
        self.as_ref().map_or(Ok(Vec::new()), Filter::conditions)
    }
}

/// No filter.
pub struct NoFilter;

impl Filter for NoFilter {
    fn conditions(&self) -> ApiResult<Vec<Sql>> {
        Ok(Vec::new())
    }
}

/// The ORDER BY terms for `order` on a table whose name column is `name`.
fn order_terms(backend: DbBackend, order: Order, name: &str, default: &[&str]) -> Vec<String> {
    let (term, dir) = match order {
        Order::Default => return default.iter().map(|s| s.to_string()).collect(),
        Order::NameAsc => (text_order(backend, name), "ASC"),
        Order::NameDesc => (text_order(backend, name), "DESC"),
        Order::CreatedAtAsc => ("t.created_at".into(), "ASC"),
        Order::CreatedAtDesc => ("t.created_at".into(), "DESC"),
        Order::UpdatedAtAsc => ("t.updated_at".into(), "ASC"),
        Order::UpdatedAtDesc => ("t.updated_at".into(), "DESC"),
    };
    vec![format!("{term} {dir}")]
}

/// A to-many relation of a node: how its targets hang off it, and their default order.
pub struct Rel {
    pub via: Via,
    /// Default ORDER BY terms (`None`: by name).
    pub default_order: Option<&'static [&'static str]>,
}

impl Rel {
    /// Targets with `t.<column> = parent`.
    pub const fn column(
        column: &'static str,
        default_order: Option<&'static [&'static str]>,
    ) -> Rel {
        Rel {
            via: Via::Column(column),
            default_order,
        }
    }

    /// What the parent municipality owns (`owned` selects `o_parent, o_target, 0 AS o_adopted`) plus what it
    /// adopted by reference, by name.
    pub const fn owned_or_adopted(owned: &'static str, node_type: &'static str) -> Rel {
        Rel {
            via: Via::OwnedOrAdopted { owned, node_type },
            default_order: None,
        }
    }

    const fn through(
        link: &'static oppvekstgraf_catalog::LinkDef,
        parent: &'static str,
        target: &'static str,
    ) -> Rel {
        Rel {
            via: Via::Link {
                table: link.table,
                parent,
                target,
                role: link.has_role(),
            },
            default_order: Some(&["l.position"]),
        }
    }

    /// A root connection.
    pub const ROOT: Rel = Rel {
        via: Via::Root,
        default_order: None,
    };
}

/// The name column of each node table, used by `NAME_*` ordering and the default root order.
pub fn name_column(node: NodeType) -> &'static str {
    node.def().map_or("created_at", |def| def.name_column)
}

/// What selects a page of `T` targets of `rel` for the field being resolved: its window, filters, order,
/// scope and whether it is counted.
fn page_query<T: NodeTable>(
    ctx: &Context<'_>,
    rel: &Rel,
    args: &PageArgs,
    filter: &impl Filter,
    order: Option<Order>,
) -> ApiResult<PageQuery> {
    let window = Window::parse(args, T::NODE)?;
    let filters = filter.conditions()?;
    let backend = ctx
        .data::<DatabaseConnection>()
        .map(|db| db.get_database_backend())
        .map_err(|_| ApiError::Internal)?;
    let name = name_column(T::NODE);
    let name_order = [text_order(backend, name)];
    let default: Vec<&str> = match rel.default_order {
        Some(terms) => terms.to_vec(),
        None => name_order.iter().map(String::as_str).collect(),
    };
    let order = order_terms(backend, order.unwrap_or_default(), name, &default);
    let count = ctx.look_ahead().field("totalCount").exists();
    Ok(PageQuery::new(
        rel.via,
        filters,
        order,
        window,
        scope(ctx),
        count,
    ))
}

/// Loads one page of `T` targets of `rel` for `parent`. The page query is made once per field of the document
/// and shared by its siblings, so `args`, `filter` and `order` must follow from the field's arguments alone,
/// never from the parent (which goes in `parent`).
pub async fn load_rel<T: NodeTable>(
    ctx: &Context<'_>,
    rel: &Rel,
    parent: Uuid,
    args: PageArgs,
    filter: &impl Filter,
    order: Option<Order>,
) -> ApiResult<Page<T::Model>> {
    let queries = ctx.data::<PageQueries>().map_err(|_| ApiError::Internal)?;
    let field = std::ptr::from_ref(ctx.item) as usize;
    let query = queries.get_or_make::<T>(field, std::ptr::from_ref(rel) as usize, || {
        page_query::<T>(ctx, rel, &args, filter, order)
    })?;
    load_page::<T>(ctx, parent, query).await
}

impl Rel {
    /// What the left end's field of `relation` lists: the right nodes (a measure's themes).
    pub const fn left_field(relation: &'static RelationDef) -> Rel {
        match &relation.via {
            Stored::Link(link) => Rel::through(link, link.left.column, link.right.column),
            Stored::Derived {
                table,
                left,
                right,
                order,
                ..
            } => Rel {
                via: Via::Link {
                    table,
                    parent: left.column,
                    target: right.column,
                    role: false,
                },
                default_order: Some(*order),
            },
            Stored::Column { .. } => panic!("a column relation's left end is a to-one reference"),
        }
    }

    /// What the right end's field of `relation` lists: the left nodes (a theme's measures, a plan's goals).
    pub const fn right_field(relation: &'static RelationDef) -> Rel {
        match &relation.via {
            Stored::Link(link) => Rel::through(link, link.right.column, link.left.column),
            Stored::Column { left, order, .. } => Rel {
                via: Via::Column(left.column),
                default_order: if order.is_empty() { None } else { Some(*order) },
            },
            Stored::Derived { .. } => panic!("a derived relation is listed from its left end only"),
        }
    }
}

/// A connection type built from a loaded page of its nodes' rows.
pub trait FromPage<M>: Sized {
    /// Builds the connection.
    fn from_page(page: Page<M>) -> ApiResult<Self>;
}

/// One page of the `T` nodes `rel` relates to `parent`, as the connection `C`: the body of every relation
/// field.
pub async fn related<T: NodeTable, C: FromPage<T::Model>>(
    ctx: &Context<'_>,
    rel: &Rel,
    parent: Uuid,
    args: PageArgs,
    filter: &impl Filter,
    order: Option<Order>,
) -> Result<C> {
    let page = load_rel::<T>(ctx, rel, parent, args, filter, order).await;
    page.and_then(C::from_page).map_err(Into::into)
}
