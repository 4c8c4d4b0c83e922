//! One module per GraphQL object type, each with its connection, filter and root fields.

pub mod change;
pub mod concept;
pub mod goal;
pub mod guidance;
pub mod law;
pub mod legal_reference;
pub mod measure;
pub mod municipality;
pub mod plan;
pub mod publisher;
pub mod region;
#[rustfmt::skip]
mod relations;
pub mod revision;
pub mod sharing;
pub mod target_group;
pub mod theme;
pub mod unit;

pub use change::{Change, ChangeQuery, SubscriptionRoot};
pub use concept::{Concept, ConceptConnection, ConceptQuery};
pub use goal::{Goal, GoalConnection, GoalQuery};
pub use guidance::{Guidance, GuidanceConnection, GuidanceFilter, GuidanceQuery};
pub use law::{Law, LawConnection, LawFilter, LawQuery};
pub use legal_reference::{LegalReference, LegalReferenceConnection, LegalReferenceQuery};
pub use measure::{Measure, MeasureConnection, MeasureFilter, MeasureQuery};
pub use municipality::{
    Municipality, MunicipalityConnection, MunicipalityFilter, MunicipalityQuery,
};
pub use plan::{Plan, PlanConnection, PlanFilter, PlanQuery};
pub use publisher::{Publisher, PublisherConnection, PublisherQuery};
pub use region::{Region, RegionConnection, RegionQuery};
pub use target_group::{TargetGroup, TargetGroupConnection, TargetGroupQuery};
pub use theme::{Theme, ThemeConnection, ThemeQuery};
pub use unit::{
    MeasureUnitConnection, Unit, UnitConnection, UnitFilter, UnitMeasureConnection,
    UnitMemberConnection, UnitMembershipConnection, UnitQuery,
};
