//! Writes resolved seed records: upserts nodes (unchanged rows are left alone) and replaces link sets only
//! where they differ.

use chrono::{DateTime, Utc};
use oppvekstgraf_api::graphql::object::legal_reference::natural_key;
use oppvekstgraf_entity as entity;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IntoActiveModel, PrimaryKeyTrait, TransactionTrait, Value,
};
use uuid::Uuid;

use oppvekstgraf_api::feed::PendingChange;

use crate::{Content, Keys, records::MunicipalityKey, stable_id};

/// What a load changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub links_written: usize,
}

impl Report {
    /// True when the load wrote nothing.
    pub fn is_noop(&self) -> bool {
        self.inserted == 0 && self.updated == 0 && self.links_written == 0
    }
}

/// A node row the loader can compare and stamp.
trait SeedModel: Clone + PartialEq + Send + Sync {
    fn id(&self) -> Uuid;
    fn version(&self) -> i32;
    fn keep_stamps(&mut self, old: &Self);
    fn bump(&mut self, now: DateTime<Utc>);
}

macro_rules! seed_models {
    ($($module:ident),*) => {$(
        impl SeedModel for entity::$module::Model {
            fn id(&self) -> Uuid {
                self.id
            }
            fn version(&self) -> i32 {
                self.version
            }
            fn keep_stamps(&mut self, old: &Self) {
                self.created_at = old.created_at;
                self.updated_at = old.updated_at;
                self.version = old.version;
            }
            fn bump(&mut self, now: DateTime<Utc>) {
                self.updated_at = now;
                self.version += 1;
            }
        }
    )*};
}
seed_models!(
    municipality,
    region,
    publisher,
    theme,
    target_group,
    law,
    legal_reference,
    guidance,
    concept,
    unit,
    plan,
    goal,
    measure
);

struct Writer<'a> {
    txn: &'a DatabaseTransaction,
    now: DateTime<Utc>,
    report: Report,
    /// Whether the database held content before this load: then what the load changes goes to the change
    /// feed (so subscribers, syncing clients and every API process's response cache learn of it). The first
    /// load into an empty database is the starting point, not a change.
    announce: bool,
    changes: Vec<PendingChange>,
}

/// The GraphQL type name of a node table (`legal_reference` → `LegalReference`).
fn type_name(table: &str) -> String {
    table
        .split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

impl Writer<'_> {
    async fn upsert<E>(&mut self, model: E::Model) -> anyhow::Result<()>
    where
        E: EntityTrait,
        E::Model: SeedModel + IntoActiveModel<E::ActiveModel>,
        E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
        <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
    {
        let id = model.id();
        match E::find_by_id(id).one(self.txn).await? {
            None => {
                E::insert(model.into_active_model().reset_all())
                    .exec_without_returning(self.txn)
                    .await?;
                self.report.inserted += 1;
                self.announce(E::default().table_name(), id, "create", 1);
            }
            Some(old) => {
                let mut model = model;
                model.keep_stamps(&old);
                if model == old {
                    self.report.unchanged += 1;
                } else {
                    model.bump(self.now);
                    let version = model.version();
                    model
                        .into_active_model()
                        .reset_all()
                        .update(self.txn)
                        .await?;
                    self.report.updated += 1;
                    self.announce(E::default().table_name(), id, "update", version);
                }
            }
        }
        Ok(())
    }

    /// Queues a change-feed event for node `id` of `table`, when this load announces its changes.
    fn announce(&mut self, table: &str, id: Uuid, action: &str, version: i32) {
        if !self.announce {
            return;
        }
        self.changes.push(PendingChange {
            revision_id: None,
            node_type: type_name(table),
            node_id: id,
            action: action.into(),
            node_version: version,
            municipality_id: None,
            public: true,
            actor_name: "seed".into(),
            created_at: self.now,
        });
    }

    /// Makes the link rows of `parent` in `table` exactly `targets` (in order, with roles where given).
    async fn links(
        &mut self,
        table: &str,
        (left, right): (&str, &str),
        parent: Uuid,
        targets: Vec<(Uuid, Option<String>)>,
    ) -> anyhow::Result<()> {
        let backend = self.txn.get_database_backend();
        let has_role = targets.iter().any(|(_, r)| r.is_some())
            || matches!(table, "measure_unit" | "unit_member");
        let role_col = if has_role { ", role" } else { ", NULL AS role" };
        let select = oppvekstgraf_api::sql::Sql::with(
            format!(
                "SELECT {right} AS target, position{role_col} FROM {table} WHERE {left} = ? ORDER BY position"
            ),
            vec![parent.into()],
        );
        let rows = self.txn.query_all_raw(select.build(backend)).await?;
        let mut existing = Vec::with_capacity(rows.len());
        for row in rows {
            let target: Uuid = row.try_get("", "target")?;
            let role: Option<String> = row.try_get("", "role")?;
            existing.push((target, role));
        }
        if existing == targets {
            return Ok(());
        }
        let delete = oppvekstgraf_api::sql::Sql::with(
            format!("DELETE FROM {table} WHERE {left} = ?"),
            vec![parent.into()],
        );
        self.txn.execute_raw(delete.build(backend)).await?;
        for (position, (target, role)) in targets.into_iter().enumerate() {
            let mut values: Vec<Value> =
                vec![parent.into(), target.into(), (position as i32).into()];
            let (cols, marks) = match role {
                Some(role) => {
                    values.push(role.into());
                    (format!("{left}, {right}, position, role"), "?, ?, ?, ?")
                }
                None => (format!("{left}, {right}, position"), "?, ?, ?"),
            };
            let insert = oppvekstgraf_api::sql::Sql::with(
                format!("INSERT INTO {table} ({cols}) VALUES ({marks})"),
                values,
            );
            self.txn.execute_raw(insert.build(backend)).await?;
        }
        self.report.links_written += 1;
        let node_table = left.trim_end_matches("_id");
        if self.announce {
            let version = oppvekstgraf_api::sql::Sql::with(
                format!("SELECT version FROM {node_table} WHERE id = ?"),
                vec![parent.into()],
            );
            let version = match self.txn.query_one_raw(version.build(backend)).await? {
                Some(row) => row.try_get::<i32>("", "version")?,
                None => 1,
            };
            self.announce(node_table, parent, "link", version);
        }
        Ok(())
    }
}

fn plain(ids: Vec<Uuid>) -> Vec<(Uuid, Option<String>)> {
    ids.into_iter().map(|id| (id, None)).collect()
}

fn role<R: sea_orm::ActiveEnum<Value = String>>(role: &R) -> Option<String> {
    Some(role.to_value())
}

/// Orders records so that each comes after the record its `parent` names (self-references).
fn parents_first<T>(
    items: Vec<&T>,
    key: impl Fn(&T) -> &str,
    parent: impl Fn(&T) -> Option<&str>,
) -> Vec<&T> {
    let mut done: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut pending = items;
    let mut out = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let before = pending.len();
        let (ready, rest): (Vec<&T>, Vec<&T>) = pending
            .into_iter()
            .partition(|t| parent(t).is_none_or(|p| done.contains(p) || p == key(t)));
        for t in &ready {
            done.insert(key(t).to_string());
        }
        out.extend(ready);
        pending = rest;
        if pending.len() == before {
            // A cycle or a parent outside this set: keep the file order (the foreign key reports it).
            out.extend(pending);
            break;
        }
    }
    out
}

pub(crate) async fn write(
    db: &DatabaseConnection,
    content: &Content,
    keys: &Keys,
) -> anyhow::Result<Report> {
    let announce = !crate::is_empty(db).await?;
    let txn = db.begin().await?;
    let mut w = Writer {
        txn: &txn,
        now: Utc::now(),
        report: Report::default(),
        announce,
        changes: Vec::new(),
    };
    let now = w.now;
    macro_rules! node {
        ($id:expr, $slug:expr, $r:expr) => {
            ($id, $slug.to_string(), $r.status, $r.language, 1, now, now)
        };
    }

    // Municipalities, regions and the shared national registry.
    let mut neighbours: std::collections::BTreeMap<Uuid, Vec<Uuid>> = Default::default();
    for (file, f) in &content.files {
        let file = file.as_str();
        if let Some(MunicipalityKey::Records(list)) = &f.municipality {
            for m in list {
                let (id, slug, status, language, version, created_at, updated_at) =
                    node!(stable_id("municipality", &m.number), m.slug, m);
                w.upsert::<entity::municipality::Entity>(entity::municipality::Model {
                    id,
                    slug,
                    status,
                    language,
                    version,
                    created_at,
                    updated_at,
                    number: m.number.clone(),
                    name: m.name.clone(),
                    organization_number: m.organization_number.clone(),
                    county: m.county.clone(),
                    valid_from: m.valid_from,
                })
                .await?;
                for n in keys.all(file, "municipality", &m.neighbours)? {
                    neighbours.entry(id).or_default().push(n);
                    neighbours.entry(n).or_default().push(id);
                }
            }
        }
    }
    for (municipality, mut list) in neighbours {
        list.sort();
        list.dedup();
        w.links(
            "municipality_neighbour",
            ("municipality_id", "neighbour_id"),
            municipality,
            plain(list),
        )
        .await?;
    }
    for (file, f) in &content.files {
        let file = file.as_str();
        if let Some(MunicipalityKey::Records(list)) = &f.municipality {
            for m in list {
                write_former_numbers(&mut w, stable_id("municipality", &m.number), m).await?;
            }
        }
        for r in &f.regions {
            let (id, slug, status, language, version, created_at, updated_at) =
                node!(stable_id("region", &r.slug), r.slug, r);
            w.upsert::<entity::region::Entity>(entity::region::Model {
                id,
                slug,
                status,
                language,
                version,
                created_at,
                updated_at,
                name: r.name.clone(),
                description: r.description.clone(),
            })
            .await?;
            w.links(
                "region_member",
                ("region_id", "municipality_id"),
                id,
                plain(keys.all(file, "municipality", &r.members)?),
            )
            .await?;
        }
        for p in &f.publishers {
            let (id, slug, status, language, version, created_at, updated_at) =
                node!(stable_id("publisher", &p.slug), p.slug, p);
            w.upsert::<entity::publisher::Entity>(entity::publisher::Model {
                id,
                slug,
                status,
                language,
                version,
                created_at,
                updated_at,
                name: p.name.clone(),
                short_name: p.short_name.clone(),
                organization_number: p.organization_number.clone(),
                url: p.url.clone(),
            })
            .await?;
        }
        for t in &f.themes {
            let (id, slug, status, language, version, created_at, updated_at) =
                node!(stable_id("theme", &t.slug), t.slug, t);
            w.upsert::<entity::theme::Entity>(entity::theme::Model {
                id,
                slug,
                status,
                language,
                version,
                created_at,
                updated_at,
                label: t.label.clone(),
                description: t.description.clone(),
                los_uri: t.los_uri.clone(),
            })
            .await?;
        }
        for t in &f.target_groups {
            let (id, slug, status, language, version, created_at, updated_at) =
                node!(stable_id("target_group", &t.slug), t.slug, t);
            w.upsert::<entity::target_group::Entity>(entity::target_group::Model {
                id,
                slug,
                status,
                language,
                version,
                created_at,
                updated_at,
                label: t.label.clone(),
                min_age: t.min_age,
                max_age: t.max_age,
                description: t.description.clone(),
            })
            .await?;
        }
    }
    // Laws (replacements first), then their sections.
    let laws: Vec<(&str, &crate::records::Law)> = content
        .files
        .iter()
        .flat_map(|(file, f)| f.laws.iter().map(move |l| (file.as_str(), l)))
        .collect();
    // A replaced law points to its replacement, so the replacement goes first.
    let ordered = parents_first(
        laws.iter().collect(),
        |(_, l)| l.lovdata_id.as_str(),
        |(_, l)| l.replaced_by.as_deref(),
    );
    for (file, l) in ordered {
        let (id, slug, status, language, version, created_at, updated_at) =
            node!(stable_id("law", &l.lovdata_id), l.slug, l);
        w.upsert::<entity::law::Entity>(entity::law::Model {
            id,
            slug,
            status,
            language,
            version,
            created_at,
            updated_at,
            lovdata_id: l.lovdata_id.clone(),
            short_title: l.short_title.clone(),
            title: l.title.clone(),
            kind: l.kind,
            in_force_from: l.in_force_from,
            replaced_by_id: keys.opt(file, "law", &l.replaced_by)?,
            note: l.note.clone(),
        })
        .await?;
    }
    for (file, f) in &content.files {
        for r in &f.legal_references {
            let key = natural_key(&r.law, &r.section, r.paragraph);
            let slug = key
                .to_lowercase()
                .replace(['|', ' '], "-")
                .trim_end_matches('-')
                .replace("--", "-");
            let (id, slug, status, language, version, created_at, updated_at) =
                node!(stable_id("legal_reference", &key), slug, r);
            w.upsert::<entity::legal_reference::Entity>(entity::legal_reference::Model {
                id,
                slug,
                status,
                language,
                version,
                created_at,
                updated_at,
                law_id: keys.get(file, "law", &r.law)?,
                section: r.section.clone(),
                paragraph: r.paragraph,
                heading: r.heading.clone(),
                note: r.note.clone(),
                natural_key: key,
            })
            .await?;
        }
    }
    // Guidance (replaced items first), its links, and concepts.
    let guidance: Vec<(&str, &crate::records::Guidance)> = content
        .files
        .iter()
        .flat_map(|(file, f)| f.guidance.iter().map(move |g| (file.as_str(), g)))
        .collect();
    for (file, g) in parents_first(
        guidance.iter().collect(),
        |(_, g)| g.slug.as_str(),
        |(_, g)| g.replaces.as_deref(),
    ) {
        let (id, slug, status, language, version, created_at, updated_at) =
            node!(stable_id("guidance", &g.slug), g.slug, g);
        w.upsert::<entity::guidance::Entity>(entity::guidance::Model {
            id,
            slug,
            status,
            language,
            version,
            created_at,
            updated_at,
            code: g.code.clone(),
            isbn: g.isbn.clone(),
            title: g.title.clone(),
            kind: g.kind,
            url: g.url.clone(),
            summary: g.summary.clone(),
            topic_group: g.topic_group.clone(),
            published_year: g.published_year,
            replaces_id: keys.opt(file, "guidance", &g.replaces)?,
        })
        .await?;
        let links = [
            (
                "guidance_publisher",
                "publisher_id",
                keys.all(file, "publisher", &g.publishers)?,
            ),
            (
                "guidance_legal_reference",
                "legal_reference_id",
                keys.legal_references(file, &g.legal_references)?,
            ),
            (
                "guidance_theme",
                "theme_id",
                keys.all(file, "theme", &g.themes)?,
            ),
            (
                "guidance_target_group",
                "target_group_id",
                keys.all(file, "target_group", &g.target_groups)?,
            ),
        ];
        for (table, right, targets) in links {
            w.links(table, ("guidance_id", right), id, plain(targets))
                .await?;
        }
    }
    for (file, f) in &content.files {
        for c in &f.concepts {
            let (id, slug, status, language, version, created_at, updated_at) =
                node!(stable_id("concept", &c.slug), c.slug, c);
            w.upsert::<entity::concept::Entity>(entity::concept::Model {
                id,
                slug,
                status,
                language,
                version,
                created_at,
                updated_at,
                term: c.term.clone(),
                definition: c.definition.clone(),
                alt_labels: serde_json::json!(c.alt_labels),
                scope_note: c.scope_note.clone(),
                source: c.source.clone(),
                source_guidance_id: keys.opt(file, "guidance", &c.source_guidance)?,
            })
            .await?;
        }
    }
    // Each municipality's units, plans and measures.
    for (file, f) in &content.files {
        let file = file.as_str();
        let owner = match &f.municipality {
            Some(MunicipalityKey::Owner(number)) => Some(keys.get(file, "municipality", number)?),
            _ => None,
        };
        let owned = |what: &str| -> anyhow::Result<Uuid> {
            owner.ok_or_else(|| {
                anyhow::anyhow!(
                    "{file}: {what} needs `municipality = \"<number>\"` at the top of the file"
                )
            })
        };
        for u in parents_first(
            f.units.iter().collect(),
            |u| u.slug.as_str(),
            |u| u.parent.as_deref(),
        ) {
            let (id, slug, status, language, version, created_at, updated_at) =
                node!(stable_id("unit", &u.slug), u.slug, u);
            w.upsert::<entity::unit::Entity>(entity::unit::Model {
                id,
                slug,
                status,
                language,
                version,
                created_at,
                updated_at,
                name: u.name.clone(),
                kind: u.kind,
                municipality_id: if u.national {
                    None
                } else {
                    Some(owned("a unit")?)
                },
                parent_id: keys.opt(file, "unit", &u.parent)?,
                description: u.description.clone(),
            })
            .await?;
        }
        for u in &f.units {
            let members = u
                .members
                .iter()
                .map(|m| Ok((keys.get(file, "unit", &m.unit)?, role(&m.role))))
                .collect::<anyhow::Result<_>>()?;
            w.links(
                "unit_member",
                ("unit_id", "member_id"),
                stable_id("unit", &u.slug),
                members,
            )
            .await?;
        }
        for p in parents_first(
            f.plans.iter().collect(),
            |p| p.slug.as_str(),
            |p| p.parent.as_deref(),
        ) {
            let (id, slug, status, language, version, created_at, updated_at) =
                node!(stable_id("plan", &p.slug), p.slug, p);
            w.upsert::<entity::plan::Entity>(entity::plan::Model {
                id,
                slug,
                status,
                language,
                version,
                created_at,
                updated_at,
                title: p.title.clone(),
                kind: p.kind,
                period_start: p.period_start,
                period_end: p.period_end,
                adopted_on: p.adopted_on,
                adopted_by_id: keys.opt(file, "unit", &p.adopted_by)?,
                case_number: p.case_number.clone(),
                archive_case_number: p.archive_case_number.clone(),
                document_url: p.document_url.clone(),
                summary: p.summary.clone(),
                body: p.body.clone(),
                parent_id: keys.opt(file, "plan", &p.parent)?,
            })
            .await?;
            let owners = if p.owners.is_empty() {
                vec![owned("a plan")?]
            } else {
                keys.all(file, "municipality", &p.owners)?
            };
            let links = [
                ("plan_owner", "municipality_id", owners),
                (
                    "plan_legal_reference",
                    "legal_reference_id",
                    keys.legal_references(file, &p.legal_references)?,
                ),
                (
                    "plan_guidance",
                    "guidance_id",
                    keys.all(file, "guidance", &p.guidance)?,
                ),
                (
                    "plan_theme",
                    "theme_id",
                    keys.all(file, "theme", &p.themes)?,
                ),
                (
                    "plan_target_group",
                    "target_group_id",
                    keys.all(file, "target_group", &p.target_groups)?,
                ),
                (
                    "plan_concept",
                    "concept_id",
                    keys.all(file, "concept", &p.concepts)?,
                ),
            ];
            for (table, right, targets) in links {
                w.links(table, ("plan_id", right), id, plain(targets))
                    .await?;
            }
            for (position, g) in p.goal.iter().enumerate() {
                let slug = crate::goal_slug(&p.slug, position);
                let (gid, slug, status, language, version, created_at, updated_at) =
                    node!(crate::goal_id(&p.slug, position), slug, p);
                w.upsert::<entity::goal::Entity>(entity::goal::Model {
                    id: gid,
                    slug,
                    status,
                    language,
                    version,
                    created_at,
                    updated_at,
                    plan_id: id,
                    focus_area: g.focus_area.clone(),
                    statement: g.statement.clone(),
                    position: position as i32,
                })
                .await?;
            }
        }
        let mut positions: std::collections::HashMap<&str, i32> = Default::default();
        for m in &f.measures {
            let position = positions.entry(m.plan.as_str()).or_insert(0);
            let (id, slug, status, language, version, created_at, updated_at) =
                node!(stable_id("measure", &m.slug), m.slug, m);
            w.upsert::<entity::measure::Entity>(entity::measure::Model {
                id,
                slug,
                status,
                language,
                version,
                created_at,
                updated_at,
                plan_id: Some(keys.get(file, "plan", &m.plan)?),
                municipality_id: owned("a measure")?,
                number: m.number,
                position: *position,
                title: m.title.clone(),
                summary: m.summary.clone(),
                body: m.body.clone(),
                frequency: m.frequency.clone(),
            })
            .await?;
            *position += 1;
            let units = m
                .units
                .iter()
                .map(|r| Ok((keys.get(file, "unit", &r.unit)?, role(&r.role))))
                .collect::<anyhow::Result<_>>()?;
            w.links("measure_unit", ("measure_id", "unit_id"), id, units)
                .await?;
            let links = [
                (
                    "measure_legal_reference",
                    "legal_reference_id",
                    keys.legal_references(file, &m.legal_references)?,
                ),
                (
                    "measure_guidance",
                    "guidance_id",
                    keys.all(file, "guidance", &m.guidance)?,
                ),
                (
                    "measure_theme",
                    "theme_id",
                    keys.all(file, "theme", &m.themes)?,
                ),
                (
                    "measure_target_group",
                    "target_group_id",
                    keys.all(file, "target_group", &m.target_groups)?,
                ),
                (
                    "measure_related_plan",
                    "plan_id",
                    keys.all(file, "plan", &m.related_plans)?,
                ),
                ("measure_goal", "goal_id", keys.goals(file, &m.goals)?),
            ];
            for (table, right, targets) in links {
                w.links(table, ("measure_id", right), id, plain(targets))
                    .await?;
            }
        }
    }
    let report = w.report;
    oppvekstgraf_api::feed::append(&txn, std::mem::take(&mut w.changes))
        .await
        .map_err(|e| anyhow::anyhow!("writing the change feed: {}", e.message()))?;
    txn.commit().await?;
    Ok(report)
}

async fn write_former_numbers(
    w: &mut Writer<'_>,
    municipality: Uuid,
    m: &crate::records::Municipality,
) -> anyhow::Result<()> {
    use entity::municipality_former_number as former;
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let existing = former::Entity::find()
        .filter(former::Column::MunicipalityId.eq(municipality))
        .order_by_asc(former::Column::Number)
        .all(w.txn)
        .await?;
    let mut desired: Vec<former::Model> = m
        .former_number
        .iter()
        .map(|f| former::Model {
            id: stable_id("former_number", &format!("{}:{}", m.number, f.number)),
            municipality_id: municipality,
            number: f.number.clone(),
            valid_from: f.valid_from,
            valid_to: f.valid_to,
        })
        .collect();
    desired.sort_by(|a, b| a.number.cmp(&b.number));
    if existing == desired {
        return Ok(());
    }
    former::Entity::delete_many()
        .filter(former::Column::MunicipalityId.eq(municipality))
        .exec(w.txn)
        .await?;
    for model in desired {
        former::Entity::insert(model.into_active_model().reset_all())
            .exec_without_returning(w.txn)
            .await?;
    }
    w.report.links_written += 1;
    // Former numbers are part of the municipality (its version is unchanged: they are not versioned).
    let version = entity::municipality::Entity::find_by_id(municipality)
        .one(w.txn)
        .await?
        .map_or(1, |m| m.version);
    w.announce("municipality", municipality, "update", version);
    Ok(())
}
