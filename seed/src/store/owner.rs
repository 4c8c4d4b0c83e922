//! The municipality that owns a file's content, shared by the writers of its units, plans and measures.

use uuid::Uuid;

use crate::{
    Keys,
    records::{File, MunicipalityKey},
};

/// The municipality that owns a file's content: the one named by `municipality = "<number>"` at its top.
pub(super) struct Owner<'a> {
    /// The file, for error messages and to resolve its references.
    pub(super) file: &'a str,
    id: Option<Uuid>,
}

impl<'a> Owner<'a> {
    /// The owner `f` names, if any.
    pub(super) fn of(keys: &Keys, file: &'a str, f: &File) -> anyhow::Result<Owner<'a>> {
        let id = match &f.municipality {
            Some(MunicipalityKey::Owner(number)) => Some(keys.get(file, "municipality", number)?),
            _ => None,
        };
        Ok(Owner { file, id })
    }

    /// The owner's id, for `what` (a unit, a plan, a measure) that needs one; an error naming the file
    /// when it names none.
    pub(super) fn get(&self, what: &str) -> anyhow::Result<Uuid> {
        self.id.ok_or_else(|| {
            anyhow::anyhow!(
                "{}: {what} needs `municipality = \"<number>\"` at the top of the file",
                self.file
            )
        })
    }
}
