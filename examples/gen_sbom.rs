//! Writes a large, deterministic CycloneDX 1.6 SBOM as JSON and as XML, for benchmarks; an
//! example rather than a `[[bin]]` so that `cargo install anbao` never installs it, while
//! `cargo test` still builds it and runs its tests (`test = true` in Cargo.toml).
//!
//! Usage: `cargo run --release --example gen_sbom -- --components 50000 --out-dir DIR`
//! writes `DIR/sbom-50000.cdx.json` and `DIR/sbom-50000.cdx.xml`, the same BOM in both syntaxes.
//! The same `--components` always gives the same bytes: a fixed-seed generator, no clock.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Components written when `--components` is not given: the scale the benchmark targets.
pub const DEFAULT_COMPONENTS: usize = 50_000;

/// Each component depends on this many later ones (fewer near the end), so edges are about 3N.
const DEPS_PER_COMPONENT: usize = 3;

/// SplitMix64: tiny, fast and good enough for test data; the fixed seed makes output stable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn hex(&mut self, len: usize) -> String {
        let mut out = String::with_capacity(len);
        while out.len() < len {
            let _ = write!(out, "{:016x}", self.next());
        }
        out.truncate(len);
        out
    }
}

struct Supplier {
    name: &'static str,
    url: &'static str,
    country: &'static str,
}

const SUPPLIERS: &[Supplier] = &[
    Supplier {
        name: "华为技术有限公司",
        url: "https://www.huawei.com",
        country: "CN",
    },
    Supplier {
        name: "麒麟软件有限公司",
        url: "https://www.kylinos.cn",
        country: "CN",
    },
    Supplier {
        name: "武汉达梦数据库股份有限公司",
        url: "https://www.dameng.com",
        country: "CN",
    },
    Supplier {
        name: "统信软件技术有限公司",
        url: "https://www.uniontech.com",
        country: "CN",
    },
    Supplier {
        name: "阿里云计算有限公司",
        url: "https://www.aliyun.com",
        country: "CN",
    },
    Supplier {
        name: "浪潮电子信息产业股份有限公司",
        url: "https://www.inspur.com",
        country: "CN",
    },
    Supplier {
        name: "中兴通讯股份有限公司",
        url: "https://www.zte.com.cn",
        country: "CN",
    },
    Supplier {
        name: "飞腾信息技术有限公司",
        url: "https://www.phytium.com.cn",
        country: "CN",
    },
    Supplier {
        name: "The Apache Software Foundation",
        url: "https://www.apache.org",
        country: "US",
    },
    Supplier {
        name: "Red Hat, Inc.",
        url: "https://www.redhat.com",
        country: "US",
    },
    Supplier {
        name: "Eclipse Foundation AISBL",
        url: "https://www.eclipse.org",
        country: "BE",
    },
    Supplier {
        name: "Oracle Corporation",
        url: "https://www.oracle.com",
        country: "US",
    },
    Supplier {
        name: "SUSE S.A.",
        url: "https://www.suse.com",
        country: "LU",
    },
    Supplier {
        name: "Python Software Foundation",
        url: "https://www.python.org",
        country: "US",
    },
];

const LICENSE_IDS: &[&str] = &[
    "Apache-2.0",
    "MIT",
    "BSD-3-Clause",
    "BSD-2-Clause",
    "MulanPSL-2.0",
    "GPL-2.0-only",
    "LGPL-2.1-or-later",
    "EPL-2.0",
    "ISC",
    "MPL-2.0",
];

const LICENSE_EXPRESSIONS: &[&str] = &[
    "MIT OR Apache-2.0",
    "Apache-2.0 AND BSD-3-Clause",
    "GPL-2.0-only WITH Classpath-exception-2.0",
    "(MIT OR Apache-2.0) AND Unicode-DFS-2016",
    "LGPL-2.1-only OR MPL-2.0",
];

const WORDS: &[&str] = &[
    "core", "codec", "http", "json", "xml", "crypto", "sm2", "sm4", "netty", "commons", "logging",
    "cache", "pool", "rpc", "gateway", "auth", "jdbc", "driver", "util", "parser", "stream",
    "async", "config", "metrics", "tls", "zip", "image", "office", "pdf", "ocr", "ui", "kernel",
    "runtime", "agent",
];

const MAVEN_GROUPS: &[&str] = &[
    "org.apache.commons",
    "io.netty",
    "com.huawei.cloud",
    "com.alibaba",
    "org.springframework",
    "com.dameng",
    "org.eclipse.jetty",
    "cn.hutool",
    "com.fasterxml.jackson.core",
    "org.bouncycastle",
];

const DESCRIPTIONS: &[&str] = &[
    "国产密码算法支持库（SM2/SM3/SM4）",
    "政务数据交换网关组件",
    "High-performance asynchronous event-driven network framework",
    "达梦数据库 JDBC 驱动",
    "Utilities for parsing and writing structured documents",
    "统一身份认证客户端",
];

/// One generated component; both writers serialise the same list, so JSON and XML agree.
struct Component {
    kind: &'static str,
    bom_ref: String,
    group: Option<String>,
    name: String,
    version: String,
    description: Option<&'static str>,
    scope: Option<&'static str>,
    sha256: String,
    sha1: Option<String>,
    license: License,
    purl: String,
    supplier: Option<&'static Supplier>,
    website: Option<String>,
    properties: Vec<(&'static str, String)>,
}

enum License {
    Id(&'static str, Option<&'static str>),
    Expression(&'static str, Option<&'static str>),
}

/// The generated BOM: a product (the metadata component), its components and a dependency DAG.
pub struct Bom {
    serial: String,
    root: Component,
    components: Vec<Component>,
    /// `deps[i]` are indices of components that component `i` depends on, all greater than `i`.
    deps: Vec<Vec<usize>>,
    /// What the product itself depends on directly.
    root_deps: Vec<usize>,
}

impl Bom {
    /// The BOM with `n` components; the same `n` always gives the same BOM.
    pub fn generate(n: usize) -> Bom {
        let mut rng = Rng(0x616E_6261_6F5F_7631); // "anbao_v1"
        let serial = {
            let h = rng.hex(32);
            format!(
                "urn:uuid:{}-{}-4{}-a{}-{}",
                &h[..8],
                &h[8..12],
                &h[13..16],
                &h[17..20],
                &h[20..32]
            )
        };
        let root = Component {
            kind: "application",
            bom_ref: "pkg:generic/gov-service-platform@3.2.0".into(),
            group: Some("cn.gov.example".into()),
            name: "政务服务平台".into(),
            version: "3.2.0".into(),
            description: Some("省级一体化政务服务平台"),
            scope: None,
            sha256: rng.hex(64),
            sha1: None,
            license: License::Expression("LicenseRef-proprietary", Some("declared")),
            purl: "pkg:generic/gov-service-platform@3.2.0".into(),
            supplier: Some(&SUPPLIERS[0]),
            website: None,
            properties: vec![("anbao:classification", "internal".into())],
        };
        let components = (0..n).map(|i| component(&mut rng, i)).collect();
        // A binary heap's children (2i+1, 2i+2) make every component reachable from component 0
        // in about log2(n) steps; random later components fill each list up to three, which
        // gives shared dependencies (a DAG, not a tree) and about 3n edges.
        let deps = (0..n)
            .map(|i| {
                let mut out: Vec<usize> = [2 * i + 1, 2 * i + 2]
                    .into_iter()
                    .filter(|&c| c < n)
                    .collect();
                let wanted = DEPS_PER_COMPONENT.min(n - 1 - i);
                while out.len() < wanted {
                    let c = i + 1 + rng.below(n - 1 - i);
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
                out
            })
            .collect();
        let root_deps = (0..n.min(4)).collect();
        Bom {
            serial,
            root,
            components,
            deps,
            root_deps,
        }
    }

    pub fn component_count(&self) -> usize {
        self.components.len() + 1
    }

    pub fn edge_count(&self) -> usize {
        self.root_deps.len() + self.deps.iter().map(Vec::len).sum::<usize>()
    }

    /// Writes the BOM as CycloneDX 1.6 JSON.
    pub fn write_json(&self, w: &mut impl Write) -> io::Result<()> {
        writeln!(w, "{{")?;
        writeln!(w, r#"  "bomFormat": "CycloneDX","#)?;
        writeln!(w, r#"  "specVersion": "1.6","#)?;
        writeln!(w, r#"  "serialNumber": "{}","#, self.serial)?;
        writeln!(w, r#"  "version": 1,"#)?;
        writeln!(w, r#"  "metadata": {{"#)?;
        writeln!(w, r#"    "timestamp": "2026-01-15T08:00:00Z","#)?;
        writeln!(
            w,
            r#"    "tools": {{"components": [{{"type": "application", "group": "@cyclonedx", "name": "cdxgen", "version": "11.2.0"}}]}},"#
        )?;
        write!(w, r#"    "component": "#)?;
        json_component(w, &self.root)?;
        writeln!(w, "\n  }},")?;
        writeln!(w, r#"  "components": ["#)?;
        for (i, c) in self.components.iter().enumerate() {
            write!(w, "    ")?;
            json_component(w, c)?;
            writeln!(
                w,
                "{}",
                if i + 1 < self.components.len() {
                    ","
                } else {
                    ""
                }
            )?;
        }
        writeln!(w, "  ],")?;
        writeln!(w, r#"  "dependencies": ["#)?;
        let refs = |list: &[usize]| {
            list.iter()
                .map(|&d| format!("\"{}\"", json_escape(&self.components[d].bom_ref)))
                .collect::<Vec<_>>()
        };
        write!(
            w,
            r#"    {{"ref": "{}", "dependsOn": [{}]}}"#,
            json_escape(&self.root.bom_ref),
            refs(&self.root_deps).join(", ")
        )?;
        for (c, deps) in self.components.iter().zip(&self.deps) {
            write!(
                w,
                ",\n    {{\"ref\": \"{}\", \"dependsOn\": [{}]}}",
                json_escape(&c.bom_ref),
                refs(deps).join(", ")
            )?;
        }
        writeln!(w, "\n  ]")?;
        writeln!(w, "}}")
    }

    /// Writes the BOM as CycloneDX 1.6 XML, elements in the order the schema's sequences require.
    pub fn write_xml(&self, w: &mut impl Write) -> io::Result<()> {
        writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            w,
            r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="{}" version="1">"#,
            self.serial
        )?;
        writeln!(w, "  <metadata>")?;
        writeln!(w, "    <timestamp>2026-01-15T08:00:00Z</timestamp>")?;
        writeln!(
            w,
            r#"    <tools><components><component type="application"><group>@cyclonedx</group><name>cdxgen</name><version>11.2.0</version></component></components></tools>"#
        )?;
        xml_component(w, &self.root, "    ")?;
        writeln!(w, "  </metadata>")?;
        writeln!(w, "  <components>")?;
        for c in &self.components {
            xml_component(w, c, "    ")?;
        }
        writeln!(w, "  </components>")?;
        writeln!(w, "  <dependencies>")?;
        let roots = std::iter::once((&self.root, &self.root_deps))
            .chain(self.components.iter().zip(&self.deps));
        for (c, deps) in roots {
            write!(w, r#"    <dependency ref="{}">"#, xml_escape(&c.bom_ref))?;
            for &d in deps {
                write!(
                    w,
                    r#"<dependency ref="{}"/>"#,
                    xml_escape(&self.components[d].bom_ref)
                )?;
            }
            writeln!(w, "</dependency>")?;
        }
        writeln!(w, "  </dependencies>")?;
        writeln!(w, "</bom>")
    }

    /// Writes `sbom-N.cdx.json` and `sbom-N.cdx.xml` into `dir`; returns their paths.
    pub fn write_files(&self, dir: &Path) -> io::Result<(PathBuf, PathBuf)> {
        std::fs::create_dir_all(dir)?;
        let n = self.components.len();
        let json = dir.join(format!("sbom-{n}.cdx.json"));
        let xml = dir.join(format!("sbom-{n}.cdx.xml"));
        let mut w = io::BufWriter::new(std::fs::File::create(&json)?);
        self.write_json(&mut w)?;
        w.into_inner()?.sync_all()?;
        let mut w = io::BufWriter::new(std::fs::File::create(&xml)?);
        self.write_xml(&mut w)?;
        w.into_inner()?.sync_all()?;
        Ok((json, xml))
    }
}

fn component(rng: &mut Rng, i: usize) -> Component {
    let kind = match rng.below(100) {
        0..=79 => "library",
        80..=87 => "framework",
        88..=92 => "application",
        93..=94 => "operating-system",
        95..=96 => "device",
        _ => "firmware",
    };
    // The index in the name keeps every purl unique, so merging keeps all n components.
    let name = format!("{}-{}-{i}", rng.pick(WORDS), rng.pick(WORDS));
    let version = format!("{}.{}.{}", rng.below(6), rng.below(30), rng.below(20));
    let (group, purl) = match (kind, rng.below(4)) {
        ("operating-system", _) => (
            None,
            format!("pkg:rpm/openeuler/{name}@{version}?arch=aarch64"),
        ),
        ("device" | "firmware", _) => (None, format!("pkg:generic/{name}@{version}")),
        (_, 0 | 1) => {
            let g = rng.pick(MAVEN_GROUPS).to_string();
            let purl = format!("pkg:maven/{g}/{name}@{version}?type=jar");
            (Some(g), purl)
        }
        (_, 2) => (None, format!("pkg:npm/%40gov/{name}@{version}")),
        _ => (None, format!("pkg:pypi/{name}@{version}")),
    };
    let ack = |rng: &mut Rng| match rng.below(3) {
        0 => Some("declared"),
        1 => Some("concluded"),
        _ => None,
    };
    let license = if rng.chance(70) {
        let id = *rng.pick::<&'static str>(LICENSE_IDS);
        License::Id(id, ack(rng))
    } else {
        let expression = *rng.pick::<&'static str>(LICENSE_EXPRESSIONS);
        License::Expression(expression, ack(rng))
    };
    let mut properties = Vec::new();
    if group.is_some() {
        properties.push(("cdx:maven:packaging", "jar".to_string()));
    }
    if matches!(kind, "device" | "firmware") {
        properties.push(("cdx:device:quantity", (1 + rng.below(8)).to_string()));
    }
    if rng.chance(30) {
        properties.push((
            "anbao:xinchuang",
            if rng.chance(50) { "是" } else { "否" }.to_string(),
        ));
    }
    Component {
        kind,
        // Most tools use the purl as bom-ref; some generate their own.
        bom_ref: if rng.chance(85) {
            purl.clone()
        } else {
            format!("ref-{i:06}-{}", rng.hex(8))
        },
        group,
        name,
        version,
        description: rng.chance(25).then(|| *rng.pick(DESCRIPTIONS)),
        scope: rng.chance(20).then_some(if rng.chance(80) {
            "required"
        } else {
            "optional"
        }),
        sha256: rng.hex(64),
        sha1: rng.chance(30).then(|| rng.hex(40)),
        license,
        purl,
        supplier: rng.chance(75).then(|| rng.pick(SUPPLIERS)),
        website: rng
            .chance(15)
            .then(|| format!("https://gitee.com/gov-oss/component-{i}")),
        properties,
    }
}

fn json_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn json_component(w: &mut impl Write, c: &Component) -> io::Result<()> {
    let e = json_escape;
    write!(
        w,
        r#"{{"type": "{}", "bom-ref": "{}""#,
        c.kind,
        e(&c.bom_ref)
    )?;
    if let Some(s) = c.supplier {
        write!(
            w,
            r#", "supplier": {{"name": "{}", "address": {{"country": "{}"}}, "url": ["{}"]}}"#,
            e(s.name),
            s.country,
            e(s.url)
        )?;
    }
    if let Some(g) = &c.group {
        write!(w, r#", "group": "{}""#, e(g))?;
    }
    write!(
        w,
        r#", "name": "{}", "version": "{}""#,
        e(&c.name),
        e(&c.version)
    )?;
    if let Some(d) = c.description {
        write!(w, r#", "description": "{}""#, e(d))?;
    }
    if let Some(s) = c.scope {
        write!(w, r#", "scope": "{s}""#)?;
    }
    write!(
        w,
        r#", "hashes": [{{"alg": "SHA-256", "content": "{}"}}"#,
        c.sha256
    )?;
    if let Some(h) = &c.sha1 {
        write!(w, r#", {{"alg": "SHA-1", "content": "{h}"}}"#)?;
    }
    write!(w, "]")?;
    let ack = |a: Option<&str>| {
        a.map(|a| format!(r#", "acknowledgement": "{a}""#))
            .unwrap_or_default()
    };
    match c.license {
        License::Id(id, a) => write!(
            w,
            r#", "licenses": [{{"license": {{"id": "{id}"{}}}}}]"#,
            ack(a)
        )?,
        License::Expression(x, a) => {
            write!(w, r#", "licenses": [{{"expression": "{x}"{}}}]"#, ack(a))?
        }
    }
    write!(w, r#", "purl": "{}""#, e(&c.purl))?;
    if let Some(url) = &c.website {
        write!(
            w,
            r#", "externalReferences": [{{"type": "website", "url": "{}"}}]"#,
            e(url)
        )?;
    }
    if !c.properties.is_empty() {
        let props: Vec<String> = c
            .properties
            .iter()
            .map(|(n, v)| format!(r#"{{"name": "{}", "value": "{}"}}"#, e(n), e(v)))
            .collect();
        write!(w, r#", "properties": [{}]"#, props.join(", "))?;
    }
    write!(w, "}}")
}

fn xml_component(w: &mut impl Write, c: &Component, indent: &str) -> io::Result<()> {
    let e = xml_escape;
    writeln!(
        w,
        r#"{indent}<component type="{}" bom-ref="{}">"#,
        c.kind,
        e(&c.bom_ref)
    )?;
    if let Some(s) = c.supplier {
        writeln!(
            w,
            "{indent}  <supplier><name>{}</name><address><country>{}</country></address><url>{}</url></supplier>",
            e(s.name),
            s.country,
            e(s.url)
        )?;
    }
    if let Some(g) = &c.group {
        writeln!(w, "{indent}  <group>{}</group>", e(g))?;
    }
    writeln!(w, "{indent}  <name>{}</name>", e(&c.name))?;
    writeln!(w, "{indent}  <version>{}</version>", e(&c.version))?;
    if let Some(d) = c.description {
        writeln!(w, "{indent}  <description>{}</description>", e(d))?;
    }
    if let Some(s) = c.scope {
        writeln!(w, "{indent}  <scope>{s}</scope>")?;
    }
    write!(
        w,
        r#"{indent}  <hashes><hash alg="SHA-256">{}</hash>"#,
        c.sha256
    )?;
    if let Some(h) = &c.sha1 {
        write!(w, r#"<hash alg="SHA-1">{h}</hash>"#)?;
    }
    writeln!(w, "</hashes>")?;
    let ack = |a: Option<&str>| {
        a.map(|a| format!(r#" acknowledgement="{a}""#))
            .unwrap_or_default()
    };
    match c.license {
        License::Id(id, a) => writeln!(
            w,
            "{indent}  <licenses><license{}><id>{id}</id></license></licenses>",
            ack(a)
        )?,
        License::Expression(x, a) => writeln!(
            w,
            "{indent}  <licenses><expression{}>{}</expression></licenses>",
            ack(a),
            e(x)
        )?,
    }
    writeln!(w, "{indent}  <purl>{}</purl>", e(&c.purl))?;
    if let Some(url) = &c.website {
        writeln!(
            w,
            r#"{indent}  <externalReferences><reference type="website"><url>{}</url></reference></externalReferences>"#,
            e(url)
        )?;
    }
    if !c.properties.is_empty() {
        write!(w, "{indent}  <properties>")?;
        for (n, v) in &c.properties {
            write!(w, r#"<property name="{}">{}</property>"#, e(n), e(v))?;
        }
        writeln!(w, "</properties>")?;
    }
    writeln!(w, "{indent}</component>")
}

#[allow(dead_code)] // The benchmark includes this file as a module and never calls `main`.
fn main() {
    let mut components = DEFAULT_COMPONENTS;
    let mut out_dir = PathBuf::from(".");
    let mut args = std::env::args().skip(1);
    let usage = "usage: gen_sbom [--components N] [--out-dir DIR]";
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--components" => {
                components = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| {
                    eprintln!("--components needs a number\n{usage}");
                    std::process::exit(2)
                })
            }
            "--out-dir" => {
                out_dir = args.next().map(PathBuf::from).unwrap_or_else(|| {
                    eprintln!("--out-dir needs a directory\n{usage}");
                    std::process::exit(2)
                })
            }
            "-h" | "--help" => {
                println!("{usage}");
                return;
            }
            other => {
                eprintln!("unknown argument '{other}'\n{usage}");
                std::process::exit(2)
            }
        }
    }
    let bom = Bom::generate(components);
    match bom.write_files(&out_dir) {
        Ok((json, xml)) => {
            println!(
                "{} components, {} dependency edges\n{}\n{}",
                bom.component_count(),
                bom.edge_count(),
                json.display(),
                xml.display()
            );
        }
        Err(e) => {
            eprintln!("cannot write to {}: {e}", out_dir.display());
            std::process::exit(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(bom: &Bom) -> (Vec<u8>, Vec<u8>) {
        let (mut json, mut xml) = (Vec::new(), Vec::new());
        bom.write_json(&mut json).unwrap();
        bom.write_xml(&mut xml).unwrap();
        (json, xml)
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(render(&Bom::generate(200)), render(&Bom::generate(200)));
    }

    #[test]
    fn json_and_xml_read_as_the_same_inventory() {
        // Imported here: the benchmark compiles this file with cfg(test) but without the tests.
        use anbao::inventory::{parse_bytes, Inventory};
        let bom = Bom::generate(500);
        let (json, xml) = render(&bom);
        let mut from_json = parse_bytes(Path::new("sbom.cdx.json"), &json).unwrap();
        let mut from_xml = parse_bytes(Path::new("sbom.cdx.xml"), &xml).unwrap();
        assert_eq!(from_json.components.len(), bom.component_count());
        assert_eq!(from_xml.components.len(), bom.component_count());
        assert_eq!(from_json.edges.len(), bom.edge_count());
        assert_eq!(from_xml.edges.len(), bom.edge_count());
        // Locations differ by syntax (JSON pointer, line:column); everything else must match.
        for doc in [&mut from_json, &mut from_xml] {
            doc.components.iter_mut().for_each(|c| c.location.clear());
            doc.edges.iter_mut().for_each(|e| e.location.clear());
        }
        assert_eq!(from_json.components, from_xml.components);
        assert_eq!(from_json.edges, from_xml.edges);
        assert_eq!(from_json.meta, from_xml.meta);
        assert!(from_json.components.iter().any(|c| c
            .supplier
            .as_ref()
            .is_some_and(|s| s.name == "华为技术有限公司")));

        let inv = Inventory::from_documents(vec![from_json]);
        assert_eq!(inv.len(), bom.component_count());
        assert_eq!(inv.graph.edge_count(), bom.edge_count());
        assert_eq!(inv.roots, [0]);
        assert!(inv.findings.is_empty(), "{:?}", inv.findings.first());
        // Every component is reachable from the product.
        let mut seen = 0;
        let mut dfs = petgraph::visit::Dfs::new(&inv.graph, Inventory::node(0));
        while dfs.next(&inv.graph).is_some() {
            seen += 1;
        }
        assert_eq!(seen, inv.len());
    }
}
