//! The fields of municipalities and regions.

use super::{
    Editing, Kind::*, Languages, Max, ORGANIZATION_NUMBER, Object, alike, editing, field, unique,
};

pub const MUNICIPALITY: Editing = Editing {
    what: "a municipality",
    slug_from: "name",
    language: Languages::Neither,
    check: None,
    fields: &[
        unique(field(
            "number",
            Key("check_municipality_number"),
            [
                "Current kommunenummer (4 digits), e.g. \"1539\".",
                "Kommunenummer (4 digits, unique).",
                "New kommunenummer (4 digits, unique)",
            ],
        )),
        field(
            "name",
            Text(Max::Title),
            [
                "Name, e.g. \"Rauma\". Names are not unique (there are two Vålers); numbers are.",
                "Name.",
                "New name",
            ],
        ),
        alike(
            "county",
            Text(Max::Chars(100)),
            ["County (fylke).", "New county"],
        ),
        field("organization_number", OptOrg, ORGANIZATION_NUMBER),
        field(
            "valid_from",
            OptDate,
            [
                "When the current number took effect.",
                "When the number took effect.",
                "New date the number took effect",
            ],
        ),
    ],
    object: Object {
        order: Some(&[
            "number",
            "name",
            "organization_number",
            "county",
            "valid_from",
        ]),
        complex: true,
    },
};

pub const REGION: Editing = editing(
    "a region",
    "name",
    &[
        alike(
            "name",
            Text(Max::Title),
            ["Name, e.g. \"Mosseregionen\".", "New name"],
        ),
        alike(
            "description",
            OptText(Max::Text),
            ["What the region is.", "New description"],
        ),
    ],
);
