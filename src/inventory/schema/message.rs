//! Schema violations in words, in Chinese and English: one sentence per JSON Schema keyword,
//! and per XSD validation rule a Chinese summary beside libxml2's English detail.

use crate::i18n::Bilingual;
use jsonschema::error::ValidationErrorKind as Kind;
use jsonschema::ValidationError;
use serde_json::Value;

/// Longest rendering of a value or a list of options inside a message.
const PREVIEW: usize = 80;

/// A JSON Schema error in both languages.
pub(super) fn json(error: &ValidationError<'_>) -> Bilingual {
    let value = || preview(error.instance());
    match error.kind() {
        Kind::Required { property } => Bilingual::format(
            format_args!("缺少必需的属性 {property}"),
            format_args!("required property {property} is missing"),
        ),
        Kind::AdditionalProperties { unexpected } | Kind::UnevaluatedProperties { unexpected } => {
            let list = quoted(unexpected);
            Bilingual::format(
                format_args!("模式不允许此处出现属性 {list}"),
                format_args!("the schema allows no property {list} here"),
            )
        }
        Kind::Type { kind } => {
            let expected = match kind {
                jsonschema::error::TypeKind::Single(t) => t.to_string(),
                jsonschema::error::TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" | "),
            };
            Bilingual::format(
                format_args!("{} 的类型不对，应为 {expected}", value()),
                format_args!("{} is not of type {expected}", value()),
            )
        }
        Kind::Enum { options } => {
            let options = preview(options);
            Bilingual::format(
                format_args!("{} 不是允许的取值之一：{options}", value()),
                format_args!("{} is not one of the allowed values {options}", value()),
            )
        }
        Kind::Constant { expected_value } => Bilingual::format(
            format_args!("值应为 {}，而不是 {}", preview(expected_value), value()),
            format_args!("expected {}, found {}", preview(expected_value), value()),
        ),
        Kind::Pattern { pattern } => Bilingual::format(
            format_args!("{} 不符合模式要求的格式 {pattern}", value()),
            format_args!("{} does not match the pattern {pattern}", value()),
        ),
        Kind::Format { format } => Bilingual::format(
            format_args!("{} 不是有效的 {format}", value()),
            format_args!("{} is not a valid {format}", value()),
        ),
        Kind::MinLength { limit } => Bilingual::format(
            format_args!("{} 太短，至少应有 {limit} 个字符", value()),
            format_args!("{} is shorter than {limit} characters", value()),
        ),
        Kind::MaxLength { limit } => Bilingual::format(
            format_args!("{} 太长，至多 {limit} 个字符", value()),
            format_args!("{} is longer than {limit} characters", value()),
        ),
        Kind::MinItems { limit } => Bilingual::format(
            format_args!("至少应有 {limit} 项"),
            format_args!("needs at least {limit} item(s)"),
        ),
        Kind::MaxItems { limit } => Bilingual::format(
            format_args!("至多允许 {limit} 项"),
            format_args!("allows at most {limit} item(s)"),
        ),
        Kind::Minimum { limit } | Kind::ExclusiveMinimum { limit } => Bilingual::format(
            format_args!("{} 小于下限 {limit}", value()),
            format_args!("{} is below the minimum {limit}", value()),
        ),
        Kind::Maximum { limit } | Kind::ExclusiveMaximum { limit } => Bilingual::format(
            format_args!("{} 大于上限 {limit}", value()),
            format_args!("{} is above the maximum {limit}", value()),
        ),
        Kind::UniqueItems => Bilingual::new(
            "数组中有重复的项，模式要求各项不同",
            "the array holds the same item twice; the schema requires unique items",
        ),
        Kind::FalseSchema => Bilingual::new("此处不允许出现任何值", "no value is allowed here"),
        Kind::AnyOf { context } | Kind::OneOfNotValid { context } => {
            let keyword = error.kind().keyword();
            match closest(context) {
                Some(nearest) => Bilingual::format(
                    format_args!(
                        "不符合 {keyword} 列出的任何一种形式；最接近的一种：{}",
                        nearest.zh()
                    ),
                    format_args!(
                        "matches none of the forms {keyword} allows; the closest: {}",
                        nearest.en()
                    ),
                ),
                None => Bilingual::format(
                    format_args!("不符合 {keyword} 列出的任何一种形式"),
                    format_args!("matches none of the forms {keyword} allows"),
                ),
            }
        }
        Kind::OneOfMultipleValid { .. } => Bilingual::new(
            "同时符合 oneOf 列出的多种形式，但只能符合其中一种",
            "matches more than one of the forms oneOf allows, where exactly one must match",
        ),
        Kind::Not { .. } => Bilingual::new(
            "符合了模式用 not 禁止的形式",
            "matches a form the schema forbids with not",
        ),
        other => {
            let en = error.to_string();
            Bilingual::format(
                format_args!("不符合模式规则 {}：{en}", other.keyword()),
                format_args!("{en}"),
            )
        }
    }
}

/// The first problem of the alternative that failed least, located below the value.
fn closest(alternatives: &[Vec<ValidationError<'static>>]) -> Option<Bilingual> {
    let best = alternatives
        .iter()
        .filter(|errors| !errors.is_empty())
        .min_by_key(|errors| errors.len())?;
    let first = &best[0];
    let inner = json(first);
    let at = first.instance_path().as_str();
    Some(if at.is_empty() {
        inner
    } else {
        Bilingual::format(
            format_args!("{at}：{}", inner.zh()),
            format_args!("{at}: {}", inner.en()),
        )
    })
}

/// A JSON value as it would be written, shortened to [`PREVIEW`] characters.
fn preview(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= PREVIEW {
        return text;
    }
    let mut short: String = text.chars().take(PREVIEW).collect();
    short.push('…');
    short
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The XSD validation rule a libxml2 error code stands for, as XML Schema Part 1 names it.
pub(super) fn xsd_rule(code: i32) -> Option<&'static str> {
    // libxml2's xmlParserErrors numbers these consecutively from 1824 (xmlerror.h).
    const FROM_1824: [&str; 47] = [
        "cvc-datatype-valid.1.2.1",
        "cvc-datatype-valid.1.2.2",
        "cvc-datatype-valid.1.2.3",
        "cvc-type.3.1.1",
        "cvc-type.3.1.2",
        "cvc-facet-valid",
        "cvc-length-valid",
        "cvc-minLength-valid",
        "cvc-maxLength-valid",
        "cvc-minInclusive-valid",
        "cvc-maxInclusive-valid",
        "cvc-minExclusive-valid",
        "cvc-maxExclusive-valid",
        "cvc-totalDigits-valid",
        "cvc-fractionDigits-valid",
        "cvc-pattern-valid",
        "cvc-enumeration-valid",
        "cvc-complex-type.2.1",
        "cvc-complex-type.2.2",
        "cvc-complex-type.2.3",
        "cvc-complex-type.2.4",
        "cvc-elt.1",
        "cvc-elt.2",
        "cvc-elt.3.1",
        "cvc-elt.3.2.1",
        "cvc-elt.3.2.2",
        "cvc-elt.4.1",
        "cvc-elt.4.2",
        "cvc-elt.4.3",
        "cvc-elt.5.1.1",
        "cvc-elt.5.1.2",
        "cvc-elt.5.2.1",
        "cvc-elt.5.2.2.1",
        "cvc-elt.5.2.2.2.1",
        "cvc-elt.5.2.2.2.2",
        "cvc-elt.6",
        "cvc-elt.7",
        "cvc-attribute.1",
        "cvc-attribute.2",
        "cvc-attribute.3",
        "cvc-attribute.4",
        "cvc-complex-type.3.1",
        "cvc-complex-type.3.2.1",
        "cvc-complex-type.3.2.2",
        "cvc-complex-type.4",
        "cvc-complex-type.5.1",
        "cvc-complex-type.5.2",
    ];
    match code {
        1824..=1870 => Some(FROM_1824[(code - 1824) as usize]),
        1873 => Some("cvc-complex-type.1"),
        1874 => Some("cvc-au"),
        1875 => Some("cvc-type.1"),
        1876 => Some("cvc-type.2"),
        1877 => Some("cvc-identity-constraint"),
        1878 => Some("cvc-wildcard"),
        1801 | 1872 => Some("cvc-elt.1"),
        _ => None,
    }
}

/// An XSD error in both languages: what kind of rule broke, in Chinese, beside libxml2's
/// English account of it (element names with their namespace shortened).
pub(super) fn xsd(rule: Option<&str>, detail: &str) -> Bilingual {
    let detail = shorten_namespaces(detail.trim());
    let summary = match rule.unwrap_or_default() {
        r if r.starts_with("cvc-complex-type.2") => "元素的内容不符合模式",
        "cvc-complex-type.3.2.2" | "cvc-complex-type.3.2.1" => "模式不允许此属性",
        "cvc-complex-type.4" => "缺少必需的属性",
        "cvc-enumeration-valid" => "值不是允许的取值之一",
        "cvc-pattern-valid" => "值不符合模式要求的格式",
        r if r.starts_with("cvc-datatype-valid")
            || r.starts_with("cvc-type")
            || r.starts_with("cvc-attribute")
            || r.ends_with("-valid") =>
        {
            "值不符合模式规定的数据类型"
        }
        "cvc-elt.1" => "根元素不是模式声明的元素",
        r if r.starts_with("cvc-elt") => "元素不符合其声明",
        "cvc-identity-constraint" => "唯一性或引用约束不满足",
        "cvc-wildcard" => "此处出现的元素不在模式允许的范围内",
        _ => "不符合模式",
    };
    Bilingual::format(
        format_args!("{summary}：{detail}"),
        format_args!("{detail}"),
    )
}

/// `{http://cyclonedx.org/schema/bom/1.6}component` reads as `component`: every name in a
/// document has the same namespace, and repeating it hides the name.
fn shorten_namespaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{http") {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => rest = &rest[open + close + 1..],
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xsd_codes_name_their_rules() {
        assert_eq!(xsd_rule(1824), Some("cvc-datatype-valid.1.2.1"));
        assert_eq!(xsd_rule(1840), Some("cvc-enumeration-valid"));
        assert_eq!(xsd_rule(1844), Some("cvc-complex-type.2.4"));
        assert_eq!(xsd_rule(1866), Some("cvc-complex-type.3.2.1"));
        assert_eq!(xsd_rule(1870), Some("cvc-complex-type.5.2"));
        assert_eq!(xsd_rule(1877), Some("cvc-identity-constraint"));
        assert_eq!(xsd_rule(1), None);
    }

    #[test]
    fn namespaces_are_shortened_in_xsd_details() {
        let m = xsd(
            Some("cvc-complex-type.2.4"),
            "Element '{http://cyclonedx.org/schema/bom/1.6}component': Missing child element(s). Expected is ( {http://cyclonedx.org/schema/bom/1.6}name ).\n",
        );
        assert_eq!(
            m.en(),
            "Element 'component': Missing child element(s). Expected is ( name )."
        );
        assert!(m.zh().starts_with("元素的内容不符合模式："), "{}", m.zh());
    }
}
