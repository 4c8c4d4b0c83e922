//! Transfer: a broken document is refused without writing anything.

use crate::common;

use common::TestApp;
use oppvekstgraf_api::transfer::{self, Document};
use oppvekstgraf_entity::{
    self as entity,
    enums::{Language, Status},
};
use oppvekstgraf_seed::stable_id;
use serde_json::json;
use uuid::Uuid;

use super::{RAUMA_ACTION_PART, export, full_dump, import, put, second};

on_both!(a_broken_document_writes_nothing);
async fn a_broken_document_writes_nothing(a: &TestApp) {
    let document = export(a, "1539").await;
    let b = second(a).await;
    import(&b, &export(a, "3103").await).await;
    // A plan of B's own that happens to use the slug of one of Rauma's plans.
    let now = chrono::Utc::now();
    let squatter = Uuid::new_v4();
    put(
        &b.state.db,
        entity::plan::Model {
            id: squatter,
            slug: RAUMA_ACTION_PART.into(),
            title: "En annen plan".into(),
            kind: entity::enums::PlanKind::Other,
            period_start: None,
            period_end: None,
            adopted_on: None,
            adopted_by_id: None,
            case_number: None,
            archive_case_number: None,
            document_url: None,
            summary: None,
            body: None,
            parent_id: None,
            status: Status::Draft,
            language: Language::Nb,
            version: 1,
            created_at: now,
            updated_at: now,
        },
    )
    .await;
    let before = full_dump(&b).await;

    // An unknown format version is refused on reading and on import.
    let mut value = serde_json::to_value(&document).expect("serialises");
    value["version"] = json!(2);
    let err = Document::from_json(&value.to_string()).expect_err("version 2");
    assert!(err.to_string().contains("version 2"), "{err}");
    let mut future = document.clone();
    future.version = 2;
    let err = transfer::import(&b.state.db, &future)
        .await
        .expect_err("version 2");
    assert!(err.to_string().contains("version 2"), "{err}");

    // A malformed id is named by its path.
    let mut value = serde_json::to_value(&document).expect("serialises");
    value["owned"]["measure"][0]["plan_id"] = json!("not-a-uuid");
    let err = Document::from_json(&value.to_string()).expect_err("bad uuid");
    assert!(
        err.to_string().contains("owned.measure[0].plan_id"),
        "{err}"
    );

    // A measure whose plan is in neither the document nor the database.
    let mut orphan = document.clone();
    let missing = Uuid::new_v4();
    let measure = &mut orphan.owned.measure[0];
    measure.plan_id = Some(missing);
    let (measure_id, measure_slug) = (measure.id, measure.slug.clone());
    let err = transfer::import(&b.state.db, &orphan)
        .await
        .expect_err("missing plan");
    let message = err.to_string();
    for part in [
        "owned.measure",
        &measure_id.to_string(),
        &measure_slug,
        "plan_id",
        &missing.to_string(),
    ] {
        assert!(message.contains(part), "{part:?} in {message}");
    }

    // A slug that belongs to a different node here.
    let err = transfer::import(&b.state.db, &document)
        .await
        .expect_err("slug collision");
    let message = err.to_string();
    let rauma_plan = stable_id("plan", RAUMA_ACTION_PART);
    for part in [
        "plan",
        &rauma_plan.to_string(),
        RAUMA_ACTION_PART,
        &squatter.to_string(),
    ] {
        assert!(message.contains(part), "{part:?} in {message}");
    }

    assert_eq!(
        full_dump(&b).await,
        before,
        "[{:?}] a refused import wrote",
        b.backend
    );
    b.finish().await;
}
