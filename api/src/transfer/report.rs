//! What an import did: counts per table, the rows kept as they were, and the changes for the change feed.

use std::{collections::BTreeMap, fmt};

use serde::Serialize;
use uuid::Uuid;

/// Owned rows of one table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OwnedCounts {
    /// New here.
    pub created: usize,
    /// Replaced by a newer exported version.
    pub updated: usize,
    /// Already as exported.
    pub unchanged: usize,
    /// Kept as they are here (see [`ImportReport::skipped`]).
    pub skipped: usize,
}

/// Shared nodes of one table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SharedCounts {
    /// Found here (by natural key, slug or id) and left as they are.
    pub matched: usize,
    /// Not found here, so created with their exported ids.
    pub created: usize,
}

/// Link rows of one table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LinkCounts {
    /// Rows added.
    pub inserted: usize,
    /// Rows whose position or role changed.
    pub updated: usize,
    /// Rows removed (an owned node's link set lost them).
    pub deleted: usize,
}

/// A row kept as it is here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The table.
    pub table: String,
    /// The row (`measure <id> (<slug>)`).
    pub row: String,
    /// Why.
    pub reason: String,
}

/// What happened to a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    /// The node is new here.
    Created,
    /// The node was replaced by a newer exported version.
    Updated,
}

impl ChangeAction {
    /// The revision action's name (`create`, `update`), as the change feed records it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Created => "create",
            ChangeAction::Updated => "update",
        }
    }
}

/// One node the import created or updated. The change feed is not written by the import itself: these are
/// the events to append, in write order, in the import's transaction (see [`ImportReport::changes`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedChange {
    /// GraphQL type name of the node ("Measure").
    pub node_type: &'static str,
    /// The node's id here.
    pub node_id: Uuid,
    /// Created or updated.
    pub action: ChangeAction,
    /// The node's version after the import.
    pub version: i32,
    /// The municipality whose content changed here; None for the shared registry.
    pub municipality_id: Option<Uuid>,
    /// Whether anonymous readers may see the event: the node was published before or after the change.
    pub public: bool,
}

/// What an import did (or, in a dry run, would have done).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// The source municipality's number.
    pub municipality: String,
    /// Owned rows per table (nodes, plan adoptions, adoptions, derivations).
    pub owned: BTreeMap<String, OwnedCounts>,
    /// Shared nodes per table.
    pub shared: BTreeMap<String, SharedCounts>,
    /// Link rows written per table.
    pub links: BTreeMap<String, LinkCounts>,
    /// Rows kept as they are here, with the reason.
    pub skipped: Vec<Skipped>,
    /// CHANGE FEED HOOK: every node created or updated, in write order. The import does not write
    /// `change_event` rows; wire these to the feed (in the import's transaction) when it exists.
    pub changes: Vec<ImportedChange>,
}

impl ImportReport {
    /// A report with nothing done yet.
    pub(crate) fn new(municipality: &str) -> ImportReport {
        ImportReport {
            municipality: municipality.to_string(),
            ..ImportReport::default()
        }
    }

    /// Rows created: owned rows and shared nodes.
    pub fn created(&self) -> usize {
        self.owned.values().map(|c| c.created).sum::<usize>()
            + self.shared.values().map(|c| c.created).sum::<usize>()
    }

    /// Owned rows updated.
    pub fn updated(&self) -> usize {
        self.owned.values().map(|c| c.updated).sum()
    }

    /// Owned rows already as exported.
    pub fn unchanged(&self) -> usize {
        self.owned.values().map(|c| c.unchanged).sum()
    }

    /// Shared nodes found here.
    pub fn matched(&self) -> usize {
        self.shared.values().map(|c| c.matched).sum()
    }

    /// Link rows inserted, updated or deleted.
    pub fn links_written(&self) -> usize {
        self.links
            .values()
            .map(|c| c.inserted + c.updated + c.deleted)
            .sum()
    }

    /// True when the import wrote nothing.
    pub fn is_noop(&self) -> bool {
        self.created() == 0 && self.updated() == 0 && self.links_written() == 0
    }

    /// The owned counts of `table`.
    pub(crate) fn owned_mut(&mut self, table: &str) -> &mut OwnedCounts {
        self.owned.entry(table.to_string()).or_default()
    }

    /// The link counts of `table`.
    pub(crate) fn links_mut(&mut self, table: &str) -> &mut LinkCounts {
        self.links.entry(table.to_string()).or_default()
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "municipality {}: {} created, {} updated, {} unchanged, {} skipped; {} shared nodes matched; {} link rows written",
            self.municipality,
            self.created(),
            self.updated(),
            self.unchanged(),
            self.skipped.len(),
            self.matched(),
            self.links_written()
        )?;
        for (table, c) in &self.owned {
            writeln!(
                f,
                "  owned  {table:<26} {:>4} created {:>4} updated {:>4} unchanged {:>4} skipped",
                c.created, c.updated, c.unchanged, c.skipped
            )?;
        }
        for (table, c) in &self.shared {
            writeln!(
                f,
                "  shared {table:<26} {:>4} matched {:>4} created",
                c.matched, c.created
            )?;
        }
        for (table, c) in &self.links {
            if c.inserted + c.updated + c.deleted > 0 {
                writeln!(
                    f,
                    "  links  {table:<26} {:>4} inserted {:>4} updated {:>4} deleted",
                    c.inserted, c.updated, c.deleted
                )?;
            }
        }
        for s in &self.skipped {
            writeln!(f, "  skipped {}: {}", s.row, s.reason)?;
        }
        Ok(())
    }
}
