//! The fields of laws and guidance, the sources municipal content cites.

use super::{
    Editing, FieldDef, Kind::*, Languages, Max, Object, Update::*, alike, field, reference, unique,
};
use crate::NodeType;

pub const LAW: Editing = Editing {
    what: "a law",
    slug_from: "short_title",
    language: Languages::Neither,
    check: None,
    fields: &[
        FieldDef {
            update: Fixed,
            ..unique(field(
                "lovdata_id",
                Key("check_lovdata_id"),
                [
                    "Lovdata id, e.g. \"LOV-2021-06-18-97\" (acts) or \"FOR-2011-12-16-1256\" (regulations).",
                    "Lovdata id: `LOV-` or `FOR-`, a date and an optional number, e.g. \"LOV-2021-06-18-97\".",
                    "",
                ],
            ))
        },
        alike(
            "short_title",
            Text(Max::Title),
            ["Short title, e.g. \"barnevernsloven\".", "New short title"],
        ),
        alike(
            "title",
            Text(Max::Title),
            ["Full title, e.g. \"Lov om barnevern\".", "New full title"],
        ),
        alike("kind", Enum("LawKind"), ["Kind of act.", "New kind"]),
        field(
            "in_force_from",
            OptDate,
            [
                "When the law entered into force.",
                "When it entered into force.",
                "New date of entry into force",
            ],
        ),
        reference(
            "replaced_by_id",
            NodeType::Law,
            ["The law that replaces it (global ID).", "New replacing law"],
        ),
        field(
            "note",
            OptText(Max::Text),
            [
                "Editorial note (for example on amendments or a coming replacement).",
                "Editorial note.",
                "New note",
            ],
        ),
    ],
    object: Object {
        order: None,
        complex: true,
    },
};

pub const GUIDANCE: Editing = Editing {
    what: "a guidance item",
    slug_from: "title",
    language: Languages::Both,
    check: None,
    fields: &[
        alike("title", Text(Max::Title), ["Title.", "New title"]),
        alike(
            "kind",
            Enum("GuidanceKind"),
            ["Kind of guidance.", "New kind"],
        ),
        unique(field(
            "code",
            OptText(Max::Chars(40)),
            [
                "Publisher's code, e.g. \"IS-2826\".",
                "Publisher's code, e.g. \"IS-2826\" (unique).",
                "New code",
            ],
        )),
        field(
            "isbn",
            OptText(Max::Chars(40)),
            ["ISBN, e.g. \"978-82-8081-601-6\".", "ISBN.", "New ISBN"],
        ),
        field(
            "url",
            OptUrl,
            [
                "Where it can be read.",
                "Where it can be read (absolute http(s) URL).",
                "New URL",
            ],
        ),
        alike(
            "summary",
            OptText(Max::Text),
            ["Short summary.", "New summary"],
        ),
        field(
            "topic_group",
            OptText(Max::Chars(200)),
            [
                "The topic a portal lists it under, e.g. \"Forebygging og tidlig innsats\".",
                "The topic a portal lists it under.",
                "New topic group",
            ],
        ),
        field(
            "published_year",
            OptYear,
            [
                "Year of publication.",
                "Year of publication (1800-2200).",
                "New year",
            ],
        ),
        reference(
            "replaces_id",
            NodeType::Guidance,
            [
                "The older guidance it replaces (global ID).",
                "New replaced guidance",
            ],
        ),
    ],
    object: Object {
        order: Some(&[
            "code",
            "isbn",
            "title",
            "kind",
            "url",
            "summary",
            "topic_group",
            "published_year",
            "replaces_id",
        ]),
        complex: true,
    },
};
