//! The node tables' implementations of [`Row`], [`Stored`] and [`Node`], generated from one declaration
//! per table: its foreign keys, natural key, parent and municipality.

use oppvekstgraf_entity::{self as entity, enums::Status};
use sea_orm::IntoActiveModel;
use uuid::Uuid;

use super::{IdMap, Node, Ref, Row, Stored};
use crate::id::NodeType;

/// Implements [`Row`], [`Stored`] and [`Node`] for a node table. `refs` lists the foreign keys as
/// `field => table` (`?` for nullable ones); `parent`, `key` and `municipality` are optional accessors.
macro_rules! node_rows {
    ($(
        $module:ident => $node:ident {
            refs: [$($field:ident => $table:literal $($opt:tt)?),*]
            $(, key: $key_col:literal => |$k:ident| $key:expr, slug_fallback: $fallback:literal)?
            $(, parent: $parent:ident)?
            $(, municipality: |$mm:ident| $municipality:expr)?
        }
    )*) => {$(
        impl Row for entity::$module::Model {
            const TABLE: &'static str = stringify!($module);
            fn label(&self) -> String {
                format!("{} {} ({})", Self::TABLE, self.id, self.slug)
            }
            fn refs(&self) -> Vec<Ref> {
                let refs: Vec<Option<Ref>> = vec![$(node_rows!(@ref self, $field, $table $($opt)?)),*];
                refs.into_iter().flatten().collect()
            }
            fn remap(&mut self, _map: &IdMap) {
                $(node_rows!(@remap _map, self, $field, $table $($opt)?);)*
            }
        }

        impl Stored for entity::$module::Model {
            type Entity = entity::$module::Entity;
            fn into_active(self) -> entity::$module::ActiveModel {
                self.into_active_model()
            }
        }

        impl Node for entity::$module::Model {
            const NODE: NodeType = NodeType::$node;
            $(
            const KEY_COLUMN: Option<&'static str> = Some($key_col);
            const SLUG_FALLBACK: bool = $fallback;
            fn key(&self) -> Option<String> {
                let $k = self;
                $key
            }
            )?
            fn id(&self) -> Uuid {
                self.id
            }
            fn slug(&self) -> &str {
                &self.slug
            }
            fn version(&self) -> i32 {
                self.version
            }
            fn status(&self) -> Status {
                self.status
            }
            $(
            fn parent(&self) -> Option<Uuid> {
                self.$parent
            }
            )?
            $(
            fn municipality(&self) -> Option<Uuid> {
                let $mm = self;
                $municipality
            }
            )?
            fn id_column() -> entity::$module::Column {
                entity::$module::Column::Id
            }
        }
    )*};
    (@ref $self:ident, $field:ident, $table:literal ?) => {
        Ref::opt(stringify!($field), $table, $self.$field)
    };
    (@ref $self:ident, $field:ident, $table:literal) => {
        Some(Ref::new(stringify!($field), $table, $self.$field))
    };
    (@remap $map:ident, $self:ident, $field:ident, $table:literal ?) => {
        $self.$field = $map.opt($table, $self.$field);
    };
    (@remap $map:ident, $self:ident, $field:ident, $table:literal) => {
        $self.$field = $map.get($table, $self.$field);
    };
}

node_rows!(
    municipality => Municipality {
        refs: [],
        key: "number" => |m| Some(m.number.clone()), slug_fallback: false,
        municipality: |m| Some(m.id)
    }
    region => Region { refs: [] }
    publisher => Publisher {
        refs: [],
        key: "organization_number" => |p| p.organization_number.clone(), slug_fallback: true
    }
    theme => Theme {
        refs: [],
        key: "los_uri" => |t| t.los_uri.clone(), slug_fallback: true
    }
    target_group => TargetGroup { refs: [] }
    law => Law {
        refs: [replaced_by_id => "law" ?],
        key: "lovdata_id" => |l| Some(l.lovdata_id.clone()), slug_fallback: false,
        parent: replaced_by_id
    }
    legal_reference => LegalReference {
        refs: [law_id => "law"],
        key: "natural_key" => |r| Some(r.natural_key.clone()), slug_fallback: false
    }
    guidance => Guidance {
        refs: [replaces_id => "guidance" ?],
        key: "code" => |g| g.code.clone(), slug_fallback: true,
        parent: replaces_id
    }
    concept => Concept { refs: [source_guidance_id => "guidance" ?] }
    unit => Unit {
        refs: [municipality_id => "municipality" ?, parent_id => "unit" ?],
        parent: parent_id,
        municipality: |u| u.municipality_id
    }
    plan => Plan {
        refs: [adopted_by_id => "unit" ?, parent_id => "plan" ?],
        parent: parent_id
    }
    goal => Goal { refs: [plan_id => "plan"] }
    measure => Measure {
        refs: [plan_id => "plan" ?, municipality_id => "municipality"],
        municipality: |m| Some(m.municipality_id)
    }
);
