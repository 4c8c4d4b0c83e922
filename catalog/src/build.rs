//! Shorthands the declaration is written with: a link table with the common defaults, changed one setting
//! at a time.

use crate::{Edit, End, LinkDef, Linkable, OnCopy, Section, Terms};

/// A link table `table` from `left` to `right`, in the owned section, without roles or linked-data terms,
/// not symmetric and not kept by copies; `edit` says how its mutations are named.
pub(crate) const fn link(table: &'static str, left: End, right: End) -> LinkDef {
    LinkDef {
        table,
        left,
        right,
        roles: &[],
        section: Section::Owned,
        copy: OnCopy::Dropped,
        symmetric: false,
        ld: Terms::NONE,
        edit: edit("", "", Linkable::Visible, ""),
    }
}

/// The mutations of a link: `name` in their names, the `input` field naming the right node, who may be
/// linked, and what a link is.
pub(crate) const fn edit(
    name: &'static str,
    input: &'static str,
    target: Linkable,
    doc: &'static str,
) -> Edit {
    Edit {
        name,
        input,
        target,
        role: None,
        doc,
    }
}

impl Edit {
    /// With the enum of the link's `role` column.
    pub(crate) const fn role(self, role: &'static str) -> Edit {
        Edit {
            role: Some(role),
            ..self
        }
    }
}

impl LinkDef {
    /// In the shared section.
    pub(crate) const fn shared(self) -> LinkDef {
        LinkDef {
            section: Section::Shared,
            ..self
        }
    }

    /// With a `role` column taking these values.
    pub(crate) const fn roles(self, roles: &'static [&'static str]) -> LinkDef {
        LinkDef { roles, ..self }
    }

    /// Stored in both directions.
    pub(crate) const fn symmetric(self) -> LinkDef {
        LinkDef {
            symmetric: true,
            ..self
        }
    }

    /// Kept by a copy of the left node.
    pub(crate) const fn kept(self) -> LinkDef {
        self.copy(OnCopy::Kept)
    }

    /// What a copy of the left node does with it.
    pub(crate) const fn copy(self, copy: OnCopy) -> LinkDef {
        LinkDef { copy, ..self }
    }

    /// With these linked-data terms.
    pub(crate) const fn ld(self, ld: Terms) -> LinkDef {
        LinkDef { ld, ..self }
    }

    /// With these mutations.
    pub(crate) const fn edit(self, edit: Edit) -> LinkDef {
        LinkDef { edit, ..self }
    }
}
