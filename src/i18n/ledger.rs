//! The record ledger's user-facing texts, in Simplified Chinese and English: finding messages,
//! labels, and the errors users meet most (no key, torn ledger, open key file).

use super::Lang;
use crate::ledger::{LedgerError, Record, Report};
use serde::Serialize;

/// A message in both languages; findings carry one, renderers pick a language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub zh: String,
    pub en: String,
}

impl Message {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Message {
        Message {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

pub fn torn_line(bytes: u64) -> Message {
    Message::new(
        format!("账本末尾有 {bytes} 字节的残缺行（写入中断）；请运行 anbao ledger repair 将其移入隔离文件"),
        format!("the ledger ends with a torn line of {bytes} bytes (an interrupted write); run `anbao ledger repair` to move it to a quarantine file"),
    )
}

pub fn malformed(detail: &str) -> Message {
    Message::new(
        format!("不是有效的记录：{detail}"),
        format!("not a valid record: {detail}"),
    )
}

pub fn not_canonical(detail: &str) -> Message {
    Message::new(
        format!("记录不是唯一的规范写法（RFC 8785、NFC）：{detail}"),
        format!("the record is not in its one canonical spelling (RFC 8785, NFC): {detail}"),
    )
}

pub fn out_of_order(expected: u64, found: u64) -> Message {
    Message::new(
        format!("顺序被打乱：此处应为第 {expected} 号记录，实为第 {found} 号"),
        format!("reordered: record {expected} belongs here, but this is record {found}"),
    )
}

pub fn duplicate(seq: u64) -> Message {
    Message::new(
        format!("第 {seq} 号记录重复出现"),
        format!("record {seq} appears twice"),
    )
}

pub fn missing_record(expected: u64, found: u64) -> Message {
    Message::new(
        format!("记录缺失：应为第 {expected} 号，下一条却是第 {found} 号"),
        format!("records missing: record {expected} belongs here, the next one present is {found}"),
    )
}

pub fn leaf_mismatch(stored: &str, computed: &str) -> Message {
    Message::new(
        format!("哈希不符：记录声明叶哈希 {stored}，按内容计算为 {computed}（内容被改动）"),
        format!("hash mismatch: the record states leaf hash {stored} but its content hashes to {computed} (it was changed)"),
    )
}

pub fn bad_signature(key: &str) -> Message {
    Message::new(
        format!("签名无效：密钥 {key} 的签名与记录内容不符"),
        format!("bad signature: the signature by key {key} does not match the record"),
    )
}

pub fn unknown_key(key: &str) -> Message {
    Message::new(
        format!("未知密钥：{key} 不在工作区信任库 keys/ 中"),
        format!("unknown key: {key} is not in the workspace trust store keys/"),
    )
}

pub fn wrong_unit(key: &str, key_unit: &str, claimed: &str) -> Message {
    Message::new(
        format!("单位不符：密钥 {key} 属于 {key_unit}，记录却以 {claimed} 名义签署"),
        format!("wrong unit: key {key} belongs to {key_unit}, but the record is signed in the name of {claimed}"),
    )
}

pub fn missing_signer(key: &str) -> Message {
    Message::new(
        format!("缺少签署人签名：记录指明的签署密钥 {key} 没有有效签名"),
        format!("signer's signature missing: the record names key {key}, which has no valid signature on it"),
    )
}

pub fn awaiting(units: &[String]) -> Message {
    Message::new(
        format!(
            "待签署：尚缺{}的签名",
            units
                .iter()
                .map(|u| unit_short(Lang::Zh, u))
                .collect::<Vec<_>>()
                .join("、")
        ),
        format!("awaiting signature of {}", units.join(", ")),
    )
}

pub fn bad_reference(target: u64, why: &str) -> Message {
    Message::new(
        format!("更正引用无效：被更正的第 {target} 号记录{why}"),
        format!("bad correction: the superseded record {target} {why}"),
    )
}

pub fn bad_cosign(target: u64, why: &str) -> Message {
    Message::new(
        format!("会签无效（第 {target} 号记录）：{why}"),
        format!("bad co-signature of record {target}: {why}"),
    )
}

pub fn missing_evidence(name: &str, hash: &str) -> Message {
    Message::new(
        format!("证据缺失：{name}（{hash}）不在 evidence/ 中"),
        format!("missing evidence: {name} ({hash}) is not in evidence/"),
    )
}

pub fn evidence_mismatch(name: &str, hash: &str, actual: &str) -> Message {
    Message::new(
        format!("证据被改动：{name} 应为 {hash}，实为 {actual}"),
        format!("changed evidence: {name} should be {hash} but is {actual}"),
    )
}

/// `what` says what stands in the store instead ("is a FIFO (named pipe), not a file ...").
pub fn evidence_not_a_file(name: &str, hash: &str, what: &str) -> Message {
    Message::new(
        format!("证据被替换：{name}（{hash}）在 evidence/ 中已不是普通文件（{what}）"),
        format!("replaced evidence: {name} ({hash}) in evidence/ {what}"),
    )
}

pub fn truncated(file: &str, cp_size: u64, size: u64) -> Message {
    Message::new(
        format!("账本被截短：检查点 {file} 记载 {cp_size} 条记录，账本现只有 {size} 条"),
        format!("truncated: checkpoint {file} vouches for {cp_size} records, the ledger now holds {size}"),
    )
}

pub fn checkpoint_mismatch(file: &str, size: u64) -> Message {
    Message::new(
        format!("与检查点不符：前 {size} 条记录的默克尔根与检查点 {file} 不同（有记录被改动、删除或调换）"),
        format!("checkpoint mismatch: the Merkle root of the first {size} records differs from checkpoint {file} (a record was changed, removed or moved)"),
    )
}

pub fn checkpoint_invalid(file: &str, why: &str) -> Message {
    Message::new(
        format!("检查点 {file} 无效：{why}"),
        format!("checkpoint {file} is invalid: {why}"),
    )
}

pub fn checkpoint_unsigned(file: &str) -> Message {
    Message::new(
        format!("检查点 {file} 没有信任库中密钥的有效签名"),
        format!("checkpoint {file} carries no valid signature by a key of the trust store"),
    )
}

pub fn checkpoint_origin(file: &str, origin: &str, expected: &str) -> Message {
    Message::new(
        format!("检查点 {file} 的来源为 {origin}，本工作区为 {expected}"),
        format!("checkpoint {file} has origin {origin}, this workspace's is {expected}"),
    )
}

pub fn trust_store_invalid(file: &str, why: &str) -> Message {
    Message::new(
        format!("信任库文件 {file} 不可信：{why}"),
        format!("trust store file {file} cannot be trusted: {why}"),
    )
}

pub fn manifest_mismatch(path: &str, why: &str) -> Message {
    Message::new(
        format!("导出包清单不符：{path} {why}"),
        format!("export manifest mismatch: {path} {why}"),
    )
}

/// How a record stands towards others, as short phrases in `lang`: the units it still awaits,
/// the records that correct it, the one it corrects, the one it co-signs. Without a report
/// (verification still running) only what the record itself says.
pub fn relations(lang: Lang, report: Option<&Report>, r: &Record) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(report) = report {
        let missing = report.awaiting_units(r.seq());
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|u| unit_short(lang, u)).collect();
            parts.push(format!(
                "{} {}",
                label(lang, Label::Awaiting),
                names.join("+")
            ));
        }
        let by = report.corrected_by(r.seq());
        if !by.is_empty() {
            let list: Vec<String> = by.iter().map(u64::to_string).collect();
            parts.push(format!(
                "{} {}",
                label(lang, Label::Superseded),
                list.join(",")
            ));
        }
    }
    if let Some(s) = &r.entry.supersedes {
        parts.push(format!("{} {}", label(lang, Label::Supersedes), s.seq));
    }
    if let Some(Ok(c)) = r.cosign() {
        parts.push(format!("{} {}", label(lang, Label::CosignOf), c.target.seq));
    }
    parts
}

/// What a record kind is called, for lists: the kinds anbao files have names; any other kind
/// (one filed with `anbao ledger append`) is shown as written.
pub fn kind_name(lang: Lang, kind: &str) -> String {
    let (zh, en) = match kind {
        "acceptance.verdict" => ("验收核验结论", "acceptance verdict"),
        "assessment.signoff" => ("联合评估签署", "assessment sign-off"),
        "cosign" => ("会签", "co-signature"),
        "drill.finished" => ("演练总结", "drill finished"),
        "drill.action" => ("整改措施状态", "improvement action"),
        "drill.abandoned" => ("演练中止", "drill abandoned"),
        _ => return kind.to_string(),
    };
    match lang {
        Lang::Zh => zh.into(),
        Lang::En => en.into(),
    }
}

/// A unit's short name for lists (the manifest holds the full names).
pub fn unit_short(lang: Lang, unit: &str) -> String {
    let (zh, en) = match unit {
        "implementing" => ("实施单位", "implementing"),
        "construction" => ("建设单位", "construction"),
        "supervision" => ("监理单位", "supervision"),
        _ => return unit.to_string(),
    };
    match lang {
        Lang::Zh => zh.into(),
        Lang::En => en.into(),
    }
}

/// Labels of the ledger screens and tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Seq,
    Time,
    Kind,
    Unit,
    Signatures,
    Status,
    Complete,
    Awaiting,
    Superseded,
    Supersedes,
    Evidence,
    Body,
    LeafHash,
    Signer,
    Requires,
    Records,
    Clean,
    Failed,
    FirstBad,
    Checkpoints,
    TreeHead,
    Warnings,
    Valid,
    Invalid,
    Unknown,
    NoRecords,
    CosignOf,
    Origin,
    Size,
    Root,
    File,
    Key,
    Created,
    Problems,
    Line,
}

pub fn label(lang: Lang, l: Label) -> &'static str {
    let (en, zh) = match l {
        Label::Seq => ("Seq", "序号"),
        Label::Time => ("Time", "时间"),
        Label::Kind => ("Kind", "类型"),
        Label::Unit => ("Unit", "单位"),
        Label::Signatures => ("Signatures", "签名"),
        Label::Status => ("Status", "状态"),
        Label::Complete => ("signed", "已签署"),
        Label::Awaiting => ("awaiting", "待签署"),
        Label::Superseded => ("superseded by", "已被更正，见"),
        Label::Supersedes => ("supersedes", "更正"),
        Label::Evidence => ("Evidence", "证据"),
        Label::Body => ("Body", "内容"),
        Label::LeafHash => ("Leaf hash", "叶哈希"),
        Label::Signer => ("Signer", "签署密钥"),
        Label::Requires => ("Requires", "需签署单位"),
        Label::Records => ("records", "条记录"),
        Label::Clean => ("ledger verified", "账本校验通过"),
        Label::Failed => ("ledger verification FAILED", "账本校验失败"),
        Label::FirstBad => ("first bad record", "首个问题记录"),
        Label::Checkpoints => ("Checkpoints", "检查点"),
        Label::TreeHead => ("Tree head", "树头"),
        Label::Warnings => ("Warnings", "提示"),
        Label::Valid => ("valid", "有效"),
        Label::Invalid => ("invalid", "无效"),
        Label::Unknown => ("unknown", "未知"),
        Label::NoRecords => ("the ledger holds no records yet", "账本中尚无记录"),
        Label::CosignOf => ("co-signs record", "会签记录"),
        Label::Origin => ("Origin", "来源"),
        Label::Size => ("Size", "记录数"),
        Label::Root => ("Root", "根哈希"),
        Label::File => ("File", "文件"),
        Label::Key => ("Key", "密钥"),
        Label::Created => ("Created", "创建时间"),
        Label::Problems => ("Problems", "问题"),
        Label::Line => ("line", "行"),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The error text in the user's language: the errors people meet in daily use get a Chinese
/// version; the rest keep the English text, which names files and values exactly.
pub fn error(lang: Lang, e: &LedgerError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        LedgerError::NoKey { dir } => format!(
            "未找到签名私钥：请用 --key 文件 指定，或设置环境变量 ANBAO_KEY=文件，或用 `anbao keys new --unit 单位` 新建（默认保存在 '{}'，anbao 也会在此查找）",
            dir.display()
        ),
        LedgerError::SeveralKeys { dir, names } => format!(
            "'{}' 中有多个可用私钥（{}）；请用 --key 文件 指定",
            dir.display(),
            names.join("、")
        ),
        LedgerError::KeyTooOpen { path, mode } => format!(
            "拒绝使用私钥 '{}'：同组或其他用户可读（权限 {mode:o}）；请运行 `chmod 600 '{}'`",
            path.display(),
            path.display()
        ),
        LedgerError::Torn { path, bytes } => format!(
            "账本 '{}' 末尾有 {bytes} 字节的残缺行（写入中断）；在运行 `anbao ledger repair` 将其移入隔离文件之前不能追加记录",
            path.display()
        ),
        LedgerError::NotEnrolled { key_id, unit, path } => format!(
            "单位 '{unit}' 的密钥 '{key_id}'（{}）未在本账本中登记，不能在此签名；请由该单位用 `anbao keys enrol` 登记（见 `anbao keys list`）",
            path.display()
        ),
        LedgerError::KeyEnded { key_id, path, seq, how } => format!(
            "密钥 '{key_id}'（{}）已不能代表其单位签名：第 {seq} 号记录 {how}",
            path.display()
        ),
        LedgerError::KeyUnitMismatch { key_id, unit, enrolled, path } => format!(
            "密钥 '{key_id}' 登记为单位 '{enrolled}'，而其文件 '{}' 称属于 '{unit}'",
            path.display()
        ),
        LedgerError::KeyRecord(why) => format!("拒绝写入密钥记录：{why}"),
        LedgerError::NoAuthoriser { unit, by } => format!(
            "为单位 '{unit}' 登记密钥需要单位 '{by}' 的现行密钥签名，但未找到其私钥；请用 --key 文件 指定"
        ),
        LedgerError::PrivateKeyFile { path, form } => format!(
            "'{}' 是私钥（{form}）；私钥不得放入工作区、记录或导出包",
            path.display()
        ),
        LedgerError::SymbolicLink { path } => format!(
            "'{}' 是符号链接；anbao 导出时从不跟随链接",
            path.display()
        ),
        LedgerError::KeyInsideWorkspace { path, workspace } => format!(
            "私钥必须保存在工作区之外，而 '{}' 位于 '{}' 之内",
            path.display(),
            workspace.display()
        ),
        LedgerError::NoCheckpoint { dir } => format!(
            "'{}' 中尚无检查点；请先用 `anbao ledger checkpoint` 签署一个",
            dir.display()
        ),
        LedgerError::NotVerified(why) => {
            format!("账本未通过校验（{why}）；请先处理，检查点不能为受损账本背书")
        }
        LedgerError::NoSuchRecord { seq, size } => {
            format!("没有第 {seq} 号记录（账本共 {size} 条）")
        }
        LedgerError::WrongAlgorithm { key_id, alg, profile, wanted } => format!(
            "密钥 '{key_id}' 是 {alg} 密钥，而本工作区密码配置 '{profile}' 使用 {wanted} 签名；请用 `anbao keys new --unit 单位` 新建密钥"
        ),
        other => other.to_string(),
    }
}

/// What each ledger finding code means, for `anbao explain`.
pub fn explain(lang: Lang, code: crate::ledger::Code) -> &'static str {
    use crate::ledger::Code::*;
    let (en, zh) = match code {
        TornLine => ("The ledger ends with an incomplete line, left by an interrupted write. No record reported as written is lost; run `anbao ledger repair` to move the bytes to records/quarantine/.", "账本末尾有一行不完整，由中断的写入造成。已报告写入成功的记录不会丢失；运行 anbao ledger repair 将这些字节移入 records/quarantine/。"),
        MalformedRecord => ("A line is not a record: not JSON, duplicate keys, a float, or fields missing or of the wrong form.", "某行不是有效记录：不是 JSON、键重复、含浮点数，或字段缺失、格式不符。"),
        NotCanonical => ("A record is not in its one canonical spelling (RFC 8785 JSON, Unicode NFC); anbao never writes such a line, so it was written by something else.", "记录不是唯一的规范写法（RFC 8785 JSON、Unicode NFC）；anbao 不会写出这样的行，说明它被其他程序写入或改动。"),
        OutOfOrder => ("A record sits at another position than its sequence number: records were moved.", "记录所在位置与其序号不符：记录被调换过。"),
        DuplicateRecord => ("A record appears twice.", "同一记录出现了两次。"),
        MissingRecord => ("Sequence numbers jump: records between were removed.", "序号不连续：中间的记录被删除。"),
        LeafHashMismatch => ("The record's content does not hash to the leaf hash it states: it was changed after it was written.", "记录内容的哈希与其声明的叶哈希不符：写入后被改动。"),
        BadSignature => ("A signature does not verify against the record and the trust store's key.", "签名与记录内容及信任库中的公钥不符。"),
        UnknownKey => ("A record is signed by a key that is not in the trust store keys/.", "记录由不在信任库 keys/ 中的密钥签署。"),
        WrongUnit => ("The signer's key belongs to another unit than the one the record is signed for.", "签署密钥属于另一单位，与记录声明的签署单位不符。"),
        MissingSignerSignature => ("The key the record names as its signer has no valid signature on it.", "记录指明的签署密钥没有有效签名。"),
        BadReference => ("A correction names a record that does not exist earlier, or another version of it.", "更正记录引用了不存在的前序记录，或引用了该记录的另一版本。"),
        BadCosign => ("A co-signature names no earlier record, another version of it, or does not verify.", "会签记录引用的记录不存在、版本不符，或签名无效。"),
        MissingEvidence => ("A record names an evidence file that is not in evidence/.", "记录引用的证据文件不在 evidence/ 中。"),
        EvidenceMismatch => ("An evidence file no longer has the hash the record names: it was changed.", "证据文件的哈希与记录不符：文件被改动。"),
        Truncated => ("The ledger holds fewer records than a signed checkpoint vouches for: records were cut off.", "账本记录数少于已签署检查点所记载的数目：记录被截去。"),
        CheckpointMismatch => ("The Merkle root of the records a checkpoint covers differs from the signed one: a record below it was changed, removed or moved.", "检查点所覆盖记录的默克尔根与签署值不同：其中有记录被改动、删除或调换。"),
        CheckpointInvalid => ("A checkpoint cannot be read, or a trusted key's signature on it fails.", "检查点无法解析，或其中受信任密钥的签名无效。"),
        CheckpointUnsigned => ("A checkpoint carries no valid signature by a trusted key.", "检查点没有受信任密钥的有效签名。"),
        TrustStoreInvalid => ("A key file in keys/ cannot be trusted: its key id does not belong to its public key (a swapped key), or it is unreadable.", "keys/ 中的密钥文件不可信：密钥标识与公钥不符（公钥被替换），或无法读取。"),
        ManifestMismatch => ("An exported archive does not match its manifest: a file missing, changed, unlisted or out of place, a second top folder, or a wrong schema, project code, record count or tree root.", "导出包与其清单不符：文件缺失、被改动、未列入清单或位置不对，有第二个顶层目录，或模式、项目编号、记录数、树根不符。"),
        KeyNotEnrolled => ("A signature by a key that the ledger does not enrol at that record (enrolled only later), or a key file in keys/ that the ledger does not enrol. A key speaks for a unit only through a key record (`anbao keys enrol`).", "签名所用密钥在该记录处尚未登记（之后才登记），或 keys/ 中有账本未登记的密钥文件。密钥只有经密钥记录登记（anbao keys enrol）才能代表单位签名。"),
        KeyRevoked => ("A signature by a key after the record that revoked or rotated it.", "密钥在被吊销或轮换之后仍被用于签名。"),
        BadKeyRecord => ("A key record (key.enrol, key.rotate, key.revoke) that may not do what it says: a bad proof of possession, a key already enrolled, or no signature by a key entitled to authorise it.", "密钥记录（key.enrol、key.rotate、key.revoke）无效：持有证明不成立、密钥已登记，或缺少有权批准的密钥签名。"),
        AnchorMismatch => ("The ledger disagrees with an external anchor: its founding key is not among the keys given with --trust, or a checkpoint given with --checkpoint is not a prefix of it.", "账本与外部信任锚不一致：创始密钥不在 --trust 备案的密钥中，或 --checkpoint 备案的检查点不是账本的前缀。"),
        PrivateKey => ("A private key lies where only public material belongs (keys/, the checkpoints, evidence, an export).", "私钥出现在只应存放公开材料的位置（keys/、检查点、证据、导出包）。"),
        AwaitingSignature => ("A record still needs the signature of a unit it requires (not a failure); that unit signs it with `anbao ledger sign SEQ`.", "记录仍缺少其要求单位的签名（不算失败）；该单位可用 anbao ledger sign 序号 会签。"),
        CheckpointOrigin => ("A checkpoint names another project code than this workspace's anbao.toml (not a failure).", "检查点的项目编号与本工作区 anbao.toml 不同（不算失败）。"),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}
