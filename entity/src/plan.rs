//! A plan adopted by one or more municipalities.
crate::node_table!("plan" {
    pub title: String,
    pub kind: PlanKind,
    pub period_start: Option<i32>,
    pub period_end: Option<i32>,
    pub adopted_on: Option<Date>,
    /// The unit (usually kommunestyret) that adopted it.
    pub adopted_by_id: Option<Uuid>,
    /// Political case number, e.g. `PS-50/23`.
    pub case_number: Option<String>,
    /// Archive (Noark 5) case number, e.g. `2015/545`.
    pub archive_case_number: Option<String>,
    pub document_url: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub parent_id: Option<Uuid>,
});
