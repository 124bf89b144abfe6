//! The texts of the ledger's trust model in Simplified Chinese and English: key enrolment,
//! external anchors, private keys found where they do not belong, and export archives.

use super::ledger::Message;
use crate::ledger::enrol::KeyEnd;

pub fn unknown_key(key: &str, none_enrolled: bool) -> Message {
    if none_enrolled {
        return Message::new(
            format!("未知密钥：{key}；本账本尚未登记任何密钥（早期版本 anbao 的工作区请运行 `anbao keys enrol` 登记 keys/ 中的密钥）"),
            format!("unknown key: {key}; this ledger enrols no key yet (a workspace from an earlier anbao enrols the keys of keys/ with `anbao keys enrol`)"),
        );
    }
    Message::new(
        format!("未知密钥：账本中没有登记 {key} 的密钥记录"),
        format!("unknown key: no key record of the ledger enrols {key}"),
    )
}

pub fn not_yet_enrolled(key: &str, enrolled: u64) -> Message {
    Message::new(
        format!("密钥尚未登记：{key} 直到第 {enrolled} 号记录才登记，此前不能签名"),
        format!("key not enrolled yet: {key} is enrolled only by record {enrolled} and cannot sign before it"),
    )
}

pub fn ended(key: &str, seq: u64, end: &KeyEnd) -> Message {
    match end {
        KeyEnd::Rotated { key_id } => Message::new(
            format!("密钥已轮换：{key} 在第 {seq} 号记录被 {key_id} 取代，之后不能再签名"),
            format!("rotated key: {key} was replaced by {key_id} at record {seq} and cannot sign after it"),
        ),
        KeyEnd::Revoked { reason } => Message::new(
            format!("密钥已吊销：{key} 在第 {seq} 号记录被吊销（{reason}），之后不能再签名"),
            format!("revoked key: {key} was revoked at record {seq} ({reason}) and cannot sign after it"),
        ),
    }
}

pub fn bad_key_record(why: &str) -> Message {
    Message::new(
        format!("密钥记录无效：{why}"),
        format!("invalid key record: {why}"),
    )
}

pub fn key_file_not_enrolled(file: &str, key: &str, unit: &str) -> Message {
    Message::new(
        format!("{file} 中的密钥 {key}（{unit}）未在账本中登记：不能代表任何单位签名；请用 `anbao keys enrol '{file}'` 登记或删除该文件"),
        format!("{file} holds key {key} ({unit}), which the ledger does not enrol: it speaks for no unit; enrol it with `anbao keys enrol '{file}'` or remove the file"),
    )
}

pub fn key_file_other_unit(file: &str, key: &str, file_unit: &str, unit: &str) -> Message {
    Message::new(
        format!("{file} 称密钥 {key} 属于 {file_unit}，账本却将其登记为 {unit}"),
        format!(
            "{file} says key {key} speaks for {file_unit}, but the ledger enrols it for {unit}"
        ),
    )
}

pub fn private_key(file: &str, form: &str) -> Message {
    Message::new(
        format!("{file} 是私钥（{form}）：私钥不得放在工作区或导出包中，请移出"),
        format!("{file} is a private key ({form}): private keys never belong in a workspace or an export; move it out"),
    )
}

/// The line a verification without an external anchor ends with.
pub fn not_anchored() -> Message {
    Message::new(
        "自洽但未经认证：未提供外部信任锚，能改写整个工作区的人也能做出同样自洽的账本。请用 --trust 文件（向主管部门备案的公钥或密钥指纹）或 --checkpoint 文件（此前备案的检查点）校验",
        "self-consistent but not authenticated: no external anchor was given, and anyone able to rewrite the whole workspace could produce a ledger as consistent as this one. Verify with --trust FILE (the public keys or key fingerprints filed with the authority) or --checkpoint FILE (a checkpoint filed earlier)",
    )
}

pub fn anchored() -> Message {
    Message::new(
        "已认证：账本与外部信任锚一致",
        "authenticated: the ledger agrees with the external anchors",
    )
}

pub fn trust_ok(key: &str, unit: &str, file: &str) -> Message {
    Message::new(
        format!("账本的创始密钥 {key}（{unit}）在 {file} 中备案"),
        format!("the ledger's founding key {key} ({unit}) is among the keys filed in {file}"),
    )
}

pub fn trust_founder_missing(key: &str, unit: &str, file: &str) -> Message {
    Message::new(
        format!("账本的创始密钥 {key}（{unit}）不在 {file} 备案的密钥中：账本不是由备案的密钥建立的"),
        format!("the ledger's founding key {key} ({unit}) is not among the keys filed in {file}: the ledger was not founded by a filed key"),
    )
}

pub fn trust_no_founder(file: &str) -> Message {
    Message::new(
        format!("账本没有登记任何密钥，无法与 {file} 备案的密钥对照"),
        format!("the ledger enrols no key, so nothing in it can be checked against the keys filed in {file}"),
    )
}

pub fn trust_other_unit(key: &str, filed_unit: &str, unit: &str, file: &str) -> Message {
    Message::new(
        format!("{file} 备案的密钥 {key} 属于 {filed_unit}，账本却将其登记为 {unit}"),
        format!(
            "key {key} is filed in {file} for {filed_unit}, but the ledger enrols it for {unit}"
        ),
    )
}

pub fn checkpoint_anchor_ok(file: &str, size: u64) -> Message {
    Message::new(
        format!("备案检查点 {file} 是账本的前缀：前 {size} 条记录与备案时相同"),
        format!("the filed checkpoint {file} is a prefix of the ledger: its first {size} records are as filed"),
    )
}

pub fn checkpoint_anchor_truncated(file: &str, size: u64, records: u64) -> Message {
    Message::new(
        format!("备案检查点 {file} 记载 {size} 条记录，账本只有 {records} 条：账本被截短或不是同一账本"),
        format!("the filed checkpoint {file} covers {size} records but the ledger holds {records}: it was cut, or it is another ledger"),
    )
}

pub fn checkpoint_anchor_mismatch(file: &str, size: u64) -> Message {
    Message::new(
        format!("账本前 {size} 条记录的默克尔根与备案检查点 {file} 不同：备案后记录被改写"),
        format!("the Merkle root of the ledger's first {size} records differs from the filed checkpoint {file}: records were rewritten after filing"),
    )
}

pub fn checkpoint_anchor_unsigned(file: &str) -> Message {
    Message::new(
        format!("备案检查点 {file} 没有账本在其时登记的密钥（或 --trust 备案的密钥）的有效签名"),
        format!("the filed checkpoint {file} carries no valid signature by a key the ledger enrolled at that point (or a key given with --trust)"),
    )
}

pub fn checkpoint_anchor_predates(file: &str, size: u64, genesis: u64) -> Message {
    Message::new(
        format!("备案检查点 {file}（{size} 条）早于账本登记密钥（第 {genesis} 号记录）：它只认证前 {size} 条记录，不认证密钥登记；请再用 --trust 或其后备案的检查点校验"),
        format!("the filed checkpoint {file} ({size} records) predates the ledger's key enrolment (record {genesis}): it anchors those {size} records, not the enrolment; add --trust or a checkpoint filed after it"),
    )
}

pub fn manifest(path: &str, why_zh: &str, why_en: &str) -> Message {
    Message::new(
        format!("导出包清单不符：{path} {why_zh}"),
        format!("export manifest mismatch: {path} {why_en}"),
    )
}
