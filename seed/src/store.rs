//! Writes resolved seed records: upserts nodes (unchanged rows are left alone) and replaces link sets only
//! where they differ.

mod guidance;
mod law;
mod links;
mod municipal;
mod owner;
mod plans;
mod registry;
mod writer;

use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::{Content, Keys};
use writer::Writer;

/// What a load changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub links_written: usize,
}

impl Report {
    /// True when the load wrote nothing.
    pub fn is_noop(&self) -> bool {
        self.inserted == 0 && self.updated == 0 && self.links_written == 0
    }
}

/// Writes `content` in one transaction, referenced nodes first: the municipalities and the shared national
/// registry, the laws and their sections, guidance and concepts, then each file's municipal content. What
/// the load changes goes to the change feed in the same transaction.
pub(crate) async fn write(
    db: &DatabaseConnection,
    content: &Content,
    keys: &Keys,
) -> anyhow::Result<Report> {
    let announce = !crate::is_empty(db).await?;
    let txn = db.begin().await?;
    let mut w = Writer::new(&txn, announce);
    registry::write(&mut w, content, keys).await?;
    law::write(&mut w, content, keys).await?;
    guidance::write(&mut w, content, keys).await?;
    for (file, f) in &content.files {
        municipal::write(&mut w, keys, file, f).await?;
    }
    let (report, changes) = w.finish();
    oppvekstgraf_api::feed::append(&txn, changes)
        .await
        .map_err(|e| anyhow::anyhow!("writing the change feed: {}", e.message()))?;
    txn.commit().await?;
    Ok(report)
}
