//! Matching the document's shared nodes with this database's nodes — by natural key, then (where allowed) by
//! slug, then by id — and the lookups that needs.

use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::{ConnectionTrait, Value};
use uuid::Uuid;

use super::{
    DbContext, TransferError,
    document::Document,
    report::SharedCounts,
    rows::{IdMap, Node},
};
use crate::sql::Sql;

/// Values per statement in `IN (…)` lists.
const CHUNK: usize = 500;

/// The ids among `ids` that exist in `table`.
pub(crate) async fn existing_ids(
    c: &impl ConnectionTrait,
    table: &str,
    ids: &HashSet<Uuid>,
) -> Result<HashSet<Uuid>, TransferError> {
    let values: Vec<Value> = ids.iter().map(|id| (*id).into()).collect();
    let mut out = HashSet::new();
    for row in select(c, &format!("SELECT id FROM {table}"), "id", values).await? {
        out.insert(
            row.try_get::<Uuid>("", "id")
                .ctx(|| format!("reading ids of {table}"))?,
        );
    }
    Ok(out)
}

/// Runs `head WHERE column IN (…)` over `values` in chunks.
pub(crate) async fn select(
    c: &impl ConnectionTrait,
    head: &str,
    column: &str,
    values: Vec<Value>,
) -> Result<Vec<sea_orm::QueryResult>, TransferError> {
    let backend = c.get_database_backend();
    let mut out = Vec::new();
    for chunk in values.chunks(CHUNK) {
        let sql = Sql::with(
            format!(
                "{head} WHERE {column} IN ({})",
                Sql::placeholders(chunk.len())
            ),
            chunk.to_vec(),
        );
        out.extend(
            c.query_all_raw(sql.build(backend))
                .await
                .ctx(|| format!("running {head}"))?,
        );
    }
    Ok(out)
}

/// A node of this database: its id, slug and natural key.
#[derive(Debug, Clone)]
pub(crate) struct Local {
    /// The id.
    pub id: Uuid,
    /// The slug.
    pub slug: String,
    /// The natural key's value, for tables with one.
    pub key: Option<String>,
}

impl Local {
    /// Names the node in messages: table, id, slug and natural key.
    fn describe(&self, table: &str, key_column: Option<&str>) -> String {
        match (key_column, &self.key) {
            (Some(column), Some(key)) => {
                format!(
                    "{table} {} (slug {:?}, {column} {key:?})",
                    self.id, self.slug
                )
            }
            _ => format!("{table} {} (slug {:?})", self.id, self.slug),
        }
    }
}

/// The nodes of `N`'s table whose `column` is one of `values`, ordered by id.
pub(crate) async fn locals<N: Node>(
    c: &impl ConnectionTrait,
    column: &str,
    values: Vec<Value>,
) -> Result<Vec<Local>, TransferError> {
    let key = N::KEY_COLUMN.map_or(String::new(), |k| format!(", {k} AS k"));
    let rows = select(
        c,
        &format!("SELECT id, slug{key} FROM {}", N::TABLE),
        column,
        values,
    )
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let read = || -> Result<Local, sea_orm::DbErr> {
            Ok(Local {
                id: row.try_get("", "id")?,
                slug: row.try_get("", "slug")?,
                key: match N::KEY_COLUMN {
                    Some(_) => row.try_get("", "k")?,
                    None => None,
                },
            })
        };
        out.push(read().ctx(|| format!("reading {}", N::TABLE))?);
    }
    out.sort_by_key(|l| l.id);
    Ok(out)
}

/// The outcome of matching: the id map, which shared nodes are new here, and counts per table.
#[derive(Debug, Default)]
pub(crate) struct Matches {
    /// Document ids → local ids.
    pub map: IdMap,
    /// Shared nodes (table, document id) that do not exist here and will be created.
    pub created: HashSet<(&'static str, Uuid)>,
    /// Matched and created per table.
    pub counts: BTreeMap<String, SharedCounts>,
}

/// Matches every shared node of the document.
pub(crate) async fn match_shared(
    c: &impl ConnectionTrait,
    d: &Document,
) -> Result<Matches, TransferError> {
    let mut m = Matches::default();
    let s = &d.shared;
    match_table(c, &s.municipality, &mut m).await?;
    match_table(c, &s.region, &mut m).await?;
    match_table(c, &s.publisher, &mut m).await?;
    match_table(c, &s.theme, &mut m).await?;
    match_table(c, &s.target_group, &mut m).await?;
    match_table(c, &s.law, &mut m).await?;
    match_table(c, &s.legal_reference, &mut m).await?;
    match_table(c, &s.guidance, &mut m).await?;
    match_table(c, &s.concept, &mut m).await?;
    match_table(c, &s.unit, &mut m).await?;
    match_table(c, &s.plan, &mut m).await?;
    Ok(m)
}

/// Matches the shared nodes of one table.
///
/// A node matches the local node with the same natural key. Without one, tables that allow it match by slug
/// and then by id — but not a local node whose natural key differs. A node that matches nothing is created
/// with its exported id, so its slug and id must be free here.
async fn match_table<N: Node>(
    c: &impl ConnectionTrait,
    rows: &[N],
    m: &mut Matches,
) -> Result<(), TransferError> {
    if rows.is_empty() {
        return Ok(());
    }
    let candidates = Candidates::read(c, rows).await?;
    let counts = m.counts.entry(N::TABLE.to_string()).or_default();
    for row in rows {
        match candidates.find(row)? {
            Some(local) => {
                m.map.insert(N::TABLE, row.id(), local);
                counts.matched += 1;
            }
            None => {
                m.created.insert((N::TABLE, row.id()));
                counts.created += 1;
            }
        }
    }
    Ok(())
}

/// The local nodes of one table that the document's shared rows may match.
struct Candidates {
    /// By natural key (a key that is not unique may have several).
    by_key: HashMap<String, Vec<Local>>,
    /// By slug.
    by_slug: HashMap<String, Local>,
    /// By id.
    by_id: HashMap<Uuid, Local>,
}

impl Candidates {
    /// Reads the local nodes of `N` that share a natural key, a slug or an id with one of `rows`.
    async fn read<N: Node>(c: &impl ConnectionTrait, rows: &[N]) -> Result<Self, TransferError> {
        let mut by_key: HashMap<String, Vec<Local>> = HashMap::new();
        if let Some(column) = N::KEY_COLUMN {
            let keys: Vec<Value> = rows.iter().filter_map(Node::key).map(Value::from).collect();
            for local in locals::<N>(c, column, keys).await? {
                if let Some(key) = local.key.clone() {
                    by_key.entry(key).or_default().push(local);
                }
            }
        }
        let slugs: Vec<Value> = rows.iter().map(|r| Value::from(r.slug())).collect();
        let by_slug: HashMap<String, Local> = locals::<N>(c, "slug", slugs)
            .await?
            .into_iter()
            .map(|l| (l.slug.clone(), l))
            .collect();
        let ids: Vec<Value> = rows.iter().map(|r| Value::from(r.id())).collect();
        let by_id: HashMap<Uuid, Local> = locals::<N>(c, "id", ids)
            .await?
            .into_iter()
            .map(|l| (l.id, l))
            .collect();
        Ok(Candidates {
            by_key,
            by_slug,
            by_id,
        })
    }

    /// The local id `row` matches, None when it is new here, or an error when it may not be created.
    fn find<N: Node>(&self, row: &N) -> Result<Option<Uuid>, TransferError> {
        let key = row.key();
        let by_natural_key = key
            .as_ref()
            .and_then(|k| self.by_key.get(k))
            .and_then(|found| {
                found
                    .iter()
                    .find(|l| l.slug == row.slug())
                    .or_else(|| found.first())
            });
        let compatible = |l: &Local| match (&key, &l.key) {
            (Some(mine), Some(theirs)) => mine == theirs,
            _ => true,
        };
        let slug_hit = self.by_slug.get(row.slug());
        let id_hit = self.by_id.get(&row.id());
        if let Some(local) = by_natural_key {
            Ok(Some(local.id))
        } else if let Some(local) = slug_hit.filter(|l| N::SLUG_FALLBACK && compatible(l)) {
            Ok(Some(local.id))
        } else if let Some(local) = id_hit.filter(|l| N::SLUG_FALLBACK && compatible(l)) {
            Ok(Some(local.id))
        } else if let Some(local) = slug_hit {
            let what = format!("its slug {:?}", row.slug());
            Err(collision(row, key.as_deref(), what, local))
        } else if let Some(local) = id_hit {
            let what = format!("its id {}", row.id());
            Err(collision(row, key.as_deref(), what, local))
        } else {
            Ok(None)
        }
    }
}

/// The error for a shared node (natural key `key`) that is not here while `what` belongs to `local`.
fn collision<N: Node>(row: &N, key: Option<&str>, what: String, local: &Local) -> TransferError {
    TransferError::collision(
        N::TABLE,
        row.id(),
        format!(
            "the shared node with slug {:?}{} is not here, but {what} belongs to {}",
            row.slug(),
            match (N::KEY_COLUMN, key) {
                (Some(column), Some(key)) => format!(" and {column} {key:?}"),
                _ => String::new(),
            },
            local.describe(N::TABLE, N::KEY_COLUMN)
        ),
    )
}
