//! A small SQL text builder for the statements our loaders issue (window functions, link joins), which
//! renders `?` placeholders as `$n` on PostgreSQL. Identifiers come only from our own code; every value
//! supplied by a client is a bound parameter.

use sea_orm::{DbBackend, Statement, Value};

/// A fragment of SQL with `?` placeholders and its values.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    pub text: String,
    pub values: Vec<Value>,
}

impl Sql {
    /// A fragment without parameters.
    pub fn raw(text: impl Into<String>) -> Self {
        Sql {
            text: text.into(),
            values: Vec::new(),
        }
    }

    /// A fragment with parameters; `text` holds one `?` per value.
    pub fn with(text: impl Into<String>, values: Vec<Value>) -> Self {
        Sql {
            text: text.into(),
            values,
        }
    }

    /// Appends text.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends another fragment.
    pub fn append(&mut self, other: Sql) -> &mut Self {
        self.text.push_str(&other.text);
        self.values.extend(other.values);
        self
    }

    /// `?, ?, ?` for `n` values.
    pub fn placeholders(n: usize) -> String {
        vec!["?"; n].join(", ")
    }

    /// Renders the statement for `backend`.
    pub fn build(self, backend: DbBackend) -> Statement {
        let text = if backend == DbBackend::Postgres {
            let mut out = String::with_capacity(self.text.len() + 16);
            let mut n = 0;
            for ch in self.text.chars() {
                if ch == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(ch);
                }
            }
            out
        } else {
            self.text
        };
        Statement::from_sql_and_values(backend, text, self.values)
    }

    /// A stable text for comparing two fragments (used in loader keys).
    pub fn fingerprint(&self) -> String {
        format!("{}|{:?}", self.text, self.values)
    }
}

/// `"t"."column"` sorted byte-wise on both engines (PostgreSQL collates by locale otherwise).
pub fn text_order(backend: DbBackend, column: &str) -> String {
    if backend == DbBackend::Postgres {
        format!("t.{column} COLLATE \"C\"")
    } else {
        format!("t.{column}")
    }
}

/// Escapes `%`, `_` and `\` for a LIKE pattern (used with `ESCAPE '\'`).
pub fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}
