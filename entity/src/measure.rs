//! A measure (tiltak), usually numbered inside a plan.
crate::node_table!("measure" {
    pub plan_id: Option<Uuid>,
    pub municipality_id: Uuid,
    pub number: Option<i32>,
    pub position: i32,
    pub title: String,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub frequency: Option<String>,
});
