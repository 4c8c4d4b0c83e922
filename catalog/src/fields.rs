//! The fields of a node type that editors write, declared once: their columns, how each is checked, and
//! what the create and update inputs say of them. The create and update mutations of the node types that
//! declare them are generated from here (`codegen/edits.rs`); the others are written by hand, for the
//! reason their [`Editor::ByHand`] gives. So are the structs of these fields that the object types
//! flatten (`codegen/objects.rs`).

mod places;
mod registry;
mod sources;

pub use places::{MUNICIPALITY, REGION};
pub use registry::{CONCEPT, PUBLISHER, TARGET_GROUP, THEME};
pub use sources::{GUIDANCE, LAW};

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
    /// The object type's struct of these fields (`LawFields`).
    pub object: Object,
}

/// The struct of an object type's declared fields, which its GraphQL type flattens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Object {
    /// The columns in the object type's order, where it differs from the inputs' (as the schema first
    /// published them).
    pub order: Option<&'static [&'static str]>,
    /// Whether the object module adds fields of its own to the struct (`#[graphql(complex)]`).
    pub complex: bool,
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
    /// What the object type says of it (a reference is not a field of the struct, but of its object
    /// module, which resolves the node).
    pub read: &'static str,
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

/// A field as the object type, the create input and the update input (without its closing ", or null."
/// or ".") say it.
const fn field(
    column: &'static str,
    kind: Kind,
    [read, doc, update]: [&'static str; 3],
) -> FieldDef {
    FieldDef {
        column,
        kind,
        read,
        doc,
        update: Update::Doc(update),
        unique: false,
    }
}

/// A field the object type and the create input say alike.
const fn alike(column: &'static str, kind: Kind, [doc, update]: [&'static str; 2]) -> FieldDef {
    field(column, kind, [doc, doc, update])
}

/// The editing of a type with no language, no check of the whole row and a plain struct.
const fn editing(
    what: &'static str,
    slug_from: &'static str,
    fields: &'static [FieldDef],
) -> Editing {
    Editing {
        what,
        slug_from,
        language: Languages::Neither,
        check: None,
        fields,
        object: PLAIN,
    }
}

/// A reference to another node: its object module resolves it, so the object says nothing of it here.
const fn reference(
    column: &'static str,
    node: crate::NodeType,
    [doc, update]: [&'static str; 2],
) -> FieldDef {
    field(column, Kind::OptRef(node), ["", doc, update])
}

/// A field no two nodes of the type share a value of.
const fn unique(field: FieldDef) -> FieldDef {
    FieldDef {
        unique: true,
        ..field
    }
}

const ORGANIZATION_NUMBER: [&str; 3] = [
    "Organisation number in Enhetsregisteret (9 digits).",
    "Organisation number (9 digits, mod-11 checked).",
    "New organisation number",
];

/// The struct of a type whose object module adds no fields of its own.
const PLAIN: Object = Object {
    order: None,
    complex: false,
};
