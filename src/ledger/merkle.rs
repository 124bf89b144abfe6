//! The RFC 6962 (RFC 9162 §2.1) Merkle tree over record leaves: hashes, roots, proofs.
//!
//! Leaf hash = H(0x00 || leaf), node hash = H(0x01 || left || right), the left subtree of a tree
//! of n leaves holds the largest power of two below n, and the empty tree hashes to H("").
//! H is the algorithm a checkpoint names, so one ledger can be summarised by a SHA-256 tree and
//! an SM3 tree alike.

use super::hash::HashAlg;

pub type Hash = [u8; 32];

pub fn leaf_hash(alg: HashAlg, leaf: &[u8]) -> Hash {
    alg.hash(&[&[0x00], leaf])
}

pub fn node_hash(alg: HashAlg, left: &Hash, right: &Hash) -> Hash {
    alg.hash(&[&[0x01], left, right])
}

pub fn empty_root(alg: HashAlg) -> Hash {
    alg.hash(&[])
}

/// The largest power of two strictly below `n` (n ≥ 2): where RFC 6962 splits a tree.
fn split(n: usize) -> usize {
    debug_assert!(n >= 2);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// MTH(D[n]) over already-hashed leaves.
pub fn root(alg: HashAlg, leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(alg),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(alg, &root(alg, &leaves[..k]), &root(alg, &leaves[k..]))
        }
    }
}

/// The right edge of a growing tree: one perfect subtree per set bit of the size, so the root
/// of every prefix is at hand in O(log n) while the leaves stream past once.
#[derive(Clone)]
pub struct Frontier {
    alg: HashAlg,
    size: u64,
    stack: Vec<Hash>,
}

impl Frontier {
    pub fn new(alg: HashAlg) -> Frontier {
        Frontier {
            alg,
            size: 0,
            stack: Vec::new(),
        }
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn push(&mut self, leaf: Hash) {
        let mut h = leaf;
        let mut s = self.size;
        while s & 1 == 1 {
            let left = self.stack.pop().expect("one subtree per set bit");
            h = node_hash(self.alg, &left, &h);
            s >>= 1;
        }
        self.stack.push(h);
        self.size += 1;
    }

    /// The root of the tree of all leaves pushed so far.
    pub fn root(&self) -> Hash {
        let mut iter = self.stack.iter().rev();
        let Some(mut acc) = iter.next().copied() else {
            return empty_root(self.alg);
        };
        for left in iter {
            acc = node_hash(self.alg, left, &acc);
        }
        acc
    }
}

/// The whole tree, level by level: `level(k)[i]` is the root of the perfect subtree over leaves
/// `i·2^k .. (i+1)·2^k`. Where [`Frontier`] hashes one node after the other, a level's nodes
/// are independent, so they are hashed in batches ([`HashAlg::hash_each`]: SM3 eight at a time)
/// on all cores; the root of any prefix is then assembled from one subtree per set bit of its
/// size, exactly as the frontier of that size would hold them.
pub struct Levels {
    alg: HashAlg,
    /// `levels[0]` are the leaves; level k has ⌊n / 2^k⌋ nodes; the last has one (or none).
    levels: Vec<Vec<Hash>>,
}

/// Nodes hashed per parallel task: enough to keep every SIMD lane busy and the task cheap.
const LEVEL_CHUNK: usize = 1024;

impl Levels {
    pub fn build(alg: HashAlg, leaves: Vec<Hash>) -> Levels {
        use rayon::prelude::*;
        let mut levels = vec![leaves];
        while let Some(below) = levels.last().filter(|l| l.len() >= 2) {
            let mut nodes = vec![[0u8; 32]; below.len() / 2];
            nodes
                .par_chunks_mut(LEVEL_CHUNK)
                .zip(below.par_chunks(2 * LEVEL_CHUNK))
                .for_each(|(out, below)| {
                    let inputs: Vec<[&[u8]; 3]> = below
                        .chunks_exact(2)
                        .map(|pair| [&[0x01][..], &pair[0][..], &pair[1][..]])
                        .collect();
                    alg.hash_each(&inputs, out);
                });
            levels.push(nodes);
        }
        Levels { alg, levels }
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.levels[0].len() as u64
    }

    /// The root of the whole tree.
    pub fn root(&self) -> Hash {
        self.root_at(self.size())
            .expect("the whole tree is within itself")
    }

    /// MTH of the first `size` leaves, or None when the tree has fewer.
    pub fn root_at(&self, size: u64) -> Option<Hash> {
        if size > self.size() {
            return None;
        }
        // The perfect subtrees, largest (leftmost) first, as a Frontier of this size holds them.
        let mut subtrees = Vec::new();
        let mut offset = 0u64;
        for k in (0..self.levels.len()).rev() {
            if size >> k & 1 == 1 {
                subtrees.push(self.levels[k][(offset >> k) as usize]);
                offset += 1 << k;
            }
        }
        let Some(mut acc) = subtrees.pop() else {
            return Some(empty_root(self.alg));
        };
        while let Some(left) = subtrees.pop() {
            acc = node_hash(self.alg, &left, &acc);
        }
        Some(acc)
    }
}

/// PATH(m, D[n]) of RFC 6962 §2.1.1: the audit path of leaf `index`.
pub fn inclusion_proof(alg: HashAlg, leaves: &[Hash], index: usize) -> Vec<Hash> {
    assert!(index < leaves.len(), "leaf index within the tree");
    let mut out = Vec::new();
    path(alg, index, leaves, &mut out);
    out
}

fn path(alg: HashAlg, m: usize, d: &[Hash], out: &mut Vec<Hash>) {
    let n = d.len();
    if n <= 1 {
        return;
    }
    let k = split(n);
    if m < k {
        path(alg, m, &d[..k], out);
        out.push(root(alg, &d[k..]));
    } else {
        path(alg, m - k, &d[k..], out);
        out.push(root(alg, &d[..k]));
    }
}

/// PROOF(m, D[n]) of RFC 6962 §2.1.2: that the first `old_size` leaves are a prefix.
pub fn consistency_proof(alg: HashAlg, leaves: &[Hash], old_size: usize) -> Vec<Hash> {
    assert!(old_size <= leaves.len(), "old size within the tree");
    let mut out = Vec::new();
    if old_size > 0 {
        subproof(alg, old_size, leaves, true, &mut out);
    }
    out
}

fn subproof(alg: HashAlg, m: usize, d: &[Hash], whole: bool, out: &mut Vec<Hash>) {
    let n = d.len();
    if m == n {
        if !whole {
            out.push(root(alg, d));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof(alg, m, &d[..k], whole, out);
        out.push(root(alg, &d[k..]));
    } else {
        subproof(alg, m - k, &d[k..], false, out);
        out.push(root(alg, &d[..k]));
    }
}

/// Why a proof did not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofError {
    IndexBeyondSize,
    WrongLength,
    RootMismatch,
    SizesOutOfOrder,
}

impl std::fmt::Display for ProofError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ProofError::IndexBeyondSize => "the leaf index is not below the tree size",
            ProofError::WrongLength => "the proof has the wrong number of hashes",
            ProofError::RootMismatch => "the proof leads to another root",
            ProofError::SizesOutOfOrder => "the old size is larger than the new size",
        })
    }
}

/// Verifies an inclusion proof as RFC 9162 §2.1.3.2 describes.
pub fn verify_inclusion(
    alg: HashAlg,
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::IndexBeyondSize);
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return Err(ProofError::WrongLength);
        }
        if f & 1 == 1 || f == s {
            r = node_hash(alg, p, &r);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            r = node_hash(alg, &r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength);
    }
    if &r != root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// Verifies a consistency proof as RFC 9162 §2.1.4.2 describes.
pub fn verify_consistency(
    alg: HashAlg,
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if old_size > new_size {
        return Err(ProofError::SizesOutOfOrder);
    }
    if old_size == new_size {
        if !proof.is_empty() {
            return Err(ProofError::WrongLength);
        }
        return if old_root == new_root {
            Ok(())
        } else {
            Err(ProofError::RootMismatch)
        };
    }
    if old_size == 0 {
        // Every tree extends the empty one; there is nothing to prove.
        return if proof.is_empty() {
            Ok(())
        } else {
            Err(ProofError::WrongLength)
        };
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let Some((first, rest)) = path.split_first() else {
        return Err(ProofError::WrongLength);
    };
    let (mut f, mut s) = (old_size - 1, new_size - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if s == 0 {
            return Err(ProofError::WrongLength);
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(alg, c, &fr);
            sr = node_hash(alg, c, &sr);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            sr = node_hash(alg, &sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength);
    }
    if &fr != old_root || &sr != new_root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // The certificate-transparency test leaves and hashes (transparency-dev/merkle,
    // testonly/constants.go and reference_test.go), RFC 6962 with SHA-256.
    const LEAVES: [&str; 8] = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ];
    const ROOTS: [&str; 9] = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    const INCLUSION: [(usize, usize, &[&str]); 7] = [
        (1, 0, &[]),
        (
            2,
            0,
            &["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"],
        ),
        (
            2,
            1,
            &["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"],
        ),
        (
            3,
            2,
            &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
        ),
        (
            5,
            1,
            &[
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
        (
            8,
            0,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            8,
            5,
            &[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
    ];
    const CONSISTENCY: [(usize, usize, &[&str]); 4] = [
        (1, 1, &[]),
        (
            1,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            2,
            5,
            &[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
        (
            6,
            8,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
    ];

    const A: HashAlg = HashAlg::Sha256;

    fn leaves() -> Vec<Hash> {
        LEAVES
            .iter()
            .map(|l| leaf_hash(A, &hex::decode(l).unwrap()))
            .collect()
    }

    fn h(s: &str) -> Hash {
        hex::decode(s).unwrap().try_into().unwrap()
    }

    #[test]
    fn roots_of_the_test_tree() {
        let leaves = leaves();
        let mut frontier = Frontier::new(A);
        assert_eq!(hex::encode(frontier.root()), ROOTS[0]);
        for n in 0..=8 {
            assert_eq!(hex::encode(root(A, &leaves[..n])), ROOTS[n], "size {n}");
            if n > 0 {
                frontier.push(leaves[n - 1]);
                assert_eq!(hex::encode(frontier.root()), ROOTS[n], "frontier {n}");
            }
        }
    }

    #[test]
    fn inclusion_vectors() {
        let leaves = leaves();
        for (n, i, want) in INCLUSION {
            let proof = inclusion_proof(A, &leaves[..n], i);
            let want: Vec<Hash> = want.iter().map(|s| h(s)).collect();
            assert_eq!(proof, want, "size {n} index {i}");
            let root = h(ROOTS[n]);
            verify_inclusion(A, i as u64, n as u64, &leaves[i], &proof, &root).unwrap();
            assert!(
                verify_inclusion(A, i as u64, n as u64, &leaves[(i + 1) % 8], &proof, &root)
                    .is_err()
            );
            assert!(verify_inclusion(A, n as u64, n as u64, &leaves[i], &proof, &root).is_err());
        }
    }

    #[test]
    fn consistency_vectors() {
        let leaves = leaves();
        for (m, n, want) in CONSISTENCY {
            let proof = consistency_proof(A, &leaves[..n], m);
            let want: Vec<Hash> = want.iter().map(|s| h(s)).collect();
            assert_eq!(proof, want, "{m} -> {n}");
            let (old, new) = (h(ROOTS[m]), h(ROOTS[n]));
            verify_consistency(A, m as u64, n as u64, &old, &new, &proof).unwrap();
            if m != n {
                assert!(verify_consistency(A, m as u64, n as u64, &new, &new, &proof).is_err());
            }
        }
    }

    /// The level-by-level tree gives the root of every prefix that `root` and a `Frontier`
    /// give, in both algorithms (SM3 through the eight-lane batches), for every size to 70.
    #[test]
    fn levels_agree_with_root_and_frontier() {
        for alg in HashAlg::ALL {
            let leaves: Vec<Hash> = (0..70u32)
                .map(|i| leaf_hash(alg, &i.to_be_bytes()))
                .collect();
            for n in 0..=leaves.len() {
                let tree = Levels::build(alg, leaves[..n].to_vec());
                assert_eq!(tree.size(), n as u64);
                let mut frontier = Frontier::new(alg);
                for m in 0..=n {
                    if m > 0 {
                        frontier.push(leaves[m - 1]);
                    }
                    let want = root(alg, &leaves[..m]);
                    assert_eq!(frontier.root(), want, "{alg} frontier {m}");
                    assert_eq!(tree.root_at(m as u64), Some(want), "{alg} {m} of {n}");
                }
                assert_eq!(tree.root(), root(alg, &leaves[..n]));
                assert_eq!(tree.root_at(n as u64 + 1), None);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        /// Roots at random checkpoint sizes of larger trees (more than one parallel chunk).
        #[test]
        fn levels_roots_at_random_sizes(
            n in 0usize..5000,
            sizes in proptest::collection::btree_set(0usize..5001, 1..6),
        ) {
            let alg = HashAlg::Sm3;
            let leaves: Vec<Hash> = (0..n as u32)
                .map(|i| leaf_hash(alg, &i.to_le_bytes()))
                .collect();
            let tree = Levels::build(alg, leaves.clone());
            let mut frontier = Frontier::new(alg);
            for m in sizes {
                while (frontier.size() as usize) < m.min(n) {
                    frontier.push(leaves[frontier.size() as usize]);
                }
                let want = (m <= n).then(|| frontier.root());
                proptest::prop_assert_eq!(tree.root_at(m as u64), want, "{} of {}", m, n);
            }
            proptest::prop_assert_eq!(tree.root(), root(alg, &leaves));
        }
    }

    /// Every proof between every pair of sizes up to 40 verifies, and fails for another root.
    #[test]
    fn all_small_proofs_round_trip_in_both_algorithms() {
        for alg in HashAlg::ALL {
            let leaves: Vec<Hash> = (0..40u32)
                .map(|i| leaf_hash(alg, &i.to_be_bytes()))
                .collect();
            for n in 1..=leaves.len() {
                let r = root(alg, &leaves[..n]);
                for i in 0..n {
                    let p = inclusion_proof(alg, &leaves[..n], i);
                    verify_inclusion(alg, i as u64, n as u64, &leaves[i], &p, &r).unwrap();
                }
                for m in 0..=n {
                    let p = consistency_proof(alg, &leaves[..n], m);
                    let old = root(alg, &leaves[..m]);
                    verify_consistency(alg, m as u64, n as u64, &old, &r, &p).unwrap();
                    if m > 0 && m < n {
                        let wrong = leaf_hash(alg, b"x");
                        assert!(
                            verify_consistency(alg, m as u64, n as u64, &wrong, &r, &p).is_err()
                        );
                    }
                }
            }
        }
    }
}
