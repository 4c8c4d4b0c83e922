//! Applying optional (`MaybeUndefined`) inputs to a row's fields.

use crate::error::ApiResult;

/// Applies an optional input: undefined keeps the current value, null clears it, a value is checked.
pub fn maybe<T>(
    value: async_graphql::MaybeUndefined<T>,
    current: &mut Option<T>,
    check: impl FnOnce(T) -> ApiResult<T>,
) -> ApiResult<()> {
    match value {
        async_graphql::MaybeUndefined::Undefined => {}
        async_graphql::MaybeUndefined::Null => *current = None,
        async_graphql::MaybeUndefined::Value(v) => *current = Some(check(v)?),
    }
    Ok(())
}

/// [`maybe`] for text of at most `max` characters.
pub fn maybe_text(
    field: &str,
    value: async_graphql::MaybeUndefined<String>,
    current: &mut Option<String>,
    max: usize,
) -> ApiResult<()> {
    maybe(value, current, |v| crate::validate::text(field, &v, max))
}

/// [`maybe`] for a web address.
pub fn maybe_url(
    field: &str,
    value: async_graphql::MaybeUndefined<String>,
    current: &mut Option<String>,
) -> ApiResult<()> {
    maybe(value, current, |v| crate::validate::url(field, &v))
}
