//! The content graph: municipalities, plans, measures, units, laws, legal references, guidance,
//! publishers, concepts, themes, target groups and the links between them.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000001_content_graph"
    }
}

fn n(name: &str) -> Alias {
    Alias::new(name)
}

/// A node table with the common node columns; `extra` adds the table's own columns.
fn node(table: &str, extra: impl FnOnce(&mut TableCreateStatement)) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(n(table))
        .if_not_exists()
        .col(uuid(n("id")).primary_key())
        .col(string_len_uniq(n("slug"), 200));
    extra(&mut t);
    t.col(string_len(n("status"), 16))
        .col(string_len(n("language"), 8))
        .col(integer(n("version")).default(1))
        .col(timestamp_with_time_zone(n("created_at")))
        .col(timestamp_with_time_zone(n("updated_at")));
    t.to_owned()
}

/// A foreign key from `table.column` to `target.id`.
fn fk(
    table: &str,
    column: &str,
    target: &str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(n(table), n(column))
        .to(n(target), n("id"))
        .on_delete(on_delete)
        .to_owned()
}

/// A link table `table(left → left_target, right → right_target, position[, role])`.
fn link(
    table: &str,
    left: (&str, &str),
    right: (&str, &str),
    with_role: bool,
) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(n(table))
        .if_not_exists()
        .col(uuid(n(left.0)))
        .col(uuid(n(right.0)))
        .col(integer(n("position")).default(0));
    if with_role {
        t.col(string_len(n("role"), 16));
    }
    t.primary_key(Index::create().col(n(left.0)).col(n(right.0)))
        .foreign_key(&mut fk(table, left.0, left.1, ForeignKeyAction::Cascade))
        .foreign_key(&mut fk(table, right.0, right.1, ForeignKeyAction::Cascade));
    t.to_owned()
}

/// A link-table key column and the table it references.
type Key = (&'static str, &'static str);

/// Link tables this migration created: name, left key, right key, whether the edge has a role. Frozen with
/// the migration; the graph as the API sees it is declared in the catalog crate.
const LINKS: &[(&str, Key, Key, bool)] = &[
    (
        "municipality_neighbour",
        ("municipality_id", "municipality"),
        ("neighbour_id", "municipality"),
        false,
    ),
    (
        "region_member",
        ("region_id", "region"),
        ("municipality_id", "municipality"),
        false,
    ),
    (
        "plan_owner",
        ("plan_id", "plan"),
        ("municipality_id", "municipality"),
        false,
    ),
    (
        "plan_legal_reference",
        ("plan_id", "plan"),
        ("legal_reference_id", "legal_reference"),
        false,
    ),
    (
        "plan_guidance",
        ("plan_id", "plan"),
        ("guidance_id", "guidance"),
        false,
    ),
    (
        "plan_theme",
        ("plan_id", "plan"),
        ("theme_id", "theme"),
        false,
    ),
    (
        "plan_target_group",
        ("plan_id", "plan"),
        ("target_group_id", "target_group"),
        false,
    ),
    (
        "plan_concept",
        ("plan_id", "plan"),
        ("concept_id", "concept"),
        false,
    ),
    (
        "measure_unit",
        ("measure_id", "measure"),
        ("unit_id", "unit"),
        true,
    ),
    (
        "measure_legal_reference",
        ("measure_id", "measure"),
        ("legal_reference_id", "legal_reference"),
        false,
    ),
    (
        "measure_guidance",
        ("measure_id", "measure"),
        ("guidance_id", "guidance"),
        false,
    ),
    (
        "measure_theme",
        ("measure_id", "measure"),
        ("theme_id", "theme"),
        false,
    ),
    (
        "measure_target_group",
        ("measure_id", "measure"),
        ("target_group_id", "target_group"),
        false,
    ),
    (
        "measure_related_plan",
        ("measure_id", "measure"),
        ("plan_id", "plan"),
        false,
    ),
    (
        "unit_member",
        ("unit_id", "unit"),
        ("member_id", "unit"),
        true,
    ),
    (
        "guidance_publisher",
        ("guidance_id", "guidance"),
        ("publisher_id", "publisher"),
        false,
    ),
    (
        "guidance_legal_reference",
        ("guidance_id", "guidance"),
        ("legal_reference_id", "legal_reference"),
        false,
    ),
    (
        "guidance_theme",
        ("guidance_id", "guidance"),
        ("theme_id", "theme"),
        false,
    ),
    (
        "guidance_target_group",
        ("guidance_id", "guidance"),
        ("target_group_id", "target_group"),
        false,
    ),
];

/// Tables in creation order (referenced tables first).
const NODE_TABLES: &[&str] = &[
    "municipality",
    "region",
    "publisher",
    "theme",
    "target_group",
    "law",
    "legal_reference",
    "guidance",
    "concept",
    "unit",
    "plan",
    "goal",
    "measure",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        let tables = vec![
            node("municipality", |t| {
                t.col(string_len_uniq(n("number"), 4))
                    .col(string_len(n("name"), 200))
                    .col(string_len_null(n("organization_number"), 9))
                    .col(string_len(n("county"), 100))
                    .col(date_null(n("valid_from")));
            }),
            node("region", |t| {
                t.col(string_len(n("name"), 200))
                    .col(text_null(n("description")));
            }),
            node("publisher", |t| {
                t.col(string_len(n("name"), 300))
                    .col(string_len_null(n("short_name"), 50))
                    .col(string_len_null(n("organization_number"), 9))
                    .col(string_len_null(n("url"), 2000));
            }),
            node("theme", |t| {
                t.col(string_len(n("label"), 300))
                    .col(text_null(n("description")))
                    .col(string_len_null(n("los_uri"), 500));
            }),
            node("target_group", |t| {
                t.col(string_len(n("label"), 300))
                    .col(integer_null(n("min_age")))
                    .col(integer_null(n("max_age")))
                    .col(text_null(n("description")));
            }),
            node("law", |t| {
                t.col(string_len_uniq(n("lovdata_id"), 40))
                    .col(string_len(n("short_title"), 200))
                    .col(string_len(n("title"), 500))
                    .col(string_len(n("kind"), 16))
                    .col(date_null(n("in_force_from")))
                    .col(uuid_null(n("replaced_by_id")))
                    .col(text_null(n("note")))
                    .foreign_key(&mut fk("law", "replaced_by_id", "law", SetNull));
            }),
            node("legal_reference", |t| {
                t.col(uuid(n("law_id")))
                    .col(string_len(n("section"), 20))
                    .col(integer_null(n("paragraph")))
                    .col(string_len_null(n("heading"), 500))
                    .col(text_null(n("note")))
                    .col(string_len_uniq(n("natural_key"), 100))
                    .foreign_key(&mut fk("legal_reference", "law_id", "law", Restrict));
            }),
            node("guidance", |t| {
                t.col(string_len_null(n("code"), 40).unique_key())
                    .col(string_len_null(n("isbn"), 40))
                    .col(string_len(n("title"), 500))
                    .col(string_len(n("kind"), 32))
                    .col(string_len_null(n("url"), 2000))
                    .col(text_null(n("summary")))
                    .col(string_len_null(n("topic_group"), 200))
                    .col(integer_null(n("published_year")))
                    .col(uuid_null(n("replaces_id")))
                    .foreign_key(&mut fk("guidance", "replaces_id", "guidance", SetNull));
            }),
            node("concept", |t| {
                t.col(string_len(n("term"), 300))
                    .col(text(n("definition")))
                    .col(json(n("alt_labels")))
                    .col(text_null(n("scope_note")))
                    .col(string_len_null(n("source"), 500))
                    .col(uuid_null(n("source_guidance_id")))
                    .foreign_key(&mut fk(
                        "concept",
                        "source_guidance_id",
                        "guidance",
                        SetNull,
                    ));
            }),
            node("unit", |t| {
                t.col(string_len(n("name"), 300))
                    .col(string_len(n("kind"), 32))
                    .col(uuid_null(n("municipality_id")))
                    .col(uuid_null(n("parent_id")))
                    .col(text_null(n("description")))
                    .foreign_key(&mut fk("unit", "municipality_id", "municipality", Restrict))
                    .foreign_key(&mut fk("unit", "parent_id", "unit", SetNull));
            }),
            node("plan", |t| {
                t.col(string_len(n("title"), 500))
                    .col(string_len(n("kind"), 32))
                    .col(integer_null(n("period_start")))
                    .col(integer_null(n("period_end")))
                    .col(date_null(n("adopted_on")))
                    .col(uuid_null(n("adopted_by_id")))
                    .col(string_len_null(n("case_number"), 40))
                    .col(string_len_null(n("archive_case_number"), 40))
                    .col(string_len_null(n("document_url"), 2000))
                    .col(text_null(n("summary")))
                    .col(text_null(n("body")))
                    .col(uuid_null(n("parent_id")))
                    .foreign_key(&mut fk("plan", "adopted_by_id", "unit", SetNull))
                    .foreign_key(&mut fk("plan", "parent_id", "plan", SetNull));
            }),
            node("goal", |t| {
                t.col(uuid(n("plan_id")))
                    .col(string_len(n("focus_area"), 300))
                    .col(text(n("statement")))
                    .col(integer(n("position")).default(0))
                    .foreign_key(&mut fk("goal", "plan_id", "plan", Cascade));
            }),
            node("measure", |t| {
                t.col(uuid_null(n("plan_id")))
                    .col(uuid(n("municipality_id")))
                    .col(integer_null(n("number")))
                    .col(integer(n("position")).default(0))
                    .col(string_len(n("title"), 500))
                    .col(text_null(n("summary")))
                    .col(text_null(n("body")))
                    .col(string_len_null(n("frequency"), 200))
                    .foreign_key(&mut fk("measure", "plan_id", "plan", SetNull))
                    .foreign_key(&mut fk(
                        "measure",
                        "municipality_id",
                        "municipality",
                        Restrict,
                    ));
            }),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(n("municipality_former_number"))
                    .if_not_exists()
                    .col(uuid(n("id")).primary_key())
                    .col(uuid(n("municipality_id")))
                    .col(string_len(n("number"), 4))
                    .col(date_null(n("valid_from")))
                    .col(date_null(n("valid_to")))
                    .foreign_key(&mut fk(
                        "municipality_former_number",
                        "municipality_id",
                        "municipality",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        for (table, left, right, with_role) in LINKS {
            manager
                .create_table(link(table, *left, *right, *with_role))
                .await?;
            // The primary key indexes (left, right); the reverse direction needs its own index.
            manager
                .create_index(
                    Index::create()
                        .name(format!("ix_{table}_{}", right.0))
                        .table(n(table))
                        .col(n(right.0))
                        .col(n(left.0))
                        .to_owned(),
                )
                .await?;
        }
        let indexes: &[(&str, &[&str])] = &[
            ("plan", &["parent_id"]),
            ("plan", &["kind"]),
            ("goal", &["plan_id", "position"]),
            ("measure", &["plan_id", "position"]),
            ("measure", &["municipality_id"]),
            ("unit", &["municipality_id"]),
            ("unit", &["parent_id"]),
            ("legal_reference", &["law_id"]),
            ("municipality_former_number", &["number"]),
        ];
        for (table, cols) in indexes {
            let mut index = Index::create();
            index
                .name(format!("ix_{table}_{}", cols.join("_")))
                .table(n(table));
            for col in *cols {
                index.col(n(col));
            }
            manager.create_index(index.to_owned()).await?;
        }
        for table in NODE_TABLES {
            manager
                .create_index(
                    Index::create()
                        .name(format!("ix_{table}_status"))
                        .table(n(table))
                        .col(n("status"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, ..) in LINKS.iter().rev() {
            manager
                .drop_table(Table::drop().table(n(table)).to_owned())
                .await?;
        }
        manager
            .drop_table(
                Table::drop()
                    .table(n("municipality_former_number"))
                    .to_owned(),
            )
            .await?;
        for table in NODE_TABLES.iter().rev() {
            manager
                .drop_table(Table::drop().table(n(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
