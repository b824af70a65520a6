//! One write: reads through its own pending changes, remembers the previous value of every
//! logged key it touches, and is applied as one atomic sled batch together with its change-log
//! entry, the map's `updated` time and the map's version.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use vertoog_model::{EntityKind, Map};

use crate::error::{Result, SledResultExt, StoreError};
use crate::keys;
use crate::storage::{self, Bucket};
use crate::{LogEntry, Operation};

/// Previous values are stored in chunks of this many changes.
const CHUNK: usize = 4096;

/// The current time as RFC 3339 UTC with milliseconds, e.g. `2024-05-01T12:00:00.000Z`.
pub(crate) fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(bytes)
        .map_err(|e| StoreError::Corrupt(format!("{what} cannot be decoded: {e}")))
}

pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| StoreError::Internal(format!("encoding failed: {e}")))
}

/// The seq of the newest log entry of a map (0 when the log is empty).
pub(crate) fn last_seq(db: &sled::Db, map: &str) -> Result<u64> {
    let prefix = keys::log_prefix(map);
    match db.scan_prefix(&prefix).next_back() {
        None => Ok(0),
        Some(kv) => {
            let (k, _) = kv.db()?;
            let tail = std::str::from_utf8(&k[prefix.len()..]).unwrap_or("");
            tail.parse()
                .map_err(|_| StoreError::Corrupt(format!("bad log key in map `{map}`")))
        }
    }
}

pub(crate) struct PendingEntry {
    pub operation: Operation,
    pub entity: EntityKind,
    pub id: String,
    pub summary: String,
    pub undoable: bool,
    pub reverts: Vec<u64>,
}

/// One write to one map, collected and then committed as one sled batch with its change-log
/// entry. `pub` only so the sealed `Entity` trait can name it; the module is private.
pub struct Txn<'a> {
    pub db: &'a sled::Db,
    pub map: String,
    /// Pending changes of keys that are not in buckets (logical key -> new value).
    writes: HashMap<Vec<u8>, Option<Vec<u8>>>,
    /// Previous values of the logged keys in `writes`, and their order of first touch.
    before: HashMap<Vec<u8>, Option<Vec<u8>>>,
    order: Vec<Vec<u8>>,
    /// Stance and tie buckets as this write sees them (stored state plus its own changes),
    /// loaded on first use; `dirty` are the changed ones.
    buckets: RefCell<HashMap<(EntityKind, u32), Bucket>>,
    dirty: HashSet<(EntityKind, u32)>,
    /// Bucket count of stances and ties, loaded on first use; `recounted` are the kinds whose
    /// buckets this write resized (their new count is written at commit).
    counts: RefCell<HashMap<EntityKind, u32>>,
    recounted: HashSet<EntityKind>,
    /// Stances and ties changed so far, with their previous values.
    bucket_touched: HashSet<(EntityKind, String)>,
    bucket_before: Vec<(EntityKind, String, Option<Vec<u8>>)>,
    /// Last assigned `s<N>` / `t<N>` numbers, loaded on first use, written at commit.
    counters: HashMap<EntityKind, u64>,
    entry: Option<PendingEntry>,
}

/// The bucket `bucket` of `kind`, decoded from the store on first use and cached.
fn cached_bucket<'c>(
    db: &sled::Db,
    map: &str,
    cache: &'c mut HashMap<(EntityKind, u32), Bucket>,
    kind: EntityKind,
    bucket: u32,
) -> Result<&'c mut Bucket> {
    use std::collections::hash_map::Entry;
    match cache.entry((kind, bucket)) {
        Entry::Occupied(o) => Ok(o.into_mut()),
        Entry::Vacant(v) => {
            let bk = storage::bucket_key(map, kind, bucket);
            let b = match db.get(&bk).db()? {
                Some(bytes) => storage::decode_bucket(&bk, &bytes)?,
                None => Bucket::new(),
            };
            Ok(v.insert(b))
        }
    }
}

/// `(kind, id)` of a logical key of a stance or tie.
fn bucketed_key(key: &[u8]) -> Option<(EntityKind, String)> {
    keys::parse_entity_key(key).filter(|(kind, _)| storage::bucketed(*kind))
}

/// Encodes (key, previous value) pairs into chunks of [`CHUNK`] as they come.
struct ChunkWriter {
    map: String,
    seq: u64,
    chunk: u32,
    count: usize,
    total: usize,
    buf: Vec<u8>,
}

impl ChunkWriter {
    fn push(&mut self, batch: &mut sled::Batch, key: &[u8], prev: Option<&[u8]>) {
        self.push_parts(batch, key, b"", prev)
    }
    /// Like `push` for the key `head ++ tail`.
    fn push_parts(
        &mut self,
        batch: &mut sled::Batch,
        head: &[u8],
        tail: &[u8],
        prev: Option<&[u8]>,
    ) {
        self.buf
            .extend_from_slice(&((head.len() + tail.len()) as u32).to_be_bytes());
        self.buf.extend_from_slice(head);
        self.buf.extend_from_slice(tail);
        match prev {
            None => self.buf.push(0),
            Some(v) => {
                self.buf.push(1);
                self.buf.extend_from_slice(&(v.len() as u32).to_be_bytes());
                self.buf.extend_from_slice(v);
            }
        }
        self.count += 1;
        self.total += 1;
        if self.count == CHUNK {
            self.finish_chunk(batch);
        }
    }
    fn finish_chunk(&mut self, batch: &mut sled::Batch) {
        if self.count > 0 {
            let buf = std::mem::take(&mut self.buf);
            batch.insert(keys::changes_key(&self.map, self.seq, self.chunk), buf);
            self.chunk += 1;
            self.count = 0;
        }
    }
}

impl<'a> Txn<'a> {
    /// An empty write to map `map`.
    pub fn new(db: &'a sled::Db, map: &str) -> Self {
        Txn {
            db,
            map: map.to_string(),
            writes: HashMap::new(),
            before: HashMap::new(),
            order: Vec::new(),
            buckets: RefCell::new(HashMap::new()),
            dirty: HashSet::new(),
            counts: RefCell::new(HashMap::new()),
            recounted: HashSet::new(),
            bucket_touched: HashSet::new(),
            bucket_before: Vec::new(),
            counters: HashMap::new(),
            entry: None,
        }
    }

    /// The bucket count of stances or ties as this write sees it.
    fn bucket_count(&self, kind: EntityKind) -> Result<u32> {
        if let Some(&n) = self.counts.borrow().get(&kind) {
            return Ok(n);
        }
        let n = storage::bucket_count(self.db, &self.map, kind)?;
        self.counts.borrow_mut().insert(kind, n);
        Ok(n)
    }

    /// The bucket of a stance or tie id as this write sees it.
    fn bucket_index(&self, kind: EntityKind, id: &str) -> Result<u32> {
        Ok(storage::bucket_of(id, self.bucket_count(kind)?))
    }

    /// The value of a logical key as this write sees it: its own change, else the stored one.
    pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        if let Some((kind, id)) = bucketed_key(key) {
            let bucket = self.bucket_index(kind, &id)?;
            let mut cache = self.buckets.borrow_mut();
            let b = cached_bucket(self.db, &self.map, &mut cache, kind, bucket)?;
            return Ok(b.get(&id).cloned());
        }
        if let Some(v) = self.writes.get(key) {
            return Ok(v.clone());
        }
        Ok(self.db.get(key).db()?.map(|v| v.to_vec()))
    }

    /// Whether a logical key exists as this write sees it.
    pub fn exists(&self, key: &[u8]) -> Result<bool> {
        if let Some((kind, id)) = bucketed_key(key) {
            return self.bucketed_contains(kind, &id);
        }
        if let Some(v) = self.writes.get(key) {
            return Ok(v.is_some());
        }
        self.db.contains_key(key).db()
    }

    /// Whether a stance or tie with this id exists as this write sees it.
    fn bucketed_contains(&self, kind: EntityKind, id: &str) -> Result<bool> {
        let bucket = self.bucket_index(kind, id)?;
        let mut cache = self.buckets.borrow_mut();
        let b = cached_bucket(self.db, &self.map, &mut cache, kind, bucket)?;
        Ok(b.contains_key(id))
    }

    /// [`Txn::get`], decoded from JSON.
    pub fn get_json<T: DeserializeOwned>(&self, key: &[u8]) -> Result<Option<T>> {
        match self.get(key)? {
            None => Ok(None),
            Some(b) => Ok(Some(decode(&b, &String::from_utf8_lossy(key))?)),
        }
    }

    /// The map record; `NotFound` when the map does not exist.
    pub fn map_record(&self) -> Result<Map> {
        self.get_json(&keys::map_key(&self.map))?
            .ok_or_else(|| StoreError::NotFound {
                kind: EntityKind::Map,
                id: self.map.clone(),
                map: self.map.clone(),
            })
    }

    /// A logged change of a logical key: its previous value is kept for undo.
    pub fn put(&mut self, key: Vec<u8>, value: Option<Vec<u8>>) -> Result<()> {
        if let Some((kind, id)) = bucketed_key(&key) {
            let first = self.bucket_touched.insert((kind, id.clone()));
            self.put_bucketed(kind, id, value, first)?;
            return Ok(());
        }
        if !self.before.contains_key(&key) {
            let prev = self.get(&key)?;
            self.order.push(key.clone());
            self.before.insert(key.clone(), prev);
        }
        self.writes.insert(key, value);
        Ok(())
    }

    /// Sets (or removes) a stance or tie in its bucket; records the previous value when
    /// `record` (the first change of this id in this write). Returns the previous value.
    fn put_bucketed(
        &mut self,
        kind: EntityKind,
        id: String,
        value: Option<Vec<u8>>,
        record: bool,
    ) -> Result<Option<Vec<u8>>> {
        let bucket = self.bucket_index(kind, &id)?;
        let b = cached_bucket(self.db, &self.map, self.buckets.get_mut(), kind, bucket)?;
        let prev = match value {
            Some(v) => b.insert(id.clone(), v),
            None => b.remove(&id),
        };
        self.dirty.insert((kind, bucket));
        if record {
            self.bucket_before.push((kind, id, prev.clone()));
        }
        Ok(prev)
    }

    /// Upsert of a stance or tie that this write has not touched before (the caller
    /// guarantees it: ids unique within an import). Returns `None` when the stored value is
    /// identical (nothing written), else `Some(created)`.
    pub fn upsert_untouched(
        &mut self,
        kind: EntityKind,
        id: String,
        value: Vec<u8>,
    ) -> Result<Option<bool>> {
        debug_assert!(storage::bucketed(kind));
        let bucket = self.bucket_index(kind, &id)?;
        let b = cached_bucket(self.db, &self.map, self.buckets.get_mut(), kind, bucket)?;
        if b.get(&id) == Some(&value) {
            return Ok(None);
        }
        let prev = self.put_bucketed(kind, id, Some(value), true)?;
        Ok(Some(prev.is_none()))
    }

    /// [`Txn::upsert_untouched`] of each `(id, value)` of `items`, with the same outcomes
    /// (in list order) and the same previous values recorded in list order, done bucket by
    /// bucket: the items are grouped by bucket (list order kept within each), and a bucket
    /// that holds nothing yet is built at once from its sorted items.
    pub fn upsert_many(
        &mut self,
        kind: EntityKind,
        mut items: Vec<(String, Vec<u8>)>,
    ) -> Result<Vec<Option<bool>>> {
        debug_assert!(storage::bucketed(kind));
        let buckets = self.bucket_count(kind)?;
        let which: Vec<u32> = items
            .par_iter()
            .with_min_len(4096)
            .map(|(id, _)| storage::bucket_of(id, buckets))
            .collect();
        // Counting sort of the item positions by bucket.
        let mut start = vec![0usize; buckets as usize + 1];
        for &b in &which {
            start[b as usize + 1] += 1;
        }
        for b in 0..buckets as usize {
            start[b + 1] += start[b];
        }
        let mut next = start.clone();
        let mut order = vec![0usize; items.len()];
        for (i, &b) in which.iter().enumerate() {
            order[next[b as usize]] = i;
            next[b as usize] += 1;
        }
        let mut outcomes: Vec<Option<bool>> = vec![None; items.len()];
        // (id, previous value) of each changed item, by list position.
        let mut changed: Vec<Option<(String, Option<Vec<u8>>)>> = Vec::new();
        changed.resize_with(items.len(), || None);
        let cache = self.buckets.get_mut();
        for b in 0..buckets {
            let group = &order[start[b as usize]..start[b as usize + 1]];
            if group.is_empty() {
                continue;
            }
            let bucket = cached_bucket(self.db, &self.map, cache, kind, b)?;
            if bucket.is_empty() {
                // Ids are unique within a write's items: every one is created.
                let mut fresh = Vec::with_capacity(group.len());
                for &i in group {
                    let (id, value) = std::mem::take(&mut items[i]);
                    outcomes[i] = Some(true);
                    changed[i] = Some((id.clone(), None));
                    fresh.push((id, value));
                }
                *bucket = fresh.into_iter().collect();
                debug_assert_eq!(bucket.len(), group.len());
            } else {
                let mut dirty = false;
                for &i in group {
                    let (id, value) = std::mem::take(&mut items[i]);
                    if bucket.get(&id) == Some(&value) {
                        continue;
                    }
                    let prev = bucket.insert(id.clone(), value);
                    outcomes[i] = Some(prev.is_none());
                    changed[i] = Some((id, prev));
                    dirty = true;
                }
                if !dirty {
                    continue;
                }
            }
            self.dirty.insert((kind, b));
        }
        self.bucket_before.reserve(changed.iter().flatten().count());
        for (id, prev) in changed.into_iter().flatten() {
            self.bucket_before.push((kind, id, prev));
        }
        Ok(outcomes)
    }

    /// A logged change whose previous value the caller has just read with [`Txn::get`].
    pub fn put_known(
        &mut self,
        key: Vec<u8>,
        value: Option<Vec<u8>>,
        prev: Option<Vec<u8>>,
    ) -> Result<()> {
        if bucketed_key(&key).is_some() {
            return self.put(key, value);
        }
        if !self.before.contains_key(&key) {
            self.order.push(key.clone());
            self.before.insert(key.clone(), prev);
        }
        self.writes.insert(key, value);
        Ok(())
    }

    /// [`Txn::put`] of a value encoded as JSON.
    pub fn put_json<T: Serialize>(&mut self, key: Vec<u8>, value: &T) -> Result<()> {
        let bytes = encode(value)?;
        self.put(key, Some(bytes))
    }

    /// A logged removal of a logical key.
    pub fn delete(&mut self, key: Vec<u8>) -> Result<()> {
        self.put(key, None)
    }

    /// A change that is not logged (log scrubbing, map deletion). Never a logical key of a
    /// stance or tie.
    pub fn raw(&mut self, key: Vec<u8>, value: Option<Vec<u8>>) {
        debug_assert!(bucketed_key(&key).is_none());
        self.writes.insert(key, value);
    }

    /// Drops the previous values recorded so far (an erasure must not keep them).
    pub fn forget_previous(&mut self) {
        self.before.clear();
        self.order.clear();
        self.bucket_before.clear();
    }

    /// Makes room for `additional` more stances or ties (an import, before it writes them):
    /// grows the kind's buckets now when that many alone need more than it has, so the
    /// entities go straight into buckets of the right size.
    pub fn reserve(&mut self, kind: EntityKind, additional: usize) -> Result<()> {
        debug_assert!(storage::bucketed(kind));
        let count = self.bucket_count(kind)?;
        if count < storage::MAX_BUCKETS && storage::buckets_for(additional) > count {
            self.resize(kind, additional)?;
        }
        Ok(())
    }

    /// Re-buckets every stance or tie of the map (as this write sees them) into
    /// `buckets_for(their number + extra)` buckets when that is more than now. Every old
    /// bucket is loaded and marked dirty (removed at commit unless refilled), every new one
    /// is dirty, and the new count is written at commit: all in the write's one batch.
    fn resize(&mut self, kind: EntityKind, extra: usize) -> Result<()> {
        let old = self.bucket_count(kind)?;
        let cache = self.buckets.get_mut();
        let mut total = 0;
        for b in 0..old {
            total += cached_bucket(self.db, &self.map, cache, kind, b)?.len();
        }
        let new = storage::buckets_for(total + extra);
        if new <= old {
            return Ok(());
        }
        let mut moved: Vec<(String, Vec<u8>)> = Vec::with_capacity(total);
        for b in 0..old {
            if let Some(bucket) = cache.get_mut(&(kind, b)) {
                moved.extend(std::mem::take(bucket));
            }
            self.dirty.insert((kind, b));
        }
        // Buckets old..new hold nothing under the old count, so none is stored: the cache
        // starts them empty instead of reading them.
        for b in old..new {
            cache.insert((kind, b), Bucket::new());
        }
        for (id, v) in moved {
            let b = storage::bucket_of(&id, new);
            cache.entry((kind, b)).or_default().insert(id, v);
            self.dirty.insert((kind, b));
        }
        self.counts.get_mut().insert(kind, new);
        self.recounted.insert(kind);
        Ok(())
    }

    fn counter(&mut self, kind: EntityKind) -> Result<u64> {
        if let Some(n) = self.counters.get(&kind) {
            return Ok(*n);
        }
        let n = self
            .db
            .get(keys::counter_key(&self.map, kind))
            .db()?
            .map(|b| keys::bytes_u64(&b))
            .unwrap_or(0);
        self.counters.insert(kind, n);
        Ok(n)
    }

    /// Keeps the invariant "every stored `s<N>` (`t<N>`) has N <= the counter" when an
    /// entity is written with an id of its own choosing.
    pub fn note_id(&mut self, kind: EntityKind, id: &str) -> Result<()> {
        match keys::id_number(kind, id) {
            Some(n) => self.note_number(kind, n),
            None => Ok(()),
        }
    }

    /// [`Txn::note_id`] of the id with number `n`.
    pub fn note_number(&mut self, kind: EntityKind, n: u64) -> Result<()> {
        if n > self.counter(kind)? {
            self.counters.insert(kind, n);
        }
        Ok(())
    }

    /// The next free `s<N>` / `t<N>` id, advancing the map's counter. The existence check
    /// guards against ids written before the counter invariant held.
    pub fn next_id(&mut self, kind: EntityKind) -> Result<String> {
        let mut n = self.counter(kind)?;
        let letter = keys::kind_letter(kind);
        loop {
            n = n.saturating_add(1);
            let id = format!("{letter}{n}");
            let taken = if storage::bucketed(kind) {
                self.bucketed_contains(kind, &id)?
            } else {
                self.exists(&keys::entity_key(&self.map, kind, &id))?
            };
            if !taken {
                self.counters.insert(kind, n);
                return Ok(id);
            }
        }
    }

    /// Sets the change-log entry this write appends.
    pub fn log(
        &mut self,
        operation: Operation,
        entity: EntityKind,
        id: &str,
        summary: String,
        undoable: bool,
    ) {
        self.entry = Some(PendingEntry {
            operation,
            entity,
            id: id.to_string(),
            summary,
            undoable,
            reverts: Vec::new(),
        });
    }

    /// For a map created in this write: its stances and ties start in the fewest buckets
    /// (written at commit, like a resize).
    pub fn start_new_map_buckets(&mut self) {
        for kind in [EntityKind::Stance, EntityKind::Tie] {
            self.counts.get_mut().insert(kind, storage::MIN_BUCKETS);
            self.recounted.insert(kind);
        }
    }

    /// Puts `prefix` before the pending log entry's summary and sets whether it can be
    /// undone (a map created and imported in one write cannot: delete the map instead).
    pub fn amend_entry(&mut self, prefix: &str, undoable: bool) {
        if let Some(e) = self.entry.as_mut() {
            e.summary = format!("{prefix}{}", e.summary);
            e.undoable = undoable;
        }
    }

    /// For an undo: the entries it reverts.
    pub fn set_reverts(&mut self, reverts: Vec<u64>) {
        if let Some(e) = self.entry.as_mut() {
            e.reverts = reverts;
        }
    }

    /// Applies everything as one atomic batch: the changes, the log entry with the previous
    /// values, the map's `updated` time and a new map version. Returns the log entry's seq
    /// (0 when the write is not logged). The caller flushes.
    pub fn commit(mut self, principal: &str) -> Result<u64> {
        let now = now_rfc3339();
        let mk = keys::map_key(&self.map);
        let map_exists = if let Some(mut m) = self.get_json::<Map>(&mk)? {
            m.updated = now.clone();
            let bytes = encode(&m)?;
            self.writes.insert(mk, Some(bytes));
            true
        } else {
            false
        };
        let mut batch = sled::Batch::default();
        if map_exists {
            let wseq = self
                .db
                .get(keys::WSEQ_KEY)
                .db()?
                .map(|b| keys::bytes_u64(&b))
                .unwrap_or(0)
                + 1;
            batch.insert(keys::WSEQ_KEY, &keys::u64_bytes(wseq));
            batch.insert(keys::version_key(&self.map), &keys::u64_bytes(wseq));
        }
        for (kind, n) in std::mem::take(&mut self.counters) {
            batch.insert(keys::counter_key(&self.map, kind), &keys::u64_bytes(n));
        }
        let mut seq = 0;
        if let Some(e) = self.entry.take() {
            seq = last_seq(self.db, &self.map)? + 1;
            let mut w = ChunkWriter {
                map: self.map.clone(),
                seq,
                chunk: 0,
                count: 0,
                total: 0,
                buf: Vec::new(),
            };
            for k in std::mem::take(&mut self.order) {
                let prev = self.before.remove(&k).flatten();
                w.push(&mut batch, &k, prev.as_deref());
            }
            let heads = [
                keys::entity_prefix(&self.map, EntityKind::Stance),
                keys::entity_prefix(&self.map, EntityKind::Tie),
            ];
            for (kind, id, prev) in std::mem::take(&mut self.bucket_before) {
                let head = if kind == EntityKind::Tie {
                    &heads[1]
                } else {
                    &heads[0]
                };
                w.push_parts(&mut batch, head, id.as_bytes(), prev.as_deref());
            }
            w.finish_chunk(&mut batch);
            let changes = w.total;
            let header = LogEntry {
                seq,
                timestamp: now,
                principal: principal.to_string(),
                operation: e.operation,
                entity: e.entity,
                id: e.id,
                summary: e.summary,
                changes,
                undoable: e.undoable,
                reverts: e.reverts,
                scrubbed: false,
            };
            batch.insert(keys::log_key(&self.map, seq), encode(&header)?);
        }
        for (k, v) in std::mem::take(&mut self.writes) {
            match v {
                Some(v) => batch.insert(k, v),
                None => batch.remove(k),
            }
        }
        for kind in [EntityKind::Stance, EntityKind::Tie] {
            let cache = self.buckets.get_mut();
            let crowded = self.dirty.iter().any(|&(k, b)| {
                k == kind && cache.get(&(k, b)).map_or(0, |x| x.len()) > storage::SPLIT_AT
            });
            if crowded && self.bucket_count(kind)? < storage::MAX_BUCKETS {
                self.resize(kind, 0)?;
            }
        }
        for &kind in &self.recounted {
            let n = self.counts.get_mut()[&kind];
            batch.insert(
                keys::bucket_count_key(&self.map, kind),
                &storage::count_bytes(n),
            );
        }
        let cache = std::mem::take(self.buckets.get_mut());
        let dirty: Vec<(EntityKind, u32)> = std::mem::take(&mut self.dirty).into_iter().collect();
        // Encoded on every core (an import of millions of stances has thousands of buckets);
        // the batch orders its keys itself.
        let encoded: Vec<(Vec<u8>, Option<Vec<u8>>)> = dirty
            .par_iter()
            .map(|&(kind, bucket)| {
                let bk = storage::bucket_key(&self.map, kind, bucket);
                match cache.get(&(kind, bucket)) {
                    Some(b) if !b.is_empty() => (bk, Some(storage::encode_bucket(b))),
                    _ => (bk, None),
                }
            })
            .collect();
        for (bk, value) in encoded {
            match value {
                Some(v) => batch.insert(bk, v),
                None => batch.remove(bk),
            }
        }
        // Freeing a large write's buckets (millions of small allocations) overlaps sled's
        // work on the other core.
        let freeing = (cache.len() > 256).then(|| std::thread::spawn(move || drop(cache)));
        let applied = self.db.apply_batch(batch).db();
        if let Some(f) = freeing {
            let _ = f.join();
        }
        applied?;
        Ok(seq)
    }
}
