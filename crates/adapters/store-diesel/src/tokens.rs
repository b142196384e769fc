//! API tokens, stored as SHA-256 hashes only: a stolen database yields no usable token.

use crate::decode;
use crate::error::{TxError, Unavailable};
use crate::listener::Channel;
use crate::schema::api_tokens;
use crate::store::DieselStore;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::thread::JoinHandle;

/// Told to every server on PostgreSQL when a token is revoked, so that caches of confirmed
/// tokens forget it at once rather than when they expire.
const REVOKED: Channel = Channel {
    name: "control_hub_tokens",
    what: "the token revocation listener",
    meanwhile: "a revoked token works until the token cache expires",
};

/// Why a token operation failed. Tokens have no rule a write could break (ids are fresh
/// UUIDs, hashes of 256 random bits), so the store failing is the only cause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The text is for logs, never for clients.
    #[error("token store unavailable: {0}")]
    Unavailable(String),
}

impl From<Unavailable> for TokenError {
    fn from(e: Unavailable) -> Self {
        TokenError::Unavailable(e.0)
    }
}

/// A token as listed: never its secret, nor its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
struct Row {
    id: String,
    name: String,
    created_at: NaiveDateTime,
}

impl DieselStore {
    /// Stores a token's hash under a new id.
    pub fn insert_token(&self, name: &str, hash_hex: &str) -> Result<TokenRecord, TokenError> {
        let record = TokenRecord {
            id: uuid::Uuid::now_v7().to_string(),
            name: name.to_owned(),
            created_at: decode::now(),
        };
        self.write(|conn| {
            diesel::insert_into(api_tokens::table)
                .values((
                    api_tokens::id.eq(&record.id),
                    api_tokens::name.eq(&record.name),
                    api_tokens::token_hash.eq(hash_hex),
                    api_tokens::created_at.eq(record.created_at.naive_utc()),
                ))
                .execute(conn)?;
            Ok(())
        })
        .map_err(TxError::<TokenError>::into_domain)?;
        Ok(record)
    }

    /// Every token, oldest first.
    pub fn list_tokens(&self) -> Result<Vec<TokenRecord>, TokenError> {
        let rows: Vec<Row> = self.read::<_, TokenError>(|conn| {
            Ok(api_tokens::table
                .select(Row::as_select())
                .order(api_tokens::id.asc())
                .load(conn)?)
        })?;
        Ok(rows
            .into_iter()
            .map(|r| TokenRecord {
                id: r.id,
                name: r.name,
                created_at: decode::utc(r.created_at),
            })
            .collect())
    }

    /// Deletes a token; `false` when there is none with this id. On PostgreSQL every
    /// server listening with [`Self::listen_for_revocations`] hears of it at commit.
    pub fn revoke_token(&self, id: &str) -> Result<bool, TokenError> {
        self.write(|conn| {
            let n = diesel::delete(api_tokens::table.find(id)).execute(conn)?;
            if n > 0 {
                REVOKED.notify(conn)?;
            }
            Ok(n > 0)
        })
        .map_err(TxError::<TokenError>::into_domain)
    }

    /// On PostgreSQL, a thread that calls `on_revoked` soon after any server or command
    /// revokes a token (and on each reconnect, for revocations it may have missed), until
    /// `stop` is set; `None` on SQLite.
    pub fn listen_for_revocations(
        &self,
        stop: Arc<AtomicBool>,
        on_revoked: impl Fn() + Send + 'static,
    ) -> Result<Option<JoinHandle<()>>, String> {
        self.listen_on(REVOKED, stop, on_revoked)
    }

    /// The stored hash equal to `hash_hex`, if any; the caller compares it in constant time.
    pub fn find_token_hash(&self, hash_hex: &str) -> Result<Option<String>, TokenError> {
        self.read(|conn| {
            Ok(api_tokens::table
                .filter(api_tokens::token_hash.eq(hash_hex))
                .select(api_tokens::token_hash)
                .first(conn)
                .optional()?)
        })
    }
}
