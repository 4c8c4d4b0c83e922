//! `oppvekstgraf token`: creates, lists and revokes API tokens.

use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use oppvekstgraf_api::{auth, config::DatabaseConfig};
use oppvekstgraf_entity::enums::Role;
use sea_orm::{DatabaseConnection, EntityTrait};

#[derive(Subcommand)]
pub(super) enum TokenAction {
    /// Create a token and print its secret (shown once; only a hash is stored).
    Create {
        /// A name that says who or what uses the token.
        #[arg(long)]
        name: String,
        /// `editor` (one municipality's content) or `admin` (the national registry and municipalities).
        #[arg(long, value_parser = ["editor", "admin"])]
        role: String,
        /// The editor's municipality (kommunenummer).
        #[arg(long)]
        municipality: Option<String>,
        /// When the token stops working: an RFC 3339 time, a date (midnight UTC) or a number of days (`90d`).
        #[arg(long)]
        expires: Option<String>,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id; it stops working at once.
    Revoke {
        /// The token's id (from `token list`).
        id: uuid::Uuid,
    },
}

/// Migrates `database` and runs `action` on its tokens.
pub(super) async fn token(
    database: &DatabaseConfig,
    action: TokenAction,
) -> anyhow::Result<ExitCode> {
    let db = super::connect_migrated(database).await?;
    match action {
        TokenAction::Create {
            name,
            role,
            municipality,
            expires,
        } => {
            create(
                &db,
                &name,
                &role,
                municipality.as_deref(),
                expires.as_deref(),
            )
            .await?
        }
        TokenAction::List => list(&db).await?,
        TokenAction::Revoke { id } => {
            let token = auth::revoke_token(&db, id).await?;
            println!("token {} ({}) is revoked", token.id, token.name);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Creates a token of `role` (`admin` or `editor`) and prints its secret, which is shown only this once.
async fn create(
    db: &DatabaseConnection,
    name: &str,
    role: &str,
    municipality: Option<&str>,
    expires: Option<&str>,
) -> anyhow::Result<()> {
    let role = if role == "admin" {
        Role::Admin
    } else {
        Role::Editor
    };
    let expires = expires.map(parse_expiry).transpose()?;
    let created = auth::create_token(db, name, role, municipality, expires).await?;
    eprintln!(
        "token {} created; the secret is shown once:",
        created.token.id
    );
    println!("{}", created.secret);
    Ok(())
}

/// Prints a table of the tokens (never their secrets).
async fn list(db: &DatabaseConnection) -> anyhow::Result<()> {
    println!(
        "{:<36}  {:<6}  {:<12}  {:<20}  {:<20}  name",
        "id", "role", "municipality", "expires", "revoked"
    );
    for t in auth::list_tokens(db).await? {
        let municipality = match t.municipality_id {
            Some(id) => oppvekstgraf_entity::municipality::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|m| m.number)
                .unwrap_or_default(),
            None => "-".into(),
        };
        let fmt = |at: Option<DateTime<Utc>>| {
            at.map_or("-".to_string(), |a| a.format("%Y-%m-%d %H:%M").to_string())
        };
        println!(
            "{:<36}  {:<6}  {:<12}  {:<20}  {:<20}  {}",
            t.id,
            format!("{:?}", t.role).to_lowercase(),
            municipality,
            fmt(t.expires_at),
            fmt(t.revoked_at),
            t.name
        );
    }
    Ok(())
}

/// The time `--expires` names: a number of days from now (`90d`), an RFC 3339 time, or a date (midnight
/// UTC).
fn parse_expiry(text: &str) -> anyhow::Result<DateTime<Utc>> {
    if let Some(days) = text.strip_suffix('d') {
        let days: i64 = days
            .parse()
            .context("--expires: write a number of days like `90d`")?;
        return Ok(Utc::now() + chrono::Duration::days(days));
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").context(
        "--expires: give an RFC 3339 time, a date (YYYY-MM-DD) or a number of days (`90d`)",
    )?;
    Ok(date.and_hms_opt(0, 0, 0).context("midnight")?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_forms() {
        let in_ninety = parse_expiry("90d").expect("days");
        let days = (in_ninety - chrono::Utc::now()).num_days();
        assert!((89..=90).contains(&days), "{days}");
        assert_eq!(
            parse_expiry("2027-01-31").expect("date").to_rfc3339(),
            "2027-01-31T00:00:00+00:00"
        );
        assert_eq!(
            parse_expiry("2027-01-31T12:00:00+01:00")
                .expect("time")
                .to_rfc3339(),
            "2027-01-31T11:00:00+00:00"
        );
        assert!(parse_expiry("soon").is_err());
        assert!(parse_expiry("xd").is_err());
    }
}
