//! The two signature algorithms of the crypto profiles: Ed25519 (RFC 8032) and SM2 with SM3
//! (GB/T 32918.2) using the default distinguishing identifier.

use super::hash::HashAlg;
use crate::workspace::CryptoProfile;
use std::fmt;

/// The distinguishing identifier every SM2 signature here uses: the default of GB/T 32918 and
/// GM/T 0009 ("1234567812345678"), so other SM2 implementations verify with their defaults.
pub const SM2_DEFAULT_ID: &str = "1234567812345678";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SigAlg {
    /// Ed25519, RFC 8032 (pure, no context): 32-byte public keys, 64-byte signatures.
    Ed25519,
    /// SM2 digital signature with SM3 and the default ID: 65-byte uncompressed public keys
    /// (0x04 || x || y), 64-byte signatures r || s.
    Sm2,
}

impl SigAlg {
    pub const ALL: [SigAlg; 2] = [SigAlg::Ed25519, SigAlg::Sm2];

    pub fn name(self) -> &'static str {
        match self {
            SigAlg::Ed25519 => "ed25519",
            SigAlg::Sm2 => "sm2",
        }
    }

    pub fn parse(name: &str) -> Option<SigAlg> {
        SigAlg::ALL.into_iter().find(|a| a.name() == name)
    }

    pub fn for_profile(profile: CryptoProfile) -> SigAlg {
        match profile {
            CryptoProfile::Intl => SigAlg::Ed25519,
            CryptoProfile::Gm => SigAlg::Sm2,
        }
    }

    /// The hash that goes with this signature algorithm in its profile: key ids of SM2 keys
    /// are SM3 digests, so the `gm` profile uses national algorithms only.
    pub fn hash(self) -> HashAlg {
        match self {
            SigAlg::Ed25519 => HashAlg::Sha256,
            SigAlg::Sm2 => HashAlg::Sm3,
        }
    }
}

impl fmt::Display for SigAlg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

pub fn hash_for_profile(profile: CryptoProfile) -> HashAlg {
    SigAlg::for_profile(profile).hash()
}

/// A public key of either algorithm.
#[derive(Clone)]
pub enum PublicKey {
    Ed25519(ed25519_dalek::VerifyingKey),
    Sm2(Box<sm2::dsa::VerifyingKey>),
}

impl PublicKey {
    pub fn alg(&self) -> SigAlg {
        match self {
            PublicKey::Ed25519(_) => SigAlg::Ed25519,
            PublicKey::Sm2(_) => SigAlg::Sm2,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            PublicKey::Ed25519(k) => k.to_bytes().to_vec(),
            PublicKey::Sm2(k) => k.to_sec1_bytes().to_vec(),
        }
    }

    pub fn from_bytes(alg: SigAlg, bytes: &[u8]) -> Result<PublicKey, String> {
        match alg {
            SigAlg::Ed25519 => {
                let arr: [u8; 32] = bytes.try_into().map_err(|_| {
                    format!("an Ed25519 public key is 32 bytes, not {}", bytes.len())
                })?;
                let key = ed25519_dalek::VerifyingKey::from_bytes(&arr)
                    .map_err(|_| "not a valid Ed25519 public key".to_string())?;
                // A point of small order verifies forged signatures under lenient checks
                // (R = identity, S = 0 for the identity key); such a key is never valid.
                if key.is_weak() {
                    return Err("an Ed25519 public key of small order is not allowed".into());
                }
                // One point, one spelling: y must be below the field prime.
                if key.to_edwards().compress().to_bytes() != arr {
                    return Err("not the canonical encoding of an Ed25519 public key".into());
                }
                Ok(PublicKey::Ed25519(key))
            }
            SigAlg::Sm2 => {
                if bytes.len() != 65 || bytes[0] != 0x04 {
                    return Err(
                        "an SM2 public key is 65 bytes, uncompressed (0x04 || x || y)".to_string(),
                    );
                }
                sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DEFAULT_ID, bytes)
                    .map(|k| PublicKey::Sm2(Box::new(k)))
                    .map_err(|_| "not a point on the SM2 curve".to_string())
            }
        }
    }

    /// Whether `sig` is this key's signature of `msg`. Ed25519 is checked strictly (no
    /// malleable signatures, no weak keys) so one message has one valid signature per key.
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        match self {
            PublicKey::Ed25519(k) => {
                let Ok(sig) = ed25519_dalek::Signature::from_slice(sig) else {
                    return false;
                };
                k.verify_strict(msg, &sig).is_ok()
            }
            PublicKey::Sm2(k) => {
                use sm2::dsa::signature::Verifier as _;
                let Ok(sig) = sm2::dsa::Signature::from_slice(sig) else {
                    return false;
                };
                k.verify(msg, &sig).is_ok()
            }
        }
    }

    /// The key id written into records: `ALG:` and the first 16 bytes, in hex, of the public
    /// key's hash (SHA-256 for Ed25519 keys, SM3 for SM2 keys).
    pub fn key_id(&self) -> String {
        let alg = self.alg();
        let digest = alg.hash().hash(&[&self.to_bytes()]);
        format!("{}:{}", alg.name(), hex::encode(&digest[..16]))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.key_id())
    }
}

/// A private signing key. Never serialised by this type; see `keys` for the file format.
pub enum SecretKey {
    Ed25519(Box<ed25519_dalek::SigningKey>),
    Sm2(Box<sm2::dsa::SigningKey>),
}

impl SecretKey {
    /// A fresh key from the operating system's random source.
    pub fn generate(alg: SigAlg) -> Result<SecretKey, String> {
        loop {
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed).map_err(|e| format!("no random numbers: {e}"))?;
            // SM2 scalars must lie in [1, n-2]; a random 32-byte string misses that range with
            // negligible probability, and then we simply draw again.
            if let Ok(key) = SecretKey::from_bytes(alg, &seed) {
                return Ok(key);
            }
        }
    }

    pub fn from_bytes(alg: SigAlg, bytes: &[u8]) -> Result<SecretKey, String> {
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| format!("a {} private key is 32 bytes, not {}", alg, bytes.len()))?;
        match alg {
            SigAlg::Ed25519 => Ok(SecretKey::Ed25519(Box::new(
                ed25519_dalek::SigningKey::from_bytes(&arr),
            ))),
            SigAlg::Sm2 => sm2::dsa::SigningKey::from_slice(SM2_DEFAULT_ID, &arr)
                .map(|k| SecretKey::Sm2(Box::new(k)))
                .map_err(|_| "not a valid SM2 private key".to_string()),
        }
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        match self {
            SecretKey::Ed25519(k) => k.to_bytes(),
            SecretKey::Sm2(k) => k.to_bytes().into(),
        }
    }

    pub fn alg(&self) -> SigAlg {
        match self {
            SecretKey::Ed25519(_) => SigAlg::Ed25519,
            SecretKey::Sm2(_) => SigAlg::Sm2,
        }
    }

    pub fn public(&self) -> PublicKey {
        match self {
            SecretKey::Ed25519(k) => PublicKey::Ed25519(k.verifying_key()),
            SecretKey::Sm2(k) => PublicKey::Sm2(Box::new(k.verifying_key().clone())),
        }
    }

    /// Signs `msg`. Both algorithms are deterministic here (Ed25519 by design, SM2 with its
    /// nonce derived as in RFC 6979), so signing needs no random source.
    pub fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, String> {
        use sm2::dsa::signature::Signer as _;
        match self {
            SecretKey::Ed25519(k) => Ok(k.sign(msg).to_bytes().to_vec()),
            SecretKey::Sm2(k) => k
                .try_sign(msg)
                .map(|s| s.to_bytes().to_vec())
                .map_err(|_| "SM2 signing failed".to_string()),
        }
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({}, redacted)", self.public().key_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// RFC 8032 §7.1, tests 1 to 3.
    #[test]
    fn ed25519_rfc8032_tests_1_to_3() {
        let cases = [
            (
                "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            ),
            (
                "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
                "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
            ),
            (
                "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
                "af82",
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
            ),
        ];
        for (sk, pk, msg, sig) in cases {
            let key = SecretKey::from_bytes(SigAlg::Ed25519, &unhex(sk)).unwrap();
            assert_eq!(key.public().to_bytes(), unhex(pk));
            let made = key.sign(&unhex(msg)).unwrap();
            assert_eq!(hex::encode(&made), sig);
            let public = PublicKey::from_bytes(SigAlg::Ed25519, &unhex(pk)).unwrap();
            assert!(public.verify(&unhex(msg), &made));
            assert!(!public.verify(b"other", &made));
        }
    }

    // GM/T 0003.5-2012 (= GB/T 32918.5-2017) example on the recommended curve: private key,
    // public key, message "message digest", default ID, nonce k, and the signature (r, s).
    const SM2_D: &str = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8";
    const SM2_P: &str = "0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13";
    const SM2_K: &str = "59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21";
    const SM2_R: &str = "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3";
    const SM2_S: &str = "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa";
    const SM2_E: &str = "f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640";

    #[test]
    fn sm2_standard_example_verifies_and_keys_derive() {
        let key = SecretKey::from_bytes(SigAlg::Sm2, &unhex(SM2_D)).unwrap();
        assert_eq!(hex::encode(key.public().to_bytes()), SM2_P);
        let public = PublicKey::from_bytes(SigAlg::Sm2, &unhex(SM2_P)).unwrap();
        let sig = unhex(&format!("{SM2_R}{SM2_S}"));
        assert!(public.verify(b"message digest", &sig));
        assert!(!public.verify(b"message digesT", &sig));
        // Our own signatures verify, and signing is deterministic.
        let made = key.sign(b"message digest").unwrap();
        assert!(public.verify(b"message digest", &made));
        assert_eq!(made, key.sign(b"message digest").unwrap());
    }

    /// The crate signs with an RFC 6979 nonce and cannot take the standard's fixed k, so the
    /// signing equation of GB/T 32918.2 §6.1 is evaluated here with the crate's own arithmetic
    /// and the standard's k: it must give the published (r, s), and e = SM3(Z_A || M) with the
    /// default ID must be the published e.
    #[test]
    fn sm2_standard_example_signs_with_the_published_nonce() {
        use sm2::elliptic_curve::ops::Reduce;
        use sm2::elliptic_curve::point::AffineCoordinates;
        use sm2::elliptic_curve::PrimeField;
        use sm2::{ProjectivePoint, Scalar, U256};

        // Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A).
        let id = SM2_DEFAULT_ID.as_bytes();
        let entl = ((id.len() * 8) as u16).to_be_bytes();
        let a = unhex("fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc");
        let b = unhex("28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93");
        let xg = unhex("32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7");
        let yg = unhex("bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0");
        let p = unhex(SM2_P);
        let za = HashAlg::Sm3.hash(&[&entl, id, &a, &b, &xg, &yg, &p[1..33], &p[33..]]);
        let e_bytes = HashAlg::Sm3.hash(&[&za, b"message digest"]);
        assert_eq!(hex::encode(e_bytes), SM2_E);

        let scalar = |hex_text: &str| {
            let arr: [u8; 32] = unhex(hex_text).try_into().unwrap();
            Option::<Scalar>::from(Scalar::from_repr(arr.into())).unwrap()
        };
        let d = scalar(SM2_D);
        let k = scalar(SM2_K);
        let e = <Scalar as Reduce<U256>>::reduce(&U256::from_be_slice(&e_bytes));
        let x1 = (ProjectivePoint::GENERATOR * k).to_affine().x();
        let r = e + <Scalar as Reduce<U256>>::reduce(&U256::from_be_slice(&x1));
        let s = Option::<Scalar>::from((d + Scalar::ONE).invert()).unwrap() * (k - r * d);
        assert_eq!(hex::encode(r.to_repr()), SM2_R);
        assert_eq!(hex::encode(s.to_repr()), SM2_S);
    }

    #[test]
    fn key_ids_name_the_algorithm_and_differ() {
        let a = SecretKey::from_bytes(SigAlg::Ed25519, &[7; 32])
            .unwrap()
            .public();
        let b = SecretKey::from_bytes(SigAlg::Sm2, &[7; 32])
            .unwrap()
            .public();
        assert!(a.key_id().starts_with("ed25519:") && a.key_id().len() == 8 + 32);
        assert!(b.key_id().starts_with("sm2:") && b.key_id().len() == 4 + 32);
        assert!(PublicKey::from_bytes(SigAlg::Sm2, &a.to_bytes()).is_err());
        assert!(!a.verify(b"m", &[0u8; 63]));
    }

    /// The identity point, encoded: y = 1, x = 0.
    fn identity() -> [u8; 32] {
        let mut b = [0u8; 32];
        b[0] = 1;
        b
    }

    /// A lenient Ed25519 verifier accepts R = identity, S = 0 for the identity key on any
    /// message; strict verification refuses the key, and the signature with any key.
    #[test]
    fn ed25519_small_order_keys_and_the_trivial_signature_are_refused() {
        let err = PublicKey::from_bytes(SigAlg::Ed25519, &identity()).unwrap_err();
        assert!(err.contains("small order"), "{err}");
        // Another point of order 8 (and its non-canonical spelling with y + p).
        let order8 =
            hex::decode("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")
                .unwrap();
        assert!(PublicKey::from_bytes(SigAlg::Ed25519, &order8).is_err());
        let mut noncanonical = [0u8; 32];
        noncanonical[0] = 0xee;
        noncanonical[1..31].fill(0xff);
        noncanonical[31] = 0x7f;
        assert!(PublicKey::from_bytes(SigAlg::Ed25519, &noncanonical).is_err());
        let mut trivial = identity().to_vec();
        trivial.extend([0u8; 32]);
        let real = SecretKey::from_bytes(SigAlg::Ed25519, &[7; 32])
            .unwrap()
            .public();
        assert!(!real.verify(b"anything", &trivial));
    }

    /// S + L satisfies the verification equation wherever S does; it must still be refused.
    #[test]
    fn ed25519_non_canonical_s_is_refused() {
        const L: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        let key = SecretKey::from_bytes(SigAlg::Ed25519, &[9; 32]).unwrap();
        let mut sig = key.sign(b"m").unwrap();
        assert!(key.public().verify(b"m", &sig));
        // S + L as a little-endian 256-bit sum; every S < L leaves room for it.
        let mut carry = 0u16;
        for (s, l) in sig[32..].iter_mut().zip(L) {
            let sum = *s as u16 + l as u16 + carry;
            *s = sum as u8;
            carry = sum >> 8;
        }
        assert_eq!(carry, 0);
        assert!(!key.public().verify(b"m", &sig));
    }
}
