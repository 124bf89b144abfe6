//! An index of component ids by purl or bom-ref that stores hashes, not keys.

use foldhash::fast::RandomState;
use std::hash::BuildHasher;

/// Component ids by a key the components hold (purl, bom-ref), stored as hashes only: a hash
/// match is confirmed by the caller comparing the component's key, so no key is copied.
///
/// Open addressing with linear probing, kept at most half full. Entries are never removed.
#[derive(Default)]
pub(super) struct KeyIndex {
    hasher: RandomState,
    /// `(hash, value)`; `value == usize::MAX` marks a free slot.
    slots: Vec<(u64, usize)>,
    len: usize,
}

impl KeyIndex {
    const FREE: usize = usize::MAX;

    pub(super) fn hash(&self, key: &str) -> u64 {
        self.hasher.hash_one(key)
    }

    /// The first value stored under `hash` for which `is_key` says its key is the one sought.
    pub(super) fn find(&self, hash: u64, mut is_key: impl FnMut(usize) -> bool) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let (h, value) = self.slots[i];
            if value == Self::FREE {
                return None;
            }
            if h == hash && is_key(value) {
                return Some(value);
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `value` under `hash`; the caller has checked that its key is not there yet.
    pub(super) fn insert(&mut self, hash: u64, value: usize) {
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow_to((2 * self.slots.len()).max(16));
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        while self.slots[i].1 != Self::FREE {
            i = (i + 1) & mask;
        }
        self.slots[i] = (hash, value);
        self.len += 1;
    }

    fn grow_to(&mut self, capacity: usize) {
        let old = std::mem::replace(&mut self.slots, vec![(0, Self::FREE); capacity]);
        self.len = 0;
        // Each key is stored once at most, so the order within a run of equal hashes is free.
        for (hash, value) in old.into_iter().filter(|(_, v)| *v != Self::FREE) {
            self.insert(hash, value);
        }
    }
}
