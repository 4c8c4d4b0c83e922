//! Pieces every object shares: the node fields, connection types, filters and ordering.

use async_graphql::{Context, ID};

use super::enums::Status;
use super::relation::{Filter, name_column};
use crate::{
    error::{ApiError, ApiResult},
    id::{GlobalId, NodeType},
    loader::NodeTable,
    sql::{Sql, like_escape},
};

/// Defines a connection and its edge type for `$node` objects built from `$model` rows. Each node is built
/// once and shared by `edges` and `nodes`; a cursor is encoded only when it is asked for.
macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ident, $model:ty, $what:literal $(, role: $role:ty, $db_role:ty)?) => {
        #[doc = concat!("A page of ", $what, ", with paging information and the total count.")]
        pub struct $conn {
            edges: Vec<$edge>,
            page_info: $crate::page::PageInfo,
            total_count: i64,
        }

        #[doc = concat!("A page of ", $what, ", with paging information and the total count.")]
        #[async_graphql::Object]
        impl $conn {
            /// The edges of this page, in order.
            async fn edges(&self) -> &[$edge] {
                &self.edges
            }

            /// The nodes of this page, in order (the edges without their cursors).
            async fn nodes(&self) -> Vec<&$node> {
                self.edges.iter().map(|edge| &edge.node).collect()
            }

            /// Paging information for this page.
            async fn page_info(&self) -> &$crate::page::PageInfo {
                &self.page_info
            }

            /// How many nodes the whole list holds, over all pages, after filters.
            async fn total_count(&self) -> i64 {
                self.total_count
            }
        }

        #[doc = concat!("An edge in a page of ", $what, ".")]
        pub struct $edge {
            position: i64,
            node: $node,
            $(
            role: $role,
            )?
        }

        #[doc = concat!("An edge in a page of ", $what, ".")]
        #[async_graphql::Object]
        impl $edge {
            /// Opaque cursor of this edge; pass it as `after` or `before`.
            async fn cursor(&self) -> String {
                $crate::page::encode_cursor($crate::id::NodeType::$node, self.position)
            }

            /// The node at the end of this edge.
            async fn node(&self) -> &$node {
                &self.node
            }
            $(
            /// The part the node plays in this relation.
            async fn role(&self) -> $role {
                self.role
            }
            )?
        }

        impl $conn {
            /// Builds the connection from a loaded page.
            #[allow(unused_variables)]
            pub fn from_page(page: $crate::page::Page<$model>) -> $crate::error::ApiResult<Self> {
                let page_info = page.page_info($crate::id::NodeType::$node);
                let total_count = page.total;
                let mut edges = Vec::with_capacity(page.items.len());
                for (position, model, role) in page.items {
                    edges.push($edge {
                        position,
                        node: $node::from(model),
                        $(
                        role: {
                            let role = role.ok_or($crate::error::ApiError::Internal)?;
                            <$db_role as sea_orm::ActiveEnum>::try_from_value(&role)
                                .map_err(|_| $crate::error::ApiError::Internal)?
                                .into()
                        },
                        )?
                    });
                }
                Ok($conn { edges, page_info, total_count })
            }
        }

        impl $crate::graphql::relation::FromPage<$model> for $conn {
            fn from_page(page: $crate::page::Page<$model>) -> $crate::error::ApiResult<Self> {
                $conn::from_page(page)
            }
        }
    };
}
pub(crate) use connection;

/// The conditions of a typed filter, begun with its `search` on `t.<column>`; the filter adds its own.
pub fn search_conditions(column: &str, search: &Option<String>) -> ApiResult<Vec<Sql>> {
    match search {
        Some(text) => Ok(vec![search_condition("filter.search", column, text)?]),
        None => Ok(Vec::new()),
    }
}

/// A typed filter's conditions, ended with its `status`.
pub fn with_status(mut conditions: Vec<Sql>, status: &Option<Vec<Status>>) -> Vec<Sql> {
    if let Some(statuses) = status {
        conditions.push(status_condition(statuses));
    }
    conditions
}

/// A case-insensitive substring match on `t.<column>`.
pub fn search_condition(field: &str, column: &str, text: &str) -> ApiResult<Sql> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 200 {
        return Err(ApiError::validation(
            field,
            "give 1 to 200 characters to search for",
        ));
    }
    Ok(Sql::with(
        format!("LOWER(t.{column}) LIKE ? ESCAPE '\\'"),
        vec![format!("%{}%", like_escape(&text.to_lowercase())).into()],
    ))
}

/// `t.<column> IN (<statuses>)`.
pub fn status_condition(statuses: &[Status]) -> Sql {
    enum_condition::<_, oppvekstgraf_entity::enums::Status>("status", statuses)
}

/// `t.<column> IN (…)`: the rows whose enum column holds one of `values`, given as their GraphQL enum `G`
/// and stored as the entity's enum `E`.
pub fn enum_condition<G, E>(column: &str, values: &[G]) -> Sql
where
    G: Copy,
    E: sea_orm::ActiveEnum + From<G>,
    sea_orm::Value: From<E::Value>,
{
    let values: Vec<sea_orm::Value> = values
        .iter()
        .map(|v| E::from(*v).to_value().into())
        .collect();
    Sql::with(
        format!("t.{column} IN ({})", Sql::placeholders(values.len())),
        values,
    )
}

/// `t.<column> IN (SELECT id FROM municipality WHERE number = ?)` after checking the number's form.
pub fn municipality_condition(field: &str, column: &str, number: &str) -> ApiResult<Sql> {
    check_municipality_number(field, number)?;
    Ok(Sql::with(
        format!("t.{column} IN (SELECT m.id FROM municipality m WHERE m.number = ?)"),
        vec![number.into()],
    ))
}

/// A kommunenummer is four digits.
pub fn check_municipality_number(field: &str, number: &str) -> ApiResult<()> {
    if number.len() == 4 && number.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ApiError::validation(
            field,
            format!("{number:?} is not a kommunenummer: give four digits, e.g. \"1539\""),
        ))
    }
}

/// `t.id IN (SELECT <own> FROM <link> WHERE <other> IN (<select>))`: the target is linked to a node picked by
/// `select` (a sub-select returning ids).
pub fn linked_condition(link: &oppvekstgraf_catalog::LinkDef, select: Sql) -> Sql {
    let (table, own, other) = (link.table, link.left.column, link.right.column);
    let mut sql = Sql::raw(format!(
        "t.id IN (SELECT x.{own} FROM {table} x WHERE x.{other} IN ("
    ));
    sql.append(select);
    sql.push("))");
    sql
}

/// A sub-select of the id of the node with global ID `id` of type `node`.
pub fn id_select(field: &str, id: &ID, node: NodeType) -> ApiResult<Sql> {
    let uuid = GlobalId::decode_as(field, id, node)?;
    Ok(Sql::with("SELECT ?", vec![uuid.into()]))
}

/// A sub-select of the ids of `table` rows whose `column` equals `value`.
pub fn key_select(table: &str, column: &str, value: &str) -> Sql {
    Sql::with(
        format!("SELECT k.id FROM {table} k WHERE k.{column} = ?"),
        vec![value.into()],
    )
}

/// A filter with a text match and publication states, for node types without relations to filter by.
#[derive(async_graphql::InputObject, Default, Debug, Clone)]
pub struct SearchFilter {
    /// Case-insensitive substring of the name, title, label or term.
    pub search: Option<String>,
    /// Only nodes in these publication states (anonymous readers see published nodes only).
    pub status: Option<Vec<Status>>,
}

/// Applies a [`SearchFilter`] to a table whose name column is `column`.
pub fn search_filter_conditions(filter: &SearchFilter, column: &str) -> ApiResult<Vec<Sql>> {
    let mut out = Vec::new();
    if let Some(text) = &filter.search {
        out.push(search_condition("filter.search", column, text)?);
    }
    if let Some(statuses) = &filter.status {
        out.push(status_condition(statuses));
    }
    Ok(out)
}

/// A [`SearchFilter`] on the name column of one node type.
pub struct NamedSearch<'a>(pub &'a Option<SearchFilter>, pub NodeType);

impl Filter for NamedSearch<'_> {
    fn conditions(&self) -> ApiResult<Vec<Sql>> {
        match self.0 {
            Some(filter) => search_filter_conditions(filter, name_column(self.1)),
            None => Ok(Vec::new()),
        }
    }
}

/// The one visible `T` with this slug or global ID (exactly one of them must be given).
pub async fn find_by_slug_or_id<T: NodeTable>(
    ctx: &Context<'_>,
    slug: Option<String>,
    id: Option<ID>,
) -> ApiResult<Option<T::Model>> {
    let condition = match (slug, id) {
        (Some(slug), None) => Sql::with("t.slug = ?", vec![slug.into()]),
        (None, Some(id)) => Sql::with(
            "t.id = ?",
            vec![GlobalId::decode_as("id", &id, T::NODE)?.into()],
        ),
        _ => {
            return Err(ApiError::validation(
                "slug",
                "give exactly one of `slug` or `id`",
            ));
        }
    };
    crate::loader::find_one::<T>(ctx, condition).await
}

/// Declares the object type `$name` as its hand-written fields `$fields` (flattened, so async-graphql lists them
/// first) followed by its relation fields, generated from the catalog into `object/relations.rs`.
macro_rules! with_relations {
    ($(#[$doc:meta])* $name:ident($fields:ident)) => {
        $(#[$doc])*
        #[derive(async_graphql::SimpleObject, Clone)]
        #[graphql(complex)]
        pub struct $name {
            #[graphql(flatten)]
            pub fields: $fields,
        }

        impl std::ops::Deref for $name {
            type Target = $fields;

            fn deref(&self) -> &$fields {
                &self.fields
            }
        }

        impl From<Model> for $name {
            fn from(m: Model) -> Self {
                $name { fields: m.into() }
            }
        }
    };
}
pub(crate) use with_relations;

/// Gives an object the `id` method the `Node` interface resolves through.
macro_rules! node_object {
    ($typ:ident) => {
        impl $typ {
            /// Opaque global ID.
            pub async fn id<'a>(
                &'a self,
                _ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::Result<&'a async_graphql::ID> {
                Ok(&self.node.id)
            }
        }
    };
}
pub(crate) use node_object;
