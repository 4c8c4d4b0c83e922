//! Unique values under a lock: the transaction-scoped key lock, taken values and free slugs.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::Tx;
use crate::{
    error::{ApiError, ApiResult},
    sql::Sql,
};

impl Tx {
    /// Holds `key` until this transaction ends, so that of the mutations that check a unique value and then
    /// write it (a slug, a kommunenummer, a Lovdata id, the link between two nodes) one runs its check after
    /// the other has committed, and the loser gets the same VALIDATION error as a sequential request.
    /// PostgreSQL takes a transaction-scoped advisory lock on the key's 64-bit hash; SQLite needs nothing,
    /// as a mutation holds its write lock from `BEGIN IMMEDIATE` on.
    pub async fn lock_key(&self, key: &str) -> ApiResult<()> {
        let backend = self.txn.get_database_backend();
        if backend == sea_orm::DbBackend::Postgres {
            let sql = Sql::with(
                "SELECT pg_advisory_xact_lock(hashtextextended(?, 0)) IS NULL AS locked",
                vec![key.into()],
            );
            self.txn.query_one_raw(sql.build(backend)).await?;
        }
        Ok(())
    }

    /// Whether another row of `table` has `value` in `column` (one other than `except`), checked under
    /// [`Tx::lock_key`] on the value.
    pub async fn value_taken(
        &self,
        table: &str,
        column: &str,
        value: &str,
        except: Option<Uuid>,
    ) -> ApiResult<bool> {
        self.lock_key(&format!("{table}.{column}={value}")).await?;
        let mut sql = Sql::with(
            format!("SELECT 1 AS one FROM {table} WHERE {column} = ?"),
            vec![value.into()],
        );
        if let Some(id) = except {
            sql.append(Sql::with(" AND id <> ?", vec![id.into()]));
        }
        Ok(self.txn_query_one(sql).await?.is_some())
    }

    /// A free slug for a new node of `table`: the one asked for (refused when taken), or one made from
    /// `title` with `-2`, `-3` … appended as needed.
    pub async fn new_slug(
        &self,
        table: &str,
        wanted: Option<&str>,
        title: &str,
    ) -> ApiResult<String> {
        let taken =
            |slug: String| async move { self.value_taken(table, "slug", &slug, None).await };
        if let Some(wanted) = wanted {
            let slug = crate::validate::slug("input.slug", wanted)?;
            if taken(slug.clone()).await? {
                return Err(ApiError::validation(
                    "input.slug",
                    format!("{slug:?} is taken: choose another slug"),
                ));
            }
            return Ok(slug);
        }
        let base = crate::validate::slugify(title);
        let mut candidate = base.clone();
        for n in 2..1000 {
            if !taken(candidate.clone()).await? {
                return Ok(candidate);
            }
            candidate = format!("{base}-{n}");
        }
        Err(ApiError::validation(
            "input.slug",
            "no free slug could be made from the title: give one",
        ))
    }

    /// Applies the slug and language an update input gives (either may be absent) to a row of `T`. A new
    /// slug is refused when another node of the table has it.
    pub async fn rename<T: super::Writable>(
        &self,
        model: &mut <T as crate::loader::NodeTable>::Model,
        slug: Option<&str>,
        language: Option<oppvekstgraf_entity::enums::Language>,
    ) -> ApiResult<()> {
        let (id, current, current_language) = T::names(model);
        if let Some(wanted) = slug {
            let slug = crate::validate::slug("input.slug", wanted)?;
            if self.value_taken(T::TABLE, "slug", &slug, Some(id)).await? {
                return Err(ApiError::validation(
                    "input.slug",
                    format!("{slug:?} is taken: choose another slug"),
                ));
            }
            *current = slug;
        }
        if let Some(language) = language {
            *current_language = language;
        }
        Ok(())
    }
}
