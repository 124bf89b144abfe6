//! SM3 (GB/T 32905-2016) of many independent messages at once, eight per AVX2 register, so that
//! `verify` in the `gm` profile can hash a ledger's leaves and Merkle nodes at a speed near that
//! of SHA-NI SHA-256. Other CPUs and architectures use the `sm3` crate, one message at a time.
//!
//! SM3 is all 32-bit additions, xors, ands, ors, nots and rotations, so the eight lanes of a
//! 256-bit register run eight compressions side by side. Messages have different lengths: each
//! lane takes the next message when its own one is done, and a lane with nothing left to do
//! compresses stale data whose result is never read.

// Elsewhere only the fallback is used.
#![cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]

use super::hash::HashAlg;

/// The initial value of GB/T 32905-2016 §4.1.
const IV: [u32; 8] = [
    0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e,
];

/// Below this many messages the one-at-a-time path is as fast (most lanes would idle).
const MIN_BATCH: usize = 3;

/// The SM3 digest of each input, an input being the concatenation of its parts (so a caller
/// need not copy pieces of a line into one buffer).
pub fn hash_many<const P: usize>(inputs: &[[&[u8]; P]]) -> Vec<[u8; 32]> {
    let mut out = vec![[0u8; 32]; inputs.len()];
    hash_many_into(inputs, &mut out);
    out
}

/// [`hash_many`] into `out`, which must be as long as `inputs`.
pub fn hash_many_into<const P: usize>(inputs: &[[&[u8]; P]], out: &mut [[u8; 32]]) {
    assert_eq!(inputs.len(), out.len(), "one digest per input");
    #[cfg(target_arch = "x86_64")]
    if inputs.len() >= MIN_BATCH && std::arch::is_x86_feature_detected!("avx2") {
        lanes(inputs, out, |state, blocks| {
            // SAFETY: AVX2 was detected on this CPU just above, the only requirement of
            // `compress8` beyond its (safe, fixed-size) arguments.
            unsafe { avx2::compress8(state, blocks) }
        });
        return;
    }
    for (parts, o) in inputs.iter().zip(out) {
        *o = HashAlg::Sm3.hash(parts);
    }
}

/// One message being hashed in a lane: where its bytes are and how far it has got.
struct Lane<'a, const P: usize> {
    index: usize,
    parts: &'a [&'a [u8]; P],
    part: usize,
    offset: usize,
    /// Whether the 0x80 that ends the message has been written.
    marked: bool,
    block: u64,
    blocks: u64,
    bits: u64,
}

impl<'a, const P: usize> Lane<'a, P> {
    fn new(index: usize, parts: &'a [&'a [u8]; P]) -> Self {
        let len: u64 = parts.iter().map(|p| p.len() as u64).sum();
        Lane {
            index,
            parts,
            part: 0,
            offset: 0,
            marked: false,
            // The message, 0x80, and the 64-bit length, padded to whole 64-byte blocks.
            blocks: (len + 9).div_ceil(64),
            block: 0,
            bits: len.wrapping_mul(8),
        }
    }

    /// The next padded block of the message: straight from the message where 64 bytes of one
    /// part are left (most blocks of a long message), else put together in `buf`.
    fn next_block<'s>(&mut self, buf: &'s mut [u8; 64]) -> &'s [u8; 64]
    where
        'a: 's,
    {
        if self.part < P {
            let part: &'a [u8] = self.parts[self.part];
            if let Some(block) = part[self.offset..].first_chunk::<64>() {
                self.offset += 64;
                if self.offset == part.len() {
                    self.part += 1;
                    self.offset = 0;
                }
                self.block += 1;
                return block;
            }
        }
        self.fill(buf);
        buf
    }

    /// Writes the next padded block of the message into `buf`.
    fn fill(&mut self, buf: &mut [u8; 64]) {
        let mut n = 0;
        while n < 64 && self.part < P {
            let src = &self.parts[self.part][self.offset..];
            let take = src.len().min(64 - n);
            buf[n..n + take].copy_from_slice(&src[..take]);
            n += take;
            self.offset += take;
            if self.offset == self.parts[self.part].len() {
                self.part += 1;
                self.offset = 0;
            }
        }
        if n < 64 {
            if !self.marked {
                buf[n] = 0x80;
                self.marked = true;
                n += 1;
            }
            buf[n..].fill(0);
            if self.block + 1 == self.blocks {
                buf[56..].copy_from_slice(&self.bits.to_be_bytes());
            }
        }
        self.block += 1;
    }

    fn done(&self) -> bool {
        self.block == self.blocks
    }
}

/// Eight chaining values, word-major: `state[w][lane]`, the layout the registers load.
type State = [[u32; 8]; 8];

/// Runs every input through eight lanes of `compress` (which compresses lane `l`'s block into
/// lane `l` of the state), refilling each lane as its message ends.
fn lanes<const P: usize>(
    inputs: &[[&[u8]; P]],
    out: &mut [[u8; 32]],
    mut compress: impl FnMut(&mut State, &[&[u8; 64]; 8]),
) {
    static IDLE: [u8; 64] = [0; 64];
    let mut state: State = [[0; 8]; 8];
    let mut bufs = [[0u8; 64]; 8];
    let mut slots: [Option<Lane<P>>; 8] = Default::default();
    let mut next = 0;
    loop {
        // A lane with no message left compresses zeros into a state nobody reads.
        let mut blocks = [&IDLE; 8];
        let mut active = 0;
        for (l, ((slot, buf), block)) in slots
            .iter_mut()
            .zip(bufs.iter_mut())
            .zip(blocks.iter_mut())
            .enumerate()
        {
            if slot.is_none() && next < inputs.len() {
                *slot = Some(Lane::new(next, &inputs[next]));
                next += 1;
                for (w, iv) in IV.iter().enumerate() {
                    state[w][l] = *iv;
                }
            }
            if let Some(lane) = slot {
                *block = lane.next_block(buf);
                active += 1;
            }
        }
        if active == 0 {
            return;
        }
        compress(&mut state, &blocks);
        for (l, slot) in slots.iter_mut().enumerate() {
            if let Some(lane) = slot {
                if lane.done() {
                    let digest = &mut out[lane.index];
                    for w in 0..8 {
                        digest[4 * w..4 * w + 4].copy_from_slice(&state[w][l].to_be_bytes());
                    }
                    *slot = None;
                }
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::State;
    use std::arch::x86_64::*;

    /// T_j rotated left by j mod 32 (GB/T 32905-2016 §4.2 and §5.3.3), ready to add.
    const T: [u32; 64] = {
        let mut t = [0u32; 64];
        let mut j = 0;
        while j < 64 {
            let base: u32 = if j < 16 { 0x79cc4519 } else { 0x7a879d8a };
            t[j] = base.rotate_left((j % 32) as u32);
            j += 1;
        }
        t
    };

    // AVX2 has no 32-bit rotate, so a rotation is two shifts and an or.
    macro_rules! rotl {
        ($x:expr, $n:literal) => {{
            let x = $x;
            _mm256_or_si256(
                _mm256_slli_epi32::<$n>(x),
                _mm256_srli_epi32::<{ 32 - $n }>(x),
            )
        }};
    }

    macro_rules! xor3 {
        ($a:expr, $b:expr, $c:expr) => {
            _mm256_xor_si256(_mm256_xor_si256($a, $b), $c)
        };
    }

    macro_rules! add {
        ($a:expr, $b:expr) => {
            _mm256_add_epi32($a, $b)
        };
    }

    /// Rows of eight 32-bit words in, columns out: word i of lane l ends in lane l of row i.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn transpose(r: [__m256i; 8]) -> [__m256i; 8] {
        let t0 = _mm256_unpacklo_epi32(r[0], r[1]);
        let t1 = _mm256_unpackhi_epi32(r[0], r[1]);
        let t2 = _mm256_unpacklo_epi32(r[2], r[3]);
        let t3 = _mm256_unpackhi_epi32(r[2], r[3]);
        let t4 = _mm256_unpacklo_epi32(r[4], r[5]);
        let t5 = _mm256_unpackhi_epi32(r[4], r[5]);
        let t6 = _mm256_unpacklo_epi32(r[6], r[7]);
        let t7 = _mm256_unpackhi_epi32(r[6], r[7]);
        let u0 = _mm256_unpacklo_epi64(t0, t2);
        let u1 = _mm256_unpackhi_epi64(t0, t2);
        let u2 = _mm256_unpacklo_epi64(t1, t3);
        let u3 = _mm256_unpackhi_epi64(t1, t3);
        let u4 = _mm256_unpacklo_epi64(t4, t6);
        let u5 = _mm256_unpackhi_epi64(t4, t6);
        let u6 = _mm256_unpacklo_epi64(t5, t7);
        let u7 = _mm256_unpackhi_epi64(t5, t7);
        [
            _mm256_permute2x128_si256::<0x20>(u0, u4),
            _mm256_permute2x128_si256::<0x20>(u1, u5),
            _mm256_permute2x128_si256::<0x20>(u2, u6),
            _mm256_permute2x128_si256::<0x20>(u3, u7),
            _mm256_permute2x128_si256::<0x31>(u0, u4),
            _mm256_permute2x128_si256::<0x31>(u1, u5),
            _mm256_permute2x128_si256::<0x31>(u2, u6),
            _mm256_permute2x128_si256::<0x31>(u3, u7),
        ]
    }

    /// The compression function CF of GB/T 32905-2016 §5.3, on eight lanes: lane `l` of
    /// `state` takes in `blocks[l]`.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn compress8(state: &mut State, blocks: &[&[u8; 64]; 8]) {
        // The words are big-endian: swap the bytes of each 32-bit word.
        let bswap = _mm256_setr_epi8(
            3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10,
            9, 8, 15, 14, 13, 12,
        );
        // Message expansion (§5.3.2): W_0..W_67; W'_j = W_j ^ W_{j+4} is formed in the rounds.
        let mut w = [_mm256_setzero_si256(); 68];
        for half in 0..2 {
            let mut rows = [_mm256_setzero_si256(); 8];
            for (row, block) in rows.iter_mut().zip(blocks) {
                // SAFETY: `block` is 64 bytes, so the 32 bytes at 0 or 32 are in bounds;
                // `loadu` has no alignment requirement.
                *row = unsafe { _mm256_loadu_si256(block.as_ptr().add(32 * half).cast()) };
            }
            let cols = transpose(rows);
            for i in 0..8 {
                w[8 * half + i] = _mm256_shuffle_epi8(cols[i], bswap);
            }
        }
        for j in 16..68 {
            let x = xor3!(w[j - 16], w[j - 9], rotl!(w[j - 3], 15));
            let p1 = xor3!(x, rotl!(x, 15), rotl!(x, 23));
            w[j] = xor3!(p1, rotl!(w[j - 13], 7), w[j - 6]);
        }

        let mut v = [_mm256_setzero_si256(); 8];
        for (reg, words) in v.iter_mut().zip(state.iter()) {
            // SAFETY: `words` is eight u32, 32 bytes; `loadu` has no alignment requirement.
            *reg = unsafe { _mm256_loadu_si256(words.as_ptr().cast()) };
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = v;

        // One round of §5.3.3; FF and GG are the only things that differ between j < 16 and
        // the rest.
        macro_rules! round {
            ($j:expr, $ff:expr, $gg:expr) => {{
                let j = $j;
                let a12 = rotl!(a, 12);
                let ss1 = rotl!(add!(add!(a12, e), _mm256_set1_epi32(T[j] as i32)), 7);
                let ss2 = _mm256_xor_si256(ss1, a12);
                let tt1 = add!(add!($ff, d), add!(ss2, _mm256_xor_si256(w[j], w[j + 4])));
                let tt2 = add!(add!($gg, h), add!(ss1, w[j]));
                d = c;
                c = rotl!(b, 9);
                b = a;
                a = tt1;
                h = g;
                g = rotl!(f, 19);
                f = e;
                e = xor3!(tt2, rotl!(tt2, 9), rotl!(tt2, 17));
            }};
        }
        for j in 0..16 {
            round!(j, xor3!(a, b, c), xor3!(e, f, g));
        }
        for j in 16..64 {
            round!(
                j,
                // (a & b) | (a & c) | (b & c), the majority
                _mm256_or_si256(
                    _mm256_and_si256(a, b),
                    _mm256_and_si256(c, _mm256_or_si256(a, b))
                ),
                // (e & f) | (!e & g)
                _mm256_or_si256(_mm256_and_si256(e, f), _mm256_andnot_si256(e, g))
            );
        }

        for (words, (old, new)) in state.iter_mut().zip(v.iter().zip([a, b, c, d, e, f, g, h])) {
            // SAFETY: `words` is eight u32, 32 bytes; `storeu` has no alignment requirement.
            unsafe { _mm256_storeu_si256(words.as_mut_ptr().cast(), _mm256_xor_si256(*old, new)) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn one(parts: &[&[u8]]) -> [u8; 32] {
        use sm3::Digest as _;
        let mut h = sm3::Sm3::new();
        for p in parts {
            h.update(p);
        }
        h.finalize().into()
    }

    /// GB/T 32905-2016, appendix A, examples 1 and 2, in full batches and alone.
    #[test]
    fn known_answers_from_the_standard() {
        let abc = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0";
        let abcd = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732";
        let long = "abcd".repeat(16);
        for n in [1, 2, 3, 8, 9, 17] {
            let inputs: Vec<[&[u8]; 2]> = (0..n)
                .map(|i| {
                    if i % 2 == 0 {
                        [&b"ab"[..], &b"c"[..]]
                    } else {
                        [&long.as_bytes()[..10], &long.as_bytes()[10..]]
                    }
                })
                .collect();
            for (i, d) in hash_many(&inputs).iter().enumerate() {
                let want = if i % 2 == 0 { abc } else { abcd };
                assert_eq!(hex::encode(d), want, "message {i} of {n}");
            }
        }
    }

    #[test]
    fn empty_batch_and_empty_messages() {
        assert!(hash_many::<1>(&[]).is_empty());
        let empty: [&[u8]; 3] = [&[], &[], &[]];
        let d = hash_many(&[empty; 9]);
        assert!(d.iter().all(|d| *d == one(&[])));
    }

    proptest! {
        /// Random batches (partial ones too), lengths across the padding boundaries (55, 56,
        /// 63, 64 bytes and beyond) and random splits into parts agree with the `sm3` crate.
        #[test]
        fn agrees_with_the_sm3_crate(
            messages in prop::collection::vec(
                (prop::collection::vec(any::<u8>(), 0..300), any::<usize>(), any::<usize>()),
                0..40,
            )
        ) {
            let inputs: Vec<[&[u8]; 3]> = messages
                .iter()
                .map(|(m, x, y)| {
                    let (mut i, mut j) = (x % (m.len() + 1), y % (m.len() + 1));
                    if i > j {
                        std::mem::swap(&mut i, &mut j);
                    }
                    [&m[..i], &m[i..j], &m[j..]]
                })
                .collect();
            let got = hash_many(&inputs);
            for (parts, d) in inputs.iter().zip(&got) {
                prop_assert_eq!(hex::encode(d), hex::encode(one(parts)));
            }
        }
    }

    #[test]
    fn every_length_near_the_padding_boundaries() {
        let data: Vec<u8> = (0..200u8).collect();
        let inputs: Vec<[&[u8]; 1]> = (0..200).map(|n| [&data[..n]]).collect();
        for (n, d) in hash_many(&inputs).iter().enumerate() {
            assert_eq!(*d, one(&[&data[..n]]), "length {n}");
        }
    }
}
