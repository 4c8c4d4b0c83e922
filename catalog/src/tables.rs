//! The node tables and the other tables of the graph (the relations are in `graph.rs`).

use crate::{NodeDef, NodeType::*, Owner, RecordDef};

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
