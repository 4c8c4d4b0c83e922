//! The fields of the shared registry's vocabularies: publishers, themes, target groups and concepts.

use super::{
    Editing, Kind::*, Languages, Max, ORGANIZATION_NUMBER, Object, PLAIN, alike, editing, field,
    reference,
};
use crate::NodeType;

pub const PUBLISHER: Editing = editing(
    "a publisher",
    "name",
    &[
        alike(
            "name",
            Text(Max::Title),
            ["Name, e.g. \"Helsedirektoratet\".", "New name"],
        ),
        alike(
            "short_name",
            OptText(Max::Chars(50)),
            ["Short name, e.g. \"Hdir\".", "New short name"],
        ),
        field("organization_number", OptOrg, ORGANIZATION_NUMBER),
        field(
            "url",
            OptUrl,
            [
                "Web site.",
                "Web site (absolute http(s) URL).",
                "New web site",
            ],
        ),
    ],
);

pub const THEME: Editing = editing(
    "a theme",
    "label",
    &[
        alike(
            "label",
            Text(Max::Title),
            ["Label, e.g. \"Vold i nære relasjoner\".", "New label"],
        ),
        alike(
            "description",
            OptText(Max::Text),
            ["What the theme covers.", "New description"],
        ),
        field(
            "los_uri",
            OptUrl,
            [
                "The theme in the Norwegian LOS vocabulary, e.g. \"http://psi.norge.no/los/tema/folkehelse\".",
                "The theme in the LOS vocabulary (absolute URL).",
                "New LOS URI",
            ],
        ),
    ],
);

pub const TARGET_GROUP: Editing = Editing {
    what: "a target group",
    slug_from: "label",
    language: Languages::Neither,
    check: Some("target_group_ages"),
    fields: &[
        alike(
            "label",
            Text(Max::Title),
            ["Label, e.g. \"Barn og unge 0-24 år\".", "New label"],
        ),
        field(
            "min_age",
            OptInt,
            [
                "Lowest age in the group, where it has one.",
                "Lowest age (0-120).",
                "New lowest age",
            ],
        ),
        field(
            "max_age",
            OptInt,
            [
                "Highest age in the group, where it has one.",
                "Highest age (0-120, not below the lowest).",
                "New highest age",
            ],
        ),
        alike(
            "description",
            OptText(Max::Text),
            ["Who the group is.", "New description"],
        ),
    ],
    object: PLAIN,
};

pub const CONCEPT: Editing = Editing {
    what: "a concept",
    slug_from: "term",
    language: Languages::Create,
    check: None,
    fields: &[
        field(
            "term",
            Text(Max::Title),
            [
                "The preferred term (prefLabel), e.g. \"Bekymring\".",
                "The preferred term.",
                "New term",
            ],
        ),
        alike(
            "definition",
            Text(Max::Text),
            ["The definition.", "New definition"],
        ),
        field(
            "alt_labels",
            Labels,
            [
                "Alternative terms (altLabel).",
                "Alternative terms.",
                "New alternative terms (replaces the list)",
            ],
        ),
        field(
            "scope_note",
            OptText(Max::Text),
            [
                "Notes on how the term is used (scopeNote).",
                "Notes on use.",
                "New scope note",
            ],
        ),
        alike(
            "source",
            OptText(Max::Title),
            ["Where the definition comes from, as cited.", "New source"],
        ),
        reference(
            "source_guidance_id",
            NodeType::Guidance,
            [
                "The guidance the term is defined in (global ID).",
                "New source guidance",
            ],
        ),
    ],
    object: Object {
        order: None,
        complex: true,
    },
};
