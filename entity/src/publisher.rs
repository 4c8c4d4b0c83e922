//! An organisation that publishes guidance (directorate, ministry …).
crate::node_table!("publisher" {
    pub name: String,
    pub short_name: Option<String>,
    pub organization_number: Option<String>,
    pub url: Option<String>,
});
