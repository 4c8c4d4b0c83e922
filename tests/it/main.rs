//! The integration tests, as one binary (it links the API once): every test goes through the public surface —
//! the real router, or a real process of the binary — on a fresh database, on SQLite and on PostgreSQL
//! (`on_both!`). Run one area with `cargo test --test it <module>::`, e.g. `cargo test --test it faults::`.

#[macro_use]
mod common;

mod architecture;
mod cache;
mod catalog;
mod editing;
mod faults;
mod feed;
mod goals;
mod hardening;
mod hostile;
mod http;
mod http_contract;
mod limits;
mod linked_data;
mod read_api;
mod schema;
mod seed;
mod sharing;
mod statements;
mod synthetic;
mod transfer;
