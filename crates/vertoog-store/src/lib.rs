//! The sled store. Owned by the store work.
