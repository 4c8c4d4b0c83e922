//! GraphQL enums, mirrored from the entity vocabularies (`remote` generates the conversions both ways).

use async_graphql::Enum;
use oppvekstgraf_entity::enums as db;

/// Publication state of a node. Anonymous readers see `PUBLISHED` content only.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::Status")]
pub enum Status {
    /// Work in progress, visible to its editors only.
    Draft,
    /// Public.
    Published,
    /// Withdrawn; kept for history and references.
    Archived,
}

/// Language of a node's text (BCP-47).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::Language")]
pub enum Language {
    /// Norwegian bokmål (`nb`).
    Nb,
    /// Norwegian nynorsk (`nn`).
    Nn,
    /// Northern Sami (`se`).
    Se,
    /// English (`en`).
    En,
}

/// Kind of plan.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::PlanKind")]
pub enum PlanKind {
    /// Kommuneplanens samfunnsdel.
    CommunityPart,
    /// Kommunedelplan (for example an oppvekstplan).
    MunicipalSubPlan,
    /// Handlingsplan.
    ActionPlan,
    /// Handlingsdel: the action part of another plan.
    ActionPart,
    /// Temaplan.
    ThematicPlan,
    /// Strategiplan / strategisk plan.
    StrategicPlan,
    /// Økonomiplan.
    EconomicPlan,
    /// Planstrategi.
    PlanningStrategy,
    /// Plan for forebyggende arbeid (barnevernsloven § 15-1).
    PreventiveWorkPlan,
    /// Kvalitetsplan.
    QualityPlan,
    /// Kunnskapsgrunnlag or oversikt (for example folkehelseoversikt).
    KnowledgeBase,
    /// Any other kind.
    Other,
}

/// Kind of responsible unit.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::UnitKind")]
pub enum UnitKind {
    /// A political body (kommunestyret, formannskapet, ungdomsrådet).
    PoliticalBody,
    /// The administration or a part of it (kommunedirektøren, a sector).
    Administration,
    /// A service (helsestasjon, PPT, NAV office).
    Service,
    /// A role held by a person (skolesjef, folkehelsekoordinator).
    Role,
    /// A forum or meeting arena (Oppvekstforum).
    Forum,
    /// A partner outside the municipality (police, KORUS, the health trust).
    ExternalPartner,
}

/// A unit's part in a measure.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::ResponsibilityRole")]
pub enum ResponsibilityRole {
    /// Leads the measure.
    Lead,
    /// Takes part in the measure.
    Participant,
}

/// A member's part in a unit.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::MembershipRole")]
pub enum MembershipRole {
    /// Leads the unit (Oppvekstforum is led by skolesjef).
    Leader,
    /// A standing member.
    Member,
    /// Invited when needed.
    Invited,
}

/// Kind of legal act.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::LawKind")]
pub enum LawKind {
    /// Grunnloven.
    Constitution,
    /// An act (lov).
    Act,
    /// A regulation (forskrift).
    Regulation,
    /// An act that amends other acts (endringslov).
    AmendingAct,
}

/// Kind of national guidance.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::GuidanceKind")]
pub enum GuidanceKind {
    /// Nasjonal faglig retningslinje.
    Guideline,
    /// Nasjonale faglige råd.
    Advice,
    /// Nasjonalt forløp.
    Pathway,
    /// Prioriteringsveileder.
    PrioritisationGuide,
    /// Veileder.
    Guide,
    /// Rundskriv.
    Circular,
    /// Stortingsmelding (Meld. St.).
    WhitePaper,
    /// Proposisjon (Prop.).
    Proposition,
    /// A national programme or initiative.
    NationalProgramme,
    /// Opptrappingsplan.
    EscalationPlan,
    /// A convention (Barnekonvensjonen).
    Convention,
    /// A web page or resource.
    WebResource,
    /// Any other kind.
    Other,
}

/// Sort order of a connection. `NAME` sorts by the node's title, name, label or term (byte order of the text,
/// the same on every database); ties are broken by id, so the order is stable.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// The relation's own order: a plan's measures by number, link order for linked nodes, name at the root.
    #[default]
    Default,
    /// By name, A to Z.
    NameAsc,
    /// By name, Z to A.
    NameDesc,
    /// Oldest first.
    CreatedAtAsc,
    /// Newest first.
    CreatedAtDesc,
    /// Least recently changed first.
    UpdatedAtAsc,
    /// Most recently changed first.
    UpdatedAtDesc,
}

/// What a token may do.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::Role")]
pub enum Role {
    /// Edits one municipality's content.
    Editor,
    /// Edits the shared national registry and the municipalities themselves, and any content.
    Admin,
}

/// What a revision recorded.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "db::RevisionAction")]
pub enum RevisionAction {
    /// The node was created.
    Create,
    /// Fields of the node changed.
    Update,
    /// The node was archived (soft-deleted).
    Archive,
    /// The node was brought back from the archive as a draft.
    Restore,
    /// The node was published.
    Publish,
    /// The node went back to draft.
    Unpublish,
    /// A link from the node was added.
    Link,
    /// A link from the node was removed.
    Unlink,
    /// The node was brought back to an earlier revision.
    RestoreRevision,
    /// The municipality adopted another municipality's measure or plan by reference.
    Adopt,
    /// The municipality gave up an adoption by reference.
    Unadopt,
    /// The copy took in its source's changes.
    UpstreamAccept,
    /// The copy dismissed its source's changes.
    UpstreamDismiss,
}

/// How a copy relates to its source.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "db::DerivationMode")]
pub enum DerivationMode {
    /// Taken over as it is.
    Copied,
    /// Taken over and changed to fit the adopter.
    Adapted,
    /// Translated into another language (e.g. bokmål to nynorsk).
    Translated,
}
