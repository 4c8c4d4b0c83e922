//! Every relation field goes through a DataLoader: a nested query's number of SQL statements depends on its
//! depth, not on how many rows it touches. Counted at the seed size and at ten times the seed size.

use crate::common;

use oppvekstgraf_entity as entity;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

/// Pages hold every row at ten times the seed size and keep the query's cost under the default limit.
const TREE: &str = r#"{ municipality(number: "1539") { name
    plans(first: 55) { totalCount edges { node { title
      measures(first: 10) { totalCount edges { node { title
        units(first: 10) { totalCount edges { role node { name } } }
        legalReferences(first: 10) { totalCount edges { node { section } } } } } } } } } } }"#;

/// The levels of `TREE`: municipality, plans, measures, units and legal references.
const DEPTH: u64 = 5;

/// Copies Rauma's plans, with their measures and links, `copies` more times.
async fn multiply(app: &common::TestApp, copies: usize) {
    let db = &app.state.db;
    let rauma = entity::municipality::Entity::find()
        .filter(entity::municipality::Column::Number.eq("1539"))
        .one(db)
        .await
        .expect("query")
        .expect("Rauma");
    let owned: Vec<Uuid> = entity::plan_owner::Entity::find()
        .filter(entity::plan_owner::Column::MunicipalityId.eq(rauma.id))
        .all(db)
        .await
        .expect("owners")
        .into_iter()
        .map(|o| o.plan_id)
        .collect();
    let plans = entity::plan::Entity::find()
        .filter(entity::plan::Column::Id.is_in(owned))
        .all(db)
        .await
        .expect("plans");
    for copy in 0..copies {
        for plan in &plans {
            let mut new_plan = plan.clone();
            new_plan.id = Uuid::new_v4();
            new_plan.slug = format!("{}-copy-{copy}", plan.slug);
            new_plan.parent_id = None;
            insert(db, new_plan, "plan copy").await;
            let new_plan_id = new_plan_id(db, &plan.slug, copy).await;
            let owner = entity::plan_owner::Model {
                plan_id: new_plan_id,
                municipality_id: rauma.id,
                position: 0,
            };
            insert(db, owner, "owner").await;
            let measures = entity::measure::Entity::find()
                .filter(entity::measure::Column::PlanId.eq(plan.id))
                .all(db)
                .await
                .expect("measures");
            for measure in measures {
                copy_measure(db, measure, new_plan_id, copy).await;
            }
        }
    }
}

/// Copies `measure` (copy number `copy`) into the plan `plan_id`, with its links to units and legal
/// references.
async fn copy_measure(
    db: &DatabaseConnection,
    measure: entity::measure::Model,
    plan_id: Uuid,
    copy: usize,
) {
    let mut new_measure = measure.clone();
    new_measure.id = Uuid::new_v4();
    new_measure.slug = format!("{}-copy-{copy}", measure.slug);
    new_measure.plan_id = Some(plan_id);
    let new_id = new_measure.id;
    insert(db, new_measure, "measure copy").await;
    use entity::{measure_legal_reference as reference, measure_unit as unit};
    let units = unit::Entity::find().filter(unit::Column::MeasureId.eq(measure.id));
    for mut link in units.all(db).await.expect("units") {
        link.measure_id = new_id;
        insert(db, link, "unit link").await;
    }
    let references = reference::Entity::find().filter(reference::Column::MeasureId.eq(measure.id));
    for mut link in references.all(db).await.expect("references") {
        link.measure_id = new_id;
        insert(db, link, "reference link").await;
    }
}

/// Inserts `model` as a new row with every column set; `what` names it when that fails.
async fn insert<A>(db: &DatabaseConnection, model: impl IntoActiveModel<A>, what: &str)
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    model
        .into_active_model()
        .reset_all()
        .insert(db)
        .await
        .expect(what);
}

async fn new_plan_id(db: &DatabaseConnection, slug: &str, copy: usize) -> Uuid {
    entity::plan::Entity::find()
        .filter(entity::plan::Column::Slug.eq(format!("{slug}-copy-{copy}")))
        .one(db)
        .await
        .expect("query")
        .expect("copied plan")
        .id
}

/// Runs `TREE` three times and returns the fewest statements one run took (the process's background work —
/// the change feed's poll — runs on the same counted pool, and an overloaded machine can stretch a batching
/// window, so a single run may count one or two more; a loader that does not batch exceeds the depth every
/// time), and the rows touched as measures + unit edges + reference edges.
async fn measure_tree(app: &common::TestApp) -> (u64, u64) {
    let mut fewest = u64::MAX;
    let mut rows = 0;
    for _ in 0..3 {
        // Every run must reach the database: no cached result.
        app.state.cache.reset(app.state.cache.watermark());
        let (statements, touched) = measure_tree_once(app).await;
        fewest = fewest.min(statements);
        rows = touched;
    }
    (fewest, rows)
}

/// Runs `TREE` once: (statements, rows touched).
async fn measure_tree_once(app: &common::TestApp) -> (u64, u64) {
    let before = app.state.statements.get();
    let data = app.data(TREE, json!({})).await;
    let statements = app.state.statements.get() - before;
    let mut rows = 0;
    for plan in data["municipality"]["plans"]["edges"]
        .as_array()
        .expect("plans")
    {
        for measure in plan["node"]["measures"]["edges"]
            .as_array()
            .expect("measures")
        {
            rows += 1;
            rows += measure["node"]["units"]["edges"]
                .as_array()
                .map_or(0, Vec::len) as u64;
            rows += measure["node"]["legalReferences"]["edges"]
                .as_array()
                .map_or(0, Vec::len) as u64;
        }
    }
    (statements, rows)
}

on_both!(statement_count_depends_on_depth_not_size);
async fn statement_count_depends_on_depth_not_size(app: &common::TestApp) {
    let (small_statements, small_rows) = measure_tree(app).await;
    // Written behind the API's back (no change feed): `measure_tree` drops the cached results itself.
    multiply(app, 9).await;
    let (large_statements, large_rows) = measure_tree(app).await;
    assert!(
        small_rows > 20,
        "the seed tree is not trivial: {small_rows} rows"
    );
    assert_eq!(large_rows, small_rows * 10, "ten times the data");
    assert_eq!(
        small_statements, DEPTH,
        "[{:?}] one statement per level at seed size",
        app.backend
    );
    assert_eq!(
        large_statements, DEPTH,
        "[{:?}] one statement per level at ten times the size",
        app.backend
    );
}

/// `TREE` without `totalCount`: its pages are read without counting their lists.
const TREE_UNCOUNTED: &str = r#"{ municipality(number: "1539") { name
    plans(first: 55) { pageInfo { hasNextPage } edges { node { title
      measures(first: 10) { pageInfo { hasNextPage } edges { node { title
        units(first: 10) { edges { role node { name } } }
        legalReferences(first: 10) { nodes { section } } } } } } } } } }"#;

on_both!(concurrent_trees_load_each_level_in_one_statement);
async fn concurrent_trees_load_each_level_in_one_statement(app: &common::TestApp) {
    multiply(app, 9).await;
    const TREES: u64 = 8;
    // Three rounds of eight national-sized trees would spend a client's rate budget.
    let router = oppvekstgraf_api::app(app.state.clone().with_rate_limits(
        oppvekstgraf_api::rate::RateLimits {
            cost_per_minute: 0,
            ..Default::default()
        },
    ));
    let tree = |query: String| {
        let router = router.clone();
        async move {
            common::send_via(router, common::graphql_post(&query, json!({})))
                .await
                .1
        }
    };
    let mut fewest = u64::MAX;
    for _ in 0..3 {
        app.state.cache.reset(app.state.cache.watermark());
        let before = app.state.statements.get();
        // Named apart, so no tree is answered from another's cached result.
        let trees = (0..TREES).map(|i| {
            let query = if i % 2 == 0 { TREE } else { TREE_UNCOUNTED };
            tree(format!("query Tree{i} {query}"))
        });
        for response in futures_util::future::join_all(trees).await {
            assert!(
                response.get("errors").is_none(),
                "[{:?}] {response:#}",
                app.backend
            );
            let plans = &response["data"]["municipality"]["plans"]["edges"];
            assert!(
                plans.as_array().is_some_and(|plans| plans.len() >= 10),
                "ten times Rauma's plans: {plans}"
            );
        }
        fewest = fewest.min(app.state.statements.get() - before);
    }
    assert_eq!(
        fewest,
        TREES * DEPTH,
        "[{:?}] {TREES} trees at once: each level of each tree in one statement",
        app.backend
    );
}

/// Every plan asks for its measures twice, under aliases with other pages and a filter, and once more
/// through a fragment: siblings share one page query per field of the document, and fields that differ
/// get their own.
const ALIASED: &str = r#"{ municipality(number: "1539") {
    plans(first: 20) { nodes { title
      one: measures(first: 1) { totalCount nodes { title } }
      three: measures(first: 3) { totalCount nodes { title } }
      none: measures(first: 3, filter: {search: "zzz-no-such-measure"}) { totalCount nodes { title } }
      ...Listed } } } }
  fragment Listed on Plan { all: measures(first: 100) { nodes { title } } }"#;

on_both!(siblings_share_page_queries_and_aliases_keep_their_own);
async fn siblings_share_page_queries_and_aliases_keep_their_own(app: &common::TestApp) {
    let before = app.state.statements.get();
    let response = app.gql(ALIASED, json!({})).await;
    let statements = app.state.statements.get() - before;
    assert!(response.get("errors").is_none(), "{response:#}");
    let plans = response["data"]["municipality"]["plans"]["nodes"]
        .as_array()
        .expect("plans");
    let titles = |plan: &serde_json::Value, alias: &str| -> Vec<String> {
        plan[alias]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|m| m["title"].as_str().expect("title").to_string())
            .collect()
    };
    let mut longest = 0;
    for plan in plans {
        let all = titles(plan, "all");
        let total = all.len();
        longest = longest.max(total);
        assert_eq!(titles(plan, "one"), all[..total.min(1)], "{plan:#}");
        assert_eq!(titles(plan, "three"), all[..total.min(3)], "{plan:#}");
        assert!(titles(plan, "none").is_empty(), "{plan:#}");
        assert_eq!(plan["one"]["totalCount"], json!(total), "{plan:#}");
        assert_eq!(plan["three"]["totalCount"], json!(total), "{plan:#}");
        assert_eq!(plan["none"]["totalCount"], json!(0), "{plan:#}");
    }
    assert!(
        plans.len() >= 2 && longest > 3,
        "siblings, and a plan whose pages differ: {response:#}"
    );
    // The municipality, its plans, and one statement for each of the four measure fields.
    assert_eq!(statements, 6, "[{:?}] {response:#}", app.backend);
}
