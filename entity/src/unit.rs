//! A responsible unit (ansvarlig enhet): body, service, role or forum.
crate::node_table!("unit" {
    pub name: String,
    pub kind: UnitKind,
    /// None for national bodies and external partners.
    pub municipality_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub description: Option<String>,
});
