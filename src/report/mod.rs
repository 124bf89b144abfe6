//! Presenting reports: shared labels, and one renderer per output format. Renderers only read
//! the report; they compute nothing. Every document a renderer returns has passed through
//! [`crate::inert::inert_document`], so no text from the inputs is a live control sequence in it.

pub mod assessment;
pub mod drill;
pub mod drill_reporting;
pub mod drill_summary;
pub mod html;
pub mod labels;
pub mod markdown;
pub mod sarif;
pub mod view;

#[cfg(test)]
pub(crate) mod tests {
    //! A small hand-made report with hostile names, for the renderers' unit tests.

    use crate::acceptance::deadlines::{Deadline, Status};
    use crate::acceptance::report::*;
    use crate::i18n::Bilingual;
    use crate::inventory::{ComponentType, Level};
    use crate::policy::evaluate::{Classification, Counts, Evidence};
    use crate::policy::{Check, Code, Family, Verdict};
    use std::sync::Arc;

    fn b(zh: &str, en: &str) -> Bilingual {
        Bilingual::new(zh, en)
    }

    pub fn sample() -> Report {
        let day = |s: &str| s.parse().unwrap();
        let finding = |code, level, component: &str, waived: Option<&str>| FindingRow {
            code,
            level,
            component: Some(component.into()),
            component_id: Some(if component.starts_with("fw") { 0 } else { 1 }),
            category: Some("sec".into()),
            check: Some(Check::CertificateValid),
            message: b(
                &format!("{component} 有问题 <b>"),
                &format!("{component} is wrong <b>"),
            ),
            rule: "checklists/policy.toml:7".into(),
            paths: vec![vec!["root@1".into(), component.into()]],
            waived_by: waived.map(Arc::from),
            vulnerability: None,
        };
        Report {
            schema: SCHEMA,
            generator: "anbao 0.0.0-test".into(),
            as_of: day("2026-11-28"),
            project: ProjectInfo {
                name: "<script>alert('x')</script> & 项目".into(),
                name_en: None,
                code: "T|1".into(),
                illustrative: true,
            },
            units: UnitsInfo {
                implementing: "实施单位".into(),
                construction: "建设单位 \"A&B\"".into(),
                supervision: None,
            },
            policy: PolicyInfo {
                id: "p".into(),
                version: 2,
                title: "策略".into(),
                title_en: Some("Policy".into()),
                basis: vec!["GB/T 36630".into()],
                file: "checklists/policy.toml".into(),
                illustrative: false,
                rules: 3,
            },
            catalogs: vec![CatalogInfo {
                file: "checklists/catalog.toml".into(),
                title: "目录".into(),
                illustrative: true,
                entries: 1,
            }],
            verdict: ProjectVerdict {
                state: Verdict::Fail,
                meets: false,
                failing: 1,
                insufficient: 0,
                gaps: vec![],
                summary: b("不满足", "Does not meet"),
                reasons: vec![b("fw@1 不通过", "fw@1 fails")],
            },
            categories: vec![CategoryRow {
                id: "sec".into(),
                name: b("安全设备", "Security equipment"),
                key: true,
                blocking: true,
                verdict: Verdict::Fail,
                counts: Counts {
                    pass: 0,
                    warn: 1,
                    insufficient_evidence: 0,
                    fail: 1,
                },
            }],
            components: vec![
                ComponentRow {
                    id: 0,
                    component: "fw@1".into(),
                    name: "fw".into(),
                    version: Some("1".into()),
                    kind: ComponentType::Device,
                    category: Some("sec".into()),
                    classification: Some(Classification::Rule {
                        rule: "checklists/policy.toml:3".into(),
                    }),
                    supplier: Some("S <Ltd>".into()),
                    manufacturer: None,
                    manufacturer_written: None,
                    hardware_class: None,
                    verdict: Verdict::Fail,
                    evidence: vec![Evidence {
                        check: Check::SupplierKnown,
                        family: Family::SupplyChain,
                        text: b("供应商：S", "supplier: S"),
                        source: None,
                    }],
                    findings: vec![0, 1],
                },
                ComponentRow {
                    id: 1,
                    component: "lib_a@2".into(),
                    name: "lib_a".into(),
                    version: Some("2".into()),
                    kind: ComponentType::Library,
                    category: Some("sec".into()),
                    classification: Some(Classification::Inherited {
                        from: 0,
                        rule: "checklists/policy.toml:4".into(),
                    }),
                    supplier: None,
                    manufacturer: None,
                    manufacturer_written: None,
                    hardware_class: None,
                    verdict: Verdict::Warn,
                    evidence: vec![],
                    findings: vec![2],
                },
            ],
            findings: vec![
                finding(Code::CertificateExpired, Level::Deny, "fw@1", None),
                finding(
                    Code::ManufacturerForeign,
                    Level::Deny,
                    "fw@1",
                    Some("checklists/waivers.toml:2"),
                ),
                finding(Code::LicenseInvalid, Level::Warn, "lib_a@2", None),
            ],
            waivers: vec![WaiverRow {
                component: "fw".into(),
                code: Code::ManufacturerForeign,
                reason: "replace <soon>".into(),
                approver: "A".into(),
                expires: day("2027-01-01"),
                rule: "checklists/waivers.toml:2".into(),
                status: WaiverStatus::Used,
            }],
            deadlines: vec![Deadline {
                id: "contract-filing",
                title: b("建设合同备案", "Contract filed"),
                rule: b("5 个工作日内", "within 5 working days"),
                starts: Some(day("2026-03-09")),
                due: Some(day("2026-03-16")),
                status: Status::Met {
                    filed: day("2026-03-13"),
                },
                provisional: false,
                provisional_years: Default::default(),
            }],
            inputs: vec![
                InputFile {
                    path: "/ws/inventories/a b.json".into(),
                    role: "inventory",
                    sha256: "ab".repeat(32),
                },
                InputFile {
                    path: "/ws/checklists/policy.toml".into(),
                    role: "policy",
                    sha256: "cd".repeat(32),
                },
            ],
            not_read: vec![],
            inventory_findings: vec![crate::inventory::Finding::new(
                crate::inventory::Code::UnknownColumn,
                "/ws/inventories/hw.csv",
                "1",
                b(
                    "第 5 列 '<处理器>' 无法识别",
                    "column 5 '<处理器>' is unknown",
                ),
            )],
            vulnerabilities: crate::vuln::Assessment::without_database(0),
        }
    }
}
