//! The fields of a node type that editors write, declared once: their columns, how each is checked, and
//! what the create and update inputs say of them. The create and update mutations of the node types that
//! declare them are generated from here (`codegen/edits.rs`); the others are written by hand, for the
//! reason their [`Editor::ByHand`] gives.

mod registry;

pub use registry::{CONCEPT, GUIDANCE, LAW, MUNICIPALITY, PUBLISHER, REGION, TARGET_GROUP, THEME};

/// How a node type's create and update mutations come about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editor {
    /// Generated from this declaration.
    Fields(&'static Editing),
    /// Written by hand, for the reason given.
    ByHand(&'static str),
}

/// The create and update mutations of a node type, as `…Create(input:)` and `…Update(input:)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Editing {
    /// What a node of the type is, with its article, as the docs and messages say it ("a guidance item").
    pub what: &'static str,
    /// The column a new slug is made from.
    pub slug_from: &'static str,
    /// Whether the create and update inputs take a `language`.
    pub language: Languages,
    /// A check of the whole row, after its fields (a function of the API's `registry` module taking the
    /// entity's model), for rules that tie fields together.
    pub check: Option<&'static str>,
    /// The fields, in the order of the inputs.
    pub fields: &'static [FieldDef],
}

/// Which inputs take a `language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Languages {
    Neither,
    Create,
    Both,
}

/// One field editors write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    /// The column, which also names the input field (camel-cased, without `_id` for a reference).
    pub column: &'static str,
    pub kind: Kind,
    /// What the create input says of it.
    pub doc: &'static str,
    /// What the update input says of it.
    pub update: Update,
    /// No two nodes of the type share a value.
    pub unique: bool,
}

/// How a field's value is checked, and which GraphQL type carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Required text, trimmed, of at most so many characters.
    Text(Max),
    /// Optional text.
    OptText(Max),
    /// An optional absolute http(s) URL.
    OptUrl,
    /// An optional organisation number (9 digits, mod-11 checked).
    OptOrg,
    /// A required identifier, trimmed and checked by this function of the API.
    Key(&'static str),
    /// A required value of this GraphQL enum.
    Enum(&'static str),
    /// An optional date.
    OptDate,
    /// An optional whole number, checked by [`Editing::check`] if at all.
    OptInt,
    /// An optional year (1800-2200).
    OptYear,
    /// An optional reference to a visible node of this type (not the node itself), by global ID.
    OptRef(crate::NodeType),
    /// A list of alternative terms.
    Labels,
}

impl Kind {
    /// Whether null clears the field in an update.
    pub fn nullable(self) -> bool {
        !matches!(
            self,
            Kind::Text(_) | Kind::Key(_) | Kind::Enum(_) | Kind::Labels
        )
    }
}

/// The longest text a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Max {
    /// A title's length (500).
    Title,
    /// A body's length (50,000).
    Text,
    Chars(usize),
}

/// What an update does with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// It may change; the doc, without its closing ", or null." or ".".
    Doc(&'static str),
    /// It identifies the node and does not change.
    Fixed,
}
