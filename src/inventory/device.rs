//! Hardware as the hardware reports itself: makers named by CPUID vendor strings and PCI or USB
//! vendor ids become manufacturer names a policy can match, and device classes
//! (`cdx:hbom:hardwareClass`, PCI class codes, an equipment list's category) become one
//! vocabulary the policy can rule on. What was written is always kept beside what was resolved.
//!
//! PCI and USB ids are resolved with the maintained id databases (pci.ids and usb.ids, embedded
//! by the `pci-ids` and `usb-ids` crates); CPUID vendor strings and ARM implementer codes with
//! the small tables below, whose entries are the strings and codes the processors report.

use super::{Component, ComponentType, Document, NameSource, Party, VendorScheme};
use pci_ids::FromId as _;
use serde::Serialize;
use usb_ids::FromId as _;

/// The vendor string `CPUID` leaf 0 returns, and the maker it names.
const CPUID_VENDORS: &[(&str, &str)] = &[
    ("GenuineIntel", "Intel Corporation"),
    ("AuthenticAMD", "Advanced Micro Devices, Inc."),
    ("AMDisbetter!", "Advanced Micro Devices, Inc."),
    ("HygonGenuine", "Hygon Information Technology Co., Ltd."),
    ("  Shanghai  ", "Shanghai Zhaoxin Semiconductor Co., Ltd."),
    ("CentaurHauls", "Centaur Technology"),
    ("VIA VIA VIA ", "VIA Technologies, Inc."),
    ("CyrixInstead", "Cyrix Corporation"),
    ("GenuineTMx86", "Transmeta Corporation"),
    ("TransmetaCPU", "Transmeta Corporation"),
    ("Geode by NSC", "National Semiconductor Corporation"),
    ("NexGenDriven", "NexGen, Inc."),
    ("RiseRiseRise", "Rise Technology"),
    ("SiS SiS SiS ", "Silicon Integrated Systems Corp."),
    ("UMC UMC UMC ", "United Microelectronics Corporation"),
    ("Vortex86 SoC", "DM&P Electronics Inc."),
    ("E2K MACHINE", "MCST"),
];

/// The implementer code of an Arm processor's MIDR register (`CPU implementer` in
/// /proc/cpuinfo), and the maker it names.
const ARM_IMPLEMENTERS: &[(u8, &str)] = &[
    (0x41, "Arm Limited"),
    (0x42, "Broadcom Corporation"),
    (0x43, "Cavium Inc."),
    (0x46, "Fujitsu Ltd."),
    (0x48, "HiSilicon Technologies Co., Ltd."),
    (0x4e, "NVIDIA Corporation"),
    (0x50, "Applied Micro Circuits Corporation"),
    (0x51, "Qualcomm Inc."),
    (0x53, "Samsung Electronics Co., Ltd."),
    (0x56, "Marvell International Ltd."),
    (0x61, "Apple Inc."),
    (0x69, "Intel Corporation"),
    (0x6d, "Microsoft Corporation"),
    (0x70, "Phytium Technology Co., Ltd."),
    (0xc0, "Ampere Computing"),
];

/// The classes anbao knows, as cdxgen's `cdx:hbom:hardwareClass` spells them, and the other
/// spellings producers and equipment lists use for each. Matched whole and case-insensitively;
/// [`CATEGORY_WORDS`] is searched inside free-text categories.
const CLASSES: &[(&str, &[&str])] = &[
    ("processor", &["cpu", "处理器", "中央处理器"]),
    ("memory", &["ram", "内存", "内存条"]),
    (
        "storage",
        &[
            "disk",
            "硬盘",
            "磁盘",
            "固态硬盘",
            "ssd",
            "hdd",
            "存储",
            "存储设备",
        ],
    ),
    (
        "storage-controller",
        &["raid", "raid卡", "存储控制器", "hba"],
    ),
    ("storage-volume", &["volume", "卷"]),
    (
        "network-interface",
        &["network", "nic", "网卡", "网络适配器", "network-adapter"],
    ),
    ("wireless-adapter", &["wireless", "无线网卡"]),
    ("display", &["显示器", "monitor"]),
    ("display-adapter", &["gpu", "显卡", "graphics"]),
    ("display-controller", &[]),
    ("board", &["motherboard", "mainboard", "主板"]),
    ("chassis", &["机箱"]),
    ("bridge", &[]),
    ("bus", &[]),
    ("usb-controller", &[]),
    ("usb-device", &[]),
    ("audio-controller", &["multimedia"]),
    ("audio-device", &[]),
    ("bluetooth-controller", &[]),
    ("bluetooth-device", &[]),
    ("camera", &["摄像头"]),
    ("modem", &["communication"]),
    ("power", &["电源"]),
    ("power-adapter", &[]),
    ("battery", &["电池"]),
    ("fan", &["风扇"]),
    ("sensor", &["传感器"]),
    ("thermal-zone", &[]),
    ("tpm", &["可信平台模块"]),
    ("encryption-controller", &["密码卡", "加密卡"]),
    ("accelerator", &["加速卡"]),
    ("firmware", &[]),
    ("firmware-device", &[]),
    ("pci-device", &[]),
    ("thunderbolt-device", &[]),
    ("sdio-device", &[]),
    ("input-device", &["input", "键盘", "鼠标"]),
];

/// Words that, inside an equipment list's category (`服务器CPU`, `SAS 硬盘`), say its class.
/// Checked in order, so a more specific word comes first.
const CATEGORY_WORDS: &[(&str, &str)] = &[
    ("处理器", "processor"),
    ("cpu", "processor"),
    ("内存", "memory"),
    ("网卡", "network-interface"),
    ("网络适配器", "network-interface"),
    ("network adapter", "network-interface"),
    ("network interface", "network-interface"),
    ("显卡", "display-adapter"),
    ("硬盘", "storage"),
    ("磁盘", "storage"),
    ("固态", "storage"),
    ("ssd", "storage"),
    ("主板", "board"),
    ("密码卡", "encryption-controller"),
];

/// The class of a PCI device by its base class code (the first byte of `pciClassCode`), for
/// the codes that say what a device is for.
fn pci_base_class(code: u8) -> Option<&'static str> {
    Some(match code {
        0x01 => "storage-controller",
        0x02 => "network-interface",
        0x03 => "display-controller",
        0x04 => "audio-controller",
        0x05 => "memory",
        0x06 => "bridge",
        0x09 => "input-device",
        0x0b => "processor",
        0x0c => "bus",
        0x0d => "wireless-adapter",
        0x10 => "encryption-controller",
        0x12 => "accelerator",
        _ => return None,
    })
}

/// A device's class: anbao's word for it and what the file said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HardwareClass {
    /// One of the classes of [`CLASSES`], e.g. `processor`, `storage`, `network-interface`.
    pub class: String,
    /// What the file said, e.g. `pci-device (PCI class 0200: Ethernet controller)` or `网卡`.
    pub stated: String,
}

/// The bus ids a device reports, with what the id databases call them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BusIds {
    /// `pci` or `usb`.
    pub bus: &'static str,
    /// Four hexadecimal digits, as reported.
    pub vendor_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<&'static str>,
}

/// Resolves the makers and classes of every component of `doc`.
pub fn resolve(doc: &mut Document) {
    for c in &mut doc.components {
        if c.properties.is_empty() && c.manufacturer.is_none() && c.kind != ComponentType::Device {
            continue;
        }
        resolve_component(c);
    }
}

fn resolve_component(c: &mut Component) {
    if let Some(class) = class_of(c) {
        c.hardware.class = Some(class);
    }
    let bus = bus_of(c);
    let processor = c
        .hardware
        .class
        .as_ref()
        .is_some_and(|k| k.class == "processor");
    if let Some(ids) = bus_ids(c, bus) {
        if c.manufacturer.is_none() {
            if let Some(vendor) = ids.vendor {
                c.manufacturer = Some(Box::new(resolved(vendor, &ids.vendor_id, scheme(&ids))));
            }
        }
        c.hardware.bus_ids = Some(Box::new(ids));
    }
    // Only hardware's makers are read as ids: a software supplier may well be called "ACE1".
    let hardware = matches!(
        c.kind,
        ComponentType::Device | ComponentType::Firmware | ComponentType::DeviceDriver
    ) || c.hardware.class.is_some()
        || bus.is_some();
    if !hardware {
        return;
    }
    for party in [&mut c.manufacturer, &mut c.supplier].into_iter().flatten() {
        if party.resolved_from.is_none() {
            if let Some((name, scheme)) = maker(&party.name, bus, processor) {
                let written = std::mem::replace(&mut party.name, name.to_string());
                party.resolved_from = Some(Box::new(NameSource { written, scheme }));
            }
        }
    }
}

fn resolved(name: &str, written: &str, scheme: VendorScheme) -> Party {
    Party {
        resolved_from: Some(Box::new(NameSource {
            written: written.to_string(),
            scheme,
        })),
        ..Party::named(name)
    }
}

fn scheme(ids: &BusIds) -> VendorScheme {
    if ids.bus == "usb" {
        VendorScheme::UsbVendorId
    } else {
        VendorScheme::PciVendorId
    }
}

/// The maker a written name stands for, when it is an id rather than a name.
fn maker(written: &str, bus: Option<Bus>, processor: bool) -> Option<(&'static str, VendorScheme)> {
    let trimmed = written.trim();
    for (vendor, name) in CPUID_VENDORS {
        // "  Shanghai  " trimmed is a city; only a processor's maker is read as Zhaoxin.
        let plain_word = vendor.trim() == "Shanghai";
        if written == *vendor || (trimmed == vendor.trim() && (!plain_word || processor)) {
            return Some((name, VendorScheme::CpuidVendor));
        }
    }
    // `Intel Corporation [8086]`, as `lshw -numeric` writes a vendor.
    let id = match trimmed.strip_suffix(']').and_then(|t| t.rsplit_once('[')) {
        Some((_, id)) => id,
        None => trimmed,
    };
    let hex = id
        .strip_prefix("0x")
        .or(id.strip_prefix("0X"))
        .unwrap_or(id);
    if processor && hex.len() == 2 {
        let code = u8::from_str_radix(hex, 16).ok()?;
        let (_, name) = ARM_IMPLEMENTERS.iter().find(|(c, _)| *c == code)?;
        return Some((name, VendorScheme::ArmImplementer));
    }
    if hex.len() != 4 {
        return None;
    }
    let id = u16::from_str_radix(hex, 16).ok()?;
    let pci = pci_ids::Vendor::from_id(id).map(|v| v.name());
    let usb = usb_ids::Vendor::from_id(id).map(|v| v.name());
    match bus {
        Some(Bus::Pci) => pci.map(|n| (n, VendorScheme::PciVendorId)),
        Some(Bus::Usb) => usb.map(|n| (n, VendorScheme::UsbVendorId)),
        // On an unknown bus an id is read only where one database alone knows it.
        None => match (pci, usb) {
            (Some(n), None) => Some((n, VendorScheme::PciVendorId)),
            (None, Some(n)) => Some((n, VendorScheme::UsbVendorId)),
            _ => None,
        },
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bus {
    Pci,
    Usb,
}

/// The bus a device sits on, where the file says: `cdx:hbom:busInfo` (`pci@…`, `usb@…`;
/// virtio devices carry PCI vendor ids), the modalias, or the class.
fn bus_of(c: &Component) -> Option<Bus> {
    let said = |name: &str| c.property(name).map(str::to_ascii_lowercase);
    let info = said("cdx:hbom:busInfo")
        .or_else(|| said("cdx:hbom:modalias"))
        .or_else(|| said("bus"));
    if let Some(info) = info {
        if info.starts_with("pci") || info.starts_with("virtio") {
            return Some(Bus::Pci);
        }
        if info.starts_with("usb") {
            return Some(Bus::Usb);
        }
    }
    match said("cdx:hbom:hardwareClass").as_deref() {
        Some("pci-device") => Some(Bus::Pci),
        Some("usb-device" | "usb-controller") => Some(Bus::Usb),
        _ => None,
    }
}

/// The vendor and device ids a component's properties report, resolved on its bus.
fn bus_ids(c: &Component, bus: Option<Bus>) -> Option<BusIds> {
    let bus = bus?;
    let id = |name: &str| {
        let text = c.property(name)?.trim();
        let hex = text.strip_prefix("0x").unwrap_or(text);
        Some((hex.to_ascii_lowercase(), u16::from_str_radix(hex, 16).ok()?))
    };
    let (vendor_text, vendor) = id("cdx:hbom:vendorId")?;
    let device = id("cdx:hbom:productId").or_else(|| id("cdx:hbom:deviceId"));
    let (vendor_name, device_name) = match bus {
        Bus::Pci => (
            pci_ids::Vendor::from_id(vendor).map(|v| v.name()),
            device
                .as_ref()
                .and_then(|(_, d)| pci_ids::Device::from_vid_pid(vendor, *d))
                .map(|d| d.name()),
        ),
        Bus::Usb => (
            usb_ids::Vendor::from_id(vendor).map(|v| v.name()),
            device
                .as_ref()
                .and_then(|(_, d)| usb_ids::Device::from_vid_pid(vendor, *d))
                .map(|d| d.name()),
        ),
    };
    Some(BusIds {
        bus: if bus == Bus::Usb { "usb" } else { "pci" },
        vendor_id: vendor_text,
        device_id: device.map(|(text, _)| text),
        vendor: vendor_name,
        device: device_name,
    })
}

/// The class a component states: cdxgen's property (a PCI device refined by its class code),
/// or an equipment list's category.
fn class_of(c: &Component) -> Option<HardwareClass> {
    if let Some(stated) = c.property("cdx:hbom:hardwareClass") {
        let stated = stated.trim();
        if stated.eq_ignore_ascii_case("pci-device") {
            if let Some(refined) = pci_class(c, stated) {
                return Some(refined);
            }
        }
        return known_class(stated).map(|class| HardwareClass {
            class: class.to_string(),
            stated: stated.to_string(),
        });
    }
    let category = c
        .properties
        .iter()
        .find(|(k, _)| matches!(k.as_str(), "category" | "类别" | "anbao:category"))
        .map(|(_, v)| v.trim())?;
    let class = known_class(category).or_else(|| {
        let lower = category.to_lowercase();
        CATEGORY_WORDS
            .iter()
            .find(|(word, _)| lower.contains(word))
            .map(|(_, class)| *class)
    })?;
    Some(HardwareClass {
        class: class.to_string(),
        stated: category.to_string(),
    })
}

/// A class name or one of its spellings, whole.
fn known_class(text: &str) -> Option<&'static str> {
    let lower = text.trim().to_lowercase();
    CLASSES
        .iter()
        .find(|(class, spellings)| *class == lower || spellings.contains(&lower.as_str()))
        .map(|(class, _)| *class)
}

/// A PCI device's class from its class code (`0200`), named as pci.ids names it.
fn pci_class(c: &Component, stated: &str) -> Option<HardwareClass> {
    let code = c.property("cdx:hbom:pciClassCode")?.trim();
    let code = code.strip_prefix("0x").unwrap_or(code);
    let base = u8::from_str_radix(code.get(..2)?, 16).ok()?;
    let sub = code.get(2..4).and_then(|s| u8::from_str_radix(s, 16).ok());
    let class = pci_base_class(base)?;
    let name = sub
        .and_then(|s| pci_ids::Subclass::from_cid_sid(base, s))
        .map(|s| s.name())
        .or_else(|| pci_ids::Class::from_id(base).map(|k| k.name()));
    let stated = match name {
        Some(name) => format!("{stated} (PCI class {code}: {name})"),
        None => format!("{stated} (PCI class {code})"),
    };
    Some(HardwareClass {
        class: class.to_string(),
        stated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(properties: &[(&str, &str)]) -> Component {
        let mut c = Component::new("d", ComponentType::Device, "d");
        c.properties = properties
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        c
    }

    fn made_by(mut c: Component, maker: &str) -> Component {
        c.manufacturer = Some(Box::new(Party::named(maker)));
        resolve_component(&mut c);
        c
    }

    #[test]
    fn cpuid_vendor_strings_name_their_makers_and_keep_what_was_written() {
        let cpu = [("cdx:hbom:hardwareClass", "processor")];
        for (written, maker) in [
            ("GenuineIntel", "Intel Corporation"),
            ("AuthenticAMD", "Advanced Micro Devices, Inc."),
            ("HygonGenuine", "Hygon Information Technology Co., Ltd."),
            ("CentaurHauls", "Centaur Technology"),
            ("  Shanghai  ", "Shanghai Zhaoxin Semiconductor Co., Ltd."),
            ("Shanghai", "Shanghai Zhaoxin Semiconductor Co., Ltd."),
        ] {
            let c = made_by(device(&cpu), written);
            let m = c.manufacturer.unwrap();
            assert_eq!(m.name, maker, "{written}");
            let from = m.resolved_from.unwrap();
            assert_eq!(from.written, written);
            assert_eq!(from.scheme, VendorScheme::CpuidVendor);
        }
        // A city is a city unless a processor's maker is meant.
        let c = made_by(device(&[]), "Shanghai");
        assert_eq!(c.manufacturer.unwrap().name, "Shanghai");
    }

    #[test]
    fn pci_and_usb_vendor_ids_are_read_on_their_bus() {
        let virtio = [
            ("cdx:hbom:busInfo", "virtio@1"),
            ("cdx:hbom:hardwareClass", "storage"),
        ];
        let m = made_by(device(&virtio), "0x1af4").manufacturer.unwrap();
        assert_eq!(m.name, "Red Hat, Inc.");
        assert_eq!(m.resolved_from.unwrap().scheme, VendorScheme::PciVendorId);
        let usb = [("cdx:hbom:busInfo", "usb@1:2")];
        let m = made_by(device(&usb), "046d").manufacturer.unwrap();
        assert_eq!(m.name, "Logitech, Inc.");
        assert_eq!(m.resolved_from.unwrap().scheme, VendorScheme::UsbVendorId);
        let pci = [("bus", "pci@0000:00:00.0")];
        let m = made_by(device(&pci), "Intel Corporation [8086]")
            .manufacturer
            .unwrap();
        assert_eq!(m.name, "Intel Corporation");
        assert_eq!(m.resolved_from.unwrap().written, "Intel Corporation [8086]");
        // 8086 names Intel in both databases, spelt differently: without a bus, not read.
        let m = made_by(device(&[]), "8086").manufacturer.unwrap();
        assert!(m.resolved_from.is_none());
        // A real name is left alone.
        let m = made_by(device(&usb), "华为").manufacturer.unwrap();
        assert!(m.resolved_from.is_none());
    }

    #[test]
    fn arm_implementer_codes_name_processor_makers() {
        let cpu = [("cdx:hbom:hardwareClass", "processor")];
        assert_eq!(
            made_by(device(&cpu), "0x70").manufacturer.unwrap().name,
            "Phytium Technology Co., Ltd."
        );
        assert_eq!(
            made_by(device(&cpu), "0x48").manufacturer.unwrap().name,
            "HiSilicon Technologies Co., Ltd."
        );
    }

    #[test]
    fn a_pci_device_gets_its_ids_its_maker_and_a_class_from_its_class_code() {
        let mut c = device(&[
            ("cdx:hbom:hardwareClass", "pci-device"),
            ("cdx:hbom:pciClassCode", "0200"),
            ("cdx:hbom:vendorId", "1af4"),
            ("cdx:hbom:productId", "1041"),
            ("cdx:hbom:busInfo", "pci@0000:00:03.0"),
        ]);
        resolve_component(&mut c);
        let class = c.hardware.class.clone().unwrap();
        assert_eq!(class.class, "network-interface");
        assert_eq!(
            class.stated,
            "pci-device (PCI class 0200: Ethernet controller)"
        );
        let ids = c.hardware.bus_ids.clone().unwrap();
        assert_eq!((ids.bus, ids.vendor_id.as_str()), ("pci", "1af4"));
        assert_eq!(ids.vendor, Some("Red Hat, Inc."));
        assert_eq!(ids.device, Some("Virtio 1.0 network device"));
        let m = c.manufacturer.unwrap();
        assert_eq!(m.name, "Red Hat, Inc.");
        assert_eq!(m.resolved_from.unwrap().written, "1af4");
    }

    #[test]
    fn equipment_list_categories_give_classes() {
        for (category, class) in [
            ("CPU", Some("processor")),
            ("服务器CPU", Some("processor")),
            ("网卡", Some("network-interface")),
            ("SAS 硬盘", Some("storage")),
            ("disk", Some("storage")),
            ("核心交换机", None),
        ] {
            let mut c = device(&[("category", category)]);
            resolve_component(&mut c);
            assert_eq!(
                c.hardware.class.as_ref().map(|k| k.class.as_str()),
                class,
                "{category}"
            );
        }
    }
}
