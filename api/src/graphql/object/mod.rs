//! One module per GraphQL object type, each with its connection, filter and root fields.

pub mod change;
pub mod concept;
#[rustfmt::skip]
mod fields;
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
#[rustfmt::skip]
mod roots;
pub mod sharing;
pub mod target_group;
pub mod theme;
pub mod unit;

pub use change::{Change, ChangeQuery, SubscriptionRoot};
pub use concept::{Concept, ConceptConnection};
pub use goal::{Goal, GoalConnection};
pub use guidance::{Guidance, GuidanceConnection, GuidanceFilter};
pub use law::{Law, LawConnection, LawFilter};
pub use legal_reference::{LegalReference, LegalReferenceConnection, LegalReferenceFilter};
pub use measure::{Measure, MeasureConnection, MeasureFilter};
pub use municipality::{Municipality, MunicipalityConnection, MunicipalityFilter};
pub use plan::{Plan, PlanConnection, PlanFilter};
pub use publisher::{Publisher, PublisherConnection};
pub use region::{Region, RegionConnection};
pub use roots::NodeRoots;
pub use target_group::{TargetGroup, TargetGroupConnection};
pub use theme::{Theme, ThemeConnection};
pub use unit::{
    MeasureUnitConnection, Unit, UnitConnection, UnitFilter, UnitMeasureConnection,
    UnitMemberConnection, UnitMembershipConnection,
};
