//! The implementations of [`Row`] and [`Stored`] for the tables that are neither nodes nor links: former
//! numbers, plan adoptions, adoptions and derivations.

use oppvekstgraf_entity as entity;
use sea_orm::IntoActiveModel;

use super::{IdMap, Ref, Row, Stored};

impl Row for entity::municipality_former_number::Model {
    const TABLE: &'static str = "municipality_former_number";
    fn label(&self) -> String {
        format!("{} {} ({})", Self::TABLE, self.id, self.number)
    }
    fn refs(&self) -> Vec<Ref> {
        vec![Ref::new(
            "municipality_id",
            "municipality",
            self.municipality_id,
        )]
    }
    fn remap(&mut self, map: &IdMap) {
        self.municipality_id = map.get("municipality", self.municipality_id);
    }
}

impl Stored for entity::municipality_former_number::Model {
    type Entity = entity::municipality_former_number::Entity;
    fn into_active(self) -> entity::municipality_former_number::ActiveModel {
        self.into_active_model()
    }
}

impl Row for entity::plan_adoption::Model {
    const TABLE: &'static str = "plan_adoption";
    fn label(&self) -> String {
        format!(
            "{} (plan_id {}, municipality_id {})",
            Self::TABLE,
            self.plan_id,
            self.municipality_id
        )
    }
    fn refs(&self) -> Vec<Ref> {
        let mut out = vec![
            Ref::new("plan_id", "plan", self.plan_id),
            Ref::new("municipality_id", "municipality", self.municipality_id),
        ];
        out.extend(Ref::opt("adopted_by_id", "unit", self.adopted_by_id));
        out
    }
    fn remap(&mut self, map: &IdMap) {
        self.plan_id = map.get("plan", self.plan_id);
        self.municipality_id = map.get("municipality", self.municipality_id);
        self.adopted_by_id = map.opt("unit", self.adopted_by_id);
    }
}

impl Stored for entity::plan_adoption::Model {
    type Entity = entity::plan_adoption::Entity;
    fn into_active(self) -> entity::plan_adoption::ActiveModel {
        self.into_active_model()
    }
}

impl Row for entity::adoption::Model {
    const TABLE: &'static str = "adoption";
    fn label(&self) -> String {
        format!("{} {}", Self::TABLE, self.id)
    }
    /// The source is a loose reference: it may name a node that is not in the document (another
    /// municipality's measure), and is kept as it is then.
    fn refs(&self) -> Vec<Ref> {
        vec![Ref::new(
            "municipality_id",
            "municipality",
            self.municipality_id,
        )]
    }
    fn remap(&mut self, map: &IdMap) {
        self.municipality_id = map.get("municipality", self.municipality_id);
        self.source_id = map.typed(&self.node_type, self.source_id);
    }
}

impl Stored for entity::adoption::Model {
    type Entity = entity::adoption::Entity;
    fn into_active(self) -> entity::adoption::ActiveModel {
        self.into_active_model()
    }
}

impl Row for entity::derivation::Model {
    const TABLE: &'static str = "derivation";
    fn label(&self) -> String {
        format!("{} {}", Self::TABLE, self.id)
    }
    /// The copy, its source and the source's municipality are loose references (no foreign key): rewritten
    /// when the document carries them, kept as they are otherwise.
    fn refs(&self) -> Vec<Ref> {
        vec![Ref::new(
            "municipality_id",
            "municipality",
            self.municipality_id,
        )]
    }
    fn remap(&mut self, map: &IdMap) {
        self.municipality_id = map.get("municipality", self.municipality_id);
        self.node_id = map.typed(&self.node_type, self.node_id);
        self.source_id = map.typed(&self.node_type, self.source_id);
        self.source_municipality_id = map.opt("municipality", self.source_municipality_id);
    }
}

impl Stored for entity::derivation::Model {
    type Entity = entity::derivation::Entity;
    fn into_active(self) -> entity::derivation::ActiveModel {
        self.into_active_model()
    }
}
