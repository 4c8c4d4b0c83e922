//! The walk that measures a parsed document's operations (cost, depth, expanded fields, directives and
//! aliases) against the schema's types, fragments memoised.

use std::collections::HashMap;

use async_graphql::{
    Pos, ServerError, ServerResult, Variables,
    parser::types::{
        ExecutableDocument, Field, FragmentDefinition, OperationType, Selection, SelectionSet,
    },
    registry::Registry,
};

use super::{Measured, QueryLimits, UNBOUNDED_LIST, exceeded};

/// A connection's page when the query does not say.
const DEFAULT_PAGE: u64 = 20;
/// A connection's largest page.
const MAX_PAGE: u64 = 100;

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
