//! A national guidance document (guideline, guide, circular, white paper, programme …).
crate::node_table!("guidance" {
    #[sea_orm(unique)]
    pub code: Option<String>,
    pub isbn: Option<String>,
    pub title: String,
    pub kind: GuidanceKind,
    pub url: Option<String>,
    pub summary: Option<String>,
    /// The heading a portal lists it under ("Forebygging og tidlig innsats").
    pub topic_group: Option<String>,
    pub published_year: Option<i32>,
    pub replaces_id: Option<Uuid>,
});
