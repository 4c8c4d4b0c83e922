//! `Revision`: one recorded change to one node, and the admins' audit log.

use crate::graphql::relation::Filter;
use crate::graphql::relation::{Rel, load_rel};
use async_graphql::{
    Context, ErrorExtensions, ID, InputObject, Json, Object, Result, SimpleObject,
};
use chrono::{DateTime, Utc};
use oppvekstgraf_entity::{self as entity, revision::Model};

use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        common::{check_municipality_number, connection},
        enums::{RevisionAction, Role},
    },
    id::{GlobalId, NodeType},
    page::PageArgs,
    sql::Sql,
};

/// One change to one node: who made it, when, what they did, and the node before and after. Written in the
/// same transaction as the change; pass its `id` to a `…RestoreRevision` mutation to bring the node back.
#[derive(SimpleObject, Clone)]
pub struct Revision {
    /// Opaque ID of the revision.
    pub id: ID,
    /// GraphQL type of the node, e.g. "Measure".
    pub node_type: String,
    /// Global ID of the node.
    pub node_id: ID,
    /// The node's version after this change.
    pub node_version: i32,
    /// What happened.
    pub action: RevisionAction,
    /// Name of the token that made the change.
    pub actor_name: String,
    /// Role of the token that made the change.
    pub actor_role: Role,
    /// When the change was made.
    pub created_at: DateTime<Utc>,
    /// The node's stored fields before the change; null when it was created.
    pub before: Option<Json<serde_json::Value>>,
    /// The node's stored fields after the change.
    pub after: Option<Json<serde_json::Value>>,
    /// For link changes: the relation, the linked node and its role.
    pub detail: Option<Json<serde_json::Value>>,
}

/// The node type of a stored type name.
fn node_type(name: &str) -> NodeType {
    NodeType::ALL
        .into_iter()
        .find(|t| t.name() == name)
        .unwrap_or(NodeType::Revision)
}

impl From<Model> for Revision {
    fn from(m: Model) -> Self {
        Revision {
            id: ID(GlobalId::new(NodeType::Revision, m.id).encode()),
            node_id: ID(GlobalId::new(node_type(&m.node_type), m.node_id).encode()),
            node_type: m.node_type,
            node_version: m.node_version,
            action: m.action.into(),
            actor_name: m.actor_name,
            actor_role: m.actor_role.into(),
            created_at: m.created_at,
            before: m.before.map(Json),
            after: m.after.map(Json),
            detail: m.detail.map(Json),
        }
    }
}

connection!(
    RevisionConnection,
    RevisionEdge,
    Revision,
    Model,
    "revisions"
);

/// Revisions of one node, newest first.
pub const NODE_REVISIONS: Rel = Rel::column("node_id", Some(&["t.created_at DESC"]));

/// Narrows the audit log. All given conditions must hold.
#[derive(InputObject, Default, Debug, Clone)]
pub struct AuditLogFilter {
    /// Only changes to the content of the municipality with this kommunenummer.
    pub municipality: Option<String>,
    /// Only changes made by tokens whose name contains this text (case-insensitive).
    pub actor: Option<String>,
    /// Only changes at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Only changes before this time.
    pub to: Option<DateTime<Utc>>,
    /// Only changes to nodes of this GraphQL type, e.g. "Measure".
    pub node_type: Option<String>,
}

impl Filter for AuditLogFilter {
    fn conditions(&self) -> ApiResult<Vec<Sql>> {
        let mut out = Vec::new();
        if let Some(number) = &self.municipality {
            check_municipality_number("filter.municipality", number)?;
            out.push(Sql::with(
                "t.municipality_id IN (SELECT m.id FROM municipality m WHERE m.number = ?)",
                vec![number.as_str().into()],
            ));
        }
        if let Some(actor) = &self.actor {
            out.push(crate::graphql::common::search_condition(
                "filter.actor",
                "actor_name",
                actor,
            )?);
        }
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(ApiError::validation(
                "filter.to",
                "`to` must not be before `from`",
            ));
        }
        if let Some(from) = self.from {
            out.push(Sql::with("t.created_at >= ?", vec![from.into()]));
        }
        if let Some(to) = self.to {
            out.push(Sql::with("t.created_at < ?", vec![to.into()]));
        }
        if let Some(name) = &self.node_type {
            if node_type(name) == NodeType::Revision {
                return Err(ApiError::validation(
                    "filter.nodeType",
                    format!("{name:?} is not a node type, e.g. \"Measure\""),
                ));
            }
            out.push(Sql::with("t.node_type = ?", vec![name.as_str().into()]));
        }
        Ok(out)
    }
}

/// Root fields for the audit log.
#[derive(Default)]
pub struct RevisionQuery;

#[Object]
impl RevisionQuery {
    /// Every recorded change across all content, newest first. Admins only.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n edges (0-100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Returns the edges after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n edges (0-100).")] last: Option<i32>,
        #[graphql(desc = "Returns the edges before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrows the log.")] filter: Option<AuditLogFilter>,
    ) -> Result<RevisionConnection> {
        let viewer = ctx
            .data::<crate::auth::Viewer>()
            .map_err(|_| ApiError::Internal.extend())?;
        let actor = viewer.actor()?;
        if !actor.is_admin() {
            return Err(ApiError::Forbidden("the audit log is for admins".into()).extend());
        }
        let args = PageArgs::new(first, after, last, before);
        let root = Rel {
            via: crate::loader::Via::Root,
            default_order: Some(&["t.created_at DESC"]),
        };
        let page = load_rel::<entity::revision::Entity>(
            ctx,
            &root,
            uuid::Uuid::nil(),
            args,
            &filter,
            None,
        )
        .await;
        page.and_then(RevisionConnection::from_page)
            .map_err(Into::into)
    }
}
