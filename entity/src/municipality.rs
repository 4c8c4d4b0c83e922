//! A municipality (kommune): the tenant.
crate::node_table!("municipality" {
    /// Current 4-digit kommunenummer.
    #[sea_orm(unique)]
    pub number: String,
    pub name: String,
    pub organization_number: Option<String>,
    pub county: String,
    /// When `number` took effect.
    pub valid_from: Option<Date>,
});
