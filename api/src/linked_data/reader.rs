//! One request's view of the graph for linked data: the database, the visibility scope and the URL base,
//! finding a node and its type, and reading its links as the catalog declares them.

use oppvekstgraf_entity as entity;
use sea_orm::{DatabaseConnection, FromQueryResult};
use serde_json::Value;
use uuid::Uuid;

use crate::{
    error::{ApiError, ApiResult},
    id::NodeType,
    loader::{NodeTable, Scope},
    sql::Sql,
};

use super::{Doc, Target, iri, node_of_segment, node_url, type_segment};

/// One request's view: the database, the visibility scope and the URL base.
pub(super) struct Ld<'a> {
    pub(super) db: &'a DatabaseConnection,
    pub(super) scope: Scope,
    pub(super) base: String,
}

/// A row of an id query.
#[derive(FromQueryResult)]
pub(super) struct IdRow {
    pub(super) id: Uuid,
}

/// A row of the type lookup of a bare UUID.
#[derive(FromQueryResult)]
pub(super) struct TypeRow {
    pub(super) node: String,
}

impl Ld<'_> {
    /// The URL of a node's document.
    pub(super) fn url(&self, node: NodeType, uuid: Uuid) -> String {
        node_url(&self.base, node, uuid)
    }

    /// The canonical URL and document of the node, if it is visible.
    pub(super) async fn document(&self, target: Target) -> ApiResult<Option<(String, Value)>> {
        let (node, uuid) = match target {
            Target::Known(node, uuid) => (node, uuid),
            Target::Uuid(uuid) => match self.type_of(uuid).await? {
                Some(node) => (node, uuid),
                None => return Ok(None),
            },
        };
        let doc = match node {
            NodeType::Municipality => self.municipality(uuid).await?,
            NodeType::Region => self.region(uuid).await?,
            NodeType::Plan => self.plan(uuid).await?,
            NodeType::Goal => self.goal(uuid).await?,
            NodeType::Measure => self.measure(uuid).await?,
            NodeType::Unit => self.unit(uuid).await?,
            NodeType::Law => self.law(uuid).await?,
            NodeType::LegalReference => self.legal_reference(uuid).await?,
            NodeType::Guidance => self.guidance(uuid).await?,
            NodeType::Publisher => self.publisher(uuid).await?,
            NodeType::Concept => self.concept(uuid).await?,
            NodeType::Theme => self.theme(uuid).await?,
            NodeType::TargetGroup => self.target_group(uuid).await?,
            NodeType::Revision => None,
        };
        Ok(doc.map(|doc| (self.url(node, uuid), doc.into_value())))
    }

    /// The type of the visible node with this UUID, in one statement over every node table:
    /// `SELECT '<type>' AS node FROM <table> t WHERE t.id = ? AND <visibility> UNION ALL …`.
    pub(super) async fn type_of(&self, uuid: Uuid) -> ApiResult<Option<NodeType>> {
        let mut sql = Sql::default();
        for node in NodeType::ALL {
            let (Some(segment), Some(visible)) = (type_segment(node), self.visibility(node)) else {
                continue;
            };
            let Some((table, _)) = crate::loader::table_of(node) else {
                continue;
            };
            if !sql.text.is_empty() {
                sql.push(" UNION ALL ");
            }
            sql.append(Sql::with(
                format!("SELECT '{segment}' AS node FROM {table} t WHERE t.id = ? AND "),
                vec![uuid.into()],
            ));
            sql.append(visible);
        }
        let rows = TypeRow::find_by_statement(sql.build(self.db.get_database_backend()))
            .all(self.db)
            .await?;
        Ok(rows.iter().find_map(|row| node_of_segment(&row.node)))
    }

    /// The visibility condition on `t` for a node type (see [`Scope::sql`]).
    pub(super) fn visibility(&self, node: NodeType) -> Option<Sql> {
        use entity::*;
        let scope = self.scope;
        Some(match node {
            NodeType::Municipality => scope.sql::<municipality::Entity>(),
            NodeType::Region => scope.sql::<region::Entity>(),
            NodeType::Plan => scope.sql::<plan::Entity>(),
            NodeType::Goal => scope.sql::<goal::Entity>(),
            NodeType::Measure => scope.sql::<measure::Entity>(),
            NodeType::Unit => scope.sql::<unit::Entity>(),
            NodeType::Law => scope.sql::<law::Entity>(),
            NodeType::LegalReference => scope.sql::<legal_reference::Entity>(),
            NodeType::Guidance => scope.sql::<guidance::Entity>(),
            NodeType::Publisher => scope.sql::<publisher::Entity>(),
            NodeType::Concept => scope.sql::<concept::Entity>(),
            NodeType::Theme => scope.sql::<theme::Entity>(),
            NodeType::TargetGroup => scope.sql::<target_group::Entity>(),
            NodeType::Revision => return None,
        })
    }

    /// The row of a visible node: `SELECT t.* FROM <table> t WHERE t.id = ? AND <visibility>`.
    pub(super) async fn find<T: NodeTable>(&self, id: Uuid) -> ApiResult<Option<T::Model>> {
        let mut sql = Sql::with(
            format!("SELECT t.* FROM {} t WHERE t.id = ? AND ", T::TABLE),
            vec![id.into()],
        );
        sql.append(self.scope.sql::<T>());
        Ok(
            T::Model::find_by_statement(sql.build(self.db.get_database_backend()))
                .one(self.db)
                .await?,
        )
    }

    /// Links (`{"@id": url}`) to the visible `T` rows matching `condition`:
    /// `SELECT t.id FROM <table> t <join> WHERE <visibility> AND (<condition>) ORDER BY <order>`.
    pub(super) async fn links<T: NodeTable>(
        &self,
        join: &str,
        condition: Sql,
        order: &str,
    ) -> ApiResult<Vec<Value>> {
        self.links_of(T::NODE, join, condition, order).await
    }

    /// [`Self::links`] for a node type known at run time.
    pub(super) async fn links_of(
        &self,
        node: NodeType,
        join: &str,
        condition: Sql,
        order: &str,
    ) -> ApiResult<Vec<Value>> {
        let table = node.def().map(|def| def.table).ok_or(ApiError::Internal)?;
        let mut sql = Sql::raw(format!("SELECT t.id FROM {table} t{join} WHERE "));
        sql.append(self.scope.sql_of(node));
        sql.push(" AND (");
        sql.append(condition);
        sql.push(&format!(") ORDER BY {order}"));
        let rows = IdRow::find_by_statement(sql.build(self.db.get_database_backend()))
            .all(self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| iri(self.url(node, row.id)))
            .collect())
    }

    /// Puts, under each link's linked-data term (from the catalog), the visible nodes that `node`'s node `id`
    /// is linked to, in the link's order.
    pub(super) async fn put_catalog_links(
        &self,
        doc: &mut Doc,
        node: NodeType,
        id: Uuid,
    ) -> ApiResult<()> {
        for link in oppvekstgraf_catalog::LINKS {
            let sides = [
                (link.left, link.right, link.ld.left),
                (link.right, link.left, link.ld.right),
            ];
            for (this, other, term) in sides {
                let Some(term) = term.filter(|_| this.node == node) else {
                    continue;
                };
                let linked = self
                    .links_of(
                        other.node,
                        &format!(" JOIN {} l ON l.{} = t.id", link.table, other.column),
                        Sql::with(format!("l.{} = ?", this.column), vec![id.into()]),
                        "l.position, t.id",
                    )
                    .await?;
                doc.put(term, linked);
            }
        }
        Ok(())
    }

    /// Links to the visible `T` rows that a link table joins to `parent`, in the link's order:
    /// `… JOIN <table> l ON l.<target> = t.id WHERE l.<parent> = ? [AND l.role = ?]`.
    pub(super) async fn via_link<T: NodeTable>(
        &self,
        table: &str,
        parent_column: &str,
        target_column: &str,
        parent: Uuid,
        role: Option<String>,
    ) -> ApiResult<Vec<Value>> {
        let mut condition = Sql::with(format!("l.{parent_column} = ?"), vec![parent.into()]);
        if let Some(role) = role {
            condition.append(Sql::with(" AND l.role = ?", vec![role.into()]));
        }
        self.links::<T>(
            &format!(" JOIN {table} l ON l.{target_column} = t.id"),
            condition,
            "l.position, t.id",
        )
        .await
    }

    /// Links to the visible `T` rows whose `column` is `parent`.
    pub(super) async fn via_column<T: NodeTable>(
        &self,
        column: &str,
        parent: Uuid,
        order: &str,
    ) -> ApiResult<Vec<Value>> {
        self.links::<T>(
            "",
            Sql::with(format!("t.{column} = ?"), vec![parent.into()]),
            order,
        )
        .await
    }

    /// A link to one `T` node, if there is one and it is visible.
    pub(super) async fn one<T: NodeTable>(&self, id: Option<Uuid>) -> ApiResult<Option<Value>> {
        let Some(id) = id else {
            return Ok(None);
        };
        Ok(self
            .links::<T>("", Sql::with("t.id = ?", vec![id.into()]), "t.id")
            .await?
            .into_iter()
            .next())
    }
}
