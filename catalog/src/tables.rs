//! The node tables and the other tables of the graph (the relations are in `graph.rs`).

use crate::{
    Editor, Filter, Lookup, NodeDef, NodeType::*, OWN_ORDER, Owner, RecordDef, Root, Sort, fields,
};

/// Municipal content's create and update: who owns a node, its plan and its place among its siblings are
/// rules of their own.
const CONTENT_EDITOR: Editor =
    Editor::ByHand("municipal content: ownership, its plan and its place among its siblings");

/// The node types, referenced tables first (the order the migrations created them in).
pub const NODES: &[NodeDef] = &[
    NodeDef {
        node: Municipality,
        table: "municipality",
        name_column: "number",
        owner: Owner::Itself,
        root: Root {
            one: Lookup::ByHand("by kommunenummer, current or former, as well as slug or ID"),
            list: "municipalities",
            doc: "All municipalities, by kommunenummer unless `orderBy` says otherwise.",
            filter: Filter::Typed,
            sort: Sort::Argument("by kommunenummer"),
        },
        editor: Editor::Fields(&fields::MUNICIPALITY),
    },
    NodeDef {
        node: Region,
        table: "region",
        name_column: "name",
        owner: Owner::Registry,
        root: Root {
            one: Lookup::Slug("mosseregionen"),
            list: "regions",
            doc: "All regions, by name unless `orderBy` says otherwise.",
            filter: Filter::Search,
            sort: OWN_ORDER,
        },
        editor: Editor::Fields(&fields::REGION),
    },
    NodeDef {
        node: Publisher,
        table: "publisher",
        name_column: "name",
        owner: Owner::Registry,
        root: Root {
            one: Lookup::Slug("helsedirektoratet"),
            list: "publishers",
            doc: "All publishers, by name unless `orderBy` says otherwise.",
            filter: Filter::Search,
            sort: OWN_ORDER,
        },
        editor: Editor::Fields(&fields::PUBLISHER),
    },
    NodeDef {
        node: Theme,
        table: "theme",
        name_column: "label",
        owner: Owner::Registry,
        root: Root {
            one: Lookup::Slug("vold-i-naere-relasjoner"),
            list: "themes",
            doc: "All themes, by label unless `orderBy` says otherwise.",
            filter: Filter::Search,
            sort: OWN_ORDER,
        },
        editor: Editor::Fields(&fields::THEME),
    },
    NodeDef {
        node: TargetGroup,
        table: "target_group",
        name_column: "label",
        owner: Owner::Registry,
        root: Root {
            one: Lookup::Slug("barn-og-unge-0-24-ar"),
            list: "targetGroups",
            doc: "All target groups, by label unless `orderBy` says otherwise.",
            filter: Filter::Search,
            sort: OWN_ORDER,
        },
        editor: Editor::Fields(&fields::TARGET_GROUP),
    },
    NodeDef {
        node: Law,
        table: "law",
        name_column: "short_title",
        owner: Owner::Registry,
        root: Root {
            one: Lookup::ByHand("by Lovdata id as well as slug or ID"),
            list: "laws",
            doc: "All laws and regulations, by short title unless `orderBy` says otherwise.",
            filter: Filter::Typed,
            sort: OWN_ORDER,
        },
        editor: Editor::Fields(&fields::LAW),
    },
    NodeDef {
        node: LegalReference,
        table: "legal_reference",
        name_column: "natural_key",
        owner: Owner::Registry,
        root: Root {
            one: Lookup::ByHand(
                "by Lovdata id, section and paragraph, or ID: a legal reference has no slug",
            ),
            list: "legalReferences",
            doc: "All legal references, by law and section unless `orderBy` says otherwise.",
            filter: Filter::Typed,
            sort: OWN_ORDER,
        },
        editor: Editor::ByHand(
            "its natural key is made from the law's Lovdata id, the section and the paragraph",
        ),
    },
    NodeDef {
        node: Guidance,
        table: "guidance",
        name_column: "title",
        owner: Owner::Registry,
        root: Root {
            one: Lookup::ByHand("by the publisher's code as well as slug or ID"),
            list: "guidances",
            doc: "All national guidance, by title unless `orderBy` says otherwise.",
            filter: Filter::Typed,
            sort: OWN_ORDER,
        },
        editor: Editor::Fields(&fields::GUIDANCE),
    },
    NodeDef {
        node: Concept,
        table: "concept",
        name_column: "term",
        owner: Owner::Registry,
        root: Root {
            one: Lookup::Slug("bekymring"),
            list: "concepts",
            doc: "All concepts, by term unless `orderBy` says otherwise.",
            filter: Filter::Search,
            sort: OWN_ORDER,
        },
        editor: Editor::Fields(&fields::CONCEPT),
    },
    NodeDef {
        node: Unit,
        table: "unit",
        name_column: "name",
        owner: Owner::Column("municipality_id"),
        root: Root {
            one: Lookup::Slug("rauma-skolesjef"),
            list: "units",
            doc: "All units, municipal and national, by name unless `orderBy` says otherwise.",
            filter: Filter::Typed,
            sort: OWN_ORDER,
        },
        editor: CONTENT_EDITOR,
    },
    NodeDef {
        node: Plan,
        table: "plan",
        name_column: "title",
        owner: Owner::Link("plan_owner"),
        root: Root {
            one: Lookup::Slug("rauma-oppvekstplan-2023-2033"),
            list: "plans",
            doc: "All plans of every municipality, by title unless `orderBy` says otherwise.",
            filter: Filter::Typed,
            sort: OWN_ORDER,
        },
        editor: CONTENT_EDITOR,
    },
    NodeDef {
        node: Goal,
        table: "goal",
        name_column: "focus_area",
        owner: Owner::Via {
            column: "plan_id",
            node: Plan,
        },
        root: Root {
            one: Lookup::Slug("moss-samfunnsdel-mal-1"),
            list: "goals",
            doc: "All goals of every plan, by focus area unless `orderBy` says otherwise.",
            filter: Filter::Search,
            sort: OWN_ORDER,
        },
        editor: CONTENT_EDITOR,
    },
    NodeDef {
        node: Measure,
        table: "measure",
        name_column: "title",
        owner: Owner::Column("municipality_id"),
        root: Root {
            one: Lookup::Slug("rauma-etablere-oppvekstforum"),
            list: "measures",
            doc: "All measures of every municipality, by title unless `orderBy` says otherwise.",
            filter: Filter::Typed,
            sort: OWN_ORDER,
        },
        editor: CONTENT_EDITOR,
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
