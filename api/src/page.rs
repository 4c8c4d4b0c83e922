//! Cursor pagination (Relay connections): arguments, the window they select, cursors and pages.
//!
//! Cursors are opaque: base64url of `<NodeType>:<position>`, where position is the 0-based place of the
//! edge in the ordered list. A cursor from a connection of another node type is refused.

use async_graphql::SimpleObject;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::{
    error::{ApiError, ApiResult},
    id::NodeType,
};

/// Page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE_SIZE: i64 = 20;
/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: i64 = 100;

/// The four Relay pagination arguments as a client sent them.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageArgs {
    /// The arguments in the order a connection field takes them.
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        PageArgs {
            first,
            after,
            last,
            before,
        }
    }
}

/// The slice of an ordered list a page covers, in 0-based positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    after: Option<i64>,
    before: Option<i64>,
    first: Option<i64>,
    last: Option<i64>,
}

fn page_size(field: &str, value: Option<i32>) -> ApiResult<Option<i64>> {
    match value {
        Some(n) if !(0..=MAX_PAGE_SIZE as i32).contains(&n) => Err(ApiError::validation(
            field,
            format!(
                "{n} is out of range: ask for 0 to {MAX_PAGE_SIZE} items per page and follow `pageInfo.endCursor` for more"
            ),
        )),
        other => Ok(other.map(i64::from)),
    }
}

/// Encodes the cursor of the edge at `position`.
pub fn encode_cursor(node: NodeType, position: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{position}", node.name()))
}

fn decode_cursor(field: &str, node: NodeType, cursor: &str) -> ApiResult<i64> {
    let invalid = || {
        ApiError::validation(
            field,
            format!(
                "{cursor:?} is not a cursor of this connection; use a `cursor` or `pageInfo` cursor from a page of {} nodes",
                node.name()
            ),
        )
    };
    let text = URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(invalid)?;
    let (name, position) = text.split_once(':').ok_or_else(invalid)?;
    if name != node.name() {
        return Err(invalid());
    }
    position
        .parse::<i64>()
        .ok()
        .filter(|p| *p >= 0)
        .ok_or_else(invalid)
}

impl Window {
    /// Validates the arguments of a connection of `node`s.
    pub fn parse(args: &PageArgs, node: NodeType) -> ApiResult<Window> {
        let first = page_size("first", args.first)?;
        let last = page_size("last", args.last)?;
        if first.is_some() && last.is_some() {
            return Err(ApiError::validation(
                "last",
                "give either `first` (forward paging) or `last` (backward paging), not both",
            ));
        }
        let after = args
            .after
            .as_deref()
            .map(|c| decode_cursor("after", node, c))
            .transpose()?;
        let before = args
            .before
            .as_deref()
            .map(|c| decode_cursor("before", node, c))
            .transpose()?;
        let (first, last) = match (first, last) {
            (None, None) if before.is_some() => (None, Some(DEFAULT_PAGE_SIZE)),
            (None, None) => (Some(DEFAULT_PAGE_SIZE), None),
            other => other,
        };
        Ok(Window {
            after,
            before,
            first,
            last,
        })
    }

    fn start(&self) -> i64 {
        self.after.map_or(0, |a| a + 1)
    }

    /// The SQL condition on `o__rn` (1-based row number) and `o__cnt` (partition size).
    pub fn sql(&self) -> String {
        let mut conds = vec![format!("o__rn > {}", self.start())];
        if let Some(b) = self.before {
            conds.push(format!("o__rn <= {b}"));
        }
        if let Some(n) = self.first {
            conds.push(format!("o__rn <= {}", self.start() + n));
        }
        if let Some(n) = self.last {
            match self.before {
                Some(b) => conds.push(format!("o__rn > {}", b - n)),
                None => conds.push(format!("o__rn > o__cnt - {n}")),
            }
        }
        conds.join(" AND ")
    }

    /// Whether the condition needs the length of the whole list (`last` without `before` counts back from the
    /// end).
    pub fn needs_count(&self) -> bool {
        self.last.is_some() && self.before.is_none()
    }

    /// The condition on `o__rn` for a page of a list that is not counted (only for windows that need no
    /// count): the page's rows and the one after them, which tells `pageInfo.hasNextPage`.
    pub fn sql_uncounted(&self) -> String {
        let mut conds = vec![format!("o__rn > {}", self.start())];
        if let Some(b) = self.before {
            conds.push(format!("o__rn <= {}", b + 1));
            if let Some(n) = self.last {
                conds.push(format!("o__rn > {}", b - n));
            }
        }
        if let Some(n) = self.first {
            conds.push(format!("o__rn <= {}", self.start() + n + 1));
        }
        conds.join(" AND ")
    }

    /// The same condition as [`Window::sql`], for a 0-based position in a list of `total`.
    pub fn contains(&self, position: i64, total: i64) -> bool {
        let end = self.before.unwrap_or(total);
        position >= self.start()
            && position < end
            && self.first.is_none_or(|n| position < self.start() + n)
            && self.last.is_none_or(|n| position >= end - n)
    }
}

/// One page of a connection: the edges in order and what the page knows of the whole list.
#[derive(Debug, Clone)]
pub struct Page<M> {
    /// `(position, row, role)` of each edge, in order.
    pub items: Vec<(i64, M, Option<String>)>,
    pub total: i64,
}

impl<M> Default for Page<M> {
    fn default() -> Self {
        Page {
            items: Vec::new(),
            total: 0,
        }
    }
}

/// Information about a page of a connection.
#[derive(Debug, Clone, SimpleObject)]
pub struct PageInfo {
    /// True when there are edges before this page (follow `startCursor` with `last`/`before`).
    pub has_previous_page: bool,
    /// True when there are edges after this page (follow `endCursor` with `first`/`after`).
    pub has_next_page: bool,
    /// The cursor of the first edge of this page, null when the page is empty.
    pub start_cursor: Option<String>,
    /// The cursor of the last edge of this page, null when the page is empty.
    pub end_cursor: Option<String>,
}

impl<M> Page<M> {
    /// The page's `pageInfo`.
    pub fn page_info(&self, node: NodeType) -> PageInfo {
        let first = self.items.first().map(|(p, ..)| *p);
        let last = self.items.last().map(|(p, ..)| *p);
        PageInfo {
            has_previous_page: first.is_some_and(|p| p > 0),
            has_next_page: last.is_some_and(|p| p + 1 < self.total),
            start_cursor: first.map(|p| encode_cursor(node, p)),
            end_cursor: last.map(|p| encode_cursor(node, p)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(
        first: Option<i32>,
        after: Option<i64>,
        last: Option<i32>,
        before: Option<i64>,
    ) -> Window {
        let args = PageArgs {
            first,
            after: after.map(|p| encode_cursor(NodeType::Plan, p)),
            last,
            before: before.map(|p| encode_cursor(NodeType::Plan, p)),
        };
        Window::parse(&args, NodeType::Plan).expect("valid window")
    }

    fn positions(w: Window, total: i64) -> Vec<i64> {
        (0..total).filter(|p| w.contains(*p, total)).collect()
    }

    #[test]
    fn windows_select_the_right_positions() {
        assert_eq!(positions(window(Some(2), None, None, None), 5), vec![0, 1]);
        assert_eq!(
            positions(window(Some(2), Some(1), None, None), 5),
            vec![2, 3]
        );
        assert_eq!(positions(window(None, None, Some(2), None), 5), vec![3, 4]);
        assert_eq!(
            positions(window(None, None, Some(2), Some(3)), 5),
            vec![1, 2]
        );
        assert_eq!(positions(window(None, None, None, None), 25).len(), 20);
        assert_eq!(
            positions(window(Some(0), None, None, None), 5),
            Vec::<i64>::new()
        );
        assert_eq!(
            positions(window(Some(3), Some(4), None, None), 5),
            Vec::<i64>::new()
        );
    }

    /// Positions an uncounted query returns for a list of `total`: the window's rows and at most one after.
    fn uncounted(w: Window, total: i64) -> Vec<i64> {
        let sql = w.sql_uncounted();
        (0..total)
            .filter(|p| {
                let rn = p + 1;
                sql.split(" AND ").all(|cond| {
                    let (op, bound) = cond
                        .trim_start_matches("o__rn ")
                        .split_once(' ')
                        .expect("o__rn <op> <bound>");
                    let bound: i64 = bound.parse().expect("a number");
                    match op {
                        ">" => rn > bound,
                        "<=" => rn <= bound,
                        other => panic!("unexpected operator {other}"),
                    }
                })
            })
            .collect()
    }

    #[test]
    fn uncounted_windows_fetch_one_row_past_the_page() {
        assert_eq!(
            uncounted(window(Some(2), None, None, None), 5),
            vec![0, 1, 2]
        );
        assert_eq!(
            uncounted(window(Some(2), Some(2), None, None), 5),
            vec![3, 4]
        );
        assert_eq!(
            uncounted(window(None, None, Some(2), Some(3)), 5),
            vec![1, 2, 3]
        );
        assert!(window(None, None, Some(2), None).needs_count());
        assert!(!window(Some(2), None, None, None).needs_count());
        assert!(!window(None, None, Some(2), Some(3)).needs_count());
    }

    #[test]
    fn refuses_bad_arguments() {
        let too_many = PageArgs {
            first: Some(101),
            ..Default::default()
        };
        assert!(Window::parse(&too_many, NodeType::Plan).is_err());
        let foreign = PageArgs {
            after: Some(encode_cursor(NodeType::Measure, 1)),
            ..Default::default()
        };
        assert!(Window::parse(&foreign, NodeType::Plan).is_err());
        let both = PageArgs {
            first: Some(1),
            last: Some(1),
            ..Default::default()
        };
        assert!(Window::parse(&both, NodeType::Plan).is_err());
    }
}
