//! The declaration itself: the 13 node types, their relations (the 20 link tables among them) and the
//! other tables, each once.

use crate::{
    Edit, End, LinkDef, Linkable, NodeDef,
    NodeType::*,
    OnCopy, Owner, RecordDef, Section, Terms,
    relation::{Listing, RelationDef, Sort, Via, field, link_count, links},
};

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

/// The relations, in the order their fields appear on each type: link tables, columns that hold another
/// node's id, and the edges derived by hand. The link tables among them are [`LINKS`].
pub const RELATIONS: &[RelationDef] = &[
    RelationDef {
        via: Via::Column {
            left: end(Unit, "municipality_id"),
            right: Municipality,
            order: &[],
        },
        left: Listing::ByHand("Unit.municipality"),
        right: field("units", "Responsible units of this municipality.").typed().sort(Sort::Argument("name")),
    },
    RelationDef {
        via: Via::Column {
            left: end(Measure, "municipality_id"),
            right: Municipality,
            order: &[],
        },
        left: Listing::ByHand("Measure.municipality"),
        right: Listing::ByHand("Municipality.measures, which can include what the municipality adopted"),
    },
    RelationDef::link(
        LinkDef {
            table: "municipality_neighbour",
            left: end(Municipality, "municipality_id"),
            right: end(Municipality, "neighbour_id"),
            roles: &[],
            section: Section::Shared,
            copy: OnCopy::Dropped,
            symmetric: true,
            ld: Terms::left("geo:sfTouches"),
            edit: Edit {
                name: "neighbour",
                input: "neighbour",
                target: Linkable::Visible,
                role: None,
                doc: "a bordering municipality, stored both ways (admins).",
            },
        },
        field("neighbours", "Municipalities that border this one.").sort(Sort::ByName),
        Listing::Unlisted,
    ),
    RelationDef::link(
        LinkDef {
            table: "region_member",
            left: end(Region, "region_id"),
            right: end(Municipality, "municipality_id"),
            roles: &[],
            section: Section::Shared,
            copy: OnCopy::Dropped,
            symmetric: false,
            ld: Terms {
                left: Some("org:hasMember"),
                right: Some("org:memberOf"),
            },
            edit: Edit {
                name: "member",
                input: "municipality",
                target: Linkable::Visible,
                role: None,
                doc: "a member municipality of a region (admins).",
            },
        },
        field("members", "Municipalities in the region.").typed(),
        field("regions", "Regions this municipality belongs to.").sort(Sort::Fixed),
    ),
    RelationDef {
        via: Via::Derived {
            name: "region_measure",
            table: "(SELECT rm.region_id AS region_id, m.id AS measure_id FROM region_member rm \
                    JOIN measure m ON m.municipality_id = rm.municipality_id)",
            left: end(Region, "region_id"),
            right: end(Measure, "measure_id"),
            order: &["t.municipality_id", "t.plan_id", "t.position"],
        },
        left: field(
            "measures",
            "The measures of all member municipalities side by side: grouped by municipality, in plan order\n\
             within each (narrow with `filter`, e.g. by theme, to compare what neighbours do about one thing).",
        )
        .typed()
        .sort(Sort::Argument("by municipality, then plan order")),
        right: Listing::Unlisted,
    },
    RelationDef::link(
        LinkDef {
            table: "plan_owner",
            left: end(Plan, "plan_id"),
            right: end(Municipality, "municipality_id"),
            roles: &[],
            section: Section::Owned,
            copy: OnCopy::ByHand("the adopter owns the copy"),
            symmetric: false,
            ld: Terms::NONE,
            edit: Edit {
                name: "owner",
                input: "municipality",
                target: Linkable::Owner,
                role: None,
                doc: "an owning municipality of a (joint) plan. Only admins change owner lists; a plan keeps at least one owner, and every owner's editors may edit it.",
            },
        },
        field("owners", "Municipalities that own the plan; a joint plan has several."),
        Listing::ByHand("Municipality.plans and Municipality.jointPlans, which can include adopted plans"),
    ),
    RelationDef {
        via: Via::Column {
            left: end(Plan, "parent_id"),
            right: Plan,
            order: &[],
        },
        left: Listing::ByHand("Plan.parent"),
        right: field("parts", "Plans that are parts of this plan (its handlingsdel, for example).").typed(),
    },
    RelationDef {
        via: Via::Column {
            left: end(Goal, "plan_id"),
            right: Plan,
            order: &["t.position"],
        },
        left: Listing::ByHand("Goal.plan"),
        right: field("goals", "The plan's main goals (hovedmål), one per focus area, in order."),
    },
    RelationDef {
        via: Via::Column {
            left: end(Measure, "plan_id"),
            right: Plan,
            order: &["t.position"],
        },
        left: Listing::ByHand("Measure.plan"),
        right: field("measures", "The plan's measures, in their order in the plan.").typed(),
    },
    RelationDef {
        via: Via::Column {
            left: end(Unit, "parent_id"),
            right: Unit,
            order: &[],
        },
        left: Listing::ByHand("Unit.parent"),
        right: field("children", "Units that are part of this unit.").typed(),
    },
    RelationDef::link(
        LinkDef {
            table: "unit_member",
            left: end(Unit, "unit_id"),
            right: end(Unit, "member_id"),
            roles: &["leader", "member", "invited"],
            section: Section::Owned,
            copy: OnCopy::Dropped,
            symmetric: false,
            ld: Terms::left("org:hasMember"),
            edit: Edit {
                name: "member",
                input: "member",
                target: Linkable::SameMunicipality,
                role: Some("MembershipRole"),
                doc: "a member of a unit (a forum's composition), as leader, member or invited.",
            },
        },
        field("members", "The unit's members (a forum's composition); each edge says leader, member or invited.").edges("UnitMemberConnection"),
        field("memberOf", "Units (forums) this unit is a member of, with its role there.").edges("UnitMembershipConnection"),
    ),
    RelationDef {
        via: Via::Column {
            left: end(Guidance, "replaces_id"),
            right: Guidance,
            order: &[],
        },
        left: Listing::ByHand("Guidance.replaces"),
        right: field("replacedBy", "Newer guidance that replaces this one.").typed(),
    },
    RelationDef::link(
        LinkDef {
            table: "guidance_publisher",
            left: end(Guidance, "guidance_id"),
            right: end(Publisher, "publisher_id"),
            roles: &[],
            section: Section::Shared,
            copy: OnCopy::Dropped,
            symmetric: false,
            ld: Terms::left("dct:publisher"),
            edit: Edit {
                name: "publisher",
                input: "publisher",
                target: Linkable::Visible,
                role: None,
                doc: "a publisher of a guidance item (admins).",
            },
        },
        field("publishers", "Organisations that publish it (IS-2826 has six directorates).").search(),
        field("guidance", "Guidance the organisation publishes.").search(),
    ),
    RelationDef::link(
        LinkDef {
            table: "measure_unit",
            left: end(Measure, "measure_id"),
            right: end(Unit, "unit_id"),
            roles: &["lead", "participant"],
            section: Section::Owned,
            copy: OnCopy::ByHand("national units stay responsible; the source municipality's units do not come along"),
            symmetric: false,
            // The term depends on the role (schema:agent leads, schema:participant takes part).
            ld: Terms::NONE,
            edit: Edit {
                name: "unit",
                input: "unit",
                target: Linkable::SameMunicipality,
                role: Some("ResponsibilityRole"),
                doc: "a unit responsible for a measure, leading or taking part (a unit of the measure's municipality, or a national one).",
            },
        },
        field("units", "Units responsible for the measure; each edge says whether the unit leads or takes part.").edges("MeasureUnitConnection"),
        field("measures", "Measures the unit is responsible for; each edge says whether it leads or takes part.").typed().edges("UnitMeasureConnection"),
    ),
    RelationDef::link(
        LinkDef {
            table: "measure_legal_reference",
            left: end(Measure, "measure_id"),
            right: end(LegalReference, "legal_reference_id"),
            roles: &[],
            section: Section::Owned,
            copy: OnCopy::Kept,
            symmetric: false,
            ld: Terms::left("cv:hasLegalResource"),
            edit: Edit {
                name: "legalReference",
                input: "legalReference",
                target: Linkable::Visible,
                role: None,
                doc: "a legal reference a measure cites.",
            },
        },
        field("legalReferences", "Legal references the measure cites."),
        Listing::ByHand("LegalReference.measures, where a section collects the citations of its paragraphs"),
    ),
    RelationDef::link(
        LinkDef {
            table: "measure_guidance",
            left: end(Measure, "measure_id"),
            right: end(Guidance, "guidance_id"),
            roles: &[],
            section: Section::Owned,
            copy: OnCopy::Kept,
            symmetric: false,
            ld: Terms::left("dct:references"),
            edit: Edit {
                name: "guidance",
                input: "guidance",
                target: Linkable::Visible,
                role: None,
                doc: "national guidance a measure follows.",
            },
        },
        field("guidance", "National guidance the measure follows.").search(),
        field("measures", "Measures that follow this guidance, from every municipality.").typed(),
    ),
    RelationDef::link(
        LinkDef {
            table: "measure_theme",
            left: end(Measure, "measure_id"),
            right: end(Theme, "theme_id"),
            roles: &[],
            section: Section::Owned,
            copy: OnCopy::Kept,
            symmetric: false,
            ld: Terms::left("dct:subject"),
            edit: Edit {
                name: "theme",
                input: "theme",
                target: Linkable::Visible,
                role: None,
                doc: "a theme a measure addresses.",
            },
        },
        field("themes", "Themes the measure addresses."),
        field("measures", "Measures that address the theme, from every municipality.").typed(),
    ),
    RelationDef::link(
        LinkDef {
            table: "measure_target_group",
            left: end(Measure, "measure_id"),
            right: end(TargetGroup, "target_group_id"),
            roles: &[],
            section: Section::Owned,
            copy: OnCopy::Kept,
            symmetric: false,
            ld: Terms::left("dct:audience"),
            edit: Edit {
                name: "targetGroup",
                input: "targetGroup",
                target: Linkable::Visible,
                role: None,
                doc: "a target group of a measure.",
            },
        },
        field("targetGroups", "Target groups of the measure."),
        field("measures", "Measures for the target group, from every municipality.").typed(),
    ),
    RelationDef::link(
        LinkDef {
            table: "measure_related_plan",
            left: end(Measure, "measure_id"),
            right: end(Plan, "plan_id"),
            roles: &[],
            section: Section::Owned,
            copy: OnCopy::Dropped,
            symmetric: false,
            ld: Terms::left("dct:relation"),
            edit: Edit {
                name: "relatedPlan",
                input: "plan",
                target: Linkable::Visible,
                role: None,
                doc: "another plan a measure refers to (any plan you can see).",
            },
        },
        field("relatedPlans", "Other plans the measure refers to.").typed(),
        field("relatedMeasures", "Measures in other plans that refer to this plan.").typed(),
    ),
    RelationDef::link(
        LinkDef {
            table: "plan_legal_reference",
            left: end(Plan, "plan_id"),
            right: end(LegalReference, "legal_reference_id"),
            roles: &[],
            section: Section::Owned,
            copy: OnCopy::Kept,
            symmetric: false,
            ld: Terms::left("cv:hasLegalResource"),
            edit: Edit {
                name: "legalReference",
                input: "legalReference",
                target: Linkable::Visible,
                role: None,
                doc: "a legal reference a plan cites.",
            },
        },
        field("legalReferences", "Legal references the plan cites."),
        Listing::ByHand("LegalReference.plans, where a section collects the citations of its paragraphs"),
    ),
    RelationDef::link(
        LinkDef {
            table: "plan_guidance",
            left: end(Plan, "plan_id"),
            right: end(Guidance, "guidance_id"),
            roles: &[],
            section: Section::Owned,
            copy: OnCopy::Kept,
            symmetric: false,
            ld: Terms::left("dct:references"),
            edit: Edit {
                name: "guidance",
                input: "guidance",
                target: Linkable::Visible,
                role: None,
                doc: "national guidance a plan builds on.",
            },
        },
        field("guidance", "National guidance the plan builds on.").search(),
        field("plans", "Plans that build on this guidance, from every municipality.").typed(),
    ),
    RelationDef::link(
        LinkDef {
            table: "plan_theme",
            left: end(Plan, "plan_id"),
            right: end(Theme, "theme_id"),
            roles: &[],
            section: Section::Owned,
            copy: OnCopy::Kept,
            symmetric: false,
            ld: Terms::left("dct:subject"),
            edit: Edit {
                name: "theme",
                input: "theme",
                target: Linkable::Visible,
                role: None,
                doc: "a theme a plan addresses.",
            },
        },
        field("themes", "Themes the plan addresses."),
        field("plans", "Plans that address the theme, from every municipality.").typed(),
    ),
    RelationDef::link(
        LinkDef {
            table: "plan_target_group",
            left: end(Plan, "plan_id"),
            right: end(TargetGroup, "target_group_id"),
            roles: &[],
            section: Section::Owned,
            copy: OnCopy::Kept,
            symmetric: false,
            ld: Terms::left("dct:audience"),
            edit: Edit {
                name: "targetGroup",
                input: "targetGroup",
                target: Linkable::Visible,
                role: None,
                doc: "a target group of a plan.",
            },
        },
        field("targetGroups", "Target groups of the plan."),
        field("plans", "Plans for the target group, from every municipality.").typed(),
    ),
    RelationDef::link(
        LinkDef {
            table: "plan_concept",
            left: end(Plan, "plan_id"),
            right: end(Concept, "concept_id"),
            roles: &[],
            section: Section::Owned,
            copy: OnCopy::Kept,
            symmetric: false,
            ld: Terms::left("schema:mentions"),
            edit: Edit {
                name: "concept",
                input: "concept",
                target: Linkable::Visible,
                role: None,
                doc: "a defined term a plan uses.",
            },
        },
        field("concepts", "Defined terms the plan uses."),
        field("plans", "Plans that use the term.").typed(),
    ),
    RelationDef {
        via: Via::Column {
            left: end(Plan, "adopted_by_id"),
            right: Unit,
            order: &[],
        },
        left: Listing::ByHand("Plan.adoptedBy"),
        right: field("adoptedPlans", "Plans this unit adopted.").typed(),
    },
    RelationDef::link(
        LinkDef {
            table: "guidance_legal_reference",
            left: end(Guidance, "guidance_id"),
            right: end(LegalReference, "legal_reference_id"),
            roles: &[],
            section: Section::Shared,
            copy: OnCopy::Dropped,
            symmetric: false,
            ld: Terms::left("cv:hasLegalResource"),
            edit: Edit {
                name: "legalReference",
                input: "legalReference",
                target: Linkable::Visible,
                role: None,
                doc: "a provision a guidance item explains (admins).",
            },
        },
        field("legalReferences", "Provisions this guidance explains."),
        field("guidance", "Guidance that explains this provision.").search(),
    ),
    RelationDef::link(
        LinkDef {
            table: "guidance_theme",
            left: end(Guidance, "guidance_id"),
            right: end(Theme, "theme_id"),
            roles: &[],
            section: Section::Shared,
            copy: OnCopy::Dropped,
            symmetric: false,
            // dct:subject lists the themes together with the guidance's topic group: written by hand.
            ld: Terms::NONE,
            edit: Edit {
                name: "theme",
                input: "theme",
                target: Linkable::Visible,
                role: None,
                doc: "a theme of a guidance item (admins).",
            },
        },
        field("themes", "Themes of this guidance."),
        field("guidance", "Guidance about the theme.").search(),
    ),
    RelationDef::link(
        LinkDef {
            table: "guidance_target_group",
            left: end(Guidance, "guidance_id"),
            right: end(TargetGroup, "target_group_id"),
            roles: &[],
            section: Section::Shared,
            copy: OnCopy::Dropped,
            symmetric: false,
            ld: Terms::left("dct:audience"),
            edit: Edit {
                name: "targetGroup",
                input: "targetGroup",
                target: Linkable::Visible,
                role: None,
                doc: "a target group of a guidance item (admins).",
            },
        },
        field("targetGroups", "Target groups the guidance is written for."),
        field("guidance", "Guidance written for the target group.").search(),
    ),
    RelationDef {
        via: Via::Column {
            left: end(Concept, "source_guidance_id"),
            right: Guidance,
            order: &[],
        },
        left: Listing::ByHand("Concept.sourceGuidance"),
        right: field("concepts", "Terms this guidance defines.").search(),
    },
    RelationDef {
        via: Via::Column {
            left: end(Law, "replaced_by_id"),
            right: Law,
            order: &[],
        },
        left: Listing::ByHand("Law.replacedBy"),
        right: field("replaces", "Laws this law replaces.").typed(),
    },
    RelationDef {
        via: Via::Column {
            left: end(LegalReference, "law_id"),
            right: Law,
            order: &[],
        },
        left: Listing::ByHand("LegalReference.law"),
        right: field("legalReferences", "Sections of this law that content cites."),
    },
    RelationDef::link(
        LinkDef {
            table: "measure_goal",
            left: end(Measure, "measure_id"),
            right: end(Goal, "goal_id"),
            roles: &[],
            section: Section::Owned,
            copy: OnCopy::Dropped,
            symmetric: false,
            ld: Terms {
                left: Some("prov:wasInfluencedBy"),
                right: Some("prov:influenced"),
            },
            edit: Edit {
                name: "goal",
                input: "goal",
                target: Linkable::Visible,
                role: None,
                doc: "a plan's main goal that a measure serves (any goal you can see: its own plan's, or a joint or overarching plan's).",
            },
        },
        field("goals", "Main goals of plans that the measure serves, e.g. the focus areas of the samfunnsdel."),
        field("measures", "Measures that serve this goal, from every municipality.").typed(),
    ),
];

/// The link tables, in declaration order.
pub const LINKS: &[LinkDef] = &LINK_TABLES;

const LINK_TABLES: [LinkDef; link_count(RELATIONS)] = links(RELATIONS);

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
