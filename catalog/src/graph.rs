//! The declaration itself: the 13 node types, the 19 link tables and the other tables, each once.

use crate::{End, LinkDef, NodeDef, NodeType::*, Owner, RecordDef, Section, Terms};

/// Shorthand for one end of a link.
const fn end(node: crate::NodeType, column: &'static str) -> End {
    End { node, column }
}

/// The node types, referenced tables first (the order the migrations created them in).
pub const NODES: &[NodeDef] = &[
    NodeDef {
        node: Municipality,
        table: "municipality",
        name_column: "number",
        owner: Owner::Itself,
    },
    NodeDef {
        node: Region,
        table: "region",
        name_column: "name",
        owner: Owner::Registry,
    },
    NodeDef {
        node: Publisher,
        table: "publisher",
        name_column: "name",
        owner: Owner::Registry,
    },
    NodeDef {
        node: Theme,
        table: "theme",
        name_column: "label",
        owner: Owner::Registry,
    },
    NodeDef {
        node: TargetGroup,
        table: "target_group",
        name_column: "label",
        owner: Owner::Registry,
    },
    NodeDef {
        node: Law,
        table: "law",
        name_column: "short_title",
        owner: Owner::Registry,
    },
    NodeDef {
        node: LegalReference,
        table: "legal_reference",
        name_column: "natural_key",
        owner: Owner::Registry,
    },
    NodeDef {
        node: Guidance,
        table: "guidance",
        name_column: "title",
        owner: Owner::Registry,
    },
    NodeDef {
        node: Concept,
        table: "concept",
        name_column: "term",
        owner: Owner::Registry,
    },
    NodeDef {
        node: Unit,
        table: "unit",
        name_column: "name",
        owner: Owner::Column("municipality_id"),
    },
    NodeDef {
        node: Plan,
        table: "plan",
        name_column: "title",
        owner: Owner::Link("plan_owner"),
    },
    NodeDef {
        node: Goal,
        table: "goal",
        name_column: "focus_area",
        owner: Owner::Via {
            column: "plan_id",
            node: Plan,
        },
    },
    NodeDef {
        node: Measure,
        table: "measure",
        name_column: "title",
        owner: Owner::Column("municipality_id"),
    },
];

/// The link tables.
pub const LINKS: &[LinkDef] = &[
    LinkDef {
        table: "municipality_neighbour",
        left: end(Municipality, "municipality_id"),
        right: end(Municipality, "neighbour_id"),
        roles: &[],
        section: Section::Shared,
        symmetric: true,
        ld: Terms::left("geo:sfTouches"),
    },
    LinkDef {
        table: "region_member",
        left: end(Region, "region_id"),
        right: end(Municipality, "municipality_id"),
        roles: &[],
        section: Section::Shared,
        symmetric: false,
        ld: Terms {
            left: Some("org:hasMember"),
            right: Some("org:memberOf"),
        },
    },
    LinkDef {
        table: "plan_owner",
        left: end(Plan, "plan_id"),
        right: end(Municipality, "municipality_id"),
        roles: &[],
        section: Section::Owned,
        symmetric: false,
        ld: Terms::NONE,
    },
    LinkDef {
        table: "plan_legal_reference",
        left: end(Plan, "plan_id"),
        right: end(LegalReference, "legal_reference_id"),
        roles: &[],
        section: Section::Owned,
        symmetric: false,
        ld: Terms::left("cv:hasLegalResource"),
    },
    LinkDef {
        table: "plan_guidance",
        left: end(Plan, "plan_id"),
        right: end(Guidance, "guidance_id"),
        roles: &[],
        section: Section::Owned,
        symmetric: false,
        ld: Terms::left("dct:references"),
    },
    LinkDef {
        table: "plan_theme",
        left: end(Plan, "plan_id"),
        right: end(Theme, "theme_id"),
        roles: &[],
        section: Section::Owned,
        symmetric: false,
        ld: Terms::left("dct:subject"),
    },
    LinkDef {
        table: "plan_target_group",
        left: end(Plan, "plan_id"),
        right: end(TargetGroup, "target_group_id"),
        roles: &[],
        section: Section::Owned,
        symmetric: false,
        ld: Terms::left("dct:audience"),
    },
    LinkDef {
        table: "plan_concept",
        left: end(Plan, "plan_id"),
        right: end(Concept, "concept_id"),
        roles: &[],
        section: Section::Owned,
        symmetric: false,
        ld: Terms::left("schema:mentions"),
    },
    LinkDef {
        table: "measure_unit",
        left: end(Measure, "measure_id"),
        right: end(Unit, "unit_id"),
        roles: &["lead", "participant"],
        section: Section::Owned,
        symmetric: false,
        // The term depends on the role (schema:agent leads, schema:participant takes part).
        ld: Terms::NONE,
    },
    LinkDef {
        table: "measure_legal_reference",
        left: end(Measure, "measure_id"),
        right: end(LegalReference, "legal_reference_id"),
        roles: &[],
        section: Section::Owned,
        symmetric: false,
        ld: Terms::left("cv:hasLegalResource"),
    },
    LinkDef {
        table: "measure_guidance",
        left: end(Measure, "measure_id"),
        right: end(Guidance, "guidance_id"),
        roles: &[],
        section: Section::Owned,
        symmetric: false,
        ld: Terms::left("dct:references"),
    },
    LinkDef {
        table: "measure_theme",
        left: end(Measure, "measure_id"),
        right: end(Theme, "theme_id"),
        roles: &[],
        section: Section::Owned,
        symmetric: false,
        ld: Terms::left("dct:subject"),
    },
    LinkDef {
        table: "measure_target_group",
        left: end(Measure, "measure_id"),
        right: end(TargetGroup, "target_group_id"),
        roles: &[],
        section: Section::Owned,
        symmetric: false,
        ld: Terms::left("dct:audience"),
    },
    LinkDef {
        table: "measure_related_plan",
        left: end(Measure, "measure_id"),
        right: end(Plan, "plan_id"),
        roles: &[],
        section: Section::Owned,
        symmetric: false,
        ld: Terms::left("dct:relation"),
    },
    LinkDef {
        table: "unit_member",
        left: end(Unit, "unit_id"),
        right: end(Unit, "member_id"),
        roles: &["leader", "member", "invited"],
        section: Section::Owned,
        symmetric: false,
        ld: Terms::left("org:hasMember"),
    },
    LinkDef {
        table: "guidance_publisher",
        left: end(Guidance, "guidance_id"),
        right: end(Publisher, "publisher_id"),
        roles: &[],
        section: Section::Shared,
        symmetric: false,
        ld: Terms::left("dct:publisher"),
    },
    LinkDef {
        table: "guidance_legal_reference",
        left: end(Guidance, "guidance_id"),
        right: end(LegalReference, "legal_reference_id"),
        roles: &[],
        section: Section::Shared,
        symmetric: false,
        ld: Terms::left("cv:hasLegalResource"),
    },
    LinkDef {
        table: "guidance_theme",
        left: end(Guidance, "guidance_id"),
        right: end(Theme, "theme_id"),
        roles: &[],
        section: Section::Shared,
        symmetric: false,
        // dct:subject lists the themes together with the guidance's topic group: written by hand.
        ld: Terms::NONE,
    },
    LinkDef {
        table: "guidance_target_group",
        left: end(Guidance, "guidance_id"),
        right: end(TargetGroup, "target_group_id"),
        roles: &[],
        section: Section::Shared,
        symmetric: false,
        ld: Terms::left("dct:audience"),
    },
];

/// The other tables.
pub const RECORDS: &[RecordDef] = &[
    RecordDef {
        table: "municipality_former_number",
        edge: None,
        secret: false,
        exported: true,
    },
    RecordDef {
        table: "revision",
        edge: None,
        secret: false,
        exported: false,
    },
    RecordDef {
        table: "change_event",
        edge: None,
        secret: false,
        exported: false,
    },
    RecordDef {
        table: "api_token",
        edge: None,
        secret: true,
        exported: false,
    },
    RecordDef {
        table: "plan_adoption",
        edge: Some(("plan_id", "municipality_id")),
        secret: false,
        exported: true,
    },
    RecordDef {
        table: "adoption",
        edge: Some(("municipality_id", "source_id")),
        secret: false,
        exported: true,
    },
    RecordDef {
        table: "derivation",
        edge: Some(("node_id", "source_id")),
        secret: false,
        exported: true,
    },
];
