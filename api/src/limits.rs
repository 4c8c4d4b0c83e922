//! Query limits, checked right after parsing and before validation, any resolver or any SQL:
//! document size and tokens, aliases, directives per field, depth, the expanded size of the operation and
//! its cost. Each executed query reports its cost in the response extensions.
//!
//! Fragments are measured once each (memoised), so a small document whose fragments spread each other many
//! times — which would expand to millions of fields — is measured in time linear in its length and refused
//! before validation expands it.
//!
//! Cost: the number of objects the response can hold. Every object costs 1 (scalars come with their
//! object's row and cost nothing); a field that returns a list of objects costs its length times one object
//! and what is selected under it: a connection's page (`first`/`last`, default 20, at most 100) for its `edges`/`nodes`,
//! the number of ids for `nodes(ids:)`, and [`UNBOUNDED_LIST`] for other lists.

mod guard;
mod meter;
mod tokens;

use async_graphql::{
    Pos, Response, ServerError, ServerResult, Variables, parser::types::ExecutableDocument,
    registry::Registry,
};

pub use guard::Guard;
pub use meter::measure;
pub use tokens::count_tokens;

/// The length assumed for lists without a page (e.g. `reusedBy`).
pub const UNBOUNDED_LIST: u64 = 20;

/// The limits every query must stay within.
#[derive(clap::Args, Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryLimits {
    /// Largest query document, in bytes.
    #[arg(long = "query-max-bytes", env = "QUERY_MAX_BYTES", default_value_t = 32 * 1024)]
    pub max_bytes: usize,
    /// Most lexical tokens in a query document.
    #[arg(
        long = "query-max-tokens",
        env = "QUERY_MAX_TOKENS",
        default_value_t = 5_000
    )]
    pub max_tokens: usize,
    /// Most aliased fields in a document.
    #[arg(
        long = "query-max-aliases",
        env = "QUERY_MAX_ALIASES",
        default_value_t = 50
    )]
    pub max_aliases: usize,
    /// Most directives on one field, fragment spread or inline fragment.
    #[arg(
        long = "query-max-directives",
        env = "QUERY_MAX_DIRECTIVES",
        default_value_t = 5
    )]
    pub max_directives: usize,
    /// Deepest nesting of fields, fragments expanded.
    #[arg(
        long = "query-max-depth",
        env = "QUERY_MAX_DEPTH",
        default_value_t = 12
    )]
    pub max_depth: u64,
    /// Most fields in the operations with every fragment expanded.
    #[arg(
        long = "query-max-fields",
        env = "QUERY_MAX_FIELDS",
        default_value_t = 2_000
    )]
    pub max_fields: u64,
    /// Highest cost of one operation (see the module docs for how it is counted).
    #[arg(
        long = "query-max-cost",
        env = "QUERY_MAX_COST",
        default_value_t = 50_000
    )]
    pub max_cost: u64,
    /// Highest cost of an introspection query (one that asks only `__schema`/`__type`): tooling's standard
    /// schema query is large, so it has its own budget.
    #[arg(
        long = "query-max-introspection-cost",
        env = "QUERY_MAX_INTROSPECTION_COST",
        default_value_t = 300_000
    )]
    pub max_introspection_cost: u64,
}

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits {
            max_bytes: 32 * 1024,
            max_tokens: 5_000,
            max_aliases: 50,
            max_directives: 5,
            max_depth: 12,
            max_fields: 2_000,
            max_cost: 50_000,
            max_introspection_cost: 300_000,
        }
    }
}

/// What was measured of a document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Measured {
    /// The highest cost of its operations.
    pub cost: u64,
    /// The deepest nesting.
    pub depth: u64,
    /// Fields with fragments expanded, all operations together.
    pub fields: u64,
    /// Whether every operation asks only `__schema`/`__type` (answered from memory, without SQL).
    pub introspection: bool,
}

/// What an introspection query is charged against the rate limit: it is answered from memory without SQL,
/// so tooling that fetches the schema on every page load is not throttled by its large estimate.
pub const INTROSPECTION_CHARGE: u64 = 1_000;

impl Measured {
    /// What the query is charged against the client's rate-limit budget.
    pub fn charge(&self) -> u64 {
        if self.introspection {
            INTROSPECTION_CHARGE.min(self.cost.max(1))
        } else {
            self.cost
        }
    }
}

/// A limit a query broke.
fn exceeded(limit: &str, value: u64, max: u64, message: String) -> ServerError {
    let mut error = ServerError::new(message, Some(Pos::default()));
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", "QUERY_LIMIT_EXCEEDED");
    ext.set("limit", limit);
    ext.set("value", value);
    ext.set("max", max);
    error.extensions = Some(ext);
    error.locations = Vec::new();
    error
}
/// Checks a request's document before validation: its size and tokens, then parses it once, measures it
/// against `limits` and charges its cost to `client` (when a limiter is on). Returns the parsed document,
/// which the request then executes without parsing it again, and what was measured.
pub fn admit(
    registry: &Registry,
    query: &str,
    variables: &Variables,
    limits: QueryLimits,
    rate: Option<(&crate::rate::Limiter, &crate::rate::ClientKey)>,
) -> ServerResult<(ExecutableDocument, Measured)> {
    if query.len() > limits.max_bytes {
        return Err(exceeded(
            "bytes",
            query.len() as u64,
            limits.max_bytes as u64,
            format!(
                "the query is {} bytes; at most {} are allowed",
                query.len(),
                limits.max_bytes
            ),
        ));
    }
    let tokens = count_tokens(query, limits.max_tokens);
    if tokens > limits.max_tokens {
        return Err(exceeded(
            "tokens",
            tokens as u64,
            limits.max_tokens as u64,
            format!("the query has more than {} tokens", limits.max_tokens),
        ));
    }
    // Parse and measure first: async-graphql's own checks after this (the recursion depth) expand every
    // fragment spread, which a fan-out of fragments turns into billions of steps.
    let parsed = async_graphql::parser::parse_query(query).map_err(ServerError::from)?;
    let measured = measure(registry, &parsed, variables, limits)?;
    if let Some((limiter, client)) = rate
        && let Err(wait) = limiter.charge(client, measured.charge())
    {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let mut error = ServerError::new(
            format!(
                "rate limit: this client has spent its query budget; try again in {seconds} s (smaller queries cost less)"
            ),
            None,
        );
        let mut ext = async_graphql::ErrorExtensionValues::default();
        ext.set("code", "RATE_LIMITED");
        ext.set("retryAfter", seconds);
        error.extensions = Some(ext);
        return Err(error);
    }
    Ok((parsed, measured))
}

/// Adds what was measured to an executed query's response, as its `cost` extension.
pub fn report(response: Response, measured: Measured, limits: QueryLimits) -> Response {
    response.extension(
        "cost",
        async_graphql::value!({
            "requested": measured.cost,
            "limit": limits.max_cost,
            "depth": measured.depth,
            "fields": measured.fields,
        }),
    )
}
