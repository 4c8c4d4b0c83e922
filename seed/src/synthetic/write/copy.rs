//! PostgreSQL's `COPY … FROM STDIN` in its text format.

use anyhow::Context;
use sea_orm::Value;

use super::PgTx;

/// `COPY table (columns) FROM STDIN` in PostgreSQL's text format, sent in pieces of about a megabyte.
pub(super) async fn copy<T>(
    tx: &mut PgTx,
    table: &str,
    columns: &[&str],
    rows: &[T],
    values: impl Fn(&T, &mut Vec<Value>),
) -> anyhow::Result<usize> {
    const PIECE: usize = 1 << 20;
    if rows.is_empty() {
        return Ok(0);
    }
    let statement = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
    let mut copy = (**tx)
        .copy_in_raw(&statement)
        .await
        .map_err(|e| anyhow::anyhow!("writing {table}: {e}"))?;
    let mut buffer = String::with_capacity(PIECE + 4096);
    let mut row_values = Vec::with_capacity(columns.len());
    for row in rows {
        row_values.clear();
        values(row, &mut row_values);
        for (i, value) in row_values.iter().enumerate() {
            if i > 0 {
                buffer.push('\t');
            }
            copy_field(value, &mut buffer)
                .with_context(|| format!("writing {table}.{}", columns[i]))?;
        }
        buffer.push('\n');
        if buffer.len() >= PIECE {
            copy.send(std::mem::take(&mut buffer).into_bytes())
                .await
                .map_err(|e| anyhow::anyhow!("writing {table}: {e}"))?;
            buffer.reserve(PIECE + 4096);
        }
    }
    if !buffer.is_empty() {
        copy.send(buffer.into_bytes())
            .await
            .map_err(|e| anyhow::anyhow!("writing {table}: {e}"))?;
    }
    let written = copy
        .finish()
        .await
        .map_err(|e| anyhow::anyhow!("writing {table}: {e}"))?;
    Ok(written as usize)
}

/// One value in `COPY`'s text format: `\N` for NULL, backslash escapes in text.
fn copy_field(value: &Value, out: &mut String) -> anyhow::Result<()> {
    use std::fmt::Write;
    match value {
        Value::Uuid(Some(u)) => write!(out, "{}", u.hyphenated())?,
        Value::Int(Some(n)) => write!(out, "{n}")?,
        Value::ChronoDate(Some(d)) => write!(out, "{}", d.format("%Y-%m-%d"))?,
        Value::ChronoDateTimeUtc(Some(t)) => {
            write!(out, "{}", t.format("%Y-%m-%d %H:%M:%S%.f+00"))?
        }
        Value::String(Some(s)) => {
            for ch in s.chars() {
                match ch {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    _ => out.push(ch),
                }
            }
        }
        Value::Uuid(None)
        | Value::Int(None)
        | Value::ChronoDate(None)
        | Value::ChronoDateTimeUtc(None)
        | Value::String(None) => out.push_str("\\N"),
        other => anyhow::bail!("no COPY text for {other:?}"),
    }
    Ok(())
}
