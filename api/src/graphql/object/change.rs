//! `Change`: one event of the change feed, the `changes` query to read the feed page by page, and the
//! `changes` subscription that delivers new events as they commit.

use async_graphql::{
    ComplexObject, Context, ErrorExtensions, ID, Object, Result, SimpleObject, Subscription,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use oppvekstgraf_entity::{self as entity, change_event::Model};
use sea_orm::{ActiveEnum, ConnectionTrait, DatabaseConnection};
use uuid::Uuid;

use super::municipality::Municipality;
use crate::{
    error::{ApiError, ApiResult},
    feed::{self, FeedFilter},
    graphql::{Node, common::check_municipality_number, enums::RevisionAction, node::fetch},
    id::{GlobalId, NodeType},
    loader::{Scope, load_node, scope},
    sql::Sql,
};

/// Events per page of `changes` by default.
const DEFAULT_PAGE: i32 = 100;
/// Events per page of `changes` at most.
const MAX_PAGE: i32 = 500;

/// One event of the change feed: a node was created, updated, published, archived, linked … Events are
/// ordered by commit; a reader that passes the last cursor it saw as `after` never misses one.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Change {
    /// Opaque cursor of this event: pass it as `after` to read what came next.
    pub cursor: String,
    /// What happened.
    pub action: RevisionAction,
    /// GraphQL type of the node, e.g. "Measure".
    pub node_type: String,
    /// Global ID of the node.
    pub node_id: ID,
    /// The node's version after the change.
    pub node_version: i32,
    /// When the change was committed.
    pub created_at: DateTime<Utc>,
    #[graphql(skip)]
    pub node_uuid: Uuid,
    #[graphql(skip)]
    pub node_kind: NodeType,
    #[graphql(skip)]
    pub municipality_id: Option<Uuid>,
}

/// The cursor of feed position `seq`.
pub fn change_cursor(seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("Change:{seq}"))
}

/// The feed position of cursor `after` (argument `field`).
fn decode_cursor(field: &str, after: &str) -> ApiResult<i64> {
    let invalid = || {
        ApiError::validation(
            field,
            "not a change cursor: pass the `cursor` of a Change (or omit it to start at the beginning)",
        )
    };
    let text = URL_SAFE_NO_PAD.decode(after).map_err(|_| invalid())?;
    let text = String::from_utf8(text).map_err(|_| invalid())?;
    let seq = text.strip_prefix("Change:").ok_or_else(invalid)?;
    seq.parse::<i64>()
        .ok()
        .filter(|s| *s >= 0)
        .ok_or_else(invalid)
}

impl From<Model> for Change {
    fn from(m: Model) -> Self {
        let kind = NodeType::ALL
            .into_iter()
            .find(|t| t.name() == m.node_type)
            .unwrap_or(NodeType::Revision);
        let action = entity::enums::RevisionAction::try_from_value(&m.action)
            .unwrap_or(entity::enums::RevisionAction::Update);
        Change {
            cursor: change_cursor(m.seq),
            action: action.into(),
            node_id: ID(GlobalId::new(kind, m.node_id).encode()),
            node_type: m.node_type,
            node_version: m.node_version,
            created_at: m.created_at,
            node_uuid: m.node_id,
            node_kind: kind,
            municipality_id: m.municipality_id,
        }
    }
}

#[ComplexObject]
impl Change {
    /// The node as it is now; null when the viewer may no longer see it (e.g. it was archived).
    async fn node(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        fetch(ctx, GlobalId::new(self.node_kind, self.node_uuid))
            .await
            .map_err(Into::into)
    }

    /// The municipality whose content changed; null for the shared national registry.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Option<Municipality>> {
        let Some(id) = self.municipality_id else {
            return Ok(None);
        };
        let found = load_node::<entity::municipality::Entity>(ctx, id).await;
        found.map(|m| m.map(Municipality::from)).map_err(Into::into)
    }
}

/// One page of the change feed.
#[derive(SimpleObject)]
pub struct ChangePage {
    /// The events, oldest first.
    pub changes: Vec<Change>,
    /// Where to go on from: the last event's cursor, or the `after` given when there was none. Store it and
    /// pass it as `after` next time.
    pub cursor: Option<String>,
    /// True when more events follow right away (ask again with `cursor`).
    pub has_more: bool,
}

/// The feed filter of the `changes` arguments.
async fn filter(
    db: &impl ConnectionTrait,
    after: Option<&str>,
    municipality: Option<&str>,
    types: Option<Vec<String>>,
) -> ApiResult<FeedFilter> {
    let after = match after {
        Some(after) => decode_cursor("after", after)?,
        None => 0,
    };
    let municipality = match municipality {
        None => None,
        Some(number) => {
            check_municipality_number("municipality", number)?;
            let sql = Sql::with(
                "SELECT id FROM municipality WHERE number = ?",
                vec![number.into()],
            );
            let row = db
                .query_one_raw(sql.build(db.get_database_backend()))
                .await?;
            match row {
                Some(row) => Some(row.try_get::<Uuid>("", "id")?),
                None => {
                    return Err(ApiError::validation(
                        "municipality",
                        format!("no municipality has number {number:?}"),
                    ));
                }
            }
        }
    };
    if let Some(types) = &types {
        for (i, name) in types.iter().enumerate() {
            if !NodeType::ALL
                .into_iter()
                .any(|t| t.name() == name && t != NodeType::Revision)
            {
                return Err(ApiError::validation(
                    format!("types[{i}]"),
                    format!(
                        "{name:?} is not a node type: give a type name such as \"Measure\" or \"Plan\""
                    ),
                ));
            }
        }
    }
    Ok(FeedFilter {
        after,
        until: None,
        municipality,
        types,
    })
}

/// Root field for the change feed.
#[derive(Default)]
pub struct ChangeQuery;

#[Object]
impl ChangeQuery {
    /// The change feed: what was created, updated, published, archived or linked, oldest first, in commit
    /// order. Anonymous readers see events of published content; an editor's preview adds their
    /// municipality's drafts, an admin's preview everything. Sync by storing the page's `cursor` and asking
    /// again with `after`.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events after this cursor (omit to start at the beginning).")]
        after: Option<String>,
        #[graphql(desc = "Events per page (1-500; default 100).")] first: Option<i32>,
        #[graphql(
            desc = "Only events about what this municipality (kommunenummer) owns, co-owns, adopted or copied."
        )]
        municipality: Option<String>,
        #[graphql(desc = "Only events about nodes of these types, e.g. [\"Measure\", \"Plan\"].")]
        types: Option<Vec<String>>,
    ) -> Result<ChangePage> {
        page(ctx, after, first, municipality, types)
            .await
            .map_err(Into::into)
    }
}

async fn page(
    ctx: &Context<'_>,
    after: Option<String>,
    first: Option<i32>,
    municipality: Option<String>,
    types: Option<Vec<String>>,
) -> ApiResult<ChangePage> {
    // Every write changes the feed: its pages are never cached.
    crate::cache::record(ctx, crate::cache::Deps::uncacheable);
    let first = first.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&first) {
        return Err(ApiError::validation(
            "first",
            format!("give between 1 and {MAX_PAGE} events per page"),
        ));
    }
    let db = ctx
        .data::<DatabaseConnection>()
        .map_err(|_| ApiError::Internal)?;
    let filter = filter(db, after.as_deref(), municipality.as_deref(), types).await?;
    let limit = u64::try_from(first).unwrap_or(100) + 1;
    let mut rows = feed::read(db, &filter, scope(ctx), limit).await?;
    let has_more = rows.len() as u64 == limit;
    rows.truncate(usize::try_from(first).unwrap_or(100));
    let cursor = rows.last().map(|m| change_cursor(m.seq)).or(after);
    Ok(ChangePage {
        changes: rows.into_iter().map(Change::from).collect(),
        cursor,
        has_more,
    })
}

/// All root subscription fields.
#[derive(Default)]
pub struct SubscriptionRoot;

/// Events as they happen.
#[Subscription]
impl SubscriptionRoot {
    /// Delivers change-feed events as they commit, in commit order, from any API process on the same
    /// database. Starts after `after` (catching up first) or, without it, at the newest event. Visibility as
    /// in the `changes` query; connect over graphql-ws at `/graphql/ws` and pass the token as
    /// `{"authorization": "Bearer …", "preview": true}` in the connection_init payload.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Start after this cursor, catching up first (omit to start at the newest event)."
        )]
        after: Option<String>,
        #[graphql(
            desc = "Only events about what this municipality (kommunenummer) owns, co-owns, adopted or copied."
        )]
        municipality: Option<String>,
        #[graphql(desc = "Only events about nodes of these types, e.g. [\"Measure\", \"Plan\"].")]
        types: Option<Vec<String>>,
    ) -> Result<impl Stream<Item = Change>> {
        let db = ctx
            .data::<DatabaseConnection>()
            .map_err(|_| ApiError::Internal.extend())?
            .clone();
        let hub = feed::hub(ctx).ok_or_else(|| ApiError::Internal.extend())?;
        let scope: Scope = scope(ctx);
        let mut filter = filter(&db, after.as_deref(), municipality.as_deref(), types).await?;
        if after.is_none() {
            filter.after = feed::latest(&db).await?;
        }
        let mut head = hub.subscribe();
        Ok(async_stream::stream! {
            // Keep the hub alive as long as the subscription.
            let _hub = hub;
            loop {
                let until = *head.borrow_and_update();
                if until > filter.after {
                    filter.until = Some(until);
                    loop {
                        match feed::read(&db, &filter, scope, 100).await {
                            Ok(rows) => {
                                let full = rows.len() == 100;
                                for row in rows {
                                    filter.after = row.seq;
                                    yield Change::from(row);
                                }
                                if !full {
                                    break;
                                }
                            }
                            Err(err) => {
                                tracing::warn!(error = ?err, "could not read the change feed");
                                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                            }
                        }
                    }
                    filter.after = until;
                }
                if head.changed().await.is_err() {
                    break;
                }
            }
        })
    }
}
