//! Export and import of one municipality's content as one JSON document, to move it between installations.
//!
//! **What is exported.** The municipality's own content — plans it owns (joint plans included), their goals,
//! measures and units whose municipality it is, the link rows of all of them, the owners' adoptions of its
//! plans, and its adoptions by reference and derivations of copies — in every status (drafts and archived
//! content too: it is the owner's own material). With it go the shared nodes that content refers to: the
//! municipality itself and its former numbers, its neighbours and regions, co-owners of its plans, laws (and
//! the laws that replace them), legal references, guidance (with what it replaces and its publishers, legal
//! references, themes and target groups), publishers, themes, target groups, concepts, national units and
//! other municipalities' units or plans that are referred to. Revisions, tokens and the change feed stay home.
//!
//! **Matching.** On import, shared nodes are matched by natural key: municipality by number, law by Lovdata
//! id, legal reference by (Lovdata id, section, paragraph), guidance by code, publisher by organisation
//! number, theme by LOS URI — the last three fall back to slug — and the others by slug; then by id. Every
//! foreign key is rewritten through the resulting id map, so two installations converge on one node each.
//! A shared node found here is never changed (this installation's copy of the national registry wins); one
//! not found is created with its exported id. An edge between shared nodes (neighbours, region members,
//! guidance publishers …) is added when at least one end is new here; edges between nodes that were here
//! already are left alone, and nothing is removed.
//!
//! **Owned content** is upserted by id: unchanged rows are not written; a newer exported version replaces
//! the row (all columns as exported, versions and timestamps included); a newer local version is kept and
//! reported as skipped. Link sets are rewritten only where they differ. Nothing is deleted. Importing the
//! same document twice changes nothing.
//!
//! Everything happens in one transaction after the document has been validated; an error names the table,
//! row and field, and leaves the database as it was.

mod document;
mod export;
mod import;
mod links;
mod matching;
mod report;
mod rows;
mod validate;

use sea_orm::DbErr;

pub use document::{Document, FORMAT, OwnedRows, SharedRows, VERSION};
pub use export::export;
pub use import::{import, import_dry_run};
pub use links::{LinkRow, LinkSection, LinkTables, OwnedSection, SharedSection};
pub use report::{ChangeAction, ImportReport, ImportedChange, OwnedCounts, SharedCounts, Skipped};
pub use rows::parents_first;

/// Why an export or import failed. Nothing is written when an import fails.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// The document is not an export this build reads (format name or version).
    #[error("not a municipality export this version reads: {0}")]
    Format(String),
    /// A value in the document does not have the right type or shape.
    #[error("{path}: {message}")]
    Parse {
        /// Where in the document (`owned.measure[3].plan_id`).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A row is inconsistent or refers to something that exists neither in the document nor here.
    #[error("{row}: {field}: {message}")]
    Invalid {
        /// The row (`measure <id> (<slug>)`).
        row: String,
        /// The column.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Writing a row would collide with a different node here on a unique key (slug, id, natural key).
    #[error("{table} {id}: {message}; nothing was imported")]
    Collision {
        /// The table.
        table: String,
        /// The id of the row in the document.
        id: String,
        /// The key and the local node it collides with.
        message: String,
    },
    /// No municipality has this number (current or former).
    #[error("no municipality has the number {0}")]
    MunicipalityNotFound(String),
    /// The database failed.
    #[error("{context}: {error}")]
    Database {
        /// What was being done.
        context: String,
        /// The database's error.
        error: DbErr,
    },
}

impl TransferError {
    /// A problem with `field` of `row`.
    fn invalid(row: String, field: &str, message: impl Into<String>) -> TransferError {
        TransferError::Invalid {
            row,
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// Row `id` of `table` would collide with a local node.
    fn collision(table: &str, id: uuid::Uuid, message: impl Into<String>) -> TransferError {
        TransferError::Collision {
            table: table.to_string(),
            id: id.to_string(),
            message: message.into(),
        }
    }
}

/// Adds what was being done to a database error.
trait DbContext<T> {
    /// Wraps the error with `context`.
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T, TransferError>;
}

impl<T> DbContext<T> for Result<T, DbErr> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T, TransferError> {
        self.map_err(|error| TransferError::Database {
            context: context(),
            error,
        })
    }
}
