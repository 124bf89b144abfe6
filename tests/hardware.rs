//! Hardware inventories read end to end from the fixture files: detection, decoding, mapping.

use anbao::error::Location;
use anbao::inventory::{parse_file, Code, Component, ComponentType, Document, Format};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hardware")
        .join(name)
}

fn read(name: &str) -> Document {
    parse_file(&fixture(name)).unwrap_or_else(|e| panic!("{e}"))
}

fn named<'a>(doc: &'a Document, name: &str) -> &'a Component {
    doc.components
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn chinese_csv_maps_every_column() {
    let doc = read("chinese-utf8.csv");
    assert_eq!(doc.format, Format::HardwareCsv);
    assert_eq!(doc.meta.spec_version, "hardware-csv");
    assert!(doc.findings.is_empty(), "{:?}", doc.findings);
    assert_eq!(doc.components.len(), 8);

    let switch = named(&doc, "汇聚交换机");
    assert_eq!(switch.key, "ZW-2026-002");
    assert_eq!(switch.location, "3");
    assert_eq!(switch.kind, ComponentType::Device);
    assert_eq!(switch.version.as_deref(), Some("S6850-56HF"));
    assert_eq!(switch.hardware.firmware.as_deref(), Some("Release 6635P07"));
    assert_eq!(switch.hardware.serial_numbers.len(), 4);
    assert_eq!(switch.hardware.quantity, Some(4));
    assert_eq!(switch.property("category"), Some("网络设备"));
    assert_eq!(switch.property("location"), Some("政务云机房A-02"));

    let firewall = named(&doc, "下一代防火墙");
    assert_eq!(
        firewall.hardware.serial_numbers,
        ["Q5N0A2300451", "Q5N0A2300452"]
    );
    let cert = &firewall.hardware.certificates[0];
    assert_eq!(cert.number, "XKZ-2024-0137");
    assert_eq!(cert.valid_until, NaiveDate::from_ymd_opt(2027, 6, 30));

    let bmc = named(&doc, "服务器BMC固件");
    assert_eq!(bmc.kind, ComponentType::Firmware);
    assert_eq!(bmc.version.as_deref(), Some("3.03.00.12"));
    assert_eq!(bmc.supplier, None);

    let cisco = named(&doc, "互联网接入交换机");
    let maker = cisco.manufacturer.as_ref().unwrap();
    assert_eq!(
        (maker.name.as_str(), maker.country.as_deref()),
        ("Cisco Systems", Some("美国"))
    );
    assert_eq!(cisco.hardware.country_of_origin.as_deref(), Some("美国"));
    assert_eq!(
        cisco.supplier.as_ref().unwrap().name,
        "某某数字科技有限公司"
    );
}

#[test]
fn bom_and_gb18030_copies_read_the_same_as_utf8() {
    let utf8 = read("chinese-utf8.csv");
    for name in ["chinese-utf8-bom.csv", "chinese-gb18030.csv"] {
        let doc = read(name);
        assert_eq!(doc.components, utf8.components, "{name}");
        assert!(doc.findings.is_empty(), "{name}: {:?}", doc.findings);
    }
}

#[test]
fn english_headers() {
    let doc = read("english.csv");
    assert!(doc.findings.is_empty(), "{:?}", doc.findings);
    let core = named(&doc, "Core switch");
    assert_eq!(core.key, "ZW-2026-101");
    assert_eq!(
        core.hardware.serial_numbers,
        ["2102353FSH10P5000011", "2102353FSH10P5000012"]
    );
    assert_eq!(core.description.as_deref(), Some("Stacked pair"));
    let fw = named(&doc, "Next-generation firewall");
    assert_eq!(
        fw.hardware.certificates[0].valid_until,
        NaiveDate::from_ymd_opt(2027, 6, 30)
    );
    let db = named(&doc, "Database");
    assert_eq!(db.kind, ComponentType::Application);
    assert_eq!(db.version.as_deref(), Some("DM8 V8.1.3.62"));
}

#[test]
fn tab_separated_and_utf16_unicode_text() {
    let tsv = read("tab-separated.tsv");
    assert!(tsv.findings.is_empty(), "{:?}", tsv.findings);
    assert_eq!(tsv.components.len(), 3);
    assert_eq!(named(&tsv, "核心交换机").hardware.serial_numbers.len(), 2);
    assert_eq!(named(&tsv, "飞腾办公终端").hardware.quantity, Some(40));
    let utf16 = read("unicode-text-utf16le.txt");
    assert_eq!(utf16.format, Format::HardwareCsv);
    assert_eq!(utf16.components, tsv.components);
}

#[test]
fn a_row_with_a_stray_comma_is_an_error_on_its_line() {
    let err = parse_file(&fixture("wrong-column-count.csv")).unwrap_err();
    assert_eq!(err.location, Location::Line(4));
    assert!(
        err.message.contains("6 fields") && err.message.contains("header on line 1 has 5"),
        "{err}"
    );
    assert!(
        err.to_string().contains("wrong-column-count.csv:4: "),
        "{err}"
    );
}

#[test]
fn unknown_headers_are_findings_and_their_values_kept() {
    let doc = read("unknown-header.csv");
    let unknown: Vec<(&str, &str)> = doc
        .findings
        .iter()
        .filter(|f| f.code == Code::UnknownColumn)
        .map(|f| (f.message.en(), f.message.zh()))
        .collect();
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert!(
        unknown[0].0.contains("column 5 '处理器'"),
        "{:?}",
        unknown[0]
    );
    assert!(
        unknown[0].1.contains("第 5 列 '处理器'"),
        "{:?}",
        unknown[0]
    );
    assert!(
        unknown[1].0.contains("column 6 '单价（元）'"),
        "{:?}",
        unknown[1]
    );
    assert!(
        unknown[1]
            .1
            .contains("第 6 列 '单价（元）' 不是 anbao 认识的硬件清单列"),
        "{:?}",
        unknown[1]
    );
    let server = named(&doc, "应用服务器");
    assert_eq!(server.property("处理器"), Some("鲲鹏920 64核"));
    assert_eq!(server.property("单价（元）"), Some("128000"));
    assert_eq!(named(&doc, "数据库服务器").hardware.quantity, Some(2));
    let audit = named(&doc, "安全审计系统");
    assert_eq!(audit.property("处理器"), None);
    assert_eq!(audit.property("quantity"), Some("若干"));
    let unreadable: Vec<_> = doc
        .findings
        .iter()
        .filter(|f| f.code == Code::UnreadableValue)
        .collect();
    assert_eq!(unreadable.len(), 1);
    assert_eq!(unreadable[0].location, "4");
    assert_eq!(
        unreadable[0].component.as_deref(),
        Some("安全审计系统@SA-3000")
    );
}

#[test]
fn toml_list_with_english_and_chinese_keys() {
    let doc = read("devices.toml");
    assert_eq!(doc.format, Format::HardwareToml);
    assert_eq!(doc.meta.spec_version, "hardware-toml");
    assert!(doc.findings.is_empty(), "{:?}", doc.findings);
    assert_eq!(
        doc.meta.name.as_deref(),
        Some("XX市政务云平台 硬件设备清单")
    );
    assert_eq!(doc.meta.timestamp.as_deref(), Some("2026-03-01"));
    let keys: Vec<&str> = doc.components.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "ZW-2026-001",
            "ZW-2026-003",
            "ZW-2026-004",
            "ZW-2026-005",
            "ZW-2026-008"
        ]
    );
    let core = named(&doc, "核心交换机");
    assert_eq!(core.location, "9:1");
    assert_eq!(core.hardware.serial_numbers.len(), 2);
    let firewall = named(&doc, "下一代防火墙");
    assert_eq!(
        firewall.hardware.certificates[0].valid_until,
        NaiveDate::from_ymd_opt(2027, 6, 30)
    );
    let db = named(&doc, "数据库服务器");
    assert_eq!(db.version.as_deref(), Some("R620-G30"));
    assert_eq!(db.hardware.quantity, Some(2));
    assert_eq!(
        db.manufacturer.as_ref().unwrap().country.as_deref(),
        Some("中国")
    );
    assert_eq!(
        named(&doc, "互联网接入交换机")
            .hardware
            .country_of_origin
            .as_deref(),
        Some("美国")
    );
}

#[test]
fn toml_unknown_key_is_a_finding_with_line_and_column() {
    let doc = read("unknown-key.toml");
    assert_eq!(doc.findings.len(), 1);
    let f = &doc.findings[0];
    assert_eq!((f.code, f.location.as_str()), (Code::UnknownColumn, "6:1"));
    assert!(f.message.en().contains("'warranty'"), "{:?}", f.message);
    assert!(
        f.message.zh().contains("键 'warranty' 不是"),
        "{:?}",
        f.message
    );
    assert_eq!(doc.components[0].property("warranty"), Some("3年原厂维保"));
}

#[test]
fn toml_syntax_error_has_line_and_column() {
    let err = parse_file(&fixture("syntax-error.toml")).unwrap_err();
    assert!(
        matches!(err.location, Location::LineCol { line: 4, .. }),
        "{err}"
    );
}

#[test]
fn csv_and_toml_of_the_same_devices_merge() {
    let inventory =
        anbao::inventory::load(&[fixture("chinese-utf8.csv"), fixture("devices.toml")]).unwrap();
    // The TOML repeats five of the CSV's eight devices under the same asset numbers.
    assert_eq!(inventory.len(), 8);
    assert_eq!(inventory.roots.len(), 8);
    // The same devices, described alike in both files: nothing to report.
    assert!(inventory.findings.is_empty(), "{:?}", inventory.findings);
}
