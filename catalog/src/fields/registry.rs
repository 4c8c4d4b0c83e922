//! The fields of the shared registry's node types, of regions and of municipalities.

use super::{Editing, FieldDef, Kind::*, Languages, Max, Update::*};
use crate::NodeType;

const fn field(
    column: &'static str,
    kind: super::Kind,
    doc: &'static str,
    update: &'static str,
) -> FieldDef {
    FieldDef {
        column,
        kind,
        doc,
        update: Doc(update),
        unique: false,
    }
}

pub const MUNICIPALITY: Editing = Editing {
    what: "a municipality",
    slug_from: "name",
    language: Languages::Neither,
    check: None,
    fields: &[
        FieldDef {
            unique: true,
            ..field(
                "number",
                Key("check_municipality_number"),
                "Kommunenummer (4 digits, unique).",
                "New kommunenummer (4 digits, unique)",
            )
        },
        field("name", Text(Max::Title), "Name.", "New name"),
        field(
            "county",
            Text(Max::Chars(100)),
            "County (fylke).",
            "New county",
        ),
        field(
            "organization_number",
            OptOrg,
            "Organisation number (9 digits, mod-11 checked).",
            "New organisation number",
        ),
        field(
            "valid_from",
            OptDate,
            "When the number took effect.",
            "New date the number took effect",
        ),
    ],
};

pub const REGION: Editing = Editing {
    what: "a region",
    slug_from: "name",
    language: Languages::Neither,
    check: None,
    fields: &[
        field(
            "name",
            Text(Max::Title),
            "Name, e.g. \"Mosseregionen\".",
            "New name",
        ),
        field(
            "description",
            OptText(Max::Text),
            "What the region is.",
            "New description",
        ),
    ],
};

pub const PUBLISHER: Editing = Editing {
    what: "a publisher",
    slug_from: "name",
    language: Languages::Neither,
    check: None,
    fields: &[
        field(
            "name",
            Text(Max::Title),
            "Name, e.g. \"Helsedirektoratet\".",
            "New name",
        ),
        field(
            "short_name",
            OptText(Max::Chars(50)),
            "Short name, e.g. \"Hdir\".",
            "New short name",
        ),
        field(
            "organization_number",
            OptOrg,
            "Organisation number (9 digits, mod-11 checked).",
            "New organisation number",
        ),
        field(
            "url",
            OptUrl,
            "Web site (absolute http(s) URL).",
            "New web site",
        ),
    ],
};

pub const THEME: Editing = Editing {
    what: "a theme",
    slug_from: "label",
    language: Languages::Neither,
    check: None,
    fields: &[
        field(
            "label",
            Text(Max::Title),
            "Label, e.g. \"Vold i nære relasjoner\".",
            "New label",
        ),
        field(
            "description",
            OptText(Max::Text),
            "What the theme covers.",
            "New description",
        ),
        field(
            "los_uri",
            OptUrl,
            "The theme in the LOS vocabulary (absolute URL).",
            "New LOS URI",
        ),
    ],
};

pub const TARGET_GROUP: Editing = Editing {
    what: "a target group",
    slug_from: "label",
    language: Languages::Neither,
    check: Some("target_group_ages"),
    fields: &[
        field(
            "label",
            Text(Max::Title),
            "Label, e.g. \"Barn og unge 0-24 år\".",
            "New label",
        ),
        field("min_age", OptInt, "Lowest age (0-120).", "New lowest age"),
        field(
            "max_age",
            OptInt,
            "Highest age (0-120, not below the lowest).",
            "New highest age",
        ),
        field(
            "description",
            OptText(Max::Text),
            "Who the group is.",
            "New description",
        ),
    ],
};

pub const LAW: Editing = Editing {
    what: "a law",
    slug_from: "short_title",
    language: Languages::Neither,
    check: None,
    fields: &[
        FieldDef {
            column: "lovdata_id",
            kind: Key("check_lovdata_id"),
            doc: "Lovdata id: `LOV-` or `FOR-`, a date and an optional number, e.g. \"LOV-2021-06-18-97\".",
            update: Fixed,
            unique: true,
        },
        field(
            "short_title",
            Text(Max::Title),
            "Short title, e.g. \"barnevernsloven\".",
            "New short title",
        ),
        field(
            "title",
            Text(Max::Title),
            "Full title, e.g. \"Lov om barnevern\".",
            "New full title",
        ),
        field("kind", Enum("LawKind"), "Kind of act.", "New kind"),
        field(
            "in_force_from",
            OptDate,
            "When it entered into force.",
            "New date of entry into force",
        ),
        field(
            "replaced_by_id",
            OptRef(NodeType::Law),
            "The law that replaces it (global ID).",
            "New replacing law",
        ),
        field("note", OptText(Max::Text), "Editorial note.", "New note"),
    ],
};

pub const GUIDANCE: Editing = Editing {
    what: "a guidance item",
    slug_from: "title",
    language: Languages::Both,
    check: None,
    fields: &[
        field("title", Text(Max::Title), "Title.", "New title"),
        field(
            "kind",
            Enum("GuidanceKind"),
            "Kind of guidance.",
            "New kind",
        ),
        FieldDef {
            unique: true,
            ..field(
                "code",
                OptText(Max::Chars(40)),
                "Publisher's code, e.g. \"IS-2826\" (unique).",
                "New code",
            )
        },
        field("isbn", OptText(Max::Chars(40)), "ISBN.", "New ISBN"),
        field(
            "url",
            OptUrl,
            "Where it can be read (absolute http(s) URL).",
            "New URL",
        ),
        field(
            "summary",
            OptText(Max::Text),
            "Short summary.",
            "New summary",
        ),
        field(
            "topic_group",
            OptText(Max::Chars(200)),
            "The topic a portal lists it under.",
            "New topic group",
        ),
        field(
            "published_year",
            OptYear,
            "Year of publication (1800-2200).",
            "New year",
        ),
        field(
            "replaces_id",
            OptRef(NodeType::Guidance),
            "The older guidance it replaces (global ID).",
            "New replaced guidance",
        ),
    ],
};

pub const CONCEPT: Editing = Editing {
    what: "a concept",
    slug_from: "term",
    language: Languages::Create,
    check: None,
    fields: &[
        field("term", Text(Max::Title), "The preferred term.", "New term"),
        field(
            "definition",
            Text(Max::Text),
            "The definition.",
            "New definition",
        ),
        field(
            "alt_labels",
            Labels,
            "Alternative terms.",
            "New alternative terms (replaces the list)",
        ),
        field(
            "scope_note",
            OptText(Max::Text),
            "Notes on use.",
            "New scope note",
        ),
        field(
            "source",
            OptText(Max::Title),
            "Where the definition comes from, as cited.",
            "New source",
        ),
        field(
            "source_guidance_id",
            OptRef(NodeType::Guidance),
            "The guidance the term is defined in (global ID).",
            "New source guidance",
        ),
    ],
};
