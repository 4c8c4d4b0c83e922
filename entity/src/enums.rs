//! Vocabularies stored as text columns. The database value is the `snake_case` name used in the seed files.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Publication state of every node.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    Default,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[sea_orm(string_value = "draft")]
    Draft,
    #[default]
    #[sea_orm(string_value = "published")]
    Published,
    #[sea_orm(string_value = "archived")]
    Archived,
}

/// BCP-47 language tag of a node's text.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    Default,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    #[sea_orm(string_value = "nb")]
    Nb,
    #[sea_orm(string_value = "nn")]
    Nn,
    #[sea_orm(string_value = "se")]
    Se,
    #[sea_orm(string_value = "en")]
    En,
}

/// What kind of plan a plan is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    #[sea_orm(string_value = "community_part")]
    CommunityPart,
    #[sea_orm(string_value = "municipal_sub_plan")]
    MunicipalSubPlan,
    #[sea_orm(string_value = "action_plan")]
    ActionPlan,
    #[sea_orm(string_value = "action_part")]
    ActionPart,
    #[sea_orm(string_value = "thematic_plan")]
    ThematicPlan,
    #[sea_orm(string_value = "strategic_plan")]
    StrategicPlan,
    #[sea_orm(string_value = "economic_plan")]
    EconomicPlan,
    #[sea_orm(string_value = "planning_strategy")]
    PlanningStrategy,
    #[sea_orm(string_value = "preventive_work_plan")]
    PreventiveWorkPlan,
    #[sea_orm(string_value = "quality_plan")]
    QualityPlan,
    #[sea_orm(string_value = "knowledge_base")]
    KnowledgeBase,
    #[sea_orm(string_value = "other")]
    Other,
}

/// What kind of responsible unit a unit is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    #[sea_orm(string_value = "political_body")]
    PoliticalBody,
    #[sea_orm(string_value = "administration")]
    Administration,
    #[sea_orm(string_value = "service")]
    Service,
    #[sea_orm(string_value = "role")]
    Role,
    #[sea_orm(string_value = "forum")]
    Forum,
    #[sea_orm(string_value = "external_partner")]
    ExternalPartner,
}

/// A unit's part in a measure.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum ResponsibilityRole {
    #[sea_orm(string_value = "lead")]
    Lead,
    #[sea_orm(string_value = "participant")]
    Participant,
}

/// A member's part in a unit (a forum's leader, its members, those invited when needed).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum MembershipRole {
    #[sea_orm(string_value = "leader")]
    Leader,
    #[sea_orm(string_value = "member")]
    Member,
    #[sea_orm(string_value = "invited")]
    Invited,
}

/// What kind of legal act a law is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum LawKind {
    #[sea_orm(string_value = "constitution")]
    Constitution,
    #[sea_orm(string_value = "act")]
    Act,
    #[sea_orm(string_value = "regulation")]
    Regulation,
    #[sea_orm(string_value = "amending_act")]
    AmendingAct,
}

/// What kind of national guidance document a guidance item is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum GuidanceKind {
    #[sea_orm(string_value = "guideline")]
    Guideline,
    #[sea_orm(string_value = "advice")]
    Advice,
    #[sea_orm(string_value = "pathway")]
    Pathway,
    #[sea_orm(string_value = "prioritisation_guide")]
    PrioritisationGuide,
    #[sea_orm(string_value = "guide")]
    Guide,
    #[sea_orm(string_value = "circular")]
    Circular,
    #[sea_orm(string_value = "white_paper")]
    WhitePaper,
    #[sea_orm(string_value = "proposition")]
    Proposition,
    #[sea_orm(string_value = "national_programme")]
    NationalProgramme,
    #[sea_orm(string_value = "escalation_plan")]
    EscalationPlan,
    #[sea_orm(string_value = "convention")]
    Convention,
    #[sea_orm(string_value = "web_resource")]
    WebResource,
    #[sea_orm(string_value = "other")]
    Other,
}

/// What a token may do.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Edits one municipality's content.
    #[sea_orm(string_value = "editor")]
    Editor,
    /// Edits the shared national registry and the municipalities themselves.
    #[sea_orm(string_value = "admin")]
    Admin,
}

/// What a revision recorded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "snake_case")]
pub enum RevisionAction {
    #[sea_orm(string_value = "create")]
    Create,
    #[sea_orm(string_value = "update")]
    Update,
    #[sea_orm(string_value = "archive")]
    Archive,
    #[sea_orm(string_value = "restore")]
    Restore,
    #[sea_orm(string_value = "publish")]
    Publish,
    #[sea_orm(string_value = "unpublish")]
    Unpublish,
    #[sea_orm(string_value = "link")]
    Link,
    #[sea_orm(string_value = "unlink")]
    Unlink,
    #[sea_orm(string_value = "restore_revision")]
    RestoreRevision,
    #[sea_orm(string_value = "adopt")]
    Adopt,
    #[sea_orm(string_value = "unadopt")]
    Unadopt,
    #[sea_orm(string_value = "upstream_accept")]
    UpstreamAccept,
    #[sea_orm(string_value = "upstream_dismiss")]
    UpstreamDismiss,
}

/// How a copy relates to its source.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum DerivationMode {
    /// Taken over as it is.
    #[sea_orm(string_value = "copied")]
    Copied,
    /// Taken over and changed to fit the adopter.
    #[sea_orm(string_value = "adapted")]
    Adapted,
    /// Translated into another language (e.g. bokmål to nynorsk).
    #[sea_orm(string_value = "translated")]
    Translated,
}
