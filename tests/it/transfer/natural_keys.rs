//! Transfer: shared nodes converge on the importing installation's own nodes by natural key.

use crate::common;

use common::TestApp;
use oppvekstgraf_entity::{
    self as entity,
    enums::{Language, LawKind, Status},
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, JsonValue, QueryFilter,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{BARNEVERNSLOVEN, export, import, municipality, put, second};

on_both!(shared_nodes_converge_by_natural_key);
async fn shared_nodes_converge_by_natural_key(a: &TestApp) {
    let document = export(a, "1539").await;
    let exported_law = document
        .shared
        .law
        .iter()
        .find(|l| l.lovdata_id == BARNEVERNSLOVEN)
        .expect("barnevernsloven is exported")
        .id;
    let b = second(a).await;
    // B has its own barnevernsloven and its own § 15-1, under other ids and slugs.
    let now = chrono::Utc::now();
    let law = entity::law::Model {
        id: Uuid::new_v4(),
        slug: "barnevernloven-lokal".into(),
        lovdata_id: BARNEVERNSLOVEN.into(),
        short_title: "bvl.".into(),
        title: "Lov om barnevern (lokal kopi)".into(),
        kind: LawKind::Act,
        in_force_from: None,
        replaced_by_id: None,
        note: None,
        status: Status::Published,
        language: Language::Nb,
        version: 3,
        created_at: now,
        updated_at: now,
    };
    let section = entity::legal_reference::Model {
        id: Uuid::new_v4(),
        slug: "bvl-15-1-lokal".into(),
        law_id: law.id,
        section: "15-1".into(),
        paragraph: None,
        heading: Some("Kommunens plan for forebyggende arbeid".into()),
        note: None,
        natural_key: format!("{BARNEVERNSLOVEN}|15-1|"),
        status: Status::Published,
        language: Language::Nb,
        version: 2,
        created_at: now,
        updated_at: now,
    };
    put(&b.state.db, law.clone()).await;
    put(&b.state.db, section.clone()).await;
    // Reread: the database's own precision of the timestamps.
    let law = entity::law::Entity::find_by_id(law.id)
        .one(&b.state.db)
        .await
        .expect("read")
        .expect("law");
    let section = entity::legal_reference::Entity::find_by_id(section.id)
        .one(&b.state.db)
        .await
        .expect("read")
        .expect("section");

    let report = import(&b, &document).await;
    assert!(report.shared["law"].matched >= 1, "{report}");
    assert!(report.shared["legal_reference"].matched >= 1, "{report}");

    // One barnevernsloven, B's own, unchanged; the same for § 15-1.
    let laws = entity::law::Entity::find()
        .filter(entity::law::Column::LovdataId.eq(BARNEVERNSLOVEN))
        .all(&b.state.db)
        .await
        .expect("laws");
    assert_eq!(laws, vec![law.clone()]);
    assert!(
        entity::law::Entity::find_by_id(exported_law)
            .one(&b.state.db)
            .await
            .expect("read")
            .is_none()
    );
    let sections = entity::legal_reference::Entity::find()
        .filter(entity::legal_reference::Column::NaturalKey.eq(section.natural_key.clone()))
        .all(&b.state.db)
        .await
        .expect("sections");
    assert_eq!(sections, vec![section.clone()]);
    // Every imported reference to barnevernsloven points at B's law …
    let references = entity::legal_reference::Entity::find()
        .filter(
            entity::legal_reference::Column::NaturalKey.starts_with(format!("{BARNEVERNSLOVEN}|")),
        )
        .all(&b.state.db)
        .await
        .expect("references");
    assert!(references.len() >= 3, "{references:?}");
    assert!(
        references.iter().all(|r| r.law_id == law.id),
        "{references:?}"
    );
    // … and the measures cite the same sections as in A, § 15-1 through B's own reference.
    let citing = |db: DatabaseConnection| async move {
        let backend = db.get_database_backend();
        let sql = oppvekstgraf_api::sql::Sql::with(
            "SELECT m.slug AS measure, r.natural_key AS reference, l.lovdata_id AS law, r.slug AS slug \
             FROM measure_legal_reference x JOIN measure m ON m.id = x.measure_id \
             JOIN legal_reference r ON r.id = x.legal_reference_id JOIN law l ON l.id = r.law_id \
             WHERE m.municipality_id = ? ORDER BY m.slug, r.natural_key",
            vec![municipality("1539").into()],
        );
        JsonValue::find_by_statement(sql.build(backend))
            .all(&db)
            .await
            .expect("citations")
    };
    let in_a = citing(a.state.db.clone()).await;
    let in_b = citing(b.state.db.clone()).await;
    let without_ids = |rows: &[Value]| -> Vec<(Value, Value, Value)> {
        rows.iter()
            .map(|r| {
                (
                    r["measure"].clone(),
                    r["reference"].clone(),
                    r["law"].clone(),
                )
            })
            .collect()
    };
    assert!(!in_b.is_empty());
    assert_eq!(without_ids(&in_b), without_ids(&in_a));
    let fifteen_one: Vec<&Value> = in_b
        .iter()
        .filter(|r| r["reference"] == json!(section.natural_key))
        .collect();
    assert!(!fifteen_one.is_empty());
    assert!(
        fifteen_one.iter().all(|r| r["slug"] == json!(section.slug)),
        "{fifteen_one:?}"
    );
    // B's export names B's nodes; importing again changes nothing.
    let from_b = export(&b, "1539").await;
    assert!(from_b.shared.law.iter().any(|l| l.id == law.id));
    assert!(!from_b.shared.law.iter().any(|l| l.id == exported_law));
    assert!(import(&b, &document).await.is_noop());
    b.finish().await;
}
