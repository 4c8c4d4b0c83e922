//! Automatic persisted queries (the protocol of Apollo clients and most GraphQL CDNs): a client sends
//! `extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}` without the document; the server
//! answers PERSISTED_QUERY_NOT_FOUND until it has seen the document once with its hash, and from then on
//! the short request (a GET URL a CDN can cache) is enough.

use std::sync::{Arc, Mutex};

use lru::LruCache;
use sha2::{Digest, Sha256};

use crate::error::RequestError;

/// The documents this process has been given, by SHA-256 (lower-case hex).
pub struct PersistedQueries {
    documents: Mutex<LruCache<String, Arc<str>>>,
}

impl std::fmt::Debug for PersistedQueries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersistedQueries").finish_non_exhaustive()
    }
}

impl PersistedQueries {
    /// A store of at most `max` documents.
    pub fn new(max: u64) -> Arc<PersistedQueries> {
        Arc::new(PersistedQueries {
            documents: Mutex::new(LruCache::new(super::non_zero(max))),
        })
    }

    /// Resolves the persisted-query extension of `request`, if it has one: fills in the document from its
    /// hash, or checks the document against the hash and remembers it.
    pub fn resolve(&self, request: &mut async_graphql::Request) -> Result<(), RequestError> {
        let Some(extension) = request.extensions.get("persistedQuery") else {
            return Ok(());
        };
        let extension = serde_json::to_value(extension).unwrap_or_default();
        let version = extension.get("version").and_then(|v| v.as_i64());
        if version != Some(1) {
            return Err(RequestError::BadRequest(
                "extensions.persistedQuery.version: only version 1 is supported".into(),
            ));
        }
        let Some(hash) = extension
            .get("sha256Hash")
            .and_then(|v| v.as_str())
            .map(str::to_ascii_lowercase)
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        else {
            return Err(RequestError::BadRequest(
                "extensions.persistedQuery.sha256Hash: give the SHA-256 of the document as 64 hex digits"
                    .into(),
            ));
        };
        if request.query.is_empty() {
            let found = self
                .documents
                .lock()
                .ok()
                .and_then(|mut docs| docs.get(&hash).cloned());
            return match found {
                Some(document) => {
                    request.query = document.to_string();
                    Ok(())
                }
                None => Err(RequestError::PersistedQueryNotFound),
            };
        }
        let actual = hex::encode(Sha256::digest(request.query.as_bytes()));
        if actual != hash {
            return Err(RequestError::BadRequest(format!(
                "extensions.persistedQuery.sha256Hash: {hash} is not the SHA-256 of the document ({actual})"
            )));
        }
        if let Ok(mut docs) = self.documents.lock() {
            docs.put(hash, Arc::from(request.query.as_str()));
        }
        Ok(())
    }
}
