//! Format detection from a file's content, never from its name.

use super::{hardware, Format};
use crate::error::InputError;
use std::path::Path;

/// How much of the start of a file detection looks at.
const SNIFF_LEN: usize = 64 * 1024;

/// Decides which format `bytes` are in.
pub fn detect(path: &Path, bytes: &[u8]) -> Result<Format, InputError> {
    if let Some(text) = utf16_head(bytes) {
        // Excel's "Unicode text" export is UTF-16 with a byte-order mark. Only the hardware
        // parsers decode UTF-16, so the content only chooses between the two of them.
        return match detect(path, text.as_bytes())? {
            Format::HardwareToml => Ok(Format::HardwareToml),
            _ => Ok(Format::HardwareCsv),
        };
    }
    let body = strip_bom(bytes);
    let head = &body[..body.len().min(SNIFF_LEN)];
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::whole_file(
            path,
            "empty file: expected an inventory (CycloneDX, SPDX, Cargo.lock, hardware CSV or TOML)",
        ));
    }
    if looks_binary(head) {
        return Err(InputError::whole_file(
            path,
            "binary file: expected a text inventory (CycloneDX, SPDX, Cargo.lock, hardware CSV or TOML)",
        ));
    }
    let first = head
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace())
        .unwrap_or(b' ');
    match first {
        b'{' => detect_json(path, head),
        b'<' => Ok(Format::CycloneDxXml),
        _ => Ok(detect_text(head)),
    }
}

/// How many bytes of a file [`sniff`] wants to see.
pub const SNIFF_LEN_BYTES: usize = SNIFF_LEN;

/// Decides whether the start of a file found in an inventory folder is an inventory anbao
/// reads, and in which format; `Err` says what it is instead. Stricter than [`detect`], which
/// serves files named on purpose and lets their parser report what is wrong: a folder may also
/// hold notes, exports and spreadsheets, which are listed as not read, never parsed as a broken
/// equipment list.
pub fn sniff(head: &[u8]) -> Result<Format, String> {
    let format = detect(Path::new(""), head).map_err(|e| e.message)?;
    match format {
        Format::CycloneDxXml => {
            let text = String::from_utf8_lossy(&head[..head.len().min(SNIFF_LEN)]);
            if text.contains("cyclonedx.org/schema/bom") || text.contains("<bom") {
                Ok(format)
            } else {
                Err("XML that is not a CycloneDX BOM".into())
            }
        }
        Format::HardwareCsv => {
            hardware::sniff_list(&head_text(head))?;
            Ok(format)
        }
        _ => Ok(format),
    }
}

/// The start of a text file, decoded as the hardware parsers would decode the whole (UTF-16 with
/// a byte-order mark, UTF-8, else GB18030), cut at its last line end so that a character split
/// by the cut is not mistaken for an encoding error.
fn head_text(head: &[u8]) -> String {
    if let Some(text) = utf16_head(head) {
        return text;
    }
    let body = strip_bom(head);
    let body = &body[..body.len().min(SNIFF_LEN)];
    let body = match memchr::memrchr(b'\n', body) {
        Some(end) if body.len() == SNIFF_LEN => &body[..end],
        _ => body,
    };
    match std::str::from_utf8(body) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(body)
            .0
            .into_owned(),
    }
}

/// Skips a UTF-8 byte-order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The start of a file with a UTF-16 byte-order mark, as UTF-8; `None` for any other file.
fn utf16_head(bytes: &[u8]) -> Option<String> {
    let (encoding, bom_len) = encoding_rs::Encoding::for_bom(bytes)?;
    if encoding == encoding_rs::UTF_8 {
        return None;
    }
    let head = &bytes[bom_len..bytes.len().min(SNIFF_LEN)];
    Some(encoding.decode_without_bom_handling(head).0.into_owned())
}

/// NUL bytes or a large share of control characters mean the file is not text in any encoding
/// we read (GB18030 text has no NUL and few control bytes).
fn looks_binary(head: &[u8]) -> bool {
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 10 > head.len()
}

fn detect_json(path: &Path, head: &[u8]) -> Result<Format, InputError> {
    let text = String::from_utf8_lossy(head);
    if text.contains("\"bomFormat\"")
        || text.contains("\"specVersion\"") && !text.contains("@context")
    {
        return Ok(Format::CycloneDxJson);
    }
    if text.contains("\"spdxVersion\"") {
        return Ok(Format::SpdxJson);
    }
    if text.contains("\"@context\"") && text.contains("spdx") {
        return Ok(Format::Spdx3JsonLd);
    }
    // A key may sit beyond the sniffed head in a big document; fall back on the grammar
    // of the top-level keys we do see.
    if text.contains("\"components\"") || text.contains("\"metadata\"") {
        return Ok(Format::CycloneDxJson);
    }
    if text.contains("\"packages\"") && text.contains("\"SPDXID\"") {
        return Ok(Format::SpdxJson);
    }
    Err(InputError::whole_file(
        path,
        "JSON that is neither CycloneDX ('bomFormat'/'specVersion'), SPDX 2 ('spdxVersion') nor SPDX 3 ('@context')",
    ))
}

fn detect_text(head: &[u8]) -> Format {
    let text = String::from_utf8_lossy(head);
    let has_line = |prefix: &str| text.lines().any(|l| l.trim_start().starts_with(prefix));
    if has_line("SPDXVersion:") {
        return Format::SpdxTagValue;
    }
    // A broken `[[package]` header is still a lockfile, to be reported with its line.
    if has_line("[[package") && text.contains("name = ") {
        return Format::CargoLock;
    }
    let hardware_tables = ["[[device]]", "[[设备]]", "[[\"设备\"]]", "[inventory]"];
    if hardware_tables.iter().any(|t| has_line(t)) {
        return Format::HardwareToml;
    }
    Format::HardwareCsv
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &[u8]) -> Result<Format, InputError> {
        detect(Path::new("x"), s)
    }

    #[test]
    fn detects_each_format_from_content() {
        assert_eq!(
            d(br#"{"bomFormat":"CycloneDX","specVersion":"1.6"}"#).unwrap(),
            Format::CycloneDxJson
        );
        assert_eq!(
            d(b"\xEF\xBB\xBF{\"spdxVersion\":\"SPDX-2.3\"}").unwrap(),
            Format::SpdxJson
        );
        assert_eq!(
            d(br#"{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[]}"#)
                .unwrap(),
            Format::Spdx3JsonLd
        );
        assert_eq!(
            d(b"<?xml version=\"1.0\"?><bom/>").unwrap(),
            Format::CycloneDxXml
        );
        assert_eq!(
            d(b"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n").unwrap(),
            Format::SpdxTagValue
        );
        assert_eq!(
            d(b"version = 4\n\n[[package]]\nname = \"a\"\n").unwrap(),
            Format::CargoLock
        );
        assert_eq!(
            d(b"[[device]]\nname = \"x\"\n").unwrap(),
            Format::HardwareToml
        );
        assert_eq!(
            d("设备名称,厂商\nA,B\n".as_bytes()).unwrap(),
            Format::HardwareCsv
        );
        assert_eq!(
            d("[[\"设备\"]]\n\"设备名称\" = \"x\"\n".as_bytes()).unwrap(),
            Format::HardwareToml
        );
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_a_hardware_list() {
        let utf16le = |s: &str| -> Vec<u8> {
            [0xFF, 0xFE]
                .into_iter()
                .chain(s.encode_utf16().flat_map(u16::to_le_bytes))
                .collect()
        };
        assert_eq!(
            d(&utf16le("设备名称\t型号\nA\tB\n")).unwrap(),
            Format::HardwareCsv
        );
        assert_eq!(
            d(&utf16le("[[device]]\nname = \"A\"\n")).unwrap(),
            Format::HardwareToml
        );
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("名称\n".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(d(&be).unwrap(), Format::HardwareCsv);
        assert!(d(&utf16le("  \n"))
            .unwrap_err()
            .message
            .starts_with("empty file"));
    }

    #[test]
    fn empty_and_binary_files_are_refused() {
        assert!(d(b"").unwrap_err().message.starts_with("empty file"));
        assert!(d(b"  \n\t").unwrap_err().message.starts_with("empty file"));
        assert!(d(b"\x7fELF\x02\x01\x01\0\0\0")
            .unwrap_err()
            .message
            .starts_with("binary file"));
        assert!(d(br#"{"hello": 1}"#).is_err());
    }
}
