//! The declaration itself: the relations of the graph (the 20 link tables among them), each once. The node
//! types and the other tables are in `tables.rs`.

use crate::{
    End, LinkDef, Linkable,
    NodeType::*,
    OnCopy, Terms,
    build::{edit, link},
    relation::{Listing, RelationDef, Sort, Via, field, link_count, links},
};

/// Shorthand for one end of a link.
const fn end(node: crate::NodeType, column: &'static str) -> End {
    End { node, column }
}

/// The relations, in the order their fields appear on each type: link tables, columns that hold another
/// node's id, and the edges derived by hand. The link tables among them are [`LINKS`].
pub const RELATIONS: &[RelationDef] = &[
    RelationDef::column(
        end(Unit, "municipality_id"),
        Municipality,
        &[],
        Listing::ByHand("Unit.municipality"),
        field("units", "Responsible units of this municipality.").typed().sort(Sort::Argument("name")),
    ),
    RelationDef::column(
        end(Measure, "municipality_id"),
        Municipality,
        &[],
        Listing::ByHand("Measure.municipality"),
        Listing::ByHand("Municipality.measures, which can include what the municipality adopted"),
    ),
    RelationDef::link(
        link("municipality_neighbour", end(Municipality, "municipality_id"), end(Municipality, "neighbour_id"))
            .shared()
            .symmetric()
            .ld(Terms::left("geo:sfTouches"))
            .edit(edit("neighbour", "neighbour", Linkable::Visible, "a bordering municipality, stored both ways (admins).")),
        field("neighbours", "Municipalities that border this one.").sort(Sort::ByName),
        Listing::Unlisted,
    ),
    RelationDef::link(
        link("region_member", end(Region, "region_id"), end(Municipality, "municipality_id"))
            .shared()
            .ld(Terms { left: Some("org:hasMember"), right: Some("org:memberOf") })
            .edit(edit("member", "municipality", Linkable::Visible, "a member municipality of a region (admins).")),
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
        link("plan_owner", end(Plan, "plan_id"), end(Municipality, "municipality_id"))
            .copy(OnCopy::ByHand("the adopter owns the copy"))
            .edit(edit("owner", "municipality", Linkable::Owner, "an owning municipality of a (joint) plan. Only admins change owner lists; a plan keeps at least one owner, and every owner's editors may edit it.")),
        field("owners", "Municipalities that own the plan; a joint plan has several."),
        Listing::ByHand("Municipality.plans and Municipality.jointPlans, which can include adopted plans"),
    ),
    RelationDef::column(
        end(Plan, "parent_id"),
        Plan,
        &[],
        Listing::ByHand("Plan.parent"),
        field("parts", "Plans that are parts of this plan (its handlingsdel, for example).").typed(),
    ),
    RelationDef::column(
        end(Goal, "plan_id"),
        Plan,
        &["t.position"],
        Listing::ByHand("Goal.plan"),
        field("goals", "The plan's main goals (hovedmål), one per focus area, in order."),
    ),
    RelationDef::column(
        end(Measure, "plan_id"),
        Plan,
        &["t.position"],
        Listing::ByHand("Measure.plan"),
        field("measures", "The plan's measures, in their order in the plan.").typed(),
    ),
    RelationDef::column(
        end(Unit, "parent_id"),
        Unit,
        &[],
        Listing::ByHand("Unit.parent"),
        field("children", "Units that are part of this unit.").typed(),
    ),
    RelationDef::link(
        link("unit_member", end(Unit, "unit_id"), end(Unit, "member_id"))
            .roles(&["leader", "member", "invited"])
            .ld(Terms::left("org:hasMember"))
            .edit(edit("member", "member", Linkable::SameMunicipality, "a member of a unit (a forum's composition), as leader, member or invited.").role("MembershipRole")),
        field("members", "The unit's members (a forum's composition); each edge says leader, member or invited.").edges("UnitMemberConnection"),
        field("memberOf", "Units (forums) this unit is a member of, with its role there.").edges("UnitMembershipConnection"),
    ),
    RelationDef::column(
        end(Guidance, "replaces_id"),
        Guidance,
        &[],
        Listing::ByHand("Guidance.replaces"),
        field("replacedBy", "Newer guidance that replaces this one.").typed(),
    ),
    RelationDef::link(
        link("guidance_publisher", end(Guidance, "guidance_id"), end(Publisher, "publisher_id"))
            .shared()
            .ld(Terms::left("dct:publisher"))
            .edit(edit("publisher", "publisher", Linkable::Visible, "a publisher of a guidance item (admins).")),
        field("publishers", "Organisations that publish it (IS-2826 has six directorates).").search(),
        field("guidance", "Guidance the organisation publishes.").search(),
    ),
    RelationDef::link(
        // The term depends on the role (schema:agent leads, schema:participant takes part).
        link("measure_unit", end(Measure, "measure_id"), end(Unit, "unit_id"))
            .roles(&["lead", "participant"])
            .copy(OnCopy::ByHand("national units stay responsible; the source municipality's units do not come along"))
            .edit(edit("unit", "unit", Linkable::SameMunicipality, "a unit responsible for a measure, leading or taking part (a unit of the measure's municipality, or a national one).").role("ResponsibilityRole")),
        field("units", "Units responsible for the measure; each edge says whether the unit leads or takes part.").edges("MeasureUnitConnection"),
        field("measures", "Measures the unit is responsible for; each edge says whether it leads or takes part.").typed().edges("UnitMeasureConnection"),
    ),
    RelationDef::link(
        link("measure_legal_reference", end(Measure, "measure_id"), end(LegalReference, "legal_reference_id"))
            .kept()
            .ld(Terms::left("cv:hasLegalResource"))
            .edit(edit("legalReference", "legalReference", Linkable::Visible, "a legal reference a measure cites.")),
        field("legalReferences", "Legal references the measure cites."),
        Listing::ByHand("LegalReference.measures, where a section collects the citations of its paragraphs"),
    ),
    RelationDef::link(
        link("measure_guidance", end(Measure, "measure_id"), end(Guidance, "guidance_id"))
            .kept()
            .ld(Terms::left("dct:references"))
            .edit(edit("guidance", "guidance", Linkable::Visible, "national guidance a measure follows.")),
        field("guidance", "National guidance the measure follows.").search(),
        field("measures", "Measures that follow this guidance, from every municipality.").typed(),
    ),
    RelationDef::link(
        link("measure_theme", end(Measure, "measure_id"), end(Theme, "theme_id"))
            .kept()
            .ld(Terms::left("dct:subject"))
            .edit(edit("theme", "theme", Linkable::Visible, "a theme a measure addresses.")),
        field("themes", "Themes the measure addresses."),
        field("measures", "Measures that address the theme, from every municipality.").typed(),
    ),
    RelationDef::link(
        link("measure_target_group", end(Measure, "measure_id"), end(TargetGroup, "target_group_id"))
            .kept()
            .ld(Terms::left("dct:audience"))
            .edit(edit("targetGroup", "targetGroup", Linkable::Visible, "a target group of a measure.")),
        field("targetGroups", "Target groups of the measure."),
        field("measures", "Measures for the target group, from every municipality.").typed(),
    ),
    RelationDef::link(
        link("measure_related_plan", end(Measure, "measure_id"), end(Plan, "plan_id"))
            .ld(Terms::left("dct:relation"))
            .edit(edit("relatedPlan", "plan", Linkable::Visible, "another plan a measure refers to (any plan you can see).")),
        field("relatedPlans", "Other plans the measure refers to.").typed(),
        field("relatedMeasures", "Measures in other plans that refer to this plan.").typed(),
    ),
    RelationDef::link(
        link("plan_legal_reference", end(Plan, "plan_id"), end(LegalReference, "legal_reference_id"))
            .kept()
            .ld(Terms::left("cv:hasLegalResource"))
            .edit(edit("legalReference", "legalReference", Linkable::Visible, "a legal reference a plan cites.")),
        field("legalReferences", "Legal references the plan cites."),
        Listing::ByHand("LegalReference.plans, where a section collects the citations of its paragraphs"),
    ),
    RelationDef::link(
        link("plan_guidance", end(Plan, "plan_id"), end(Guidance, "guidance_id"))
            .kept()
            .ld(Terms::left("dct:references"))
            .edit(edit("guidance", "guidance", Linkable::Visible, "national guidance a plan builds on.")),
        field("guidance", "National guidance the plan builds on.").search(),
        field("plans", "Plans that build on this guidance, from every municipality.").typed(),
    ),
    RelationDef::link(
        link("plan_theme", end(Plan, "plan_id"), end(Theme, "theme_id"))
            .kept()
            .ld(Terms::left("dct:subject"))
            .edit(edit("theme", "theme", Linkable::Visible, "a theme a plan addresses.")),
        field("themes", "Themes the plan addresses."),
        field("plans", "Plans that address the theme, from every municipality.").typed(),
    ),
    RelationDef::link(
        link("plan_target_group", end(Plan, "plan_id"), end(TargetGroup, "target_group_id"))
            .kept()
            .ld(Terms::left("dct:audience"))
            .edit(edit("targetGroup", "targetGroup", Linkable::Visible, "a target group of a plan.")),
        field("targetGroups", "Target groups of the plan."),
        field("plans", "Plans for the target group, from every municipality.").typed(),
    ),
    RelationDef::link(
        link("plan_concept", end(Plan, "plan_id"), end(Concept, "concept_id"))
            .kept()
            .ld(Terms::left("schema:mentions"))
            .edit(edit("concept", "concept", Linkable::Visible, "a defined term a plan uses.")),
        field("concepts", "Defined terms the plan uses."),
        field("plans", "Plans that use the term.").typed(),
    ),
    RelationDef::column(
        end(Plan, "adopted_by_id"),
        Unit,
        &[],
        Listing::ByHand("Plan.adoptedBy"),
        field("adoptedPlans", "Plans this unit adopted.").typed(),
    ),
    RelationDef::link(
        link("guidance_legal_reference", end(Guidance, "guidance_id"), end(LegalReference, "legal_reference_id"))
            .shared()
            .ld(Terms::left("cv:hasLegalResource"))
            .edit(edit("legalReference", "legalReference", Linkable::Visible, "a provision a guidance item explains (admins).")),
        field("legalReferences", "Provisions this guidance explains."),
        field("guidance", "Guidance that explains this provision.").search(),
    ),
    RelationDef::link(
        // dct:subject lists the themes together with the guidance's topic group: written by hand.
        link("guidance_theme", end(Guidance, "guidance_id"), end(Theme, "theme_id"))
            .shared()
            .edit(edit("theme", "theme", Linkable::Visible, "a theme of a guidance item (admins).")),
        field("themes", "Themes of this guidance."),
        field("guidance", "Guidance about the theme.").search(),
    ),
    RelationDef::link(
        link("guidance_target_group", end(Guidance, "guidance_id"), end(TargetGroup, "target_group_id"))
            .shared()
            .ld(Terms::left("dct:audience"))
            .edit(edit("targetGroup", "targetGroup", Linkable::Visible, "a target group of a guidance item (admins).")),
        field("targetGroups", "Target groups the guidance is written for."),
        field("guidance", "Guidance written for the target group.").search(),
    ),
    RelationDef::column(
        end(Concept, "source_guidance_id"),
        Guidance,
        &[],
        Listing::ByHand("Concept.sourceGuidance"),
        field("concepts", "Terms this guidance defines.").search(),
    ),
    RelationDef::column(
        end(Law, "replaced_by_id"),
        Law,
        &[],
        Listing::ByHand("Law.replacedBy"),
        field("replaces", "Laws this law replaces.").typed(),
    ),
    RelationDef::column(
        end(LegalReference, "law_id"),
        Law,
        &[],
        Listing::ByHand("LegalReference.law"),
        field("legalReferences", "Sections of this law that content cites."),
    ),
    RelationDef::link(
        link("measure_goal", end(Measure, "measure_id"), end(Goal, "goal_id"))
            .ld(Terms { left: Some("prov:wasInfluencedBy"), right: Some("prov:influenced") })
            .edit(edit("goal", "goal", Linkable::Visible, "a plan's main goal that a measure serves (any goal you can see: its own plan's, or a joint or overarching plan's).")),
        field("goals", "Main goals of plans that the measure serves, e.g. the focus areas of the samfunnsdel."),
        field("measures", "Measures that serve this goal, from every municipality.").typed(),
    ),
];

/// The link tables, in declaration order.
pub const LINKS: &[LinkDef] = &LINK_TABLES;

const LINK_TABLES: [LinkDef; link_count(RELATIONS)] = links(RELATIONS);
