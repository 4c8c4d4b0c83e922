//! One owner's adoption of a plan: a joint plan is adopted by each owner's own body, on its own date, under
//! its own case number.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "plan_adoption")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub plan_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub municipality_id: Uuid,
    pub adopted_on: Option<Date>,
    /// The owner's unit that adopted it (usually its kommunestyre).
    pub adopted_by_id: Option<Uuid>,
    /// Political case number, e.g. `PS-50/23`.
    pub case_number: Option<String>,
    /// Archive (Noark 5) case number, e.g. `2015/545`.
    pub archive_case_number: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
