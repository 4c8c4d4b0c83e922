//! Editing: API tokens and the revision history.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000002_editing"
    }
}

fn n(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(n("api_token"))
                    .if_not_exists()
                    .col(uuid(n("id")).primary_key())
                    .col(string_len(n("name"), 200))
                    .col(string_len(n("role"), 16))
                    .col(uuid_null(n("municipality_id")))
                    .col(string_len(n("secret_hash"), 64))
                    .col(timestamp_with_time_zone(n("created_at")))
                    .col(timestamp_with_time_zone_null(n("expires_at")))
                    .col(timestamp_with_time_zone_null(n("revoked_at")))
                    .col(timestamp_with_time_zone_null(n("last_used_at")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_token_municipality_id")
                            .from(n("api_token"), n("municipality_id"))
                            .to(n("municipality"), n("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(n("revision"))
                    .if_not_exists()
                    .col(uuid(n("id")).primary_key())
                    .col(string_len(n("node_type"), 32))
                    .col(uuid(n("node_id")))
                    .col(integer(n("node_version")))
                    .col(string_len(n("action"), 24))
                    .col(string_len(n("actor_name"), 200))
                    .col(string_len(n("actor_role"), 16))
                    .col(uuid_null(n("token_id")))
                    .col(uuid_null(n("municipality_id")))
                    .col(timestamp_with_time_zone(n("created_at")))
                    .col(json_null(n("before")))
                    .col(json_null(n("after")))
                    .col(json_null(n("detail")))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("ix_revision_node", &["node_id", "created_at"][..]),
            (
                "ix_revision_municipality",
                &["municipality_id", "created_at"][..],
            ),
            ("ix_revision_created_at", &["created_at"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table(n("revision"));
            for col in cols {
                index.col(n(col));
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(n("revision")).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(n("api_token")).to_owned())
            .await?;
        Ok(())
    }
}
