//! Who owns a node, as SQL rendered once from the catalog's owner rules ([`oppvekstgraf_catalog::Owner`]):
//! the condition that a row belongs to a municipality (for the scopes that show a municipality its own
//! drafts), and the statement that lists the municipalities owning one node (for writes).

use std::{collections::HashMap, sync::LazyLock};

use oppvekstgraf_catalog::{LinkDef, NODES, NodeDef, Owner};

use crate::id::NodeType;

/// The SQL of one node type's owner rule.
#[derive(Debug, Default)]
struct Rendered {
    /// A condition on `t`, with one `?` for a municipality id.
    owned: Option<String>,
    /// A statement selecting `municipality_id`, with one `?` for the node's id.
    owners: Option<String>,
}

static RULES: LazyLock<HashMap<NodeType, Rendered>> =
    LazyLock::new(|| NODES.iter().map(|def| (def.node, render(def))).collect());

fn render(def: &NodeDef) -> Rendered {
    let table = def.table;
    match def.owner {
        Owner::Registry => Rendered::default(),
        Owner::Itself => Rendered {
            owned: Some("t.id = ?".into()),
            owners: Some(format!(
                "SELECT id AS municipality_id FROM {table} WHERE id = ?"
            )),
        },
        Owner::Column(column) => Rendered {
            owned: Some(format!("t.{column} = ?")),
            owners: Some(format!(
                "SELECT {column} AS municipality_id FROM {table} WHERE id = ?"
            )),
        },
        Owner::Link(link) => {
            let Some(link) = LinkDef::named(link) else {
                return Rendered::default();
            };
            let (links, node, owner) = (link.table, link.left.column, link.right.column);
            Rendered {
                owned: Some(format!(
                    "t.id IN (SELECT o.{node} FROM {links} o WHERE o.{owner} = ?)"
                )),
                owners: Some(format!(
                    "SELECT {owner} AS municipality_id FROM {links} WHERE {node} = ?"
                )),
            }
        }
        Owner::Via { column, node } => {
            let Some(Owner::Link(link)) = node.def().map(|target| target.owner) else {
                return Rendered::default();
            };
            let Some(link) = LinkDef::named(link) else {
                return Rendered::default();
            };
            let (links, target, owner) = (link.table, link.left.column, link.right.column);
            Rendered {
                owned: Some(format!(
                    "t.{column} IN (SELECT o.{target} FROM {links} o WHERE o.{owner} = ?)"
                )),
                owners: Some(format!(
                    "SELECT o.{owner} AS municipality_id FROM {table} n \
                     JOIN {links} o ON o.{target} = n.{column} WHERE n.id = ?"
                )),
            }
        }
    }
}

/// The condition (on `t`, one `?` for a municipality id) that a row of `node` belongs to that
/// municipality; None for the shared national registry.
pub fn owned(node: NodeType) -> Option<&'static str> {
    RULES.get(&node).and_then(|rule| rule.owned.as_deref())
}

/// A statement selecting the `municipality_id`s that own the node of type `node` with id `?`; None for
/// the registry.
pub fn owners(node: NodeType) -> Option<&'static str> {
    RULES.get(&node).and_then(|rule| rule.owners.as_deref())
}

/// The condition (on the column `node_id`, one `?` for a municipality id) that a node id is of a node that
/// municipality owns through a link table (a joint plan it is an owner of): for the change feed, whose
/// events name their nodes but only one municipality each.
pub fn owned_through_links() -> Vec<String> {
    NODES
        .iter()
        .filter_map(|def| match def.owner {
            Owner::Link(link) => LinkDef::named(link),
            _ => None,
        })
        .map(|link| {
            format!(
                "node_id IN (SELECT {} FROM {} WHERE {} = ?)",
                link.left.column, link.table, link.right.column
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_render_as_the_sql_they_replace() {
        assert_eq!(owned(NodeType::Municipality), Some("t.id = ?"));
        assert_eq!(owned(NodeType::Measure), Some("t.municipality_id = ?"));
        assert_eq!(
            owned(NodeType::Plan),
            Some("t.id IN (SELECT o.plan_id FROM plan_owner o WHERE o.municipality_id = ?)")
        );
        assert_eq!(
            owned(NodeType::Goal),
            Some("t.plan_id IN (SELECT o.plan_id FROM plan_owner o WHERE o.municipality_id = ?)")
        );
        assert_eq!(
            owners(NodeType::Goal),
            Some(
                "SELECT o.municipality_id AS municipality_id FROM goal n JOIN plan_owner o ON \
                 o.plan_id = n.plan_id WHERE n.id = ?"
            )
        );
        assert_eq!(owned(NodeType::Law), None);
        assert_eq!(owners(NodeType::Theme), None);
        assert_eq!(owned(NodeType::Revision), None);
        assert_eq!(
            owned_through_links(),
            ["node_id IN (SELECT plan_id FROM plan_owner WHERE municipality_id = ?)"]
        );
    }
}
