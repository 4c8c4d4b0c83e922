//! A region: a named group of municipalities (Mosseregionen).
crate::node_table!("region" {
    pub name: String,
    pub description: Option<String>,
});
