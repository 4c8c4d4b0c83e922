//! Validation of a document before anything is written: the header, unique ids, slugs and keys, owned rows
//! that belong to the source municipality, link rows whose node is in the document, consistent natural keys,
//! and — against the database — every foreign key resolving to a row in the document or here.

mod references;
mod tables;
mod visit;

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

pub(crate) use references::check_references;
pub(crate) use visit::{Visit, walk};

use super::{
    TransferError,
    document::{Document, OwnedRows},
    rows::Row,
};
use crate::graphql::object::legal_reference::natural_key;
use crate::id::NodeType;
use oppvekstgraf_catalog::LinkDef;

/// What validation learned about a document.
pub(crate) struct Facts {
    /// The document's id of the source municipality.
    pub source: Uuid,
    /// Node ids in the document, per table (both sections).
    pub nodes: HashMap<&'static str, HashSet<Uuid>>,
}

/// Checks the document on its own, without the database.
pub(crate) fn check_document(d: &Document) -> Result<Facts, TransferError> {
    d.check_header()?;
    let nodes = tables::check_tables(d)?;
    let source = source_id(d)?;
    check_owned_by_source(d, source)?;
    check_plan_owners(d, source)?;
    check_former_numbers(d)?;
    check_natural_keys(d)?;
    Ok(Facts { source, nodes })
}

/// The document's id of the source municipality: the row of shared.municipality with its number.
fn source_id(d: &Document) -> Result<Uuid, TransferError> {
    d.shared
        .municipality
        .iter()
        .find(|m| m.number == d.municipality)
        .map(|m| m.id)
        .ok_or_else(|| {
            TransferError::invalid(
                "document".into(),
                "municipality",
                format!(
                    "no row in shared.municipality has the number {}",
                    d.municipality
                ),
            )
        })
}

/// Checks that the owned units, measures, adoptions and derivations belong to the source municipality.
fn check_owned_by_source(d: &Document, source: Uuid) -> Result<(), TransferError> {
    let o = &d.owned;
    owned_by_source(d, source, &o.unit, |u| u.municipality_id)?;
    owned_by_source(d, source, &o.measure, |m| Some(m.municipality_id))?;
    owned_by_source(d, source, &o.adoption, |a| Some(a.municipality_id))?;
    owned_by_source(d, source, &o.derivation, |a| Some(a.municipality_id))
}

/// Checks that the `municipality_id` of each of `rows` (as `municipality` reads it) is the source.
fn owned_by_source<R: Row>(
    d: &Document,
    source: Uuid,
    rows: &[R],
    municipality: impl Fn(&R) -> Option<Uuid>,
) -> Result<(), TransferError> {
    match rows.iter().find(|row| municipality(row) != Some(source)) {
        Some(row) => Err(TransferError::invalid(
            format!("owned.{}", row.label()),
            "municipality_id",
            format!(
                "owned content must belong to the exported municipality {} ({source})",
                d.municipality
            ),
        )),
        None => Ok(()),
    }
}

/// Checks that every owned plan has the source municipality as an owner, and every plan adoption its
/// owner's row.
fn check_plan_owners(d: &Document, source: Uuid) -> Result<(), TransferError> {
    let o = &d.owned;
    let owners = plan_owners(o);
    for p in &o.plan {
        if !owners.contains(&(p.id, source)) {
            return Err(TransferError::invalid(
                format!("owned.{}", p.label()),
                "id",
                format!(
                    "an owned plan needs an owned.plan_owner row with the exported municipality {} ({source})",
                    d.municipality
                ),
            ));
        }
    }
    for a in &o.plan_adoption {
        if !owners.contains(&(a.plan_id, a.municipality_id)) {
            return Err(TransferError::invalid(
                format!("owned.{}", a.label()),
                "municipality_id",
                "an adoption needs the matching owned.plan_owner row",
            ));
        }
    }
    Ok(())
}

/// The (plan, municipality) pairs of the link table that owns plans (the plan's owner rule in the catalog).
fn plan_owners(o: &OwnedRows) -> HashSet<(Uuid, Uuid)> {
    let owner_link = match NodeType::Plan.def().map(|def| def.owner) {
        Some(oppvekstgraf_catalog::Owner::Link(table)) => LinkDef::named(table),
        _ => None,
    };
    owner_link
        .map(|def| o.links.rows(def))
        .unwrap_or_default()
        .iter()
        .map(|e| (e.left, e.right))
        .collect()
}

/// Checks that every former number names a municipality of shared.municipality.
fn check_former_numbers(d: &Document) -> Result<(), TransferError> {
    let municipalities: HashSet<Uuid> = d.shared.municipality.iter().map(|m| m.id).collect();
    for f in &d.shared.municipality_former_number {
        if !municipalities.contains(&f.municipality_id) {
            return Err(TransferError::invalid(
                format!("shared.{}", f.label()),
                "municipality_id",
                "names a municipality that is not in shared.municipality",
            ));
        }
    }
    Ok(())
}

/// Checks that each legal reference whose law is in the document has the natural key its law, section and
/// paragraph make.
fn check_natural_keys(d: &Document) -> Result<(), TransferError> {
    let laws: HashMap<Uuid, &str> = d
        .shared
        .law
        .iter()
        .map(|l| (l.id, l.lovdata_id.as_str()))
        .collect();
    for r in &d.shared.legal_reference {
        if let Some(lovdata_id) = laws.get(&r.law_id) {
            let expected = natural_key(lovdata_id, &r.section, r.paragraph);
            if r.natural_key != expected {
                return Err(TransferError::invalid(
                    format!("shared.{}", r.label()),
                    "natural_key",
                    format!(
                        "is {:?}, but its law, section and paragraph make {expected:?}",
                        r.natural_key
                    ),
                ));
            }
        }
    }
    Ok(())
}
