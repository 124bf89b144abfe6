//! Small helpers shared by several inventory parsers.

/// Spells a hash algorithm one way whatever the format wrote: SPDX 2 says `SHA256`, SPDX 3
/// `sha256` and CycloneDX `SHA-256`, and a comparison across files must see them as equal.
pub(crate) fn normalise_hash_alg(alg: &str) -> String {
    let upper = alg.trim().to_ascii_uppercase().replace('_', "-");
    if let Some(bits) = upper.strip_prefix("SHA") {
        if matches!(bits, "1" | "224" | "256" | "384" | "512") {
            return format!("SHA-{bits}");
        }
    }
    // SPDX 3 writes `blake2b256` where the others write `BLAKE2b-256`.
    for family in ["BLAKE2B", "BLAKE2S"] {
        if let Some(bits) = upper.strip_prefix(family) {
            if !bits.is_empty() && bits.bytes().all(|b| b.is_ascii_digit()) {
                return format!("{family}-{bits}");
            }
        }
    }
    upper
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_algorithms_are_spelled_one_way() {
        assert_eq!(normalise_hash_alg("SHA1"), "SHA-1");
        assert_eq!(normalise_hash_alg("sha256"), "SHA-256");
        assert_eq!(normalise_hash_alg("SHA-512"), "SHA-512");
        assert_eq!(normalise_hash_alg("sha3_256"), "SHA3-256");
        assert_eq!(normalise_hash_alg("SHA3-384"), "SHA3-384");
        assert_eq!(normalise_hash_alg("blake2b256"), "BLAKE2B-256");
        assert_eq!(normalise_hash_alg("BLAKE2b-384"), "BLAKE2B-384");
        assert_eq!(normalise_hash_alg(" md5 "), "MD5");
        assert_eq!(normalise_hash_alg("BLAKE3"), "BLAKE3");
    }
}
