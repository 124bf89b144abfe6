//! Signing keys: private key files outside the workspace, the workspace trust store `keys/`,
//! and how a command finds the key to sign with.

use super::error::{LedgerError, Result};
use super::sig::{PublicKey, SecretKey, SigAlg};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const PRIVATE_FORMAT: &str = "anbao-private-key/1";
pub const PUBLIC_FORMAT: &str = "anbao-public-key/1";
/// The environment variable naming the private key file(s) to sign with.
pub const KEY_ENV: &str = "ANBAO_KEY";

/// Whether `unit` is a unit id: `[a-z][a-z0-9-]*`, at most 64 characters.
pub fn valid_unit(unit: &str) -> bool {
    let mut chars = unit.chars();
    unit.len() <= 64
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Strict standard base64 (RFC 4648 §4): padding required, no stray bits, so one byte string
/// has one spelling.
pub fn b64_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = B64.decode(text).ok()?;
    (B64.encode(&bytes) == text).then_some(bytes)
}

pub fn b64_encode(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PrivateKeyFile {
    format: String,
    alg: String,
    unit: String,
    key_id: String,
    secret: String,
    created: String,
}

/// A private key loaded for signing, with the unit it signs for.
#[derive(Debug)]
pub struct SigningKey {
    pub path: PathBuf,
    pub unit: String,
    pub key_id: String,
    pub secret: SecretKey,
}

impl SigningKey {
    pub fn generate(alg: SigAlg, unit: &str) -> Result<SigningKey> {
        if !valid_unit(unit) {
            return Err(LedgerError::BadUnit { unit: unit.into() });
        }
        let secret = SecretKey::generate(alg).map_err(LedgerError::Signing)?;
        Ok(SigningKey {
            path: PathBuf::new(),
            unit: unit.to_string(),
            key_id: secret.public().key_id(),
            secret,
        })
    }

    pub fn alg(&self) -> SigAlg {
        self.secret.alg()
    }

    pub fn public(&self) -> PublicKey {
        self.secret.public()
    }

    pub fn sign(&self, msg: &[u8]) -> Result<Vec<u8>> {
        self.secret.sign(msg).map_err(LedgerError::Signing)
    }

    /// The file name keys are saved under: `UNIT-ALG-XXXXXXXX.key`.
    pub fn file_name(&self) -> String {
        let short = self
            .key_id
            .split(':')
            .nth(1)
            .unwrap_or("")
            .get(..8)
            .unwrap_or("");
        format!("{}-{}-{short}.key", self.unit, self.alg())
    }

    /// Writes the private key to a new file readable by its owner only (mode 0600).
    pub fn save(&mut self, path: &Path, created: &str) -> Result<()> {
        let file = PrivateKeyFile {
            format: PRIVATE_FORMAT.into(),
            alg: self.alg().name().into(),
            unit: self.unit.clone(),
            key_id: self.key_id.clone(),
            secret: b64_encode(&self.secret.to_bytes()),
            created: created.into(),
        };
        let text = format!(
            "# anbao private signing key. Keep it secret; never copy it into a workspace, a report or an export.\n\
             # anbao 私钥：请妥善保管，切勿放入工作区、报告或导出包。\n{}",
            toml::to_string(&file).map_err(|e| LedgerError::Other(e.to_string()))?
        );
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                LedgerError::KeyExists { path: path.into() }
            } else {
                LedgerError::io("create", path, e)
            }
        })?;
        f.write_all(text.as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(|e| LedgerError::io("write", path, e))?;
        self.path = path.to_path_buf();
        Ok(())
    }

    /// Loads a private key file, refusing one that group or others can read.
    pub fn load(path: &Path) -> Result<SigningKey> {
        let bad = |reason: String| LedgerError::BadKeyFile {
            path: path.into(),
            reason,
        };
        let meta = std::fs::metadata(path).map_err(|e| LedgerError::io("read", path, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(LedgerError::KeyTooOpen {
                    path: path.into(),
                    mode,
                });
            }
        }
        #[cfg(not(unix))]
        let _ = meta;
        let text = crate::fsutil::read_text(path, crate::fsutil::CONFIG_LIMIT)?;
        let file: PrivateKeyFile =
            toml::from_str(&text).map_err(|e| bad(e.message().to_string()))?;
        if file.format != PRIVATE_FORMAT {
            return Err(bad(format!(
                "format '{}', expected '{PRIVATE_FORMAT}'",
                file.format
            )));
        }
        let alg = SigAlg::parse(&file.alg)
            .ok_or_else(|| bad(format!("unknown algorithm '{}'", file.alg)))?;
        let bytes =
            b64_decode(&file.secret).ok_or_else(|| bad("the secret is not base64".into()))?;
        let secret = SecretKey::from_bytes(alg, &bytes).map_err(bad)?;
        let key_id = secret.public().key_id();
        if key_id != file.key_id {
            return Err(bad(format!(
                "it says key id '{}' but the secret belongs to '{key_id}'",
                file.key_id
            )));
        }
        if !valid_unit(&file.unit) {
            return Err(bad(format!("'{}' is not a unit id", file.unit)));
        }
        Ok(SigningKey {
            path: path.to_path_buf(),
            unit: file.unit,
            key_id,
            secret,
        })
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| LedgerError::io("create", dir, e))
}

/// The environment variable that moves the user's anbao configuration folder (key bindings
/// `keys.toml` and the default key folder `keys/`).
pub const CONFIG_ENV: &str = "ANBAO_CONFIG_DIR";

/// The user's own anbao configuration folder: `$ANBAO_CONFIG_DIR`, else `anbao` in the
/// platform's configuration folder (`$XDG_CONFIG_HOME` or `~/.config` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    std::env::var_os(CONFIG_ENV)
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::config_dir().map(|d| d.join("anbao")))
}

/// Where `anbao keys new` saves private keys and where signing commands look last.
pub fn default_key_dir() -> PathBuf {
    config_dir()
        .unwrap_or_else(|| PathBuf::from(".anbao"))
        .join("keys")
}

/// Refuses a private key path inside the workspace, where it could be committed or exported.
pub fn ensure_outside(path: &Path, workspace: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // The file does not exist yet: resolve its nearest existing ancestor.
        let mut existing = p.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut out = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_path_buf());
        for name in rest.into_iter().rev() {
            out.push(name);
        }
        out
    };
    let (file, ws) = (abs(path), abs(workspace));
    if file.starts_with(&ws) {
        return Err(LedgerError::KeyInsideWorkspace {
            path: path.into(),
            workspace: workspace.into(),
        });
    }
    Ok(())
}

/// Refuses to sign with a private key file that lies inside a workspace: this one, or any
/// folder above the file that holds an `anbao.toml`. Keys made in memory (no file) pass.
pub fn ensure_not_in_workspace(path: &Path, workspace: &Path) -> Result<()> {
    if path.as_os_str().is_empty() {
        return Ok(());
    }
    ensure_outside(path, workspace)?;
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    for dir in abs.ancestors().skip(1) {
        if dir.join(crate::workspace::MANIFEST).is_file() {
            return Err(LedgerError::KeyInsideWorkspace {
                path: path.into(),
                workspace: dir.into(),
            });
        }
    }
    Ok(())
}

/// Files larger than this are never taken for a private key file: every form below is a few
/// hundred bytes, and reading a large evidence file whole just to look would be wasteful.
pub const PRIVATE_KEY_SCAN_LIMIT: usize = 64 * 1024;

/// The form in which `bytes` hold a private key, if they do: anbao's own key file (TOML as
/// written, with or without its comments, any line endings, after a byte order mark, the same
/// table as JSON, or any text carrying its format name and a 32-byte secret), or PEM and
/// OpenSSH armour (`-----BEGIN … PRIVATE KEY-----`).
pub fn private_key_form(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() > PRIVATE_KEY_SCAN_LIMIT {
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).ok()?;
    if text.contains("-----BEGIN") && text.contains("PRIVATE KEY-----") {
        return Some("PEM");
    }
    let ours = |format: Option<&str>| format.is_some_and(|f| f.starts_with("anbao-private-key"));
    if let Ok(table) = toml::from_str::<toml::Table>(text) {
        if ours(table.get("format").and_then(|v| v.as_str())) {
            return Some("anbao TOML");
        }
    }
    if let Ok(serde_json::Value::Object(object)) = serde_json::from_str(text) {
        if ours(object.get("format").and_then(|v| v.as_str())) {
            return Some("anbao JSON");
        }
    }
    (text.contains("anbao-private-key") && holds_secret(text)).then_some("anbao key text")
}

/// The start of `path`: enough for [`private_key_form`] to judge it.
pub fn read_head(path: &Path) -> Result<Vec<u8>> {
    // Through the bounded reader, which refuses a device unopened.
    let input = crate::fsutil::Input::open(path, u64::MAX)?;
    Ok(input.head(PRIVATE_KEY_SCAN_LIMIT as u64 + 1)?)
}

/// Whether some `secret` in `text` is followed by a base64 string of 32 bytes.
fn holds_secret(text: &str) -> bool {
    text.match_indices("secret").any(|(at, word)| {
        let rest = text[at + word.len()..].trim_start_matches([' ', '\t', '"', '\'', '=', ':']);
        let token: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
            .collect();
        b64_decode(&token).is_some_and(|b| b.len() == 32)
    })
}

/// Finds the keys to sign with: the `--key` files if any, else the files `ANBAO_KEY` names
/// (a path list), else the one key in the user's key folder that the ledger currently enrols
/// and whose algorithm fits the profile (and the unit, when asked for one).
pub fn find_signing_keys(
    explicit: &[PathBuf],
    alg: SigAlg,
    unit: Option<&str>,
    history: &super::enrol::KeyHistory,
) -> Result<Vec<SigningKey>> {
    find_signing_keys_in(&KeyPlaces::from_env(), explicit, alg, unit, history)
}

/// Where signing keys are looked for when no file is named: the files `ANBAO_KEY` lists, else
/// the user's key folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPlaces {
    pub listed: Option<std::ffi::OsString>,
    pub dir: PathBuf,
}

impl KeyPlaces {
    pub fn from_env() -> KeyPlaces {
        KeyPlaces {
            listed: std::env::var_os(KEY_ENV).filter(|v| !v.is_empty()),
            dir: default_key_dir(),
        }
    }
}

/// As [`find_signing_keys`], looking in `places` instead of the environment's.
pub fn find_signing_keys_in(
    places: &KeyPlaces,
    explicit: &[PathBuf],
    alg: SigAlg,
    unit: Option<&str>,
    history: &super::enrol::KeyHistory,
) -> Result<Vec<SigningKey>> {
    if !explicit.is_empty() {
        return explicit.iter().map(|p| SigningKey::load(p)).collect();
    }
    if let Some(value) = &places.listed {
        return std::env::split_paths(value)
            .map(|p| SigningKey::load(&p))
            .collect();
    }
    let dir = places.dir.clone();
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "key"))
            .collect();
        paths.sort();
        for path in paths {
            // A key that cannot be used is no candidate, but a too-open one is worth saying.
            match SigningKey::load(&path) {
                Ok(k) => {
                    let current = history
                        .get(&k.key_id)
                        .is_some_and(|e| e.ended.is_none() && e.unit == k.unit);
                    if k.alg() == alg && current && unit.is_none_or(|u| u == k.unit) {
                        found.push(k);
                    }
                }
                Err(e @ LedgerError::KeyTooOpen { .. }) => return Err(e),
                Err(_) => {}
            }
        }
    }
    match found.len() {
        0 => Err(LedgerError::NoKey { dir }),
        1 => Ok(found),
        _ => Err(LedgerError::SeveralKeys {
            dir,
            names: found
                .iter()
                .map(|k| {
                    k.path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                })
                .collect(),
        }),
    }
}

/// A public key file of the trust store.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicKeyFile {
    pub format: String,
    pub alg: String,
    pub key_id: String,
    pub public_key: String,
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    pub created: String,
    /// The key's proof of possession (see `enrol`), so that a unit can enrol a key its
    /// holder made elsewhere. Files from earlier versions have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<String>,
}

impl PublicKeyFile {
    /// The same file carrying the key's proof of possession.
    pub fn with_proof(mut self, proof: &[u8]) -> PublicKeyFile {
        self.proof = Some(b64_encode(proof));
        self
    }
}

/// A key the workspace trusts, and the unit it speaks for.
#[derive(Debug, Clone)]
pub struct TrustedKey {
    pub key_id: String,
    pub unit: String,
    pub unit_name: Option<String>,
    pub created: String,
    pub public: PublicKey,
    pub file: PathBuf,
    /// The proof of possession its file carries, checked.
    pub proof: Option<Vec<u8>>,
}

/// A key file of the trust store that cannot be trusted as written.
#[derive(Debug, Clone)]
pub struct TrustProblem {
    pub file: PathBuf,
    pub message: String,
}

/// The public keys in `keys/`, by key id.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    pub keys: BTreeMap<String, TrustedKey>,
    pub problems: Vec<TrustProblem>,
}

impl TrustStore {
    /// Reads every `*.json` in `dir`. A missing folder is an empty trust store; a key file
    /// whose key id does not belong to its public key (a swapped key) is a problem, not a key.
    pub fn load(dir: &Path) -> Result<TrustStore> {
        let mut store = TrustStore::default();
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(store),
            Err(e) => return Err(LedgerError::io("list", dir, e)),
        };
        let mut paths: Vec<(PathBuf, bool)> = entries
            .filter_map(|e| e.ok())
            .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_symlink())))
            .filter(|(p, _)| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        for (path, link) in paths {
            if link {
                store.problems.push(TrustProblem {
                    file: path,
                    message: "a symbolic link; anbao reads no links in keys/".into(),
                });
                continue;
            }
            let bytes = crate::fsutil::read(&path, crate::fsutil::CONFIG_LIMIT)?;
            match parse_public_key_file(&bytes) {
                Ok(key) => {
                    if store.keys.contains_key(&key.key_id) {
                        store.problems.push(TrustProblem {
                            file: path,
                            message: format!("the key '{}' is listed twice", key.key_id),
                        });
                        continue;
                    }
                    store
                        .keys
                        .insert(key.key_id.clone(), TrustedKey { file: path, ..key });
                }
                Err(message) => store.problems.push(TrustProblem {
                    file: path,
                    message,
                }),
            }
        }
        Ok(store)
    }

    pub fn get(&self, key_id: &str) -> Option<&TrustedKey> {
        self.keys.get(key_id)
    }

    /// The trusted key whose signed-note key name is `name`.
    pub fn by_note_name(&self, name: &str) -> Option<&TrustedKey> {
        let (unit, key_id) = name.split_once('/')?;
        self.get(key_id).filter(|k| k.unit == unit)
    }
}

/// Parses and checks one trust store file.
pub fn parse_public_key_file(bytes: &[u8]) -> Result<TrustedKey, String> {
    let value = super::canonical::parse_strict(bytes)?;
    let file: PublicKeyFile = serde_json::from_value(value).map_err(|e| e.to_string())?;
    if file.format != PUBLIC_FORMAT {
        return Err(format!(
            "format '{}', expected '{PUBLIC_FORMAT}'",
            file.format
        ));
    }
    let alg =
        SigAlg::parse(&file.alg).ok_or_else(|| format!("unknown algorithm '{}'", file.alg))?;
    let raw = b64_decode(&file.public_key).ok_or("the public key is not base64")?;
    let public = PublicKey::from_bytes(alg, &raw)?;
    let actual = public.key_id();
    if actual != file.key_id {
        return Err(format!(
            "the file says key id '{}' but its public key has id '{actual}': the key was replaced",
            file.key_id
        ));
    }
    if !valid_unit(&file.unit) {
        return Err(format!("'{}' is not a unit id", file.unit));
    }
    if !super::valid_time(&file.created) {
        return Err(format!(
            "'created' is '{}', not an RFC 3339 time with an offset",
            file.created
        ));
    }
    let proof = match &file.proof {
        None => None,
        Some(text) => {
            let proof = b64_decode(text).ok_or("the proof is not base64")?;
            super::enrol::KeyDescriptor::of_file(&file).check_proof(&public, &proof)?;
            Some(proof)
        }
    };
    Ok(TrustedKey {
        key_id: actual,
        unit: file.unit,
        unit_name: file.unit_name,
        created: file.created,
        public,
        file: PathBuf::new(),
        proof,
    })
}

/// The trust store file of a public key, as written into `keys/`.
pub fn public_key_file(
    public: &PublicKey,
    unit: &str,
    unit_name: Option<&str>,
    created: &str,
) -> PublicKeyFile {
    PublicKeyFile {
        format: PUBLIC_FORMAT.into(),
        alg: public.alg().name().into(),
        key_id: public.key_id(),
        public_key: b64_encode(&public.to_bytes()),
        unit: unit.into(),
        unit_name: unit_name.map(str::to_string),
        created: created.into(),
        proof: None,
    }
}

/// Writes a public key into `dir` (atomically) as `UNIT-ALG-XXXXXXXX.json`; an identical file
/// is kept as is, and a file of the same key is brought up to date (say, gains its proof).
pub fn trust(dir: &Path, file: &PublicKeyFile) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| LedgerError::io("create", dir, e))?;
    let short = file
        .key_id
        .split(':')
        .nth(1)
        .unwrap_or("")
        .get(..8)
        .unwrap_or("");
    let path = dir.join(format!("{}-{}-{short}.json", file.unit, file.alg));
    let mut text =
        serde_json::to_string_pretty(file).map_err(|e| LedgerError::Other(e.to_string()))?;
    text.push('\n');
    if let Ok(existing) = crate::fsutil::read(&path, crate::fsutil::CONFIG_LIMIT) {
        if existing == text.as_bytes() {
            return Ok(path);
        }
        let same_key = parse_public_key_file(&existing).is_ok_and(|k| k.key_id == file.key_id);
        if !same_key {
            return Err(LedgerError::KeyExists { path });
        }
    }
    crate::fsutil::write_atomic(&path, text.as_bytes())
        .map_err(|e| LedgerError::io("write", &path, e))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_slugs() {
        assert!(valid_unit("implementing"));
        assert!(valid_unit("construction-2"));
        assert!(!valid_unit("Implementing"));
        assert!(!valid_unit("2nd"));
        assert!(!valid_unit("a b"));
        assert!(!valid_unit(""));
    }

    #[test]
    fn base64_has_one_spelling() {
        let text = b64_encode(&[0xff; 64]);
        assert_eq!(b64_decode(&text).unwrap(), vec![0xff; 64]);
        // Same bytes with the unused low bits of the last character set.
        let mut odd = text.clone().into_bytes();
        let i = odd.iter().rposition(|&b| b != b'=').unwrap();
        odd[i] = b'/';
        assert!(b64_decode(std::str::from_utf8(&odd).unwrap()).is_none());
        assert!(b64_decode(text.trim_end_matches('=')).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn private_keys_are_0600_and_refused_when_readable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/k.key");
        let mut key = SigningKey::generate(SigAlg::Sm2, "construction").unwrap();
        key.save(&path, "2026-01-01T00:00:00+08:00").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let loaded = SigningKey::load(&path).unwrap();
        assert_eq!(loaded.key_id, key.key_id);
        assert_eq!(loaded.unit, "construction");
        assert!(matches!(
            key.save(&path, "x"),
            Err(LedgerError::KeyExists { .. })
        ));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert!(matches!(
            SigningKey::load(&path),
            Err(LedgerError::KeyTooOpen { mode: 0o640, .. })
        ));
    }

    #[test]
    fn a_swapped_public_key_is_a_problem_not_a_key() {
        let a = SecretKey::generate(SigAlg::Ed25519).unwrap().public();
        let b = SecretKey::generate(SigAlg::Ed25519).unwrap().public();
        let mut file = public_key_file(&a, "implementing", None, "2026-01-01T00:00:00+08:00");
        assert!(parse_public_key_file(&serde_json::to_vec(&file).unwrap()).is_ok());
        file.public_key = b64_encode(&b.to_bytes());
        let err = parse_public_key_file(&serde_json::to_vec(&file).unwrap()).unwrap_err();
        assert!(err.contains("replaced"), "{err}");
    }

    #[test]
    fn keys_must_be_saved_outside_the_workspace() {
        let ws = tempfile::tempdir().unwrap();
        assert!(ensure_outside(&ws.path().join("keys/a.key"), ws.path()).is_err());
        let other = tempfile::tempdir().unwrap();
        assert!(ensure_outside(&other.path().join("a.key"), ws.path()).is_ok());
    }

    #[test]
    fn private_keys_are_recognised_in_every_form_and_public_files_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.key");
        let mut key = SigningKey::generate(SigAlg::Ed25519, "implementing").unwrap();
        key.save(&path, "2026-01-01T00:00:00+08:00").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(private_key_form(text.as_bytes()), Some("anbao TOML"));
        let bare: String = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| format!("{l}\r\n"))
            .collect();
        assert!(private_key_form(bare.as_bytes()).is_some());
        let table: toml::Table = toml::from_str(&text).unwrap();
        let json = serde_json::to_vec(&table).unwrap();
        assert_eq!(private_key_form(&json), Some("anbao JSON"));
        let yaml = text.replace(" = ", ": ");
        assert_eq!(private_key_form(yaml.as_bytes()), Some("anbao key text"));
        assert_eq!(
            private_key_form(b"-----BEGIN EC PRIVATE KEY-----\nAA==\n"),
            Some("PEM")
        );
        // Public material and prose that only names the format pass.
        let public = public_key_file(
            &key.public(),
            "implementing",
            None,
            "2026-01-01T00:00:00+08:00",
        );
        assert_eq!(
            private_key_form(&serde_json::to_vec(&public).unwrap()),
            None
        );
        assert_eq!(
            private_key_form(b"the format anbao-private-key/1 keeps a secret"),
            None
        );
        assert_eq!(
            private_key_form(&vec![b'a'; PRIVATE_KEY_SCAN_LIMIT + 1]),
            None
        );
    }

    #[test]
    fn a_key_file_with_a_bad_time_or_proof_is_no_key() {
        let key = SigningKey::generate(SigAlg::Ed25519, "implementing").unwrap();
        let d = super::super::enrol::KeyDescriptor::new(&key.public(), "implementing", None);
        let proof = super::super::enrol::proof_of_possession(&key, &d).unwrap();
        let good = public_key_file(
            &key.public(),
            "implementing",
            None,
            "2026-01-01T00:00:00+08:00",
        )
        .with_proof(&proof);
        assert!(parse_public_key_file(&serde_json::to_vec(&good).unwrap()).is_ok());
        let mut late = good.clone();
        late.created = "yesterday".into();
        assert!(parse_public_key_file(&serde_json::to_vec(&late).unwrap()).is_err());
        let mut other = good.clone();
        other.unit = "construction".into();
        let err = parse_public_key_file(&serde_json::to_vec(&other).unwrap()).unwrap_err();
        assert!(err.contains("proof"), "{err}");
    }

    #[test]
    fn signing_keys_inside_any_workspace_are_refused() {
        let ws = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("anbao.toml"), "").unwrap();
        std::fs::create_dir(other.path().join("sub")).unwrap();
        let inside = other.path().join("sub/k.key");
        std::fs::write(&inside, "").unwrap();
        assert!(matches!(
            ensure_not_in_workspace(&inside, ws.path()),
            Err(LedgerError::KeyInsideWorkspace { .. })
        ));
        let free = tempfile::tempdir().unwrap();
        assert!(ensure_not_in_workspace(&free.path().join("k.key"), ws.path()).is_ok());
        assert!(ensure_not_in_workspace(Path::new(""), ws.path()).is_ok());
    }
}
