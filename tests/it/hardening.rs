//! Hostile timing on SQLite and PostgreSQL: many writers claiming one unique value at once (a slug, a Lovdata
//! id, the same link), and clients that hold connections open without finishing a request (slow headers,
//! idle keep-alive, a flood past the connection cap under a low file-descriptor limit, WebSockets that never
//! initialise or never finish a message).

mod connections;
mod races;
