//! An act or regulation, identified by its Lovdata id.
crate::node_table!("law" {
    #[sea_orm(unique)]
    pub lovdata_id: String,
    pub short_title: String,
    pub title: String,
    pub kind: LawKind,
    pub in_force_from: Option<Date>,
    pub replaced_by_id: Option<Uuid>,
    pub note: Option<String>,
});
