//! Link and unlink for every relation. A link change is a change to the node on the left: it gets a new
//! version and a revision whose `detail` names the relation, the other node and the role.

use oppvekstgraf_entity::enums::RevisionAction;
use uuid::Uuid;

use super::transaction::{Tx, Writable, ensure_writable, node_id, owners, save_change, snapshot};
use crate::{
    error::{ApiError, ApiResult},
    id::{GlobalId, NodeType},
    loader::NodeTable,
};

pub use oppvekstgraf_catalog::Linkable;

mod edge;

use edge::{Edge, delete_edge, existing_position, write_edge};

/// One relation's link table, as the link mutations see it: the catalog's entry and what the API calls it.
#[derive(Debug, Clone, Copy)]
pub struct LinkSpec {
    /// The relation as a field name, e.g. "units".
    pub relation: &'static str,
    /// The catalog's link table: its columns, the node type on the right, its symmetry, the input field
    /// naming the right node and who may be linked (`edit`).
    pub link: &'static oppvekstgraf_catalog::LinkDef,
}

impl LinkSpec {
    /// The spec of the catalog's link table `table` (a compile error in a constant when it is not declared).
    pub const fn of(table: &'static str) -> LinkSpec {
        let relation = oppvekstgraf_catalog::RelationDef::of_link(table);
        let oppvekstgraf_catalog::Via::Link(link) = &relation.via else {
            panic!("not a link table")
        };
        let Some(field) = relation.left.field() else {
            panic!("a link table's left end lists its right nodes")
        };
        LinkSpec {
            relation: field.name,
            link,
        }
    }
}

/// Adds (or, with `remove`, removes) the edge `left → right` of `spec`, as a new version of `left`.
pub async fn change_link<T: Writable>(
    tx: &Tx,
    spec: &LinkSpec,
    left: Uuid,
    right: &async_graphql::ID,
    role: Option<String>,
    position: Option<i32>,
    remove: bool,
) -> ApiResult<(
    <T as NodeTable>::Model,
    oppvekstgraf_entity::revision::Model,
)> {
    let field = format!("input.{}", spec.link.edit.input);
    let link = spec.link;
    ensure_writable(&tx.txn, &tx.actor, T::NODE, left).await?;
    let right_id = if remove {
        node_id(&field, right, link.right.node)?
    } else {
        tx.visible(&field, right, link.right.node).await?
    };
    lock_ends(tx, link, left, right_id).await?;
    if !remove {
        check_same_municipality(tx, spec, T::NODE, left, right_id, &field).await?;
    }
    check_owner_change(tx, spec, T::NODE, left, right_id, remove, &field).await?;
    if let Some(p) = position
        && !(0..=10_000).contains(&p)
    {
        return Err(ApiError::validation(
            "input.position",
            "give a position from 0 to 10000",
        ));
    }
    let existing = existing_position(tx, link, left, right_id).await?;
    let action = if remove {
        if existing.is_none() {
            return Err(ApiError::validation(
                &field,
                format!("there is no such link in `{}`", spec.relation),
            ));
        }
        delete_edge(tx, link, left, right_id).await?;
        if link.symmetric {
            delete_edge(tx, link, right_id, left).await?;
        }
        RevisionAction::Unlink
    } else {
        let position = match (position, existing) {
            (Some(p), _) | (None, Some(p)) => p,
            (None, None) => tx.next_position(link.table, link.left.column, left).await?,
        };
        let edge = Edge {
            left,
            right: right_id,
            role: role.as_deref(),
            position,
        };
        write_edge(tx, link, edge, existing.is_some()).await?;
        RevisionAction::Link
    };
    let detail = serde_json::json!({
        "relation": spec.relation,
        "target": GlobalId::new(link.right.node, right_id).encode(),
        "role": role,
    });
    record_link_change::<T>(tx, left, action, detail).await
}

/// Takes the locks of a link change: link changes of one node run one after the other, so that two at once
/// read the link and the node's version after each other (a symmetric link locks both ends, in one order).
async fn lock_ends(
    tx: &Tx,
    link: &oppvekstgraf_catalog::LinkDef,
    left: Uuid,
    right: Uuid,
) -> ApiResult<()> {
    let mut locked = vec![left];
    if link.symmetric {
        locked.push(right);
        locked.sort();
    }
    for id in locked {
        tx.lock_key(&format!("node:{id}")).await?;
    }
    Ok(())
}

/// For a link whose rule is [`Linkable::SameMunicipality`]: the right node is national, or belongs to a
/// municipality that owns the left node (an admin may link an unowned node to anything).
async fn check_same_municipality(
    tx: &Tx,
    spec: &LinkSpec,
    node: NodeType,
    left: Uuid,
    right: Uuid,
    field: &str,
) -> ApiResult<()> {
    if spec.link.edit.target != Linkable::SameMunicipality {
        return Ok(());
    }
    let left_owners = owners(&tx.txn, node, left).await?.unwrap_or_default();
    let right_owners = match spec.link.right.node {
        NodeType::Unit => tx.unit_owner(right).await?.map(|o| vec![o]),
        other => owners(&tx.txn, other, right).await?,
    };
    let same = match right_owners {
        None => true,
        Some(list) if list.is_empty() => true,
        Some(list) => {
            list.iter().any(|o| left_owners.contains(o))
                || (left_owners.is_empty() && tx.actor.is_admin())
        }
    };
    if same {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "{field}: that {} belongs to another municipality",
            spec.link.right.node.name()
        )))
    }
}

/// For a link whose rule is [`Linkable::Owner`]: only admins change owners, and a plan keeps at least one.
async fn check_owner_change(
    tx: &Tx,
    spec: &LinkSpec,
    node: NodeType,
    left: Uuid,
    right: Uuid,
    remove: bool,
    field: &str,
) -> ApiResult<()> {
    if spec.link.edit.target != Linkable::Owner {
        return Ok(());
    }
    if !tx.actor.is_admin() {
        return Err(ApiError::Forbidden(
            "only admins change a plan's owners: every owner's editors may then edit the joint plan".into(),
        ));
    }
    let current = owners(&tx.txn, node, left).await?.unwrap_or_default();
    if remove && current.len() <= 1 && current.contains(&right) {
        return Err(ApiError::validation(
            field,
            "a plan keeps at least one owner",
        ));
    }
    Ok(())
}

/// Records a link change as a change to the left node: a new version and a revision with `detail`.
async fn record_link_change<T: Writable>(
    tx: &Tx,
    left: Uuid,
    action: RevisionAction,
    detail: serde_json::Value,
) -> ApiResult<(
    <T as NodeTable>::Model,
    oppvekstgraf_entity::revision::Model,
)> {
    let model = tx.load::<T>(left).await?;
    let version = T::version(&model);
    let before = snapshot(&model)?;
    save_change::<T>(tx, model, version + 1, action, before, Some(detail)).await
}

/// Defines `link…` / `unlink…` mutations for one relation.
macro_rules! link_mutations {
    (
        $mutation:ident, $left_entity:ident, $Left:ident, $left_field:ident,
        [$link:ident, $LinkInput:ident, $LinkPayload:ident],
        [$unlink:ident, $UnlinkInput:ident, $UnlinkPayload:ident],
        $right_field:ident, $Right:ident, $spec:expr, $doc:literal
        $(, role: $Role:ty, $DbRole:ty)?
    ) => {
        #[doc = concat!("Input of `", stringify!($link), "`: ", $doc)]
        #[derive(async_graphql::InputObject)]
        pub struct $LinkInput {
            #[doc = concat!("Global ID of the ", stringify!($Left), ".")]
            pub $left_field: async_graphql::ID,
            #[doc = concat!("Global ID of the ", stringify!($Right), " to link.")]
            pub $right_field: async_graphql::ID,
            $(
            /// The part the linked node plays.
            pub role: $Role,
            )?
            /// Place among the links (0-based); appended at the end when left out.
            pub position: Option<i32>,
        }

        #[doc = concat!("Input of `", stringify!($unlink), "`.")]
        #[derive(async_graphql::InputObject)]
        pub struct $UnlinkInput {
            #[doc = concat!("Global ID of the ", stringify!($Left), ".")]
            pub $left_field: async_graphql::ID,
            #[doc = concat!("Global ID of the ", stringify!($Right), " to unlink.")]
            pub $right_field: async_graphql::ID,
        }

        #[doc = concat!("Result of `", stringify!($link), "`.")]
        #[derive(async_graphql::SimpleObject)]
        pub struct $LinkPayload {
            #[doc = concat!("The ", stringify!($Left), " after the change.")]
            pub $left_field: $crate::graphql::object::$Left,
            /// The revision that records the change.
            pub revision: $crate::graphql::object::revision::Revision,
        }

        #[doc = concat!("Result of `", stringify!($unlink), "`.")]
        #[derive(async_graphql::SimpleObject)]
        pub struct $UnlinkPayload {
            #[doc = concat!("The ", stringify!($Left), " after the change.")]
            pub $left_field: $crate::graphql::object::$Left,
            /// The revision that records the change.
            pub revision: $crate::graphql::object::revision::Revision,
        }

        #[doc = concat!("Link mutations: ", $doc)]
        #[derive(Default)]
        pub struct $mutation;

        #[async_graphql::Object]
        impl $mutation {
            #[doc = concat!("Links: ", $doc)]
            async fn $link(&self, ctx: &async_graphql::Context<'_>, #[graphql(desc = "The two nodes.")] input: $LinkInput) -> async_graphql::Result<$LinkPayload> {
                #[allow(unused_mut, unused_assignments)]
                let mut role: Option<String> = None;
                $(
                    let db_role: $DbRole = input.role.into();
                    role = Some(sea_orm::ActiveEnum::to_value(&db_role));
                )?
                let (node, revision) = link_mutations!(@run ctx, $left_entity, $Left, concat!("input.", stringify!($left_field)), input.$left_field, input.$right_field, role, input.position, false, $spec)?;
                Ok($LinkPayload { $left_field: node.into(), revision: revision.into() })
            }

            #[doc = concat!("Unlinks: ", $doc)]
            async fn $unlink(&self, ctx: &async_graphql::Context<'_>, #[graphql(desc = "The two nodes.")] input: $UnlinkInput) -> async_graphql::Result<$UnlinkPayload> {
                let (node, revision) = link_mutations!(@run ctx, $left_entity, $Left, concat!("input.", stringify!($left_field)), input.$left_field, input.$right_field, None, None, true, $spec)?;
                Ok($UnlinkPayload { $left_field: node.into(), revision: revision.into() })
            }
        }
    };
    (@run $ctx:ident, $left_entity:ident, $Left:ident, $left_name:expr, $left:expr, $right:expr, $role:expr, $position:expr, $remove:expr, $spec:expr) => {{
        use $crate::graphql::mutation::transaction::{Tx, node_id};
        let result: $crate::error::ApiResult<_> = async {
            let tx = Tx::begin($ctx).await?;
            let left = node_id($left_name, &$left, $crate::id::NodeType::$Left)?;
            let out = $crate::graphql::mutation::links::change_link::<oppvekstgraf_entity::$left_entity::Entity>(
                &tx, &$spec, left, &$right, $role, $position, $remove,
            ).await?;
            tx.commit().await?;
            Ok(out)
        }.await;
        result
    }};
}

#[rustfmt::skip]
pub mod all;
