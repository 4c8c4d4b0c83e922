//! Import: validates a document, matches its shared nodes, rewrites every reference through the id map and
//! writes what differs — all in one transaction.

mod links;
mod nodes;
mod records;
mod store;

use std::collections::{HashMap, HashSet};

use oppvekstgraf_entity::enums::Status;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionOptions, TransactionTrait,
};
use uuid::Uuid;

use super::{
    DbContext, TransferError,
    document::Document,
    matching::match_shared,
    report::{ChangeAction, ImportReport, ImportedChange, Skipped},
    rows::{IdMap, Node},
    validate::{check_document, check_references},
};
use crate::{id::NodeType, sql::Sql};

/// The actor name change-feed events of an import carry.
pub const IMPORT_ACTOR: &str = "import";

/// Imports `document` and commits. Importing the same document again changes nothing.
pub async fn import(
    db: &DatabaseConnection,
    document: &Document,
) -> Result<ImportReport, TransferError> {
    run(db, document, true).await
}

/// Does everything [`import`] does, reports it, and rolls back.
pub async fn import_dry_run(
    db: &DatabaseConnection,
    document: &Document,
) -> Result<ImportReport, TransferError> {
    run(db, document, false).await
}

/// Validates, matches and writes `d` in one transaction; commits when `commit`, rolls back otherwise.
async fn run(
    db: &DatabaseConnection,
    d: &Document,
    commit: bool,
) -> Result<ImportReport, TransferError> {
    let facts = check_document(d)?;
    // On SQLite the transaction takes the write lock at once (BEGIN IMMEDIATE), so nobody writes between
    // what the import reads and what it writes. PostgreSQL ignores the option.
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let txn = db
        .begin_with_options(options)
        .await
        .ctx(|| "starting the import transaction".into())?;
    check_references(&txn, d, &facts).await?;
    let matches = match_shared(&txn, d).await?;
    let mut report = ImportReport::new(&d.municipality);
    report.shared = matches.counts;
    let mut w = Writer {
        txn: &txn,
        source: matches.map.get("municipality", facts.source),
        map: matches.map,
        created: matches.created,
        decisions: HashMap::new(),
        report,
    };
    w.write(d).await?;
    let report = w.report;
    if commit {
        append_to_feed(&txn, &report).await?;
        txn.commit().await.ctx(|| "committing the import".into())?;
    } else {
        txn.rollback()
            .await
            .ctx(|| "rolling back the dry run".into())?;
    }
    Ok(report)
}

/// Appends what the import created or updated to the change feed, in the import's transaction.
///
/// So neighbours and caches that follow the feed see imported content too (the import writes no revisions).
async fn append_to_feed(
    txn: &DatabaseTransaction,
    report: &ImportReport,
) -> Result<(), TransferError> {
    let now = chrono::Utc::now();
    let events = report
        .changes
        .iter()
        .map(|c| crate::feed::PendingChange {
            revision_id: None,
            node_type: c.node_type.to_string(),
            node_id: c.node_id,
            action: c.action.as_str().to_string(),
            node_version: c.version,
            municipality_id: c.municipality_id,
            public: c.public,
            actor_name: IMPORT_ACTOR.to_string(),
            created_at: now,
        })
        .collect();
    crate::feed::append(txn, events)
        .await
        .map_err(|err| TransferError::Database {
            context: "appending the import to the change feed".into(),
            error: sea_orm::DbErr::Custom(format!("{err:?}")),
        })
}

/// What happened to a node of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    /// A shared node found here (left as it is).
    Matched,
    /// A shared node new here.
    SharedCreated,
    /// An owned node new here.
    Created,
    /// Replaced by the newer exported version.
    Updated,
    /// Already as exported.
    Unchanged,
    /// Kept as it is here.
    Skipped,
}

/// An edge of a link set as stored: position and role.
type Edge = (i32, Option<String>);

/// The write phase of one import.
struct Writer<'a> {
    txn: &'a DatabaseTransaction,
    /// The source municipality's id here.
    source: Uuid,
    map: IdMap,
    /// Shared nodes (table, id) to create.
    created: HashSet<(&'static str, Uuid)>,
    /// Per node (table, document id): what happened.
    decisions: HashMap<(&'static str, Uuid), Decision>,
    report: ImportReport,
}

impl Writer<'_> {
    /// Writes every table, referenced tables first.
    async fn write(&mut self, d: &Document) -> Result<(), TransferError> {
        let (s, o) = (&d.shared, &d.owned);
        self.nodes(&s.municipality, &[]).await?;
        self.former_numbers(&s.municipality_former_number).await?;
        self.shared_links_of(&s.links, NodeType::Municipality)
            .await?;
        self.nodes(&s.region, &[]).await?;
        self.shared_links_of(&s.links, NodeType::Region).await?;
        self.nodes(&s.publisher, &[]).await?;
        self.nodes(&s.theme, &[]).await?;
        self.nodes(&s.target_group, &[]).await?;
        self.nodes(&s.law, &[]).await?;
        self.nodes(&s.legal_reference, &[]).await?;
        self.nodes(&s.guidance, &[]).await?;
        self.shared_links_of(&s.links, NodeType::Guidance).await?;
        self.nodes(&s.concept, &[]).await?;
        self.nodes(&s.unit, &o.unit).await?;
        self.owned_links_of(&o.links, NodeType::Unit).await?;
        self.nodes(&s.plan, &o.plan).await?;
        self.owned_links_of(&o.links, NodeType::Plan).await?;
        self.nodes(&[], &o.goal).await?;
        self.nodes(&[], &o.measure).await?;
        self.owned_links_of(&o.links, NodeType::Measure).await?;
        self.plan_adoptions(&o.plan_adoption).await?;
        self.adoptions(&o.adoption).await?;
        self.derivations(&o.derivation).await?;
        Ok(())
    }

    /// Records an owned row kept as it is here.
    fn skip(&mut self, table: &str, row: String, reason: String) {
        self.report.owned_mut(table).skipped += 1;
        self.report.skipped.push(Skipped {
            table: table.to_string(),
            row,
            reason,
        });
    }

    /// The feed hook: records a created or updated node.
    fn changed<N: Node>(
        &mut self,
        node: &N,
        action: ChangeAction,
        before: Option<Status>,
        owned: bool,
    ) {
        self.report.changes.push(ImportedChange {
            node_type: N::NODE.name(),
            node_id: node.id(),
            action,
            version: node.version(),
            municipality_id: if owned {
                Some(self.source)
            } else {
                node.municipality()
            },
            public: node.status() == Status::Published || before == Some(Status::Published),
        });
    }

    /// Runs a write statement on `table`.
    async fn execute(&self, sql: Sql, table: &str) -> Result<(), TransferError> {
        let backend = self.txn.get_database_backend();
        self.txn
            .execute_raw(sql.build(backend))
            .await
            .ctx(|| format!("writing {table}"))?;
        Ok(())
    }
}
