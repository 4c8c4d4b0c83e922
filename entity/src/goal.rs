//! A plan's main goal (hovedmål) for one focus area.
crate::node_table!("goal" {
    pub plan_id: Uuid,
    pub focus_area: String,
    pub statement: String,
    pub position: i32,
});
