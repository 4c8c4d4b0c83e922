//! A theme or focus area (tema / innsatsområde).
crate::node_table!("theme" {
    pub label: String,
    pub description: Option<String>,
    pub los_uri: Option<String>,
});
