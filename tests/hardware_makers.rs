//! Hardware from real producers names its makers and classes: cdxgen's `hbom` and an
//! `lshw -json -numeric` export turned into a hardware CSV by tools/lshw_to_csv.py, both of
//! the same virtio VM (tests/fixtures/real/README.md). The expected classification is here.

use anbao::inventory::{self, VendorScheme};
use std::path::PathBuf;

fn real(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/real")
        .join(name)
}

/// Name, class, manufacturer, and what was written where the manufacturer was resolved.
type Described = (String, Option<String>, Option<String>, Option<String>);

/// How every component of `file` is described.
fn described(file: &str) -> Vec<Described> {
    let inv = inventory::load(&[real(file)]).unwrap();
    inv.components
        .iter()
        .map(|c| {
            let maker = c.manufacturer.as_deref();
            (
                c.name.clone(),
                c.hardware.class.as_ref().map(|k| k.class.clone()),
                maker.map(|m| m.name.clone()),
                maker
                    .and_then(|m| m.resolved_from.as_deref())
                    .map(|w| w.written.clone()),
            )
        })
        .collect()
}

fn row(name: &str, class: Option<&str>, maker: Option<&str>, written: Option<&str>) -> Described {
    (
        name.into(),
        class.map(Into::into),
        maker.map(Into::into),
        written.map(Into::into),
    )
}

#[test]
fn cdxgen_hbom_resolves_cpuid_and_pci_makers_and_classes() {
    let red_hat = Some("Red Hat, Inc.");
    assert_eq!(
        described("cdxgen-hbom_linux-vm_1.7.json"),
        [
            row("Debian GNU/Linux", None, Some("Linux"), None),
            row(
                "Intel(R) Xeon(R) Processor",
                Some("processor"),
                Some("Intel Corporation"),
                Some("GenuineIntel")
            ),
            row("System Memory", Some("memory"), None, None),
            row("Motherboard", Some("board"), None, None),
            row("vda", Some("storage"), red_hat, Some("0x1af4")),
            row(
                "Virtio 1.0 network device",
                Some("network-interface"),
                red_hat,
                None
            ),
            row("ifb0", Some("network-interface"), None, None),
            row("ifb1", Some("network-interface"), None, None),
            row(
                "Intel Corporation",
                Some("bridge"),
                Some("Intel Corporation"),
                None
            ),
            row(
                "Virtio 1.0 memory balloon",
                Some("pci-device"),
                red_hat,
                None
            ),
            row(
                "Virtio 1.0 block device",
                Some("storage-controller"),
                red_hat,
                None
            ),
            row(
                "Virtio 1.0 network device",
                Some("network-interface"),
                red_hat,
                None
            ),
            row("Virtio 1.0 socket", Some("pci-device"), red_hat, None),
            row("Virtio 1.0 RNG", Some("pci-device"), red_hat, None),
        ]
    );
    let inv = inventory::load(&[real("cdxgen-hbom_linux-vm_1.7.json")]).unwrap();
    let cpu = &inv.components[inv.find("Intel(R) Xeon(R) Processor")[0]];
    let written = cpu
        .manufacturer
        .as_ref()
        .unwrap()
        .resolved_from
        .as_ref()
        .unwrap();
    assert_eq!(written.scheme, VendorScheme::CpuidVendor);
    let block = &inv.components[inv.find("Virtio 1.0 block device")[0]];
    let ids = block.hardware.bus_ids.as_ref().unwrap();
    assert_eq!(
        (ids.bus, ids.vendor_id.as_str(), ids.device_id.as_deref()),
        ("pci", "1af4", Some("1042"))
    );
    assert_eq!(ids.device, Some("Virtio 1.0 block device"));
    assert_eq!(
        block.hardware.class.as_ref().unwrap().stated,
        "pci-device (PCI class 0180: Mass storage controller)"
    );
}

#[test]
fn an_lshw_export_as_a_hardware_csv_resolves_its_bracketed_vendor_ids() {
    let red_hat = Some("Red Hat, Inc.");
    assert_eq!(
        described("lshw_linux-vm.csv"),
        [
            row(
                "Intel(R) Xeon(R) Processor",
                Some("processor"),
                Some("Intel Corp."),
                None
            ),
            row(
                "Intel Corporation [8086:D57]",
                Some("bridge"),
                Some("Intel Corporation"),
                Some("Intel Corporation [8086]")
            ),
            row(
                "Virtio 1.0 memory balloon [1AF4:1045]",
                None,
                red_hat,
                Some("Red Hat, Inc. [1AF4]")
            ),
            row(
                "Virtio 1.0 block device [1AF4:1042]",
                Some("storage"),
                red_hat,
                Some("Red Hat, Inc. [1AF4]")
            ),
            row(
                "Virtio 1.0 network device [1AF4:1041]",
                Some("network-interface"),
                red_hat,
                Some("Red Hat, Inc. [1AF4]")
            ),
            row(
                "Virtio 1.0 socket [1AF4:1053]",
                None,
                red_hat,
                Some("Red Hat, Inc. [1AF4]")
            ),
            row(
                "Virtio 1.0 RNG [1AF4:1044]",
                None,
                red_hat,
                Some("Red Hat, Inc. [1AF4]")
            ),
            row("PnP device PNP0501", Some("modem"), None, None),
            row("PnP device PNP0303", Some("input-device"), None, None),
        ]
    );
}

#[test]
fn the_shipped_policy_rules_on_processors_by_class() {
    let dir = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("anbao.toml"), dir.path().join("anbao.toml")).unwrap();
    let checklists = dir.path().join("checklists");
    std::fs::create_dir(&checklists).unwrap();
    for entry in std::fs::read_dir(root.join("checklists")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), checklists.join(entry.file_name())).unwrap();
    }
    let inventories = dir.path().join("inventories");
    std::fs::create_dir(&inventories).unwrap();
    std::fs::copy(
        real("cdxgen-hbom_linux-vm_1.7.json"),
        inventories.join("hbom.json"),
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("anbao")
        .unwrap()
        .args([
            "-C",
            dir.path().to_str().unwrap(),
            "check",
            "--format",
            "json",
            "--as-of",
            "2026-12-01",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cpu = report["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Intel(R) Xeon(R) Processor")
        .unwrap();
    assert_eq!(cpu["category"], "processor", "{cpu}");
    assert_eq!(cpu["manufacturer"], "Intel Corporation");
    assert_eq!(cpu["manufacturer_written"]["written"], "GenuineIntel");
    assert_eq!(cpu["hardware_class"]["class"], "processor");
    assert_eq!(cpu["verdict"], "fail", "{cpu}");
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["component"] == cpu["component"])
        .map(|f| f["message"]["en"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"manufacturer Intel Corporation (CPUID GenuineIntel) is in US"),
        "{messages:?}"
    );
}
