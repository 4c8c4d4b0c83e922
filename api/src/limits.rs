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

use std::{collections::HashMap, sync::Arc, sync::Mutex};

use async_graphql::{
    Pos, Response, SchemaEnv, ServerError, ServerResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery},
    parser::types::{
        ExecutableDocument, Field, FragmentDefinition, OperationType, Selection, SelectionSet,
    },
    registry::Registry,
};

/// The length assumed for lists without a page (e.g. `reusedBy`).
pub const UNBOUNDED_LIST: u64 = 20;
/// A connection's page when the query does not say.
const DEFAULT_PAGE: u64 = 20;
/// A connection's largest page.
const MAX_PAGE: u64 = 100;

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

/// Counts the lexical tokens of a GraphQL document (names, numbers, strings, punctuators), stopping once
/// `max` is passed.
pub fn count_tokens(text: &str, max: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut count = 0;
    while i < bytes.len() && count <= max {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
            0xEF if bytes[i..].starts_with(&[0xEF, 0xBB, 0xBF]) => i += 3,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' => {
                count += 1;
                if bytes[i..].starts_with(b"\"\"\"") {
                    i += 3;
                    while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                        i += if bytes[i..].starts_with(b"\\\"\"\"") {
                            4
                        } else {
                            1
                        };
                    }
                    i += 3;
                } else {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
            }
            b'.' if bytes[i..].starts_with(b"...") => {
                count += 1;
                i += 3;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' => {
                count += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || matches!(bytes[i], b'_' | b'.' | b'-' | b'+'))
                {
                    i += 1;
                }
            }
            _ => {
                count += 1;
                i += 1;
            }
        }
    }
    count
}

/// Measures an operation tree against the schema's types.
struct Meter<'a> {
    registry: &'a Registry,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    limits: QueryLimits,
    /// Per fragment: (cost, depth, fields), once computed.
    fragments: HashMap<String, (u64, u64, u64)>,
    /// Fragments being measured (to refuse cycles).
    visiting: Vec<String>,
}

impl Meter<'_> {
    fn integer(&self, value: &async_graphql_value::Value) -> Option<u64> {
        match value {
            async_graphql_value::Value::Number(n) => n.as_u64(),
            async_graphql_value::Value::Variable(name) => match self.variables.get(name) {
                Some(async_graphql_value::ConstValue::Number(n)) => n.as_u64(),
                _ => None,
            },
            _ => None,
        }
    }

    fn list_len(&self, value: &async_graphql_value::Value) -> Option<u64> {
        match value {
            async_graphql_value::Value::List(items) => Some(items.len() as u64),
            async_graphql_value::Value::Variable(name) => match self.variables.get(name) {
                Some(async_graphql_value::ConstValue::List(items)) => Some(items.len() as u64),
                _ => None,
            },
            _ => None,
        }
    }

    fn check_directives(&self, count: usize) -> ServerResult<()> {
        if count > self.limits.max_directives {
            return Err(exceeded(
                "directives",
                count as u64,
                self.limits.max_directives as u64,
                format!(
                    "a selection carries {count} directives; at most {} are allowed",
                    self.limits.max_directives
                ),
            ));
        }
        Ok(())
    }

    /// (cost, depth, fields) of `set` selected on type `ty` (None: unknown, e.g. a field that does not exist).
    fn selection_set(
        &mut self,
        set: &SelectionSet,
        ty: Option<&str>,
    ) -> ServerResult<(u64, u64, u64)> {
        let mut total = (0u64, 0u64, 0u64);
        for item in &set.items {
            let (cost, depth, fields) = match &item.node {
                Selection::Field(field) => self.field(&field.node, ty)?,
                Selection::InlineFragment(inline) => {
                    self.check_directives(inline.node.directives.len())?;
                    let on = inline
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.to_string());
                    let on = on.as_deref().or(ty).map(str::to_owned);
                    self.selection_set(&inline.node.selection_set.node, on.as_deref())?
                }
                Selection::FragmentSpread(spread) => {
                    self.check_directives(spread.node.directives.len())?;
                    self.fragment(spread.node.fragment_name.node.as_str())?
                }
            };
            total.0 = total.0.saturating_add(cost);
            total.1 = total.1.max(depth);
            total.2 = total.2.saturating_add(fields);
            if total.2 > self.limits.max_fields {
                return Err(self.too_many_fields(total.2));
            }
        }
        Ok(total)
    }

    fn too_many_fields(&self, fields: u64) -> ServerError {
        exceeded(
            "fields",
            fields,
            self.limits.max_fields,
            format!(
                "the query expands to more than {} fields (fragments spread out); ask for less",
                self.limits.max_fields
            ),
        )
    }

    fn fragment(&mut self, name: &str) -> ServerResult<(u64, u64, u64)> {
        if let Some(found) = self.fragments.get(name) {
            return Ok(*found);
        }
        if self.visiting.iter().any(|n| n == name) {
            let mut error = ServerError::new(
                format!("fragment \"{name}\" spreads itself (a cycle)"),
                Some(Pos::default()),
            );
            error.locations = Vec::new();
            let mut ext = async_graphql::ErrorExtensionValues::default();
            ext.set("code", "GRAPHQL_VALIDATION_FAILED");
            error.extensions = Some(ext);
            return Err(error);
        }
        let document = self.document;
        let Some(definition) = document.fragments.get(name) else {
            // Validation reports the unknown fragment.
            return Ok((0, 0, 0));
        };
        let definition: &FragmentDefinition = &definition.node;
        self.check_directives(definition.directives.len())?;
        self.visiting.push(name.to_string());
        let on = definition.type_condition.node.on.node.to_string();
        let measured = self.selection_set(&definition.selection_set.node, Some(&on));
        self.visiting.pop();
        let measured = measured?;
        self.fragments.insert(name.to_string(), measured);
        Ok(measured)
    }

    fn field(&mut self, field: &Field, parent: Option<&str>) -> ServerResult<(u64, u64, u64)> {
        self.check_directives(field.directives.len())?;
        let name = field.name.node.as_str();
        if name == "__typename" {
            return Ok((0, 1, 1));
        }
        if matches!(name, "__schema" | "__type") {
            // Introspection nests as deep as the schema's own type references (GraphQL tooling asks about
            // fifteen levels deep); its size and cost still count.
            let (cost, _, fields) = self.selection_set(
                &field.selection_set.node,
                Some(if name == "__schema" {
                    "__Schema"
                } else {
                    "__Type"
                }),
            )?;
            return Ok((cost.saturating_add(1), 1, fields + 1));
        }
        let meta_ty: Option<String> = match name {
            "__schema" => Some("__Schema!".into()),
            "__type" => Some("__Type".into()),
            _ => parent
                .and_then(|p| self.registry.types.get(p))
                .and_then(|t| t.field_by_name(name))
                .map(|f| f.ty.clone()),
        };
        let is_list = meta_ty.as_deref().is_some_and(|t| t.starts_with('['));
        let base = meta_ty
            .as_deref()
            .map(|t| t.trim_matches(|c| matches!(c, '[' | ']' | '!')).to_string());
        let parent_is_connection = parent.is_some_and(|p| p.ends_with("Connection"));
        let multiplier = if is_list {
            if name == "nodes" && !parent_is_connection {
                // `nodes(ids:)` at the root: as many as ids were given.
                field
                    .arguments
                    .iter()
                    .find(|(n, _)| n.node.as_str() == "ids")
                    .and_then(|(_, v)| self.list_len(&v.node))
                    .unwrap_or(UNBOUNDED_LIST)
            } else if parent_is_connection {
                // Filled in by the connection field (see below): edges/nodes of a page.
                1
            } else {
                UNBOUNDED_LIST
            }
        } else {
            1
        };
        let (mut cost, depth, fields) = if field.selection_set.node.items.is_empty() {
            (0, 0, 0)
        } else {
            self.selection_set(&field.selection_set.node, base.as_deref())?
        };
        if base.as_deref().is_some_and(|b| b.ends_with("Connection")) {
            // The page multiplies what its edges and nodes select.
            let page = field
                .arguments
                .iter()
                .find(|(n, _)| matches!(n.node.as_str(), "first" | "last"))
                .and_then(|(_, v)| self.integer(&v.node))
                .unwrap_or(DEFAULT_PAGE)
                .min(MAX_PAGE);
            cost = page_cost(self, &field.selection_set.node, base.as_deref(), page)?;
        }
        if field.selection_set.node.items.is_empty() {
            return Ok((0, 1, 1));
        }
        // One per object: a list of `multiplier` objects, or one object.
        let cost = multiplier.saturating_mul(cost.saturating_add(1));
        Ok((cost, depth + 1, fields + 1))
    }
}

/// The cost of a connection's selection: `edges`/`nodes` cost `page` times their selection; the rest once.
fn page_cost(
    meter: &mut Meter<'_>,
    set: &SelectionSet,
    ty: Option<&str>,
    page: u64,
) -> ServerResult<u64> {
    let mut total = 0u64;
    for item in &set.items {
        let cost = match &item.node {
            Selection::Field(field) => {
                let (cost, ..) = meter.field(&field.node, ty)?;
                if matches!(field.node.name.node.as_str(), "edges" | "nodes") {
                    // A page of objects.
                    page.saturating_mul(cost)
                } else {
                    cost
                }
            }
            Selection::InlineFragment(inline) => {
                page_cost(meter, &inline.node.selection_set.node, ty, page)?
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.to_string();
                match meter.document.fragments.get(name.as_str()) {
                    Some(definition) => {
                        page_cost(meter, &definition.node.selection_set.node, ty, page)?
                    }
                    None => 0,
                }
            }
        };
        total = total.saturating_add(cost);
    }
    Ok(total)
}

/// Counts aliases in every selection of the document (fragments once each).
fn aliases(document: &ExecutableDocument) -> usize {
    fn count(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(f) => {
                    usize::from(f.node.alias.is_some()) + count(&f.node.selection_set.node)
                }
                Selection::InlineFragment(i) => count(&i.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    document
        .operations
        .iter()
        .map(|(_, op)| count(&op.node.selection_set.node))
        .chain(
            document
                .fragments
                .values()
                .map(|f| count(&f.node.selection_set.node)),
        )
        .sum()
}

/// Measures `document` against `limits`; the error names the limit it broke.
pub fn measure(
    registry: &Registry,
    document: &ExecutableDocument,
    variables: &Variables,
    limits: QueryLimits,
) -> ServerResult<Measured> {
    let alias_count = aliases(document);
    if alias_count > limits.max_aliases {
        return Err(exceeded(
            "aliases",
            alias_count as u64,
            limits.max_aliases as u64,
            format!(
                "the query has {alias_count} aliases; at most {} are allowed",
                limits.max_aliases
            ),
        ));
    }
    let mut meter = Meter {
        registry,
        document,
        variables,
        limits,
        fragments: HashMap::new(),
        visiting: Vec::new(),
    };
    let mut measured = Measured {
        introspection: true,
        ..Measured::default()
    };
    for (_, operation) in document.operations.iter() {
        meter.check_directives(operation.node.directives.len())?;
        let root = match operation.node.ty {
            OperationType::Query => Some(registry.query_type.clone()),
            OperationType::Mutation => registry.mutation_type.clone(),
            OperationType::Subscription => registry.subscription_type.clone(),
        };
        let (cost, depth, fields) =
            meter.selection_set(&operation.node.selection_set.node, root.as_deref())?;
        if depth > limits.max_depth {
            return Err(exceeded(
                "depth",
                depth,
                limits.max_depth,
                format!(
                    "the query nests {depth} fields deep; at most {} are allowed",
                    limits.max_depth
                ),
            ));
        }
        let introspection = operation.node.selection_set.node.items.iter().all(
            |item| matches!(&item.node, Selection::Field(f) if f.node.name.node.starts_with("__")),
        );
        let max = if introspection {
            limits.max_introspection_cost
        } else {
            limits.max_cost
        };
        if cost > max {
            return Err(exceeded(
                "cost",
                cost,
                max,
                format!(
                    "the query costs {cost}; at most {max} is allowed: ask for smaller pages (`first`) or fewer nested lists"
                ),
            ));
        }
        measured.introspection &= introspection;
        measured.cost = measured.cost.max(cost);
        measured.depth = measured.depth.max(depth);
        measured.fields = measured.fields.saturating_add(fields);
        if measured.fields > limits.max_fields {
            return Err(meter.too_many_fields(measured.fields));
        }
    }
    Ok(measured)
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

/// The extension that applies [`QueryLimits`] and reports the cost, for executions that do not go through the
/// HTTP handler (subscriptions over WebSocket). It also hands out the schema's environment, whose type
/// registry the HTTP handler measures documents against (see [`crate::graphql::Schemas`]).
#[derive(Default)]
pub struct Guard {
    env: Arc<std::sync::OnceLock<SchemaEnv>>,
}

impl Guard {
    /// The slot the schema's environment is put in by the first request through this extension.
    pub fn env(&self) -> Arc<std::sync::OnceLock<SchemaEnv>> {
        self.env.clone()
    }
}

impl ExtensionFactory for Guard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(GuardExtension {
            env: self.env.clone(),
            measured: Mutex::default(),
        })
    }
}

/// One request's guard: remembers what it measured for the response.
struct GuardExtension {
    env: Arc<std::sync::OnceLock<SchemaEnv>>,
    measured: Mutex<Option<Measured>>,
}

#[async_trait::async_trait]
impl Extension for GuardExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        self.env.get_or_init(|| ctx.schema_env.clone());
        let limits = ctx.data_opt::<QueryLimits>().copied().unwrap_or_default();
        let rate = match (
            ctx.data_opt::<Arc<crate::rate::Limiter>>(),
            ctx.data_opt::<crate::rate::ClientKey>(),
        ) {
            (Some(limiter), Some(client)) => Some((limiter.as_ref(), client)),
            _ => None,
        };
        let (_, measured) = admit(&ctx.schema_env.registry, query, variables, limits, rate)?;
        if let Ok(mut slot) = self.measured.lock() {
            *slot = Some(measured);
        }
        next.run(ctx, query, variables).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        let measured = self.measured.lock().ok().and_then(|m| *m);
        let limits = ctx.data_opt::<QueryLimits>().copied().unwrap_or_default();
        match measured {
            Some(m) => report(response, m, limits),
            None => response,
        }
    }
}
