//! `Unit`: a responsible unit (ansvarlig enhet) — a body, service, role, forum or external partner.

use crate::graphql::node_fields::{NodeFields, node_fields};
use crate::graphql::relation::Filter;
use async_graphql::{ComplexObject, Context, InputObject, Result, SimpleObject};
use oppvekstgraf_entity::{self as entity, unit::Model};
use uuid::Uuid;

use super::{measure::Measure, municipality::Municipality};
use crate::{
    error::ApiResult,
    graphql::common::enum_condition,
    graphql::{
        common::{connection, municipality_condition, search_conditions, with_status},
        enums::{MembershipRole, ResponsibilityRole, Status, UnitKind},
    },
    loader::load_node,
    sql::Sql,
};

crate::graphql::common::with_relations! {
    /// A responsible unit (ansvarlig enhet): a political body (kommunestyret), the administration
    /// (kommunedirektøren), a service (helsestasjon, PPT, NAV), a role (skolesjef), a forum (Oppvekstforum) or an
    /// external partner (KORUS). National bodies and external partners have no municipality.
    Unit(UnitFields)
}

/// The fields of a unit written by hand; its relation fields are generated from the catalog
/// (`relations.rs`).
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct UnitFields {
    #[graphql(flatten)]
    pub node: NodeFields,
    /// Name, e.g. "Skolesjef".
    pub name: String,
    /// Kind of unit.
    pub kind: UnitKind,
    /// What the unit does or is responsible for.
    pub description: Option<String>,
    #[graphql(skip)]
    pub municipality_id: Option<Uuid>,
    #[graphql(skip)]
    pub parent_id: Option<Uuid>,
}

impl From<Model> for UnitFields {
    fn from(m: Model) -> Self {
        UnitFields {
            node: node_fields!(Unit, m),
            name: m.name,
            kind: m.kind.into(),
            description: m.description,
            municipality_id: m.municipality_id,
            parent_id: m.parent_id,
        }
    }
}

connection!(UnitConnection, UnitEdge, Unit, Model, "units");
crate::graphql::common::node_object!(Unit);
connection!(
    MeasureUnitConnection, MeasureUnitEdge, Unit, Model, "units responsible for a measure",
    role: ResponsibilityRole, entity::enums::ResponsibilityRole
);
connection!(
    UnitMemberConnection, UnitMemberEdge, Unit, Model, "members of a unit",
    role: MembershipRole, entity::enums::MembershipRole
);
connection!(
    UnitMembershipConnection, UnitMembershipEdge, Unit, Model, "units a unit is a member of",
    role: MembershipRole, entity::enums::MembershipRole
);
connection!(
    UnitMeasureConnection, UnitMeasureEdge, Measure, entity::measure::Model, "measures a unit is responsible for",
    role: ResponsibilityRole, entity::enums::ResponsibilityRole
);

#[ComplexObject]
impl UnitFields {
    /// The municipality the unit belongs to; null for national bodies and external partners.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Option<Municipality>> {
        let Some(id) = self.municipality_id else {
            return Ok(None);
        };
        let found = load_node::<entity::municipality::Entity>(ctx, id).await;
        found.map(|m| m.map(Municipality::from)).map_err(Into::into)
    }

    /// The unit this unit is part of.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        let Some(id) = self.parent_id else {
            return Ok(None);
        };
        let found = load_node::<entity::unit::Entity>(ctx, id).await;
        found.map(|m| m.map(Unit::from)).map_err(Into::into)
    }
}

/// Narrows a list of units. All given conditions must hold.
#[derive(InputObject, Default, Debug, Clone)]
pub struct UnitFilter {
    /// Case-insensitive substring of the name.
    pub search: Option<String>,
    /// Only units of the municipality with this kommunenummer.
    pub municipality: Option<String>,
    /// Only units of these kinds.
    pub kind: Option<Vec<UnitKind>>,
    /// Only national bodies and external partners without a municipality (true), or only municipal units
    /// (false).
    pub national: Option<bool>,
    /// Only nodes in these publication states (anonymous readers see published nodes only).
    pub status: Option<Vec<Status>>,
}

impl Filter for UnitFilter {
    fn conditions(&self) -> ApiResult<Vec<Sql>> {
        let mut out = search_conditions("name", &self.search)?;
        if let Some(number) = &self.municipality {
            out.push(municipality_condition(
                "filter.municipality",
                "municipality_id",
                number,
            )?);
        }
        if let Some(kinds) = &self.kind {
            out.push(enum_condition::<_, entity::enums::UnitKind>("kind", kinds));
        }
        if let Some(national) = self.national {
            out.push(Sql::raw(if national {
                "t.municipality_id IS NULL"
            } else {
                "t.municipality_id IS NOT NULL"
            }));
        }
        Ok(with_status(out, &self.status))
    }
}
