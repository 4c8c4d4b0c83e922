//! API tokens and who a request acts for.
//!
//! A token's secret is `ogt_<token id>_<43 characters of base64url randomness>` (256 random bits). Only the
//! SHA-256 of the whole secret is stored; a presented secret is looked up by the id it carries and compared
//! in constant time. High-entropy random secrets need no slow password hash.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use oppvekstgraf_entity::{api_token, enums::Role, municipality};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

/// Someone who may write: the token's name, role and municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub token_id: Uuid,
    pub name: String,
    pub role: Role,
    /// The municipality an editor works for.
    pub municipality_id: Option<Uuid>,
}

impl Actor {
    /// True for admins.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// Who a request acts for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Viewer {
    /// No token: published content only, no writes.
    #[default]
    Anonymous,
    /// A valid token.
    Actor(Actor),
}

impl Viewer {
    /// The actor, or UNAUTHENTICATED.
    pub fn actor(&self) -> ApiResult<&Actor> {
        match self {
            Viewer::Actor(actor) => Ok(actor),
            Viewer::Anonymous => Err(ApiError::Unauthenticated(
                "this needs a token: send `Authorization: Bearer <token>`".into(),
            )),
        }
    }
}

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Resolves an `Authorization` header value. Anything but a valid, unexpired, unrevoked token is
/// UNAUTHENTICATED, with a message that does not say which of those it was.
pub async fn authenticate(db: &DatabaseConnection, header: &str) -> ApiResult<Actor> {
    let invalid =
        || ApiError::Unauthenticated("the token is malformed, unknown, expired or revoked".into());
    let secret = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .ok_or_else(|| ApiError::Unauthenticated("use `Authorization: Bearer <token>`".into()))?
        .trim();
    let mut parts = secret.splitn(3, '_');
    let (Some("ogt"), Some(id), Some(random)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid());
    };
    if random.len() != 43 {
        return Err(invalid());
    }
    let id = Uuid::try_parse(id).map_err(|_| invalid())?;
    let token = api_token::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(invalid)?;
    let matches: bool = hash(secret)
        .as_bytes()
        .ct_eq(token.secret_hash.as_bytes())
        .into();
    let now = Utc::now();
    if !matches || token.revoked_at.is_some() || token.expires_at.is_some_and(|at| at <= now) {
        return Err(invalid());
    }
    if token
        .last_used_at
        .is_none_or(|at| now - at > chrono::Duration::minutes(1))
    {
        let mut active = token.clone().into_active_model();
        active.last_used_at = Set(Some(now));
        // Bookkeeping only: a failure here must not fail the request.
        if let Err(err) = active.update(db).await {
            tracing::warn!(error = %err, "could not record token use");
        }
    }
    Ok(Actor {
        token_id: token.id,
        name: token.name,
        role: token.role,
        municipality_id: token.municipality_id,
    })
}

/// A token as `token create` made it: the row and the secret, shown once.
pub struct NewToken {
    pub token: api_token::Model,
    pub secret: String,
}

/// Creates a token. Editors need a municipality (kommunenummer); admins have none.
pub async fn create_token(
    db: &DatabaseConnection,
    name: &str,
    role: Role,
    municipality: Option<&str>,
    expires_at: Option<DateTime<Utc>>,
) -> anyhow::Result<NewToken> {
    let name = name.trim();
    anyhow::ensure!(
        !name.is_empty() && name.chars().count() <= 200,
        "--name: give 1 to 200 characters"
    );
    let municipality_id = match (role, municipality) {
        (Role::Editor, None) => {
            anyhow::bail!("--municipality: an editor token needs a kommunenummer")
        }
        (Role::Admin, Some(_)) => {
            anyhow::bail!("--municipality: admin tokens are not tied to a municipality")
        }
        (Role::Admin, None) => None,
        (Role::Editor, Some(number)) => Some(
            municipality::Entity::find()
                .filter(municipality::Column::Number.eq(number))
                .one(db)
                .await?
                .ok_or_else(|| {
                    anyhow::anyhow!("--municipality: no municipality has number {number:?}")
                })?
                .id,
        ),
    };
    if let Some(at) = expires_at {
        anyhow::ensure!(at > Utc::now(), "--expires: the time is in the past");
    }
    let id = Uuid::new_v4();
    let mut random = [0u8; 32];
    getrandom::fill(&mut random).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    let secret = format!("ogt_{}_{}", id.simple(), URL_SAFE_NO_PAD.encode(random));
    let token = api_token::Model {
        id,
        name: name.to_string(),
        role,
        municipality_id,
        secret_hash: hash(&secret),
        created_at: Utc::now(),
        expires_at,
        revoked_at: None,
        last_used_at: None,
    };
    api_token::Entity::insert(token.clone().into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(NewToken { token, secret })
}

/// Every token, newest first.
pub async fn list_tokens(db: &DatabaseConnection) -> anyhow::Result<Vec<api_token::Model>> {
    Ok(api_token::Entity::find()
        .order_by_desc(api_token::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Revokes a token by id; revoking twice is harmless.
pub async fn revoke_token(db: &DatabaseConnection, id: Uuid) -> anyhow::Result<api_token::Model> {
    let token = api_token::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no token has id {id}"))?;
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    let mut active = token.into_active_model();
    active.revoked_at = Set(Some(Utc::now()));
    Ok(active.update(db).await?)
}
