//! Link and unlink for every relation. A link change is a change to the node on the left: it gets a new
//! version and a revision whose `detail` names the relation, the other node and the role.

use oppvekstgraf_entity::enums::RevisionAction;
use sea_orm::{IntoActiveModel, PrimaryKeyTrait};
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use super::transaction::{Tx, Writable, ensure_writable, owners, snapshot};
use crate::{
    error::{ApiError, ApiResult},
    id::{GlobalId, NodeType},
    loader::NodeTable,
    sql::Sql,
};

pub use oppvekstgraf_catalog::Linkable;

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
)>
where
    <T as NodeTable>::Model:
        Serialize + DeserializeOwned + IntoActiveModel<<T as Writable>::Active>,
    <T::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    let field = format!("input.{}", spec.link.edit.input);
    let link = spec.link;
    // A symmetric edge (neighbours) is written in both directions.
    let symmetric = link.symmetric;
    ensure_writable(&tx.txn, &tx.actor, T::NODE, left).await?;
    let right_id = if remove {
        crate::graphql::mutation::transaction::node_id(&field, right, link.right.node)?
    } else {
        tx.visible(&field, right, link.right.node).await?
    };
    // Link changes of one node run one after the other, so that two at once read the link and the node's
    // version after each other (a symmetric link locks both ends, in one order).
    let mut locked = vec![left];
    if symmetric {
        locked.push(right_id);
        locked.sort();
    }
    for id in locked {
        tx.lock_key(&format!("node:{id}")).await?;
    }
    if !remove {
        match spec.link.edit.target {
            Linkable::Visible => {}
            Linkable::SameMunicipality => {
                let left_owners = owners(&tx.txn, T::NODE, left).await?.unwrap_or_default();
                let right_owners = match link.right.node {
                    NodeType::Unit => tx.unit_owner(right_id).await?.map(|o| vec![o]),
                    other => owners(&tx.txn, other, right_id).await?,
                };
                let same = match right_owners {
                    None => true,
                    Some(list) if list.is_empty() => true,
                    Some(list) => {
                        list.iter().any(|o| left_owners.contains(o))
                            || (left_owners.is_empty() && tx.actor.is_admin())
                    }
                };
                if !same {
                    return Err(ApiError::Forbidden(format!(
                        "{field}: that {} belongs to another municipality",
                        link.right.node.name()
                    )));
                }
            }
            Linkable::Owner => {}
        }
    }
    if spec.link.edit.target == Linkable::Owner {
        if !tx.actor.is_admin() {
            return Err(ApiError::Forbidden(
                "only admins change a plan's owners: every owner's editors may then edit the joint plan".into(),
            ));
        }
        let current = owners(&tx.txn, T::NODE, left).await?.unwrap_or_default();
        if remove && current.len() <= 1 && current.contains(&right_id) {
            return Err(ApiError::validation(
                &field,
                "a plan keeps at least one owner",
            ));
        }
    }
    if let Some(p) = position
        && !(0..=10_000).contains(&p)
    {
        return Err(ApiError::validation(
            "input.position",
            "give a position from 0 to 10000",
        ));
    }
    let existing = tx
        .txn_query_one(Sql::with(
            format!(
                "SELECT position FROM {} WHERE {} = ? AND {} = ?",
                link.table, link.left.column, link.right.column
            ),
            vec![left.into(), right_id.into()],
        ))
        .await?;
    let detail = serde_json::json!({
        "relation": spec.relation,
        "target": GlobalId::new(link.right.node, right_id).encode(),
        "role": role,
    });
    let action = if remove {
        RevisionAction::Unlink
    } else {
        RevisionAction::Link
    };
    if remove {
        if existing.is_none() {
            return Err(ApiError::validation(
                &field,
                format!("there is no such link in `{}`", spec.relation),
            ));
        }
        delete_edge(tx, link, left, right_id).await?;
    } else {
        let position = match position {
            Some(p) => p,
            None => match &existing {
                Some(row) => row.try_get::<i32>("", "position")?,
                None => tx.next_position(link.table, link.left.column, left).await?,
            },
        };
        if existing.is_some() {
            delete_edge(tx, link, left, right_id).await?;
        }
        let (cols, marks, mut values) = (
            format!("{}, {}, position", link.left.column, link.right.column),
            "?, ?, ?",
            vec![left.into(), right_id.into(), position.into()],
        );
        let (cols, marks) = match &role {
            Some(role) => {
                values.push(role.clone().into());
                (format!("{cols}, role"), format!("{marks}, ?"))
            }
            None => (cols, marks.to_string()),
        };
        tx.execute(Sql::with(
            format!("INSERT INTO {} ({cols}) VALUES ({marks})", link.table),
            values,
        ))
        .await?;
        if symmetric {
            delete_edge(tx, link, right_id, left).await?;
            tx.execute(Sql::with(
                format!(
                    "INSERT INTO {} ({}, {}, position) VALUES (?, ?, ?)",
                    link.table, link.left.column, link.right.column
                ),
                vec![right_id.into(), left.into(), position.into()],
            ))
            .await?;
        }
    }
    if remove && symmetric {
        delete_edge(tx, link, right_id, left).await?;
    }
    // The link is a change to the left node: a new version and a revision.
    let mut model = tx.load::<T>(left).await?;
    let version = serde_json::to_value(&model)
        .ok()
        .and_then(|v| v["version"].as_i64())
        .unwrap_or(1) as i32;
    let before = snapshot(&model)?;
    T::stamp(&mut model, version + 1, tx.now);
    let saved = tx.save::<T>(model).await?;
    let revision = tx
        .record(
            T::NODE,
            left,
            version + 1,
            action,
            Some(before),
            Some(snapshot(&saved)?),
            Some(detail),
        )
        .await?;
    Ok((saved, revision))
}

/// Deletes the edge `from → to` of `link`'s table, if there is one.
async fn delete_edge(
    tx: &Tx,
    link: &oppvekstgraf_catalog::LinkDef,
    from: Uuid,
    to: Uuid,
) -> ApiResult<u64> {
    tx.execute(Sql::with(
        format!(
            "DELETE FROM {} WHERE {} = ? AND {} = ?",
            link.table, link.left.column, link.right.column
        ),
        vec![from.into(), to.into()],
    ))
    .await
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
