//! The goals a measure serves: a link table from measures to the main goals of plans (a measure in Moss's
//! SLT plan serves the samfunnsdel's goal for "Levekår og folkehelse").

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000001_measure_goal"
    }
}

fn n(name: &str) -> Alias {
    Alias::new(name)
}

fn fk(table: &str, column: &str, target: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(n(table), n(column))
        .to(n(target), n("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(n("measure_goal"))
                    .if_not_exists()
                    .col(uuid(n("measure_id")))
                    .col(uuid(n("goal_id")))
                    .col(integer(n("position")).default(0))
                    .primary_key(Index::create().col(n("measure_id")).col(n("goal_id")))
                    .foreign_key(&mut fk("measure_goal", "measure_id", "measure"))
                    .foreign_key(&mut fk("measure_goal", "goal_id", "goal"))
                    .to_owned(),
            )
            .await?;
        // The primary key indexes (measure, goal); a goal's measures need their own index.
        manager
            .create_index(
                Index::create()
                    .name("ix_measure_goal_goal_id")
                    .table(n("measure_goal"))
                    .col(n("goal_id"))
                    .col(n("measure_id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(n("measure_goal")).to_owned())
            .await
    }
}
