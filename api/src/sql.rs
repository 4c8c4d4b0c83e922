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

    /// `<expr> IN (<ids>)`. On PostgreSQL the ids go as one array parameter (`<expr> = ANY(CAST(? AS uuid[]))`),
    /// so the statement's text is the same however many ids a batch has: each connection prepares it once,
    /// and PostgreSQL can keep one plan for it instead of planning every batch anew. SQLite, without arrays,
    /// gets one placeholder per id.
    pub fn uuid_in(expr: &str, ids: &[uuid::Uuid], backend: DbBackend) -> Sql {
        if backend == DbBackend::Postgres {
            let mut array = String::with_capacity(2 + ids.len() * 37);
            array.push('{');
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    array.push(',');
                }
                array.push_str(&id.hyphenated().to_string());
            }
            array.push('}');
            Sql::with(
                format!("{expr} = ANY(CAST(? AS uuid[]))"),
                vec![Value::from(array)],
            )
        } else {
            Sql::with(
                format!("{expr} IN ({})", Sql::placeholders(ids.len())),
                ids.iter().copied().map(Value::from).collect(),
            )
        }
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
