//! `Cargo.lock`, every lockfile version, read through the `cargo-lock` crate.

use super::{
    Component, ComponentType, Document, Edge, EdgeKind, ExternalRef, Format, Hash, SourceKind,
};
use crate::error::InputError;
use cargo_lock::{Lockfile, ResolveVersion, SourceId};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::str::FromStr;

pub fn parse(path: &Path, bytes: &[u8]) -> Result<Document, InputError> {
    let bytes = super::detect::strip_bom(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        InputError::new(
            path,
            crate::error::Location::from_offset(bytes, e.valid_up_to()),
            "invalid UTF-8: a Cargo.lock is UTF-8 TOML",
        )
    })?;
    // TOML syntax errors first, with the line and column that cargo-lock's messages lack.
    let table = toml::from_str::<toml::Table>(text)
        .map_err(|e| crate::workspace::toml_error(path, text, &e))?;
    let lockfile = Lockfile::from_str(text).map_err(|e| {
        let message = e.to_string();
        InputError::new(
            path,
            line_col_in(&message),
            format!("not a valid Cargo.lock: {message}"),
        )
    })?;
    let lines = package_lines(text);
    let mut doc = Document::new(path, Format::CargoLock);
    doc.meta.spec_version = match lockfile.version {
        ResolveVersion::V1 => "v1",
        ResolveVersion::V2 => "v2",
        ResolveVersion::V3 => "v3",
        ResolveVersion::V4 => "v4",
        // Future versions: name them from the file rather than guess.
        _ => "unknown",
    }
    .to_string();
    if doc.meta.spec_version == "unknown" {
        if let Some(v) = table.get("version") {
            doc.meta.spec_version = format!("v{v}");
        }
    }

    let mut by_name_version: HashMap<(String, String), Vec<String>> = HashMap::new();
    for (i, package) in lockfile.packages.iter().enumerate() {
        let name = package.name.as_str().to_string();
        let version = package.version.to_string();
        let key = package_key(&name, &version, package.source.as_ref());
        by_name_version
            .entry((name.clone(), version.clone()))
            .or_default()
            .push(key.clone());
        let mut c = Component::new(key, ComponentType::Library, name.clone());
        // A lockfile lists crates, which are libraries, but does not say so.
        c.kind_inferred = true;
        c.version = Some(version.clone());
        c.source_kind = Some(match &package.source {
            None => SourceKind::Path,
            Some(s) if s.is_git() => SourceKind::Git,
            Some(s) if s.is_path() => SourceKind::Path,
            Some(_) => SourceKind::Registry,
        });
        c.purl = purl(&name, &version, package.source.as_ref());
        if let Some(source) = &package.source {
            let kind = if source.is_git() {
                "vcs"
            } else {
                "distribution"
            };
            c.external_refs.push(ExternalRef {
                kind: kind.into(),
                url: source.url().to_string(),
            });
        }
        if let Some(checksum) = &package.checksum {
            c.hashes.push(Hash {
                alg: "SHA-256".into(),
                value: checksum.to_string(),
            });
        }
        c.location = lines.get(i).map(|l| l.to_string()).unwrap_or_default();
        doc.components.push(c);
    }

    let mut depended_on = HashSet::new();
    for (i, package) in lockfile.packages.iter().enumerate() {
        let from = doc.components[i].key.clone();
        for dep in &package.dependencies {
            let candidates = by_name_version
                .get(&(dep.name.as_str().to_string(), dep.version.to_string()))
                .map(Vec::as_slice)
                .unwrap_or_default();
            let wanted = package_key(
                dep.name.as_str(),
                &dep.version.to_string(),
                dep.source.as_ref(),
            );
            // A dependency names its source only where the name and version are ambiguous.
            let to = candidates
                .iter()
                .find(|k| **k == wanted)
                .or_else(|| (candidates.len() == 1).then(|| &candidates[0]))
                .cloned()
                .unwrap_or(wanted);
            depended_on.insert(to.clone());
            doc.edges.push(Edge {
                from: from.clone(),
                to,
                kind: EdgeKind::DependsOn,
                location: doc.components[i].location.clone(),
            });
        }
    }
    // Workspace members have no source; those nothing else depends on are the products.
    doc.meta.roots = doc
        .components
        .iter()
        .filter(|c| c.source_kind == Some(SourceKind::Path) && !depended_on.contains(&c.key))
        .map(|c| c.key.clone())
        .collect();
    Ok(doc)
}

/// The key a package is known by in the graph: name, version and source, as cargo itself
/// distinguishes packages.
fn package_key(name: &str, version: &str, source: Option<&SourceId>) -> String {
    match source {
        Some(s) => format!("{name} {version} ({s})"),
        None => format!("{name} {version}"),
    }
}

fn purl(name: &str, version: &str, source: Option<&SourceId>) -> Option<String> {
    let source = source?;
    if source.is_default_registry() {
        Some(format!("pkg:cargo/{name}@{version}"))
    } else if source.is_git() {
        let rev = source
            .precise()
            .map(|p| format!("@{p}"))
            .unwrap_or_default();
        Some(format!(
            "pkg:cargo/{name}@{version}?vcs_url={}",
            percent_encode(&format!("git+{}{rev}", source.url()))
        ))
    } else if source.is_registry() {
        Some(format!(
            "pkg:cargo/{name}@{version}?repository_url={}",
            percent_encode(source.url().as_str())
        ))
    } else {
        None
    }
}

/// Percent-encodes the characters a purl qualifier value may not hold verbatim.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b':'
            | b'+' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// cargo-lock reports TOML value errors as text: "... at line L, column C ...".
fn line_col_in(message: &str) -> crate::error::Location {
    let found = message.split_once("at line ").and_then(|(_, rest)| {
        let (line, rest) = rest.split_once(", column ")?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((line.trim().parse().ok()?, column.parse().ok()?))
    });
    match found {
        Some((line, column)) => crate::error::Location::LineCol { line, column },
        None => crate::error::Location::File,
    }
}

/// Line numbers of the `[[package]]` headers, in order, for locations.
fn package_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[package]]")
        .map(|(i, _)| i + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const V3: &str = r#"# This file is automatically @generated by Cargo.
version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "serde",
 "tool",
]

[[package]]
name = "serde"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "ddc6f9cc94d67c0e21aaf7eda3a010fd3af78ebf6e096aa6e2e13c79749cce4f"

[[package]]
name = "tool"
version = "0.2.0"
source = "git+https://example.org/tool.git?branch=main#0123456789abcdef0123456789abcdef01234567"
"#;

    #[test]
    fn reads_packages_sources_and_edges() {
        let doc = parse(Path::new("Cargo.lock"), V3.as_bytes()).unwrap();
        assert_eq!(doc.meta.spec_version, "v3");
        assert_eq!(doc.components.len(), 3);
        let app = &doc.components[0];
        assert_eq!(app.source_kind, Some(SourceKind::Path));
        assert_eq!(app.location, "4");
        assert_eq!(doc.meta.roots, std::slice::from_ref(&app.key));
        let serde = &doc.components[1];
        assert_eq!(serde.purl.as_deref(), Some("pkg:cargo/serde@1.0.200"));
        assert_eq!(serde.hashes[0].alg, "SHA-256");
        let tool = &doc.components[2];
        assert_eq!(tool.source_kind, Some(SourceKind::Git));
        assert!(tool
            .purl
            .as_deref()
            .unwrap()
            .contains("vcs_url=git+https://example.org/tool.git"));
        let targets: Vec<_> = doc.edges.iter().map(|e| e.to.as_str()).collect();
        assert_eq!(targets, [serde.key.as_str(), tool.key.as_str()]);
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let err = parse(
            Path::new("Cargo.lock"),
            b"version = 3\n[[package]\nname = \"a\"\n",
        )
        .unwrap_err();
        assert!(
            matches!(
                err.location,
                crate::error::Location::LineCol { line: 2, .. }
            ),
            "{err}"
        );
    }

    #[test]
    fn semantic_errors_are_reported_not_panics() {
        let err = parse(
            Path::new("Cargo.lock"),
            b"version = 3\n[[package]]\nname = \"a\"\nversion = \"not a version\"\n",
        )
        .unwrap_err();
        assert!(err.message.starts_with("not a valid Cargo.lock"), "{err}");
    }
}
