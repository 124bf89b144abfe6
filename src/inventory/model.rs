//! The one inventory model that every input format lands in.
//!
//! A parser turns one file into a [`Document`]: its components (nested ones flattened, each with
//! its parent), the edges between them by local key, and the document's metadata. Documents are
//! then merged into an [`Inventory`](super::Inventory) with one dependency graph.

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// The input formats anbao reads, always detected from content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
    SpdxTagValue,
    Spdx3JsonLd,
    CargoLock,
    HardwareCsv,
    HardwareToml,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::CycloneDxJson => "CycloneDX JSON",
            Format::CycloneDxXml => "CycloneDX XML",
            Format::SpdxJson => "SPDX JSON",
            Format::SpdxTagValue => "SPDX tag-value",
            Format::Spdx3JsonLd => "SPDX 3 JSON-LD",
            Format::CargoLock => "Cargo.lock",
            Format::HardwareCsv => "hardware CSV",
            Format::HardwareToml => "hardware TOML",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of thing a component is. CycloneDX types, SPDX primary purposes and hardware
/// categories all map here; anything else is kept verbatim in `Other` and reported.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ComponentType {
    Application,
    Framework,
    Library,
    Container,
    Platform,
    OperatingSystem,
    Device,
    DeviceDriver,
    Firmware,
    File,
    MachineLearningModel,
    Data,
    CryptographicAsset,
    /// A CycloneDX service: an API or hosted system the product calls.
    Service,
    Source,
    Archive,
    Install,
    Unspecified,
    Other(String),
}

impl ComponentType {
    /// Reads a CycloneDX `type` or an SPDX primary package purpose (either spelling).
    pub fn parse(s: &str) -> ComponentType {
        // Most files spell the type exactly as the vocabulary does; only others are normalised
        // (which allocates, once per component of a large file otherwise).
        if let Some(known) = ComponentType::exact(s) {
            return known;
        }
        ComponentType::exact(&s.trim().to_ascii_lowercase().replace('_', "-"))
            .unwrap_or_else(|| ComponentType::Other(s.trim().to_string()))
    }

    /// The type `s` names in the normalised (lower-case, hyphenated) spelling, if any.
    fn exact(s: &str) -> Option<ComponentType> {
        Some(match s {
            // SPDX 3 names an application's binary an executable.
            "application" | "executable" => ComponentType::Application,
            "framework" => ComponentType::Framework,
            "library" => ComponentType::Library,
            "container" => ComponentType::Container,
            "platform" => ComponentType::Platform,
            "operating-system" | "operatingsystem" => ComponentType::OperatingSystem,
            "device" => ComponentType::Device,
            "device-driver" | "devicedriver" => ComponentType::DeviceDriver,
            "firmware" => ComponentType::Firmware,
            "file" => ComponentType::File,
            "machine-learning-model" | "model" => ComponentType::MachineLearningModel,
            "data" | "configuration" => ComponentType::Data,
            "cryptographic-asset" => ComponentType::CryptographicAsset,
            "service" => ComponentType::Service,
            "source" => ComponentType::Source,
            "archive" => ComponentType::Archive,
            "install" => ComponentType::Install,
            "" | "other" | "unspecified" => ComponentType::Unspecified,
            _ => return None,
        })
    }

    pub fn as_str(&self) -> &str {
        match self {
            ComponentType::Application => "application",
            ComponentType::Framework => "framework",
            ComponentType::Library => "library",
            ComponentType::Container => "container",
            ComponentType::Platform => "platform",
            ComponentType::OperatingSystem => "operating-system",
            ComponentType::Device => "device",
            ComponentType::DeviceDriver => "device-driver",
            ComponentType::Firmware => "firmware",
            ComponentType::File => "file",
            ComponentType::MachineLearningModel => "machine-learning-model",
            ComponentType::Data => "data",
            ComponentType::CryptographicAsset => "cryptographic-asset",
            ComponentType::Service => "service",
            ComponentType::Source => "source",
            ComponentType::Archive => "archive",
            ComponentType::Install => "install",
            ComponentType::Unspecified => "unspecified",
            ComponentType::Other(s) => s,
        }
    }

    pub fn is_known(&self) -> bool {
        !matches!(self, ComponentType::Other(_))
    }
}

impl Serialize for ComponentType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// An organisation or person: a supplier, manufacturer, author or publisher.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Party {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Country of origin or registration, as given (ISO code or a name such as 中国).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Where the file named the party by an id (`GenuineIntel`, PCI vendor `0x1af4`) and
    /// `name` is what the id stands for: what was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_from: Option<Box<NameSource>>,
}

/// What a file wrote where anbao resolved a maker's name from an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameSource {
    pub written: String,
    pub scheme: VendorScheme,
}

/// The kind of id a maker was named by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VendorScheme {
    /// The 12-character vendor string of x86 `CPUID` leaf 0.
    CpuidVendor,
    /// The implementer code of an Arm processor's MIDR register.
    ArmImplementer,
    /// A PCI vendor id (pci.ids).
    PciVendorId,
    /// A USB vendor id (usb.ids).
    UsbVendorId,
}

impl VendorScheme {
    pub fn as_str(self) -> &'static str {
        match self {
            VendorScheme::CpuidVendor => "CPUID",
            VendorScheme::ArmImplementer => "Arm MIDR",
            VendorScheme::PciVendorId => "PCI",
            VendorScheme::UsbVendorId => "USB",
        }
    }
}

impl Party {
    pub fn named(name: impl Into<String>) -> Party {
        Party {
            name: name.into(),
            ..Party::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hash {
    /// Algorithm as the source spells it, normalised to upper case (`SHA-256`, `SHA1`, `MD5`).
    pub alg: String,
    pub value: String,
}

/// Whether a licence statement was declared by the author or concluded by whoever made the SBOM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LicenseRole {
    Declared,
    Concluded,
    /// The source does not say (CycloneDX before 1.6 has no acknowledgement field).
    Unstated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum LicenseValue {
    /// An SPDX licence identifier.
    Id(String),
    /// A free-text licence name that is not an SPDX identifier.
    Name(String),
    /// An SPDX licence expression (`MIT OR Apache-2.0`).
    Expression(String),
}

impl LicenseValue {
    /// The licence as written, whichever kind it is.
    pub fn text(&self) -> &str {
        match self {
            LicenseValue::Id(s) | LicenseValue::Name(s) | LicenseValue::Expression(s) => s,
        }
    }
}

impl LicenseRole {
    /// Whether the source says who made the statement (declared or concluded).
    pub fn is_stated(self) -> bool {
        self != LicenseRole::Unstated
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct License {
    pub role: LicenseRole,
    #[serde(flatten)]
    pub value: LicenseValue,
}

/// A typed external reference (`vcs`, `website`, `distribution`, SPDX `downloadLocation` ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalRef {
    pub kind: String,
    pub url: String,
}

/// Where a package came from, for lockfiles that say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    Registry,
    Git,
    Path,
}

/// Facts kept by hardware inventories (and CycloneDX `cdx:device:*` properties where present).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HardwareInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firmware: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub serial_numbers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u64>,
    /// Country of origin (产地) of the device itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_of_origin: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<Certificate>,
    /// The device's class, resolved from what the file states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<super::device::HardwareClass>,
    /// PCI or USB vendor and device ids, with their names from the id databases.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bus_ids: Option<Box<super::device::BusIds>>,
}

impl HardwareInfo {
    pub fn is_empty(&self) -> bool {
        *self == HardwareInfo::default()
    }
}

/// A component's [`HardwareInfo`], taking one pointer until something is set: most components
/// are software, and an inline `HardwareInfo` was 136 of every component's bytes. Reading
/// sees an empty `HardwareInfo` when nothing is set; the first write through `DerefMut`
/// allocates one. Compares, prints and serialises exactly as the `HardwareInfo` it holds.
#[derive(Clone, Default)]
pub struct Hardware(Option<Box<HardwareInfo>>);

static NO_HARDWARE: HardwareInfo = HardwareInfo {
    model: None,
    firmware: None,
    serial_numbers: Vec::new(),
    quantity: None,
    country_of_origin: None,
    certificates: Vec::new(),
    class: None,
    bus_ids: None,
};

impl std::ops::Deref for Hardware {
    type Target = HardwareInfo;
    fn deref(&self) -> &HardwareInfo {
        self.0.as_deref().unwrap_or(&NO_HARDWARE)
    }
}

impl std::ops::DerefMut for Hardware {
    fn deref_mut(&mut self) -> &mut HardwareInfo {
        self.0.get_or_insert_with(Box::default)
    }
}

impl From<HardwareInfo> for Hardware {
    fn from(info: HardwareInfo) -> Hardware {
        Hardware((!info.is_empty()).then(|| Box::new(info)))
    }
}

impl PartialEq for Hardware {
    fn eq(&self, other: &Hardware) -> bool {
        **self == **other
    }
}

impl Eq for Hardware {}

impl fmt::Debug for Hardware {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl Serialize for Hardware {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

/// A certificate or approval held by a product (e.g. a security-product sales licence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Certificate {
    pub number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<chrono::NaiveDate>,
}

/// One software or hardware component, whatever format it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// The key edges use inside its document: bom-ref, SPDXID, lockfile id or a generated one.
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
    #[serde(rename = "type")]
    pub kind: ComponentType,
    /// The type is anbao's default for the format, not stated by the file (a Cargo.lock
    /// package is a library): such a type never disagrees with a stated one.
    #[serde(rename = "type_inferred", skip_serializing_if = "is_false")]
    pub kind_inferred: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    /// SWID tag id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub swid: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<Hash>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<License>,
    // The parties are boxed: an inline `Party` is 96 bytes, and most components name at most
    // a supplier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<Box<Party>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<Box<Party>>,
    /// SPDX originator: who first made the package, when not the supplier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub originator: Option<Box<Party>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Party>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external_refs: Vec<ExternalRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_kind: Option<SourceKind>,
    /// Name-value properties in document order (`cdx:device:quantity`, a `category` column ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<(String, String)>,
    #[serde(skip_serializing_if = "HardwareInfo::is_empty")]
    pub hardware: Hardware,
    /// Key of the enclosing component for nested components.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Where in its file the component is described (JSON pointer, line:column or line).
    pub location: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Component {
    /// A component with only a key, a type and a name; parsers fill in the rest.
    pub fn new(key: impl Into<String>, kind: ComponentType, name: impl Into<String>) -> Component {
        Component {
            key: key.into(),
            bom_ref: None,
            kind,
            kind_inferred: false,
            group: None,
            name: name.into(),
            version: None,
            description: None,
            purl: None,
            cpe: None,
            swid: None,
            hashes: Vec::new(),
            licenses: Vec::new(),
            supplier: None,
            manufacturer: None,
            originator: None,
            authors: Vec::new(),
            publisher: None,
            scope: None,
            external_refs: Vec::new(),
            source_kind: None,
            properties: Vec::new(),
            hardware: Hardware::default(),
            parent: None,
            location: String::new(),
        }
    }

    /// `group/name` where there is a group, else the name.
    pub fn full_name(&self) -> String {
        match &self.group {
            Some(g) if !g.is_empty() => format!("{g}/{}", self.name),
            _ => self.name.clone(),
        }
    }

    /// `name@version`, the way people write a component in one word.
    pub fn display_id(&self) -> String {
        match &self.version {
            Some(v) => format!("{}@{v}", self.full_name()),
            None => self.full_name(),
        }
    }

    /// Whether `text` is this component's [`full_name`](Self::full_name), without building it:
    /// queries compare against every component of an inventory.
    pub fn full_name_is(&self, text: &str) -> bool {
        match &self.group {
            Some(g) if !g.is_empty() => text
                .strip_prefix(g.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|name| name == self.name),
            _ => text == self.name,
        }
    }

    /// Whether `text` is this component's [`display_id`](Self::display_id), without building it.
    pub fn display_id_is(&self, text: &str) -> bool {
        match &self.version {
            Some(v) => text
                .strip_suffix(v.as_str())
                .and_then(|rest| rest.strip_suffix('@'))
                .is_some_and(|full| self.full_name_is(full)),
            None => self.full_name_is(text),
        }
    }

    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The supplier's name, or failing that the manufacturer's.
    pub fn supplier_or_manufacturer(&self) -> Option<&str> {
        self.supplier
            .as_ref()
            .or(self.manufacturer.as_ref())
            .map(|p| p.name.as_str())
    }
}

/// How one component includes another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// Runtime or build dependency.
    DependsOn,
    /// Physical or logical containment: nested CycloneDX components, SPDX CONTAINS.
    Contains,
}

/// An edge between two components of one document, by local key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// Where the edge is stated, for findings about it.
    pub location: String,
}

/// Document-level facts: who made the inventory, when, with what, and about which product.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DocumentMeta {
    /// Format-specific version, e.g. `1.6` for CycloneDX, `SPDX-2.3`, lockfile `v4`.
    pub spec_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Party>,
    /// Keys of the product(s) the document describes: the CycloneDX metadata component, SPDX
    /// DESCRIBES targets or root elements, the workspace members of a lockfile.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roots: Vec<String>,
}

/// One parsed inventory file.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub path: PathBuf,
    pub format: Format,
    pub meta: DocumentMeta,
    pub components: Vec<Component>,
    pub edges: Vec<Edge>,
    /// Problems found while reading that did not stop the reading.
    pub findings: Vec<super::Finding>,
}

impl Document {
    pub fn new(path: impl Into<PathBuf>, format: Format) -> Document {
        Document {
            path: path.into(),
            format,
            meta: DocumentMeta::default(),
            components: Vec::new(),
            edges: Vec::new(),
            findings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_types_read_both_cyclonedx_and_spdx_spellings() {
        assert_eq!(
            ComponentType::parse("operating-system"),
            ComponentType::OperatingSystem
        );
        assert_eq!(
            ComponentType::parse("OPERATING_SYSTEM"),
            ComponentType::OperatingSystem
        );
        assert_eq!(
            ComponentType::parse("OPERATING-SYSTEM"),
            ComponentType::OperatingSystem
        );
        assert_eq!(
            ComponentType::parse("device-driver"),
            ComponentType::DeviceDriver
        );
        assert_eq!(
            ComponentType::parse("gizmo"),
            ComponentType::Other("gizmo".into())
        );
        assert!(!ComponentType::parse("gizmo").is_known());
    }

    #[test]
    fn name_comparisons_agree_with_the_built_names() {
        let queries = [
            "",
            "serde",
            "serde@1.0",
            "org.example/serde",
            "org.example/serde@1.0",
            "serde@",
            "org.example/serde@",
            "org.example@1.0",
            "/serde",
            "org.example/",
            "@1.0",
        ];
        for group in [None, Some(""), Some("org.example")] {
            for version in [None, Some(""), Some("1.0")] {
                let mut c = Component::new("k", ComponentType::Library, "serde");
                c.group = group.map(String::from);
                c.version = version.map(String::from);
                for q in queries {
                    assert_eq!(
                        c.full_name_is(q),
                        c.full_name() == q,
                        "{group:?} {version:?} {q}"
                    );
                    assert_eq!(
                        c.display_id_is(q),
                        c.display_id() == q,
                        "{group:?} {version:?} {q}"
                    );
                }
            }
        }
    }

    #[test]
    fn display_id_joins_group_name_and_version() {
        let mut c = Component::new("k", ComponentType::Library, "serde");
        assert_eq!(c.display_id(), "serde");
        c.group = Some("org.example".into());
        c.version = Some("1.0".into());
        assert_eq!(c.display_id(), "org.example/serde@1.0");
    }
}
