//! A defined term (begrep).
crate::node_table!("concept" {
    pub term: String,
    pub definition: String,
    /// JSON array of alternative labels.
    pub alt_labels: Json,
    pub scope_note: Option<String>,
    pub source: Option<String>,
    pub source_guidance_id: Option<Uuid>,
});
