//! The read API over HTTP, on SQLite and PostgreSQL: the seed content, every root query, both directions of
//! every relation, pagination, filters, global IDs and visibility.

mod filters;
mod ids;
mod pagination;
mod relations;
mod seed_content;

const HANDLINGSDEL: &str = "rauma-handlingsdel-oppvekstplan-2023-2033";
const JOINT_PLAN: &str = "mosseregionen-handlingsplan-vold-i-naere-relasjoner-2022-2025";
