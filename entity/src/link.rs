//! Link tables: one row per edge between two nodes, with the edge's position (and role where it has one).
//! Rows serialise with serde (the export document carries them as they are).

/// Defines a link table entity `$module` with the two key columns and a position.
macro_rules! link_table {
    ($(#[$doc:meta])* $module:ident, $table:literal, $left:ident, $right:ident) => {
        $(#[$doc])*
        pub mod $module {
            use sea_orm::entity::prelude::*;

            #[derive(
                Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize,
            )]
            #[sea_orm(table_name = $table)]
            pub struct Model {
                #[sea_orm(primary_key, auto_increment = false)]
                pub $left: Uuid,
                #[sea_orm(primary_key, auto_increment = false)]
                pub $right: Uuid,
                /// Order of the edge among its siblings (0-based).
                pub position: i32,
            }

            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation {}

            impl ActiveModelBehavior for ActiveModel {}
        }
    };
}

link_table!(
    /// Municipalities that border each other (stored in both directions).
    municipality_neighbour, "municipality_neighbour", municipality_id, neighbour_id
);
link_table!(
    /// Members of a region.
    region_member, "region_member", region_id, municipality_id
);
link_table!(
    /// Owners of a plan (a joint plan has several).
    plan_owner, "plan_owner", plan_id, municipality_id
);
link_table!(
    /// Legal references a plan cites.
    plan_legal_reference, "plan_legal_reference", plan_id, legal_reference_id
);
link_table!(
    /// Guidance a plan builds on.
    plan_guidance, "plan_guidance", plan_id, guidance_id
);
link_table!(
    /// Themes a plan addresses.
    plan_theme, "plan_theme", plan_id, theme_id
);
link_table!(
    /// Target groups of a plan.
    plan_target_group, "plan_target_group", plan_id, target_group_id
);
link_table!(
    /// Concepts a plan uses.
    plan_concept, "plan_concept", plan_id, concept_id
);
link_table!(
    /// Legal references a measure cites.
    measure_legal_reference, "measure_legal_reference", measure_id, legal_reference_id
);
link_table!(
    /// Guidance a measure follows.
    measure_guidance, "measure_guidance", measure_id, guidance_id
);
link_table!(
    /// Themes a measure addresses.
    measure_theme, "measure_theme", measure_id, theme_id
);
link_table!(
    /// Target groups of a measure.
    measure_target_group, "measure_target_group", measure_id, target_group_id
);
link_table!(
    /// Plans a measure relates to (besides the plan it belongs to).
    measure_related_plan, "measure_related_plan", measure_id, plan_id
);
link_table!(
    /// Publishers of a guidance item.
    guidance_publisher, "guidance_publisher", guidance_id, publisher_id
);
link_table!(
    /// Legal references a guidance item explains.
    guidance_legal_reference, "guidance_legal_reference", guidance_id, legal_reference_id
);
link_table!(
    /// Themes of a guidance item.
    guidance_theme, "guidance_theme", guidance_id, theme_id
);
link_table!(
    /// Target groups of a guidance item.
    guidance_target_group, "guidance_target_group", guidance_id, target_group_id
);

/// Units responsible for a measure, with their role.
pub mod measure_unit {
    use sea_orm::entity::prelude::*;

    use crate::enums::ResponsibilityRole;

    #[derive(
        Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize,
    )]
    #[sea_orm(table_name = "measure_unit")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub measure_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub unit_id: Uuid,
        /// Order of the edge among its siblings (0-based).
        pub position: i32,
        pub role: ResponsibilityRole,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Members of a unit (a forum's composition), with their role.
pub mod unit_member {
    use sea_orm::entity::prelude::*;

    use crate::enums::MembershipRole;

    #[derive(
        Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize,
    )]
    #[sea_orm(table_name = "unit_member")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub unit_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub member_id: Uuid,
        /// Order of the edge among its siblings (0-based).
        pub position: i32,
        pub role: MembershipRole,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
