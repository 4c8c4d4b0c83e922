//! A target group (målgruppe).
crate::node_table!("target_group" {
    pub label: String,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    pub description: Option<String>,
});
