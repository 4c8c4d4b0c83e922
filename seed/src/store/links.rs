//! Link sets: makes a node's rows in a link table exactly the wanted ones, in order, writing only on change.

use anyhow::Context;
use oppvekstgraf_api::sql::Sql;
use oppvekstgraf_catalog::LinkDef;
use sea_orm::{ConnectionTrait, Value};
use uuid::Uuid;

use super::writer::Writer;

/// One wanted link row: the right node, and the role where the link table has one.
pub(super) type Target = (Uuid, Option<String>);

/// Targets without roles.
pub(super) fn plain(ids: Vec<Uuid>) -> Vec<Target> {
    ids.into_iter().map(|id| (id, None)).collect()
}

/// The stored value of a role enum.
pub(super) fn role<R: sea_orm::ActiveEnum<Value = String>>(role: &R) -> Option<String> {
    Some(role.to_value())
}

impl Writer<'_> {
    /// Makes the link rows of `parent` in `link`'s table exactly `targets` (in order, with roles where
    /// given); a changed set counts as a link set written and, when announcing, as a change of `parent`.
    pub(super) async fn links(
        &mut self,
        link: &LinkDef,
        parent: Uuid,
        targets: Vec<Target>,
    ) -> anyhow::Result<()> {
        if self.existing_links(link, parent).await? == targets {
            return Ok(());
        }
        self.replace_links(link, parent, targets).await?;
        self.report.links_written += 1;
        if self.announce {
            self.announce_link(link, parent).await?;
        }
        Ok(())
    }

    /// The link rows of `parent` in `link`'s table, in position order.
    async fn existing_links(&self, link: &LinkDef, parent: Uuid) -> anyhow::Result<Vec<Target>> {
        let (table, left, right) = (link.table, link.left.column, link.right.column);
        let role_col = if link.has_role() {
            ", role"
        } else {
            ", NULL AS role"
        };
        let select = Sql::with(
            format!(
                "SELECT {right} AS target, position{role_col} FROM {table} WHERE {left} = ? ORDER BY position"
            ),
            vec![parent.into()],
        );
        let rows = self
            .txn
            .query_all_raw(select.build(self.txn.get_database_backend()))
            .await?;
        let mut existing = Vec::with_capacity(rows.len());
        for row in rows {
            let target: Uuid = row.try_get("", "target")?;
            let role: Option<String> = row.try_get("", "role")?;
            existing.push((target, role));
        }
        Ok(existing)
    }

    /// Deletes the link rows of `parent` in `link`'s table and inserts `targets`, positioned in order.
    async fn replace_links(
        &self,
        link: &LinkDef,
        parent: Uuid,
        targets: Vec<Target>,
    ) -> anyhow::Result<()> {
        let backend = self.txn.get_database_backend();
        let (table, left, right) = (link.table, link.left.column, link.right.column);
        let delete = Sql::with(
            format!("DELETE FROM {table} WHERE {left} = ?"),
            vec![parent.into()],
        );
        self.txn.execute_raw(delete.build(backend)).await?;
        for (position, (target, role)) in targets.into_iter().enumerate() {
            let mut values: Vec<Value> =
                vec![parent.into(), target.into(), (position as i32).into()];
            let (cols, marks) = match role {
                Some(role) => {
                    values.push(role.into());
                    (format!("{left}, {right}, position, role"), "?, ?, ?, ?")
                }
                None => (format!("{left}, {right}, position"), "?, ?, ?"),
            };
            let insert = Sql::with(
                format!("INSERT INTO {table} ({cols}) VALUES ({marks})"),
                values,
            );
            self.txn.execute_raw(insert.build(backend)).await?;
        }
        Ok(())
    }

    /// Queues a `link` change of `parent`, the left node of `link`, at its current version.
    async fn announce_link(&mut self, link: &LinkDef, parent: Uuid) -> anyhow::Result<()> {
        let node_table = link
            .left
            .node
            .def()
            .with_context(|| format!("the left end of {} is a node table", link.table))?
            .table;
        let version = Sql::with(
            format!("SELECT version FROM {node_table} WHERE id = ?"),
            vec![parent.into()],
        );
        let version = match self
            .txn
            .query_one_raw(version.build(self.txn.get_database_backend()))
            .await?
        {
            Some(row) => row.try_get::<i32>("", "version")?,
            None => 1,
        };
        self.announce(node_table, parent, "link", version);
        Ok(())
    }
}
