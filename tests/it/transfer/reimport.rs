//! Transfer: importing the same export twice changes nothing; a newer export updates in place.

use crate::common;

use std::collections::BTreeSet;

use common::TestApp;
use oppvekstgraf_api::transfer::{self, ChangeAction, ImportedChange};
use oppvekstgraf_entity as entity;
use oppvekstgraf_seed::stable_id;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};

use super::{export, full_dump, import, municipality, second, share};

on_both!(importing_twice_changes_nothing);
async fn importing_twice_changes_nothing(a: &TestApp) {
    share(a).await;
    let documents = [export(a, "1539").await, export(a, "3103").await];
    let b = second(a).await;
    for document in &documents {
        import(&b, document).await;
    }
    let before = full_dump(&b).await;
    for document in &documents {
        let report = import(&b, document).await;
        assert_eq!((report.created(), report.updated()), (0, 0), "{report}");
        assert!(report.is_noop(), "{report}");
        assert!(
            report.changes.is_empty() && report.skipped.is_empty(),
            "{report}"
        );
        assert!(report.unchanged() > 0 && report.matched() > 0, "{report}");
    }
    assert_eq!(
        full_dump(&b).await,
        before,
        "[{:?}] a second import wrote",
        b.backend
    );
    // Importing a municipality's export into the installation it came from changes nothing either.
    let before = full_dump(a).await;
    for document in &documents {
        assert!(import(a, document).await.is_noop());
    }
    assert_eq!(full_dump(a).await, before);
    b.finish().await;
}

on_both!(a_newer_export_updates_in_place);
async fn a_newer_export_updates_in_place(a: &TestApp) {
    let first = export(a, "1539").await;
    let b = second(a).await;
    import(&b, &first).await;

    // In A: a new title and one theme fewer for Årshjul, as a new version.
    let arshjul = stable_id("measure", "rauma-arshjul");
    let mut measure = entity::measure::Entity::find_by_id(arshjul)
        .one(&a.state.db)
        .await
        .expect("read")
        .expect("årshjul");
    measure.title = "Årshjul for oppvekst".into();
    measure.version += 1;
    measure.updated_at = chrono::Utc::now();
    let version = measure.version;
    entity::measure::Entity::update(measure.into_active_model().reset_all())
        .exec_without_returning(&a.state.db)
        .await
        .expect("update");
    let themes = entity::measure_theme::Entity::find()
        .filter(entity::measure_theme::Column::MeasureId.eq(arshjul))
        .all(&a.state.db)
        .await
        .expect("themes");
    assert!(!themes.is_empty());
    entity::measure_theme::Entity::delete_many()
        .filter(entity::measure_theme::Column::MeasureId.eq(arshjul))
        .filter(entity::measure_theme::Column::ThemeId.eq(themes[0].theme_id))
        .exec(&a.state.db)
        .await
        .expect("unlink");
    let newer = export(a, "1539").await;

    // A dry run reports the update and writes nothing.
    let before = full_dump(&b).await;
    let dry = transfer::import_dry_run(&b.state.db, &newer)
        .await
        .expect("dry run");
    assert_eq!((dry.created(), dry.updated()), (0, 1), "{dry}");
    assert_eq!(full_dump(&b).await, before, "a dry run writes nothing");

    let report = import(&b, &newer).await;
    assert_eq!((report.created(), report.updated()), (0, 1), "{report}");
    assert_eq!(report.owned["measure"].updated, 1, "{report}");
    assert_eq!(report.links["measure_theme"].deleted, 1, "{report}");
    assert_eq!(
        report.changes,
        vec![ImportedChange {
            node_type: "Measure",
            node_id: arshjul,
            action: ChangeAction::Updated,
            version,
            municipality_id: Some(municipality("1539")),
            public: true,
        }]
    );
    let after = full_dump(&b).await;
    for (table, rows) in &before {
        if table != "measure" && table != "measure_theme" && table != "change_event" {
            assert_eq!(&after[table], rows, "[{:?}] {table} changed", b.backend);
        }
    }
    // The update is one new event in the change feed.
    assert_eq!(
        after["change_event"].len(),
        before["change_event"].len() + 1
    );
    let changed = |table: &str| -> (Vec<String>, Vec<String>) {
        let old: BTreeSet<&String> = before[table].iter().collect();
        let new: BTreeSet<&String> = after[table].iter().collect();
        (
            old.difference(&new).map(|s| s.to_string()).collect(),
            new.difference(&old).map(|s| s.to_string()).collect(),
        )
    };
    let (gone, came) = changed("measure");
    assert_eq!((gone.len(), came.len()), (1, 1), "one measure row changed");
    assert!(came[0].contains("Årshjul for oppvekst") && came[0].contains(&arshjul.to_string()));
    let (gone, came) = changed("measure_theme");
    assert_eq!((gone.len(), came.len()), (1, 0), "one theme link removed");
    let in_a = entity::measure::Entity::find_by_id(arshjul)
        .one(&a.state.db)
        .await
        .expect("read");
    let in_b = entity::measure::Entity::find_by_id(arshjul)
        .one(&b.state.db)
        .await
        .expect("read");
    assert_eq!(in_a, in_b, "updated in place with the exported version");

    // The older document now finds a newer local version: kept, reported as skipped, nothing written.
    let report = import(&b, &first).await;
    assert_eq!((report.created(), report.updated()), (0, 0), "{report}");
    assert_eq!(report.skipped.len(), 1, "{report}");
    assert!(report.skipped[0].row.contains(&arshjul.to_string()));
    assert!(report.skipped[0].reason.contains("newer"), "{report}");
    assert_eq!(full_dump(&b).await, after);
    b.finish().await;
}
