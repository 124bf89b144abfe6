//! The two hash algorithms of the crypto profiles (SHA-256, SM3), and digests that name theirs.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A hash algorithm a ledger may use. Every stored digest carries its name, so a ledger written
/// under one profile stays verifiable after the workspace moves to the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HashAlg {
    /// SHA-256 (FIPS 180-4), the `intl` profile.
    Sha256,
    /// SM3 (GB/T 32905-2016), the `gm` profile.
    Sm3,
}

impl HashAlg {
    pub const ALL: [HashAlg; 2] = [HashAlg::Sha256, HashAlg::Sm3];

    /// The name written into records, checkpoints and manifests.
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Sha256 => "sha256",
            HashAlg::Sm3 => "sm3",
        }
    }

    pub fn parse(name: &str) -> Option<HashAlg> {
        HashAlg::ALL.into_iter().find(|a| a.name() == name)
    }

    /// A running hash of this algorithm.
    pub fn hasher(self) -> Hasher {
        use sha2::Digest as _;
        match self {
            HashAlg::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            HashAlg::Sm3 => Hasher::Sm3(sm3::Sm3::new()),
        }
    }

    /// The hash of the concatenation of `parts`.
    pub fn hash(self, parts: &[&[u8]]) -> [u8; 32] {
        let mut h = self.hasher();
        for p in parts {
            h.update(p);
        }
        h.finish()
    }

    /// The hash of each input (the concatenation of its parts) into `out`, as long as `inputs`.
    /// SM3 hashes eight inputs at a time where the CPU has AVX2 (see [`super::sm3_many`]);
    /// SHA-256, already fast with SHA-NI, takes them one by one.
    pub fn hash_each<const P: usize>(self, inputs: &[[&[u8]; P]], out: &mut [[u8; 32]]) {
        match self {
            HashAlg::Sha256 => {
                assert_eq!(inputs.len(), out.len(), "one digest per input");
                for (parts, o) in inputs.iter().zip(out) {
                    *o = self.hash(parts);
                }
            }
            HashAlg::Sm3 => super::sm3_many::hash_many_into(inputs, out),
        }
    }
}

impl fmt::Display for HashAlg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An incremental hash of either algorithm; an enum rather than a trait object so that the hot
/// loop of `verify` stays monomorphic.
#[derive(Clone)]
pub enum Hasher {
    Sha256(sha2::Sha256),
    Sm3(sm3::Sm3),
}

impl Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        use sha2::Digest as _;
        match self {
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sm3(h) => h.update(bytes),
        }
    }

    pub fn finish(self) -> [u8; 32] {
        use sha2::Digest as _;
        match self {
            Hasher::Sha256(h) => h.finalize().into(),
            Hasher::Sm3(h) => h.finalize().into(),
        }
    }
}

/// A digest together with the algorithm that made it. Written as `ALG:HEX`, lower-case hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest {
    pub alg: HashAlg,
    pub bytes: [u8; 32],
}

impl Digest {
    pub fn new(alg: HashAlg, bytes: [u8; 32]) -> Digest {
        Digest { alg, bytes }
    }

    pub fn hex(&self) -> String {
        hex::encode(self.bytes)
    }

    /// Parses `ALG:HEX`. Only the exact form this program writes is accepted (lower-case hex,
    /// 64 digits), so that a digest has one spelling and a changed letter case is a change.
    pub fn parse(text: &str) -> Result<Digest, String> {
        let (alg, hex_part) = text
            .split_once(':')
            .ok_or_else(|| format!("'{text}' is not a digest of the form ALG:HEX"))?;
        let alg = HashAlg::parse(alg)
            .ok_or_else(|| format!("unknown hash algorithm '{alg}' (known: sha256, sm3)"))?;
        let bytes = decode_hex32(hex_part)
            .ok_or_else(|| format!("'{text}' does not end in 64 lower-case hex digits"))?;
        Ok(Digest { alg, bytes })
    }
}

/// Decodes exactly 64 lower-case hex digits.
pub fn decode_hex32(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.alg.name(), self.hex())
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Digest, D::Error> {
        let text = String::deserialize(d)?;
        Digest::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GB/T 32905-2016, appendix A, examples 1 and 2.
    #[test]
    fn sm3_known_answers_from_the_standard() {
        assert_eq!(
            hex::encode(HashAlg::Sm3.hash(&[b"abc"])),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        assert_eq!(
            hex::encode(HashAlg::Sm3.hash(&["abcd".repeat(16).as_bytes()])),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
        );
    }

    /// FIPS 180-4 example "abc"; parts hash as their concatenation.
    #[test]
    fn sha256_known_answer_and_parts() {
        assert_eq!(
            hex::encode(HashAlg::Sha256.hash(&[b"a", b"bc"])),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn digests_have_one_spelling() {
        let d = Digest::new(HashAlg::Sm3, [0xab; 32]);
        let text = d.to_string();
        assert!(text.starts_with("sm3:abab"));
        assert_eq!(Digest::parse(&text).unwrap(), d);
        assert!(Digest::parse(&text.to_uppercase()).is_err());
        assert!(Digest::parse(&text.replace("sm3:", "sha1:")).is_err());
        assert!(Digest::parse(&text[..text.len() - 1]).is_err());
    }
}
