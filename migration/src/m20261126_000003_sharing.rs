//! Sharing between municipalities: each owner's adoption of a joint plan, reuse by reference, copies with
//! their derivation, and the ordered change feed.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000003_sharing"
    }
}

fn n(name: &str) -> Alias {
    Alias::new(name)
}

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

async fn index(
    manager: &SchemaManager<'_>,
    table: &str,
    name: &str,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(n(table));
    if unique {
        index.unique();
    }
    for col in cols {
        index.col(n(col));
    }
    manager.create_index(index.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One owner's adoption of a (joint) plan. It belongs to the ownership edge: removing the owner
        // removes its adoption.
        manager
            .create_table(
                Table::create()
                    .table(n("plan_adoption"))
                    .if_not_exists()
                    .col(uuid(n("plan_id")))
                    .col(uuid(n("municipality_id")))
                    .col(date_null(n("adopted_on")))
                    .col(uuid_null(n("adopted_by_id")))
                    .col(string_len_null(n("case_number"), 40))
                    .col(string_len_null(n("archive_case_number"), 40))
                    .col(timestamp_with_time_zone(n("updated_at")))
                    .primary_key(Index::create().col(n("plan_id")).col(n("municipality_id")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plan_adoption_owner")
                            .from_tbl(n("plan_adoption"))
                            .from_col(n("plan_id"))
                            .from_col(n("municipality_id"))
                            .to_tbl(n("plan_owner"))
                            .to_col(n("plan_id"))
                            .to_col(n("municipality_id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut fk(
                        "plan_adoption",
                        "adopted_by_id",
                        "unit",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;

        // A municipality listing another's measure or plan as its own, by reference (read-only).
        manager
            .create_table(
                Table::create()
                    .table(n("adoption"))
                    .if_not_exists()
                    .col(uuid(n("id")).primary_key())
                    .col(uuid(n("municipality_id")))
                    .col(string_len(n("node_type"), 32))
                    .col(uuid(n("source_id")))
                    .col(integer(n("source_version")))
                    .col(integer(n("position")).default(0))
                    .col(timestamp_with_time_zone(n("created_at")))
                    .col(string_len(n("actor_name"), 200))
                    .col(uuid_null(n("token_id")))
                    .foreign_key(&mut fk(
                        "adoption",
                        "municipality_id",
                        "municipality",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "adoption",
            "ux_adoption_municipality_source",
            &["municipality_id", "source_id"],
            true,
        )
        .await?;
        index(
            manager,
            "adoption",
            "ix_adoption_source",
            &["source_id"],
            false,
        )
        .await?;

        // A copy's derivation from its source: provenance (fixed) and the upstream state it last took in.
        manager
            .create_table(
                Table::create()
                    .table(n("derivation"))
                    .if_not_exists()
                    .col(uuid(n("id")).primary_key())
                    .col(string_len(n("node_type"), 32))
                    .col(uuid(n("node_id")))
                    .col(uuid(n("source_id")))
                    .col(uuid_null(n("source_municipality_id")))
                    .col(integer(n("source_version")))
                    .col(string_len(n("mode"), 16))
                    .col(uuid(n("municipality_id")))
                    .col(timestamp_with_time_zone(n("created_at")))
                    .col(string_len(n("actor_name"), 200))
                    .col(uuid_null(n("token_id")))
                    .col(integer(n("upstream_version")))
                    .col(json(n("upstream_snapshot")))
                    .col(timestamp_with_time_zone(n("upstream_synced_at")))
                    .foreign_key(&mut fk(
                        "derivation",
                        "municipality_id",
                        "municipality",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "derivation",
            "ux_derivation_node",
            &["node_id"],
            true,
        )
        .await?;
        index(
            manager,
            "derivation",
            "ix_derivation_source",
            &["source_id"],
            false,
        )
        .await?;

        // The change feed: one row per revision, numbered in commit order.
        manager
            .create_table(
                Table::create()
                    .table(n("change_event"))
                    .if_not_exists()
                    .col(big_pk_auto(n("seq")))
                    .col(uuid_null(n("revision_id")))
                    .col(string_len(n("node_type"), 32))
                    .col(uuid(n("node_id")))
                    .col(string_len(n("action"), 24))
                    .col(integer(n("node_version")))
                    .col(uuid_null(n("municipality_id")))
                    .col(boolean(n("public")))
                    .col(string_len(n("actor_name"), 200))
                    .col(timestamp_with_time_zone(n("created_at")))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "change_event",
            "ix_change_event_municipality",
            &["municipality_id", "seq"],
            false,
        )
        .await?;
        index(
            manager,
            "change_event",
            "ix_change_event_node",
            &["node_id", "seq"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["change_event", "derivation", "adoption", "plan_adoption"] {
            manager
                .drop_table(Table::drop().table(n(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
