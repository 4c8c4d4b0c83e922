//! A pointer to a law and a section, optionally a paragraph (ledd).
crate::node_table!("legal_reference" {
    pub law_id: Uuid,
    pub section: String,
    pub paragraph: Option<i32>,
    pub heading: Option<String>,
    pub note: Option<String>,
    /// `<lovdata id>|<section>|<paragraph or empty>`: unique, so a reference exists once.
    #[sea_orm(unique)]
    pub natural_key: String,
});
