//! Reads SPDX 2 tag-value documents (`Tag: value` lines) into the same SPDX 2 structure the JSON
//! reader fills, so both serialisations of one document give the same components and edges.

use super::spdx_json::{
    check_version, Checksum, Element, Package, PackageRef, Relationship, Spdx2,
};
use super::{Document, Format};
use crate::error::{InputError, Location};
use std::path::Path;

pub fn parse(path: &Path, bytes: &[u8]) -> Result<Document, InputError> {
    let body = super::detect::strip_bom(bytes);
    let text = std::str::from_utf8(body).map_err(|e| {
        InputError::new(
            path,
            Location::from_offset(body, e.valid_up_to()),
            "invalid UTF-8: SPDX tag-value files must be UTF-8 (convert the file, e.g. with iconv)",
        )
    })?;
    let mut reader = Reader {
        path,
        doc: Spdx2::default(),
        section: Section::Document,
        package_lines: Vec::new(),
        version_seen: false,
    };
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)));
    while let Some((n, line)) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let tagged = trimmed
            .split_once(':')
            .map(|(tag, value)| (tag.trim(), value));
        let Some((tag, value)) =
            tagged.filter(|(tag, _)| !tag.is_empty() && !tag.contains(char::is_whitespace))
        else {
            let found = clip(trimmed);
            return Err(reader.error(n, format!("expected 'Tag: value', found '{found}'")));
        };
        let value = value.trim_start();
        let value = match value.strip_prefix("<text>") {
            Some(rest) => text_value(rest, &mut lines).ok_or_else(|| {
                reader.error(
                    n,
                    format!("the <text> of {tag} opened here is never closed with </text>"),
                )
            })?,
            None => value.trim().to_string(),
        };
        reader.field(n, tag, value)?;
    }
    reader.finish()
}

/// The rest of a `<text>` value from its first line up to `</text>`, possibly many lines on;
/// `None` when the file ends first.
fn text_value<'a>(
    first: &str,
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
) -> Option<String> {
    if let Some(end) = first.find("</text>") {
        return Some(first[..end].to_string());
    }
    let mut out = first.to_string();
    for (_, line) in lines {
        out.push('\n');
        if let Some(end) = line.find("</text>") {
            out.push_str(&line[..end]);
            return Some(out);
        }
        out.push_str(line);
    }
    None
}

/// A line shortened for an error message, so a runaway line does not flood the terminal.
fn clip(line: &str) -> String {
    const MAX: usize = 60;
    match line.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}...", &line[..i]),
        None => line.to_string(),
    }
}

/// Which kind of element the lines being read describe: a tag-value document is a flat list, and
/// `SPDXID:` means a different thing after `PackageName:` than after `FileName:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Document,
    Package,
    File,
    Snippet,
    /// An extracted licence (`LicenseID:`) or anything else no package field belongs to.
    Other,
}

struct Reader<'p> {
    path: &'p Path,
    doc: Spdx2,
    section: Section,
    /// The `PackageName:` line of each package, to name it when it lacks an SPDXID.
    package_lines: Vec<usize>,
    version_seen: bool,
}

impl Reader<'_> {
    fn error(&self, line: usize, message: impl Into<String>) -> InputError {
        InputError::new(self.path, Location::Line(line), message)
    }

    fn field(&mut self, n: usize, tag: &str, value: String) -> Result<(), InputError> {
        match tag {
            "SPDXVersion" => {
                check_version(&value).map_err(|m| self.error(n, m))?;
                self.doc.spdx_version = value;
                self.version_seen = true;
            }
            "DocumentName" => self.doc.name = Some(value),
            "DocumentNamespace" => self.doc.document_namespace = Some(value),
            "Creator" => self
                .doc
                .creation_info
                .get_or_insert_with(Default::default)
                .creators
                .get_or_insert_with(Vec::new)
                .push(value),
            "Created" => {
                self.doc
                    .creation_info
                    .get_or_insert_with(Default::default)
                    .created = Some(value)
            }
            "PackageName" => {
                self.section = Section::Package;
                self.package_lines.push(n);
                let package = Package {
                    name: value,
                    location: n.to_string(),
                    ..Package::default()
                };
                self.doc.packages.get_or_insert_with(Vec::new).push(package);
            }
            "FileName" => self.section = Section::File,
            "SnippetSPDXID" => {
                self.section = Section::Snippet;
                self.doc
                    .snippets
                    .get_or_insert_with(Vec::new)
                    .push(Element {
                        spdx_id: Some(value),
                    });
            }
            "LicenseID" => self.section = Section::Other,
            "SPDXID" => match self.section {
                Section::Document => self.doc.spdx_id = Some(value),
                Section::Package => {
                    if let Some(p) = self.package() {
                        if p.spdx_id.is_empty() {
                            p.spdx_id = value;
                        }
                    }
                }
                Section::File | Section::Snippet => {
                    self.doc.files.get_or_insert_with(Vec::new).push(Element {
                        spdx_id: Some(value),
                    })
                }
                Section::Other => {}
            },
            "Relationship" => {
                let mut parts = value.split_whitespace();
                let (Some(a), Some(kind), Some(b), None) =
                    (parts.next(), parts.next(), parts.next(), parts.next())
                else {
                    return Err(self.error(
                        n,
                        format!(
                            "expected 'Relationship: SPDXRef-A TYPE SPDXRef-B', found '{}'",
                            clip(&value)
                        ),
                    ));
                };
                let rel = Relationship {
                    spdx_element_id: a.to_string(),
                    relationship_type: kind.to_string(),
                    related_spdx_element: b.to_string(),
                    location: n.to_string(),
                };
                self.doc
                    .relationships
                    .get_or_insert_with(Vec::new)
                    .push(rel);
            }
            _ if self.section == Section::Package => self.package_field(n, tag, value)?,
            // Everything else (annotations, file and licence details, reviews) says nothing
            // about components or their graph.
            _ => {}
        }
        Ok(())
    }

    fn package(&mut self) -> Option<&mut Package> {
        self.doc.packages.as_mut().and_then(|p| p.last_mut())
    }

    fn package_field(&mut self, n: usize, tag: &str, value: String) -> Result<(), InputError> {
        match tag {
            "PackageChecksum" => {
                let sum = match value.split_once(':') {
                    Some((alg, sum)) if !alg.trim().is_empty() && !sum.trim().is_empty() => {
                        Checksum {
                            algorithm: alg.trim().to_string(),
                            checksum_value: sum.trim().to_string(),
                        }
                    }
                    _ => {
                        let found = clip(&value);
                        return Err(self.error(
                            n,
                            format!(
                                "expected 'PackageChecksum: ALGORITHM: value', found '{found}'"
                            ),
                        ));
                    }
                };
                if let Some(p) = self.package() {
                    p.checksums.get_or_insert_with(Vec::new).push(sum);
                }
            }
            "ExternalRef" => {
                let mut parts = value.split_whitespace();
                let (Some(_category), Some(kind), Some(locator), None) =
                    (parts.next(), parts.next(), parts.next(), parts.next())
                else {
                    let found = clip(&value);
                    return Err(self.error(
                        n,
                        format!("expected 'ExternalRef: CATEGORY TYPE LOCATOR', found '{found}'"),
                    ));
                };
                let r = PackageRef {
                    reference_type: kind.to_string(),
                    reference_locator: locator.to_string(),
                };
                if let Some(p) = self.package() {
                    p.external_refs.get_or_insert_with(Vec::new).push(r);
                }
            }
            _ => {
                let Some(p) = self.package() else {
                    return Ok(());
                };
                let slot = match tag {
                    "PackageVersion" => &mut p.version_info,
                    "PackageSupplier" => &mut p.supplier,
                    "PackageOriginator" => &mut p.originator,
                    "PackageDownloadLocation" => &mut p.download_location,
                    "PackageHomePage" => &mut p.homepage,
                    "PrimaryPackagePurpose" => &mut p.primary_package_purpose,
                    "PackageLicenseDeclared" => &mut p.license_declared,
                    "PackageLicenseConcluded" => &mut p.license_concluded,
                    "PackageDescription" => &mut p.description,
                    "PackageSummary" => &mut p.summary,
                    _ => return Ok(()),
                };
                *slot = Some(value);
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Document, InputError> {
        if !self.version_seen {
            return Err(InputError::whole_file(
                self.path,
                "no SPDXVersion line: expected 'SPDXVersion: SPDX-2.3' (or SPDX-2.2)",
            ));
        }
        let packages = self.doc.packages.iter().flatten();
        for (p, &line) in packages.zip(&self.package_lines) {
            if p.spdx_id.trim().is_empty() {
                return Err(self.error(
                    line,
                    format!("package '{}' has no SPDXID line", clip(&p.name)),
                ));
            }
        }
        Ok(self.doc.into_document(self.path, Format::SpdxTagValue))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Code, ComponentType, EdgeKind, LicenseRole, LicenseValue};

    const TAG: &str = "tests/fixtures/spdx/SPDXTagExample-v2.3.spdx";
    const JSON: &str = "tests/fixtures/spdx/SPDXJSONExample-v2.3.spdx.json";

    fn fixture() -> Document {
        parse(Path::new(TAG), &std::fs::read(TAG).unwrap()).unwrap()
    }

    fn inline(text: &str) -> Result<Document, InputError> {
        parse(Path::new("inline.spdx"), text.as_bytes())
    }

    #[test]
    fn reads_the_2_3_example() {
        let doc = fixture();
        assert_eq!(doc.format, Format::SpdxTagValue);
        assert_eq!(doc.meta.spec_version, "SPDX-2.3");
        assert_eq!(doc.meta.name.as_deref(), Some("SPDX-Tools-v2.0"));
        assert_eq!(doc.meta.timestamp.as_deref(), Some("2010-01-29T18:30:22Z"));
        assert_eq!(doc.meta.tools, ["LicenseFind-1.0"]);
        assert_eq!(doc.meta.roots, ["SPDXRef-Package"]);
        let names: Vec<_> = doc.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["glibc", "Apache Commons Lang", "Jena", "Saxon"]);
        let glibc = &doc.components[0];
        assert_eq!(glibc.key, "SPDXRef-Package");
        assert_eq!(glibc.location, "71");
        assert_eq!(glibc.version.as_deref(), Some("2.11.1"));
        assert_eq!(glibc.kind, ComponentType::Source);
        assert_eq!(
            glibc.supplier.as_ref().unwrap().email.as_deref(),
            Some("jane.doe@example.com")
        );
        assert_eq!(glibc.licenses[0].role, LicenseRole::Declared);
        assert_eq!(
            glibc.licenses[0].value,
            LicenseValue::Expression("(LGPL-2.0-only AND LicenseRef-3)".into())
        );
        assert_eq!(glibc.hashes[2].alg, "SHA-256");
        assert_eq!(doc.components[3].location, "189");
        assert_eq!(doc.edges.len(), 1, "the DYNAMIC_LINK to Saxon");
        assert_eq!(doc.findings.len(), 1);
        assert_eq!(doc.findings[0].code, Code::IgnoredRelationship);
        assert_eq!(doc.findings[0].location, "37");
    }

    #[test]
    fn tag_value_and_json_examples_agree() {
        let tag = fixture();
        let json =
            super::super::spdx_json::parse(Path::new(JSON), &std::fs::read(JSON).unwrap()).unwrap();
        let strip = |doc: &Document| {
            doc.components
                .iter()
                .map(|c| {
                    let mut c = c.clone();
                    c.location.clear();
                    c
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&tag), strip(&json));
        let edges = |doc: &Document| {
            doc.edges
                .iter()
                .map(|e| (e.from.clone(), e.to.clone(), e.kind))
                .collect::<Vec<_>>()
        };
        assert_eq!(edges(&tag), edges(&json));
        let mut meta = tag.meta.clone();
        meta.spec_version = json.meta.spec_version.clone();
        assert_eq!(meta, json.meta);
    }

    #[test]
    fn reads_relationships_multi_line_text_bom_and_crlf() {
        let text = "\u{feff}SPDXVersion: SPDX-2.2\r\nSPDXID: SPDXRef-DOCUMENT\r\n\
            Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-app\r\n\
            # a comment: not a tag\r\n\
            PackageName: app\r\nSPDXID: SPDXRef-app\r\nPackageVersion: 1.0\r\n\
            PackageDescription: <text>first line\r\nsecond: line\r\n</text>\r\n\
            PackageLicenseDeclared: MIT\r\n\
            Relationship: SPDXRef-app DEPENDS_ON SPDXRef-lib\r\n\
            Relationship: SPDXRef-lib DEV_DEPENDENCY_OF SPDXRef-app\r\n\
            FileName: ./x.c\r\nSPDXID: SPDXRef-x\r\n\
            Relationship: SPDXRef-app CONTAINS SPDXRef-x\r\n\
            PackageName: lib\r\nSPDXID: SPDXRef-lib\r\n\
            ExternalRef: PACKAGE-MANAGER purl pkg:cargo/lib@2.0\r\n\
            PackageChecksum: SHA256: abcd\r\n\
            PackageSupplier: Organization: 某某科技有限公司\r\n";
        let doc = inline(text).unwrap();
        assert_eq!(doc.meta.spec_version, "SPDX-2.2");
        assert_eq!(doc.meta.roots, ["SPDXRef-app"]);
        let app = &doc.components[0];
        assert_eq!(app.description.as_deref(), Some("first line\nsecond: line"));
        assert_eq!(app.licenses[0].value, LicenseValue::Id("MIT".into()));
        let lib = &doc.components[1];
        assert_eq!(lib.purl.as_deref(), Some("pkg:cargo/lib@2.0"));
        assert_eq!(lib.hashes[0].alg, "SHA-256");
        assert_eq!(lib.supplier.as_ref().unwrap().name, "某某科技有限公司");
        let edges: Vec<_> = doc
            .edges
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str(), e.kind, e.location.as_str()))
            .collect();
        assert_eq!(
            edges,
            [
                ("SPDXRef-app", "SPDXRef-lib", EdgeKind::DependsOn, "12"),
                ("SPDXRef-app", "SPDXRef-lib", EdgeKind::DependsOn, "13"),
            ]
        );
    }

    fn error_at(text: &str) -> (Location, String) {
        let err = inline(text).unwrap_err();
        (err.location, err.message)
    }

    #[test]
    fn each_kind_of_malformed_input_names_its_line() {
        let (loc, msg) = error_at("SPDXVersion: SPDX-3.0\n");
        assert_eq!(loc, Location::Line(1));
        assert!(msg.contains("expected SPDX-2.2 or SPDX-2.3"), "{msg}");

        let (loc, msg) = error_at("SPDXVersion: SPDX-2.3\nthis is not a tag\n");
        assert_eq!(loc, Location::Line(2));
        assert!(msg.starts_with("expected 'Tag: value'"), "{msg}");

        let (loc, msg) = error_at(
            "SPDXVersion: SPDX-2.3\nPackageName: a\nPackageDescription: <text>never\nclosed\n",
        );
        assert_eq!(loc, Location::Line(3));
        assert!(msg.contains("never closed"), "{msg}");

        let (loc, _) = error_at("SPDXVersion: SPDX-2.3\n\nRelationship: SPDXRef-a DEPENDS_ON\n");
        assert_eq!(loc, Location::Line(3));

        let (loc, _) = error_at(
            "SPDXVersion: SPDX-2.3\nPackageName: a\nSPDXID: SPDXRef-a\nExternalRef: purl pkg:x/y\n",
        );
        assert_eq!(loc, Location::Line(4));

        let (loc, _) = error_at("SPDXVersion: SPDX-2.3\nPackageName: a\nPackageChecksum: abc\n");
        assert_eq!(loc, Location::Line(3));

        let (loc, msg) = error_at("SPDXVersion: SPDX-2.3\nPackageName: a\nPackageVersion: 1\n");
        assert_eq!(loc, Location::Line(2));
        assert!(msg.contains("no SPDXID"), "{msg}");

        let (loc, _) = error_at("DocumentName: x\n");
        assert_eq!(loc, Location::File);

        let err = parse(
            Path::new("gbk.spdx"),
            b"SPDXVersion: SPDX-2.3\nPackageName: \xc4\xe3\xba\xc3\n",
        )
        .unwrap_err();
        assert_eq!(
            err.location,
            Location::LineCol {
                line: 2,
                column: 14
            }
        );
        assert!(err.message.starts_with("invalid UTF-8"), "{}", err.message);
    }

    #[test]
    fn no_truncation_or_damaged_line_of_the_example_panics() {
        let text = std::fs::read_to_string(TAG).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let damage = [
            "",
            "x",
            ":",
            "PackageName:",
            "SPDXID:",
            "Relationship: a b",
            "X: <text>",
            "</text>",
            "\u{feff}é",
        ];
        for i in 0..lines.len() {
            let _ = inline(&lines[..i].join("\n"));
            for d in damage {
                let mut damaged = lines.clone();
                damaged[i] = d;
                let _ = inline(&damaged.join("\n"));
            }
        }
        for cut in (0..text.len()).step_by(29) {
            let _ = parse(Path::new(TAG), &text.as_bytes()[..cut]);
        }
    }
}
