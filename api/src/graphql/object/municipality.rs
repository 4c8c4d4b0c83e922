//! `Municipality`: the tenant, identified by its kommunenummer.

use super::fields::MunicipalityFields;
use crate::graphql::relation::Filter;
use crate::graphql::relation::{Rel, load_rel};
use async_graphql::{
    ComplexObject, Context, ErrorExtensions, ID, InputObject, Object, Result, SimpleObject,
};
use chrono::NaiveDate;
use oppvekstgraf_catalog::RelationDef;
use oppvekstgraf_entity::{self as entity, municipality::Model};
use sea_orm::{DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{
    measure::{MeasureConnection, MeasureFilter},
    plan::{PlanConnection, PlanFilter},
};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        common::{check_municipality_number, connection, search_condition, with_status},
        enums::{Order, Status},
    },
    id::{GlobalId, NodeType},
    loader::find_one,
    page::PageArgs,
    sql::Sql,
};

crate::graphql::common::with_relations! {
    /// A municipality (kommune): the tenant that owns plans, measures and units. Identified by its 4-digit
    /// kommunenummer, which can change at mergers and county reforms (see `formerNumbers`).
    Municipality(MunicipalityFields)
}

connection!(
    MunicipalityConnection,
    MunicipalityEdge,
    Municipality,
    Model,
    "municipalities"
);
crate::graphql::common::node_object!(Municipality);

/// A kommunenummer a municipality had before.
#[derive(SimpleObject, Clone)]
pub struct FormerNumber {
    /// The former kommunenummer.
    pub number: String,
    /// First day it was valid.
    pub valid_from: Option<NaiveDate>,
    /// Last day it was valid.
    pub valid_to: Option<NaiveDate>,
}

const PLANS: Rel = Rel::right_field(RelationDef::of_link("plan_owner"));
const MEASURES: Rel = Rel::column("municipality_id", None);
const MEASURES_WITH_ADOPTED: Rel = Rel::owned_or_adopted(
    "SELECT municipality_id AS o_parent, id AS o_target, 0 AS o_adopted FROM measure",
    "Measure",
);
const PLANS_WITH_ADOPTED: Rel = Rel::owned_or_adopted(
    "SELECT municipality_id AS o_parent, plan_id AS o_target, 0 AS o_adopted FROM plan_owner",
    "Plan",
);

impl MunicipalityFields {
    fn uuid(&self) -> uuid::Uuid {
        self.node.uuid
    }
}

#[ComplexObject]
impl MunicipalityFields {
    /// Kommunenummer this municipality had before, oldest first.
    async fn former_numbers(&self, ctx: &Context<'_>) -> Result<Vec<FormerNumber>> {
        let db = ctx.data::<DatabaseConnection>()?;
        crate::cache::record(ctx, |deps| deps.add(crate::cache::Tag::Node(self.uuid())));
        let rows = entity::municipality_former_number::Entity::find()
            .filter(sea_orm::ColumnTrait::eq(
                &entity::municipality_former_number::Column::MunicipalityId,
                self.uuid(),
            ))
            .order_by_asc(entity::municipality_former_number::Column::ValidFrom)
            .all(db)
            .await
            .map_err(|e| ApiError::from(e).extend())?;
        Ok(rows
            .into_iter()
            .map(|r| FormerNumber {
                number: r.number,
                valid_from: r.valid_from,
                valid_to: r.valid_to,
            })
            .collect())
    }

    /// Plans this municipality owns, alone or jointly with others.
    async fn plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n edges (0-100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Returns the edges after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n edges (0-100).")] last: Option<i32>,
        #[graphql(desc = "Returns the edges before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrows the list.")] filter: Option<PlanFilter>,
        #[graphql(desc = "Sort order (default: name).")] order_by: Option<Order>,
        #[graphql(
            desc = "Also list the plans it adopted by reference from other municipalities (default true); they stay listed when their owner archives them.",
            default = true
        )]
        include_adopted: bool,
    ) -> Result<PlanConnection> {
        let args = PageArgs::new(first, after, last, before);
        let order = Some(order_by.unwrap_or(Order::NameAsc));
        let rel = if include_adopted {
            &PLANS_WITH_ADOPTED
        } else {
            &PLANS
        };
        let page =
            load_rel::<entity::plan::Entity>(ctx, rel, self.uuid(), args, &filter, order).await;
        page.and_then(PlanConnection::from_page).map_err(Into::into)
    }

    /// Plans this municipality owns together with other municipalities.
    async fn joint_plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n edges (0-100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Returns the edges after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n edges (0-100).")] last: Option<i32>,
        #[graphql(desc = "Returns the edges before this cursor.")] before: Option<String>,
    ) -> Result<PlanConnection> {
        let args = PageArgs::new(first, after, last, before);
        let filter = PlanFilter {
            joint: Some(true),
            ..Default::default()
        };
        let page = load_rel::<entity::plan::Entity>(
            ctx,
            &PLANS,
            self.uuid(),
            args,
            &filter,
            Some(Order::NameAsc),
        )
        .await;
        page.and_then(PlanConnection::from_page).map_err(Into::into)
    }

    /// Measures this municipality owns, in every plan.
    async fn measures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n edges (0-100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Returns the edges after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n edges (0-100).")] last: Option<i32>,
        #[graphql(desc = "Returns the edges before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrows the list.")] filter: Option<MeasureFilter>,
        #[graphql(desc = "Sort order (default: name).")] order_by: Option<Order>,
        #[graphql(
            desc = "Also list the measures it adopted by reference from other municipalities (default true); they stay listed when their owner archives them. Each measure's `municipality` is its owner.",
            default = true
        )]
        include_adopted: bool,
    ) -> Result<MeasureConnection> {
        let args = PageArgs::new(first, after, last, before);
        let page = load_rel::<entity::measure::Entity>(
            ctx,
            if include_adopted {
                &MEASURES_WITH_ADOPTED
            } else {
                &MEASURES
            },
            self.uuid(),
            args,
            &filter,
            order_by,
        )
        .await;
        page.and_then(MeasureConnection::from_page)
            .map_err(Into::into)
    }

    /// Measures and plans of other municipalities this municipality adopted by reference, in its order.
    async fn adoptions(&self, ctx: &Context<'_>) -> Result<Vec<super::sharing::Adoption>> {
        super::sharing::adoptions_by(ctx, self.uuid()).await
    }
}

/// Narrows a list of municipalities.
#[derive(InputObject, Default, Debug, Clone)]
pub struct MunicipalityFilter {
    /// Case-insensitive substring of the name.
    pub search: Option<String>,
    /// Only municipalities in this county (exact name, e.g. "Østfold").
    pub county: Option<String>,
    /// Only municipalities in the region with this slug (e.g. "mosseregionen").
    pub region: Option<String>,
    /// Only nodes in these publication states (anonymous readers see published nodes only).
    pub status: Option<Vec<Status>>,
    /// Only municipalities with at least one published measure matching this filter, owned or adopted by
    /// reference: e.g. `{legalReference: …}` for the municipalities whose measures cite a section,
    /// `{guidance: "…"}` for those following a guidance item, `{theme: "…"}` for those addressing a theme.
    pub measures: Option<MeasureFilter>,
}

impl Filter for MunicipalityFilter {
    fn conditions(&self) -> ApiResult<Vec<Sql>> {
        let mut out = Vec::new();
        if let Some(filter) = &self.measures {
            // The measure conditions refer to `t`: the sub-selects rebind it to the measure.
            let mut matching = Sql::with(
                "t.status = ?",
                vec![sea_orm::Value::from("published".to_string())],
            );
            let conditions = filter.conditions().map_err(|err| match err {
                ApiError::Validation { field, message } => ApiError::Validation {
                    field: format!(
                        "filter.measures.{}",
                        field.strip_prefix("filter.").unwrap_or(&field)
                    ),
                    message,
                },
                other => other,
            })?;
            for condition in conditions {
                matching.push(" AND (");
                matching.append(condition);
                matching.push(")");
            }
            let mut sql = Sql::raw("t.id IN (SELECT t.municipality_id FROM measure t WHERE ");
            sql.append(matching.clone());
            sql.push(") OR t.id IN (SELECT a.municipality_id FROM adoption a JOIN measure t ON t.id = a.source_id WHERE ");
            sql.append(matching);
            sql.push(")");
            out.push(sql);
        }
        if let Some(text) = &self.search {
            out.push(search_condition("filter.search", "name", text)?);
        }
        if let Some(county) = &self.county {
            out.push(Sql::with("t.county = ?", vec![county.as_str().into()]));
        }
        if let Some(region) = &self.region {
            out.push(Sql::with(
                "t.id IN (SELECT rm.municipality_id FROM region_member rm JOIN region r ON r.id = rm.region_id WHERE r.slug = ?)",
                vec![region.as_str().into()],
            ));
        }
        Ok(with_status(out, &self.status))
    }
}

/// `Query.municipality`, written by hand: the type has keys of its own (the other root fields are
/// generated, see `roots.rs`).
#[derive(Default)]
pub struct MunicipalityLookup;

#[Object]
impl MunicipalityLookup {
    /// One municipality by its kommunenummer (current or former), slug or ID. Give exactly one; null when
    /// nothing matches.
    async fn municipality(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Kommunenummer, e.g. \"1539\". A former number finds the municipality that had it."
        )]
        number: Option<String>,
        #[graphql(desc = "Slug, e.g. \"rauma\".")] slug: Option<String>,
        #[graphql(desc = "Global ID.")] id: Option<ID>,
    ) -> Result<Option<Municipality>> {
        let condition = match (number, slug, id) {
            (Some(number), None, None) => {
                check_municipality_number("number", &number)?;
                Sql::with(
                    "t.number = ? OR t.id IN (SELECT f.municipality_id FROM municipality_former_number f WHERE f.number = ? \
                     AND NOT EXISTS (SELECT 1 FROM municipality c WHERE c.number = ?))",
                    vec![
                        number.as_str().into(),
                        number.as_str().into(),
                        number.as_str().into(),
                    ],
                )
            }
            (None, Some(slug), None) => Sql::with("t.slug = ?", vec![slug.into()]),
            (None, None, Some(id)) => {
                let uuid = GlobalId::decode_as("id", &id, NodeType::Municipality)?;
                Sql::with("t.id = ?", vec![uuid.into()])
            }
            _ => {
                return Err(ApiError::validation(
                    "number",
                    "give exactly one of `number`, `slug` or `id`",
                )
                .extend());
            }
        };
        let found = find_one::<entity::municipality::Entity>(ctx, condition).await;
        found.map(|m| m.map(Municipality::from)).map_err(Into::into)
    }
}
