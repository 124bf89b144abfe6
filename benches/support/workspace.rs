//! The workspace the check and TUI benchmarks run on: the generated SBOM, the shipped policy
//! with extra classification rules, and a 1,000-entry catalog (issue 3's scale).

use std::fmt::Write as _;
use std::path::Path;

#[path = "../../examples/gen_sbom.rs"]
#[allow(dead_code)] // The generator's `main` and helpers the benchmarks do not call.
pub mod gen_sbom;

const SHIPPED_POLICY: &str = include_str!("../../checklists/controllable-policy.toml");
/// Extra classification rules, tried before the shipped ones so every component meets them.
const EXTRA_RULES: usize = 40;
pub const CATALOG_ENTRIES: usize = 1000;
const VENDORS: [&str; 8] = [
    "华为技术有限公司",
    "麒麟软件有限公司",
    "武汉达梦数据库股份有限公司",
    "统信软件技术有限公司",
    "阿里云计算有限公司",
    "浪潮电子信息产业股份有限公司",
    "中兴通讯股份有限公司",
    "飞腾信息技术有限公司",
];

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A workspace holding the generated SBOM, the shipped policy with extra rules, and a catalog.
pub fn workspace(dir: &Path, components: usize) -> usize {
    let inventories = dir.join("inventories");
    let checklists = dir.join("checklists");
    std::fs::create_dir_all(&inventories).unwrap();
    std::fs::create_dir_all(&checklists).unwrap();
    let bom = gen_sbom::Bom::generate(components);
    let scratch = dir.join("scratch");
    std::fs::create_dir_all(&scratch).unwrap();
    let (json, _xml) = bom.write_files(&scratch).unwrap();
    std::fs::rename(&json, inventories.join("sbom.cdx.json")).unwrap();
    std::fs::remove_dir_all(&scratch).unwrap();
    std::fs::write(
        dir.join("anbao.toml"),
        "[project]\nname = \"基准项目\"\ncode = \"BENCH-1\"\nillustrative = true\n\n\
         [units.implementing]\nname = \"示例局\"\n\n[units.construction]\nname = \"示例公司\"\n\n\
         [milestones]\ncontract_signed = 2026-03-09\nacceptance_completed = 2026-11-10\n",
    )
    .unwrap();
    let mut extra = String::new();
    for i in 0..EXTRA_RULES {
        let category = [
            "system-software",
            "third-party",
            "open-source",
            "business-application",
        ][i % 4];
        let _ = writeln!(
            extra,
            "[[classify]]\ncategory = \"{category}\"\nname = [\"*bench-rule-{i}-*\", \"模块{i}*\"]\npurl = [\"pkg:generic/bench{i}/*\"]\n"
        );
    }
    let at = SHIPPED_POLICY
        .find("[[classify]]")
        .expect("the shipped policy has rules");
    let policy = format!("{}{extra}{}", &SHIPPED_POLICY[..at], &SHIPPED_POLICY[at..]);
    std::fs::write(checklists.join("controllable-policy.toml"), &policy).unwrap();
    let mut catalog = String::from("[catalog]\ntitle = \"基准目录\"\nillustrative = true\n\n");
    for i in 0..CATALOG_ENTRIES {
        let _ = writeln!(
            catalog,
            "[[product]]\nvendor = \"{}\"\nproduct = \"*{}*\"\nmodels = [\"{}.*\"]\ncertificate = \"BENCH-{i:04}\"\nvalid_from = 2024-01-01\nvalid_until = 2027-12-31\n",
            VENDORS[i % VENDORS.len()],
            ["core", "util", "data", "web", "auth", "log", "cache", "mq"][i % 8],
            i % 10
        );
    }
    std::fs::write(checklists.join("approved-products.toml"), catalog).unwrap();
    let parsed = anbao::policy::Policy::parse(Path::new("p.toml"), &policy).unwrap();
    parsed.rules.len() + parsed.overrides.len()
}
