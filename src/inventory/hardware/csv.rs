//! Hardware inventories as CSV, the way Excel exports an equipment list (设备清单).
//!
//! The delimiter (comma, tab or semicolon) is sniffed from the first line that has one. The
//! header is the first row with a device-name column; rows before it with at most one filled
//! cell are the title lines Excel sheets often start with (`XX项目硬件设备清单,,,`) and are
//! skipped. Every row after the header must have as many fields as the header (the csv crate's
//! own check is off only because title lines may be narrower); fully empty rows and total rows
//! (合计, 总计, 小计) are skipped. The line number of a row is its location and, without an asset
//! number, its key `row-LINE`.

use super::{decode, roles, Draft, Field, Role};
use crate::error::{InputError, Location};
use crate::i18n::Bilingual;
use crate::inventory::{Code, Component, Document, Finding, Format};
use std::path::Path;

/// Parses a CSV hardware inventory.
pub fn parse_csv(path: &Path, bytes: &[u8]) -> Result<Document, InputError> {
    let text = decode(path, bytes)?;
    // The csv crate numbers the rows after a CRLF line end one line too low; as LF alone they
    // are numbered right, and nothing else changes (line breaks inside cells become LF).
    let text = if text.contains("\r\n") {
        text.replace("\r\n", "\n").into()
    } else {
        text
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(&text))
        .has_headers(false)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut doc = Document::new(path, Format::HardwareCsv);
    doc.meta.spec_version = "hardware-csv".to_string();
    let mut header: Option<Header> = None;
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        let line = usize::try_from(line).unwrap_or(usize::MAX);
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        let filled = cells.iter().filter(|c| !c.is_empty()).count();
        if filled == 0 {
            continue;
        }
        match &mut header {
            Some(h) if cells.len() != h.columns.len() => {
                return Err(InputError::new(
                    path,
                    Location::Line(line),
                    format!(
                        "this row has {} fields but the header on line {} has {}: a stray \
                         delimiter, or a cell with a delimiter in it that is not in double quotes?",
                        cells.len(),
                        h.line,
                        h.columns.len()
                    ),
                ));
            }
            Some(h) => {
                if let Some(c) = h.device(path, line, &cells, &mut doc.findings)? {
                    doc.components.push(c);
                }
            }
            None => {
                if labels_name(&cells) {
                    header = Some(Header::new(path, line, &cells, &mut doc.findings));
                } else if filled > 1 {
                    return Err(InputError::new(
                        path,
                        Location::Line(line),
                        format!(
                            "the header has no device-name column (设备名称, 名称 or name); it reads: {}",
                            crate::error::excerpt(&cells.join(" | "), 200)
                        ),
                    ));
                }
            }
        }
    }
    match header {
        Some(h) => {
            h.report_unnamed(path, &mut doc.findings);
            Ok(doc)
        }
        None => Err(InputError::whole_file(
            path,
            "no header line with a device-name column (设备名称, 名称 or name)",
        )),
    }
}

/// Whether a row is the header: one of its cells names the device-name column.
fn labels_name(cells: &[&str]) -> bool {
    cells
        .iter()
        .any(|c| Field::from_label(c) == Some(Field::Name))
}

/// Whether the start of a text reads as an equipment list by the rule [`parse_csv`] follows: a
/// header row naming the device-name column comes before any other row with more than one
/// filled cell. `Err` says what the first such row holds instead, or that there is none; a file
/// found in an inventory folder is then listed as not an inventory rather than read.
pub fn sniff_list(text: &str) -> Result<(), String> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .has_headers(false)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    for record in reader.records().take(200) {
        let Ok(record) = record else { break };
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if labels_name(&cells) {
            return Ok(());
        }
        if cells.iter().filter(|c| !c.is_empty()).count() > 1 {
            let mut first = cells.join(" | ");
            if let Some((cut, _)) = first.char_indices().nth(80) {
                first.truncate(cut);
                first.push('…');
            }
            return Err(format!(
                "text with no device-name column (设备名称, 名称 or name) in its first table row: {first}"
            ));
        }
    }
    Err("text that is neither an SBOM, a lockfile nor an equipment list".into())
}

/// The delimiter of the first line that has any of comma, tab or semicolon outside quotes:
/// whichever it has most of, tab first on a tie (a tab in a header is never an accident).
fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [char; 3] = ['\t', ',', ';'];
    for line in text.lines().take(50) {
        let mut counts = [0usize; 3];
        let mut quoted = false;
        for c in line.chars() {
            if c == '"' {
                quoted = !quoted;
            } else if !quoted {
                if let Some(i) = CANDIDATES.iter().position(|&d| d == c) {
                    counts[i] += 1;
                }
            }
        }
        let most = counts.iter().copied().max().unwrap_or(0);
        if most > 0 {
            let i = counts.iter().position(|&n| n == most).unwrap_or(1);
            return CANDIDATES[i] as u8;
        }
    }
    b','
}

/// Turns a CSV reading error into an input error on its line. With text already decoded and
/// flexible rows there is little left to go wrong, but whatever does is named, not unwrapped.
fn csv_error(path: &Path, e: &::csv::Error) -> InputError {
    let location = e
        .position()
        .and_then(|p| usize::try_from(p.line()).ok())
        .map_or(Location::File, Location::Line);
    InputError::new(path, location, format!("cannot read CSV: {e}"))
}

/// One column of the header.
struct Column {
    /// The header text, or `column N` if the header cell is empty.
    label: String,
    role: Role,
    /// The first line with a value in a column whose header is empty, for the finding.
    unnamed_value_at: Option<usize>,
    has_label: bool,
}

/// The header line: what each column means.
struct Header {
    /// The line the header is on.
    line: usize,
    columns: Vec<Column>,
    /// Index of the device-name column.
    name: usize,
}

impl Header {
    /// Reads the header on `line`, reporting the columns anbao does not know or reads only once.
    fn new(path: &Path, line: usize, cells: &[&str], findings: &mut Vec<Finding>) -> Header {
        let roles = roles(cells.iter().copied());
        let mut columns = Vec::with_capacity(cells.len());
        for (i, (cell, role)) in cells.iter().zip(roles).enumerate() {
            let has_label = !cell.is_empty();
            let label = if has_label {
                cell.to_string()
            } else {
                format!("column {}", i + 1)
            };
            let message = match &role {
                Role::Repeat(first) => Some(Bilingual::format(
                    format_args!(
                        "第 {} 列 '{cell}' 与第 {} 列 '{}' 含义相同，读取的是后者；本列的值保留为名为 \
                         '{cell}' 的属性",
                        i + 1,
                        first + 1,
                        cells[*first]
                    ),
                    format_args!(
                        "column {} '{cell}' means the same as column {} '{}', which is the one read; \
                         its values are kept as properties named '{cell}'",
                        i + 1,
                        first + 1,
                        cells[*first]
                    ),
                )),
                Role::Unknown if has_label => Some(Bilingual::format(
                    format_args!(
                        "第 {} 列 '{cell}' 不是 anbao 认识的硬件清单列；其值保留为名为 '{cell}' 的属性",
                        i + 1
                    ),
                    format_args!(
                        "column {} '{cell}' is not a hardware-inventory column anbao knows; its \
                         values are kept as properties named '{cell}'",
                        i + 1
                    ),
                )),
                _ => None,
            };
            if let Some(message) = message {
                findings.push(Finding::new(
                    Code::UnknownColumn,
                    path,
                    line.to_string(),
                    message,
                ));
            }
            columns.push(Column {
                label,
                role,
                unnamed_value_at: None,
                has_label,
            });
        }
        let name = columns
            .iter()
            .position(|c| c.role == Role::Field(Field::Name))
            .unwrap_or(0);
        Header {
            line,
            columns,
            name,
        }
    }

    /// The device on `line`, or `None` for a total row.
    fn device(
        &mut self,
        path: &Path,
        line: usize,
        cells: &[&str],
        findings: &mut Vec<Finding>,
    ) -> Result<Option<Component>, InputError> {
        let name = cells.get(self.name).copied().unwrap_or("");
        let is_total = |c: &&str| {
            matches!(
                c.to_lowercase().as_str(),
                "合计" | "总计" | "小计" | "total" | "subtotal"
            )
        };
        if cells.iter().any(is_total) && (name.is_empty() || is_total(&name)) {
            return Ok(None);
        }
        if name.is_empty() {
            return Err(InputError::new(
                path,
                Location::Line(line),
                format!(
                    "the device name (column {} '{}') is empty; every row needs one (unmerge merged \
                     cells in Excel before exporting)",
                    self.name + 1,
                    self.columns[self.name].label
                ),
            ));
        }
        let at = line.to_string();
        let mut draft = Draft::new(at.clone());
        for (column, cell) in self.columns.iter_mut().zip(cells) {
            if cell.is_empty() {
                continue;
            }
            match column.role {
                Role::Field(field) => draft.set(field, &column.label, cell, &at),
                Role::Unknown | Role::Repeat(_) => {
                    draft.property(&column.label, cell);
                    if !column.has_label && column.unnamed_value_at.is_none() {
                        column.unnamed_value_at = Some(line);
                    }
                }
            }
        }
        Ok(draft.finish(format!("row-{line}"), path, findings))
    }

    /// Reports columns with no header that nevertheless hold values; empty trailing columns,
    /// which Excel exports readily, say nothing.
    fn report_unnamed(&self, path: &Path, findings: &mut Vec<Finding>) {
        for (i, column) in self.columns.iter().enumerate() {
            if let Some(line) = column.unnamed_value_at {
                findings.push(Finding::new(
                    Code::UnknownColumn,
                    path,
                    line.to_string(),
                    Bilingual::format(
                        format_args!(
                            "第 {} 列没有表头却有值（首次出现在此行）；这些值保留为名为 '{}' 的属性",
                            i + 1,
                            column.label
                        ),
                        format_args!(
                            "{} has no header but holds values, first on this line; they are kept \
                             as properties named '{}'",
                            column.label, column.label
                        ),
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::ComponentType;
    use chrono::NaiveDate;

    fn parse(text: &str) -> Result<Document, InputError> {
        parse_csv(Path::new("hw.csv"), text.as_bytes())
    }

    const CHINESE: &str = "\
序号,设备名称,类别,厂商,型号,固件版本,序列号,数量,产地,供应商,证书编号,证书有效期,备注
1,核心交换机,网络设备,华为技术有限公司,CloudEngine S12708,V200R022C00,2102351;2102352,2,中国,某某集成公司,XKZ-2023-001,2027年6月30日,机房A
2,服务器BMC,固件,中科曙光,,3.1.2,,1,中国,,,,
";

    #[test]
    fn chinese_headers_map_every_field() {
        let doc = parse(CHINESE).unwrap();
        assert_eq!(doc.format, Format::HardwareCsv);
        assert_eq!(doc.meta.spec_version, "hardware-csv");
        assert!(doc.meta.roots.is_empty());
        assert!(doc.findings.is_empty(), "{:?}", doc.findings);
        assert_eq!(doc.components.len(), 2);
        let c = &doc.components[0];
        assert_eq!(c.key, "row-2");
        assert_eq!(c.location, "2");
        assert_eq!(c.name, "核心交换机");
        assert_eq!(c.kind, ComponentType::Device);
        assert_eq!(c.version.as_deref(), Some("CloudEngine S12708"));
        assert_eq!(c.hardware.firmware.as_deref(), Some("V200R022C00"));
        assert_eq!(c.hardware.serial_numbers, ["2102351", "2102352"]);
        assert_eq!(c.hardware.quantity, Some(2));
        assert_eq!(
            c.manufacturer.as_ref().unwrap().country.as_deref(),
            Some("中国")
        );
        assert_eq!(c.supplier.as_ref().unwrap().name, "某某集成公司");
        assert_eq!(c.hardware.certificates[0].number, "XKZ-2023-001");
        assert_eq!(
            c.hardware.certificates[0].valid_until,
            NaiveDate::from_ymd_opt(2027, 6, 30)
        );
        assert_eq!(c.description.as_deref(), Some("机房A"));
        assert_eq!(c.property("sequence"), Some("1"));
        assert_eq!(c.property("category"), Some("网络设备"));
        let bmc = &doc.components[1];
        assert_eq!(bmc.kind, ComponentType::Firmware);
        assert_eq!(bmc.version.as_deref(), Some("3.1.2"));
        assert_eq!(bmc.key, "row-3");
    }

    #[test]
    fn english_headers_any_case_with_asset_numbers_as_keys() {
        let doc = parse(
            "Asset No.,Device,TYPE,Vendor,Model,Serial Number,Qty,Country of Origin,Purpose,Location,PURL,CPE\n\
             ZC-001,Catalyst 9300,Switch,Cisco,C9300-48T,FOC1;FOC2,2,美国,接入,机房B,pkg:generic/cisco/c9300,cpe:2.3:h:cisco:c9300:-:*:*:*:*:*:*:*\n",
        )
        .unwrap();
        assert!(doc.findings.is_empty(), "{:?}", doc.findings);
        let c = &doc.components[0];
        assert_eq!(c.key, "ZC-001");
        assert_eq!(c.bom_ref.as_deref(), Some("ZC-001"));
        assert_eq!(
            c.manufacturer.as_ref().unwrap().country.as_deref(),
            Some("美国")
        );
        assert_eq!(c.hardware.country_of_origin.as_deref(), Some("美国"));
        assert_eq!(c.property("purpose"), Some("接入"));
        assert_eq!(c.property("location"), Some("机房B"));
        assert_eq!(c.purl.as_deref(), Some("pkg:generic/cisco/c9300"));
        assert!(c.cpe.is_some());
    }

    #[test]
    fn tab_and_semicolon_delimiters_are_sniffed() {
        let doc = parse("名称\t型号\t序列号\nS6850\tS6850-56HF\tA, B\n").unwrap();
        assert_eq!(doc.components[0].hardware.serial_numbers, ["A", "B"]);
        let doc = parse("name;model;notes\nS6850;S6850-56HF;a, b\n").unwrap();
        assert_eq!(doc.components[0].description.as_deref(), Some("a, b"));
        assert_eq!(sniff_delimiter("标题\n\"a,b\";c;d\n"), b';');
        assert_eq!(sniff_delimiter("x"), b',');
    }

    #[test]
    fn a_row_with_the_wrong_field_count_is_an_error_on_its_line() {
        let err = parse("名称,型号\nA,1\nB,2,3\n").unwrap_err();
        assert_eq!(err.location, Location::Line(3));
        let err = parse("名称,型号\r\nA,1\r\nB,2,3\r\n").unwrap_err();
        assert_eq!(err.location, Location::Line(3));
        assert!(
            err.message.contains("3 fields") && err.message.contains("header on line 1 has 2"),
            "{}",
            err.message
        );
        let err = parse("名称,型号\nA\n").unwrap_err();
        assert_eq!(err.location, Location::Line(2));
        assert!(err.message.contains("1 fields"), "{}", err.message);
    }

    #[test]
    fn unknown_columns_are_reported_once_and_kept() {
        let doc = parse("名称,单价（元）,型号\nA,1000,X\nB,,Y\n").unwrap();
        assert_eq!(doc.findings.len(), 1);
        let f = &doc.findings[0];
        assert_eq!((f.code, f.location.as_str()), (Code::UnknownColumn, "1"));
        assert!(
            f.message.en().contains("column 2 '单价（元）'"),
            "{:?}",
            f.message
        );
        assert!(
            f.message.zh().contains("第 2 列 '单价（元）'"),
            "{:?}",
            f.message
        );
        assert_eq!(doc.components[0].property("单价（元）"), Some("1000"));
        assert_eq!(doc.components[1].property("单价（元）"), None);
    }

    #[test]
    fn a_repeated_column_is_reported_and_kept() {
        let doc = parse("产品名称,设备名称\nA,B\n").unwrap();
        assert_eq!(doc.components[0].name, "A");
        assert_eq!(doc.components[0].property("设备名称"), Some("B"));
        assert!(
            doc.findings[0].message.en().contains("same as column 1")
                && doc.findings[0]
                    .message
                    .zh()
                    .contains("与第 1 列 '产品名称' 含义相同"),
            "{:?}",
            doc.findings[0].message
        );
    }

    #[test]
    fn unnamed_columns_are_reported_only_when_they_hold_values() {
        let doc = parse("名称,型号,\nA,X,\nB,Y,\n").unwrap();
        assert!(doc.findings.is_empty());
        let doc = parse("名称,型号,\nA,X,\nB,Y,备用\n").unwrap();
        assert_eq!(doc.findings.len(), 1);
        assert_eq!(doc.findings[0].location, "3");
        assert_eq!(doc.components[1].property("column 3"), Some("备用"));
    }

    #[test]
    fn missing_name_column_is_an_error() {
        let err = parse("型号,序列号\nS6850,1\n").unwrap_err();
        assert_eq!(err.location, Location::Line(1));
        assert!(
            err.message.contains("device-name column"),
            "{}",
            err.message
        );
        assert!(parse("just a title\n").is_err());
    }

    #[test]
    fn an_empty_name_is_an_error_on_its_line() {
        let err = parse("名称,型号\nA,1\n,2\n").unwrap_err();
        assert_eq!(err.location, Location::Line(3));
    }

    #[test]
    fn title_lines_empty_rows_and_total_rows_are_skipped() {
        let doc = parse(
            "XX市政务云项目硬件设备清单,,\n,,\n序号,设备名称,数量\n1,防火墙,2\n,,\n合计,,2\n",
        )
        .unwrap();
        assert_eq!(doc.components.len(), 1);
        assert_eq!(doc.components[0].key, "row-4");
        // A title typed by hand has no trailing delimiters to match the header's width.
        let doc = parse("XX市政务云项目硬件设备清单\n设备名称,数量\n防火墙,2\n").unwrap();
        assert_eq!(doc.components[0].key, "row-3");
    }

    #[test]
    fn quoted_multi_line_cells_keep_the_row_line() {
        let doc = parse("名称,序列号\n服务器,\"SN1\nSN2\"\n防火墙,SN3\n").unwrap();
        assert_eq!(doc.components[0].hardware.serial_numbers, ["SN1", "SN2"]);
        assert_eq!(doc.components[1].location, "4");
    }

    #[test]
    fn bad_quantities_and_dates_are_findings_on_the_row() {
        let doc = parse("名称,数量,证书编号,有效期至\n防火墙,两台,XKZ-1,2027/13/01\n").unwrap();
        assert_eq!(doc.findings.len(), 2);
        assert!(doc
            .findings
            .iter()
            .all(|f| f.code == Code::UnreadableValue && f.location == "2"));
        let c = &doc.components[0];
        assert_eq!(c.property("quantity"), Some("两台"));
        assert_eq!(c.hardware.certificates[0].valid_until, None);
    }

    #[test]
    fn gb18030_bom_and_utf16_inputs_read_the_same() {
        let (gbk, _, _) = encoding_rs::GB18030.encode(CHINESE);
        let from_gbk = parse_csv(Path::new("hw.csv"), &gbk).unwrap();
        let utf8 = parse(CHINESE).unwrap();
        assert_eq!(from_gbk.components, utf8.components);
        let bom = [b"\xEF\xBB\xBF".as_slice(), CHINESE.as_bytes()].concat();
        assert_eq!(
            parse_csv(Path::new("hw.csv"), &bom).unwrap().components,
            utf8.components
        );
        let tabbed = CHINESE.replace(',', "\t").replace('\n', "\r\n");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(tabbed.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            parse_csv(Path::new("hw.csv"), &utf16).unwrap().components,
            utf8.components
        );
    }
}
