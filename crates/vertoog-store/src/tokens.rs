//! Access tokens (docs/interfaces.md §9, security): shown once at creation, stored only as a salted
//! SHA-256 hash, verified with a constant-time comparison.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Result, SledResultExt, StoreError};
use crate::keys;
use crate::txn::{decode, encode, now_rfc3339};
use crate::Store;

/// What a token may do: `viewer` reads, `editor` also writes, `admin` also manages tokens
/// and deletes maps. Ordered: viewer < editor < admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    /// `viewer` | `editor` | `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
    /// `viewer` | `editor` | `admin`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
    /// Whether this role may do what `needed` may (`self >= needed`).
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A token as listed: never its secret or hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub name: String,
    pub role: Role,
    /// RFC 3339, UTC.
    pub created: String,
}

/// A token as stored (and backed up): salt and hash in hex, `hash = sha256(salt || secret)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenBackup {
    pub name: String,
    pub role: Role,
    pub created: String,
    pub salt: String,
    pub hash: String,
}

impl TokenBackup {
    fn info(&self) -> TokenInfo {
        TokenInfo {
            name: self.name.clone(),
            role: self.role,
            created: self.created.clone(),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() & 1 == 1 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn random_bytes(n: usize) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf)
        .map_err(|e| StoreError::Internal(format!("the OS random source failed: {e}")))?;
    Ok(buf)
}

/// `sha256(salt || secret)`.
fn token_hash(salt: &[u8], secret: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(secret.as_bytes());
    h.finalize().to_vec()
}

/// Equality in time that depends only on the lengths, not on where the bytes differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a
        .iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Token names: 1..64 characters of `A-Z a-z 0-9 . _ -`.
fn valid_token_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

impl Store {
    fn token_records(&self) -> Result<Vec<TokenBackup>> {
        let mut out = Vec::new();
        for kv in self.db.scan_prefix(keys::TOKEN_PREFIX.as_bytes()) {
            let (k, v) = kv.db()?;
            out.push(decode(&v, &String::from_utf8_lossy(&k))?);
        }
        Ok(out)
    }

    /// Creates a token and returns its secret (64 hex characters from 32 random bytes of the
    /// OS), which is not stored and cannot be shown again. Only `sha256(salt || secret)` and
    /// the 16-byte salt are kept. The name must be unique (`Conflict`) and consist of
    /// 1..64 characters of `A-Z a-z 0-9 . _ -` (`InvalidField`).
    pub fn create_token(&self, name: &str, role: Role) -> Result<String> {
        if !valid_token_name(name) {
            return Err(StoreError::InvalidField {
                field: "name".into(),
                message: "a token name has 1 to 64 characters of A-Z, a-z, 0-9, `.`, `_`, `-`"
                    .into(),
            });
        }
        let secret = hex(&random_bytes(32)?);
        let salt = random_bytes(16)?;
        let record = TokenBackup {
            name: name.to_string(),
            role,
            created: now_rfc3339(),
            salt: hex(&salt),
            hash: hex(&token_hash(&salt, &secret)),
        };
        {
            let _g = self.write_guard();
            let key = keys::token_key(name);
            if self.db.contains_key(&key).db()? {
                return Err(StoreError::Conflict(format!(
                    "a token named `{name}` already exists (revoke it first, or choose another name)"
                )));
            }
            self.db.insert(key, encode(&record)?).db()?;
        }
        self.flush()?;
        Ok(secret)
    }

    /// Every token (name, role, created), sorted by name.
    pub fn list_tokens(&self) -> Result<Vec<TokenInfo>> {
        let _g = self.read_guard()?;
        Ok(self
            .token_records()?
            .iter()
            .map(TokenBackup::info)
            .collect())
    }

    /// Deletes a token; `TokenNotFound` when there is none of that name.
    pub fn revoke_token(&self, name: &str) -> Result<()> {
        {
            let _g = self.write_guard();
            if self.db.remove(keys::token_key(name)).db()?.is_none() {
                return Err(StoreError::TokenNotFound(name.to_string()));
            }
        }
        self.flush()
    }

    /// The token whose secret this is, if any. Every stored hash is compared, in constant
    /// time per hash.
    pub fn verify_token(&self, secret: &str) -> Result<Option<TokenInfo>> {
        let records = {
            let _g = self.read_guard()?;
            self.token_records()?
        };
        let mut found = None;
        for r in &records {
            let (Some(salt), Some(hash)) = (unhex(&r.salt), unhex(&r.hash)) else {
                return Err(StoreError::Corrupt(format!(
                    "token `{}` is damaged",
                    r.name
                )));
            };
            if constant_time_eq(&token_hash(&salt, secret), &hash) && found.is_none() {
                found = Some(r.info());
            }
        }
        Ok(found)
    }

    /// Whether any token exists (without tokens, a loopback server runs in local mode).
    pub fn has_tokens(&self) -> Result<bool> {
        Ok(self
            .db
            .scan_prefix(keys::TOKEN_PREFIX.as_bytes())
            .next()
            .transpose()
            .db()?
            .is_some())
    }

    pub(crate) fn token_backups(&self) -> Result<Vec<TokenBackup>> {
        self.token_records()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::store;

    #[test]
    fn token_lifecycle() {
        let (_d, s) = store();
        assert!(!s.has_tokens().unwrap());
        let secret = s.create_token("ci-bot", Role::Editor).unwrap();
        assert_eq!(secret.len(), 64);
        assert!(s.has_tokens().unwrap());
        let info = s.verify_token(&secret).unwrap().unwrap();
        assert_eq!(info.name, "ci-bot");
        assert_eq!(info.role, Role::Editor);
        assert_eq!(s.verify_token("wrong").unwrap(), None);
        let mut almost = secret.clone();
        almost.replace_range(0..1, if secret.starts_with('0') { "1" } else { "0" });
        assert_eq!(s.verify_token(&almost).unwrap(), None);
        // Unique names.
        assert!(matches!(
            s.create_token("ci-bot", Role::Admin),
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            s.create_token("bad name", Role::Admin),
            Err(StoreError::InvalidField { .. })
        ));
        // Only a hash is stored, never the secret.
        let rec = &s.token_backups().unwrap()[0];
        assert_ne!(rec.hash, secret);
        assert_eq!(rec.hash.len(), 64);
        for kv in s.db.iter() {
            let (k, v) = kv.unwrap();
            let text = String::from_utf8_lossy(&v);
            assert!(!text.contains(&secret), "secret stored under {k:?}");
        }
        assert_eq!(s.list_tokens().unwrap(), vec![info]);
        s.revoke_token("ci-bot").unwrap();
        assert_eq!(s.verify_token(&secret).unwrap(), None);
        assert!(!s.has_tokens().unwrap());
        assert!(matches!(
            s.revoke_token("ci-bot"),
            Err(StoreError::TokenNotFound(_))
        ));
    }

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Admin.allows(Role::Editor));
        assert!(Role::Editor.allows(Role::Viewer));
        assert!(!Role::Viewer.allows(Role::Editor));
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn hashing_is_salted_sha256() {
        // sha256("") is well known; with an empty salt and secret the hash must equal it.
        assert_eq!(
            hex(&token_hash(&[], "")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_ne!(token_hash(b"a", "x"), token_hash(b"b", "x"));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert_eq!(unhex("0aff"), Some(vec![10, 255]));
        assert_eq!(unhex("0g"), None);
    }
}
