//! The confirmation before anything is signed, shared by every screen that signs: what will be
//! signed, which unit and key will sign it, and, for a unit whose key is not at hand, why not
//! and how to make one. The owning screen does the signing through the core when confirmed.

use super::app::Action;
use super::text::Status;
use crate::i18n::ledger::{self as t, Message};
use crate::i18n::Lang;
use crate::ledger::keys::{find_signing_keys_in, KeyPlaces, SigningKey};
use crate::ledger::{Ledger, LedgerError};
use std::path::PathBuf;

/// A private key file found for a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAtHand {
    pub path: PathBuf,
    pub key_id: String,
}

/// A unit that could sign, with its key or why it cannot sign here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub unit: String,
    /// How readers know the unit: its role and organisation names.
    pub name: Message,
    pub key: Result<KeyAtHand, Message>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignDialog {
    pub title: Message,
    /// What will be signed, as label and value (a value names things in each language).
    pub facts: Vec<(Message, Message)>,
    /// The units still to sign, the first one whose key is at hand selected.
    pub signers: Vec<Signer>,
    pub selected: usize,
    /// Why the last attempt failed, in the core's words.
    pub status: Option<Status>,
}

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Waiting,
    Cancel,
    /// Sign with the key of `signers[i]`.
    Sign(usize),
}

/// The text of a ledger error in both languages.
pub fn ledger_message(e: &LedgerError) -> Message {
    Message::new(t::error(Lang::Zh, e), t::error(Lang::En, e))
}

impl SignDialog {
    pub fn new(title: Message, facts: Vec<(Message, Message)>, signers: Vec<Signer>) -> Self {
        let selected = signers.iter().position(|s| s.key.is_ok()).unwrap_or(0);
        SignDialog {
            title,
            facts,
            signers,
            selected,
            status: None,
        }
    }

    /// ↑/↓ choose the unit, `y` or Enter signs, `n` or Esc cancels.
    pub fn handle(&mut self, action: Action) -> Choice {
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => {
                self.selected = (self.selected + 1).min(self.signers.len().saturating_sub(1))
            }
            Action::Back | Action::Char('n') => return Choice::Cancel,
            Action::Open | Action::Char('y') => {
                return match self.signers.get(self.selected) {
                    Some(Signer { key: Ok(_), .. }) => Choice::Sign(self.selected),
                    Some(Signer { key: Err(why), .. }) => {
                        self.status = Some(Status::error(why.clone()));
                        Choice::Waiting
                    }
                    None => Choice::Waiting,
                };
            }
            _ => {}
        }
        Choice::Waiting
    }

    /// Loads the private key of `signers[i]` for signing.
    pub fn key(&self, i: usize) -> Result<SigningKey, Message> {
        let signer = self
            .signers
            .get(i)
            .ok_or_else(|| Message::new("没有该签署方", "no such signer"))?;
        let at_hand = signer.key.clone()?;
        SigningKey::load(&at_hand.path).map_err(|e| ledger_message(&e))
    }

    /// Whether any unit can sign here.
    pub fn can_sign(&self) -> bool {
        self.signers.iter().any(|s| s.key.is_ok())
    }
}

/// The key at hand to sign for `unit` in `ledger`: the CLI's search (`ANBAO_KEY`, else the
/// user's key folder, keys the ledger currently enrols with the profile's algorithm), kept to
/// keys of that unit. Otherwise why there is none and how to make one.
pub fn key_for(ledger: &Ledger, places: &KeyPlaces, unit: &str) -> Result<KeyAtHand, Message> {
    let history = ledger.key_history().map_err(|e| ledger_message(&e))?;
    match find_signing_keys_in(places, &[], ledger.sig_alg(), Some(unit), &history) {
        Ok(keys) => {
            let others: Vec<String> = keys
                .iter()
                .filter(|k| k.unit != unit)
                .map(|k| k.unit.clone())
                .collect();
            keys.into_iter()
                .find(|k| k.unit == unit)
                .map(|k| KeyAtHand {
                    path: k.path,
                    key_id: k.key_id,
                })
                .ok_or_else(|| {
                    Message::new(
                        format!(
                            "环境变量 {} 指定的私钥属于 {}，不属于 {unit}",
                            crate::ledger::keys::KEY_ENV,
                            others.join("、")
                        ),
                        format!(
                            "the keys {} names sign for {}, not for {unit}",
                            crate::ledger::keys::KEY_ENV,
                            others.join(", ")
                        ),
                    )
                })
        }
        Err(LedgerError::NoKey { dir }) => Err(Message::new(
            format!(
                "手边没有 {unit} 已登记的签名私钥。请在终端运行 `anbao keys new --unit {unit}` 新建并登记（保存在 '{}'，anbao 在此查找；若提示尚未登记，请持有已登记密钥的单位运行 `anbao keys enrol 公钥文件`），或设置环境变量 ANBAO_KEY=私钥文件",
                dir.display()
            ),
            format!(
                "no enrolled signing key of {unit} at hand. Make one in a terminal with `anbao keys new --unit {unit}` (it is saved in '{}', where anbao looks; if it says the key is not enrolled yet, a unit with an enrolled key runs `anbao keys enrol FILE`), or set ANBAO_KEY=FILE",
                dir.display()
            ),
        )),
        Err(e) => Err(ledger_message(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(unit: &str, key: bool) -> Signer {
        Signer {
            unit: unit.into(),
            name: Message::new(unit, unit),
            key: if key {
                Ok(KeyAtHand {
                    path: PathBuf::from("/k"),
                    key_id: "ed25519:00".into(),
                })
            } else {
                Err(Message::new("无", "none"))
            },
        }
    }

    #[test]
    fn the_first_unit_with_a_key_is_chosen_and_one_without_cannot_sign() {
        let mut d = SignDialog::new(
            Message::new("t", "t"),
            Vec::new(),
            vec![signer("implementing", false), signer("construction", true)],
        );
        assert_eq!(d.selected, 1);
        assert_eq!(d.handle(Action::Char('y')), Choice::Sign(1));
        d.handle(Action::Up);
        assert_eq!(d.handle(Action::Open), Choice::Waiting);
        assert_eq!(d.status.as_ref().unwrap().get(Lang::En), "none");
        assert_eq!(d.handle(Action::Back), Choice::Cancel);
    }
}

/// Signing keys for the TUI's tests.
#[cfg(test)]
pub(in crate::tui) mod test_keys {
    use crate::ledger::enrol::KeyDescriptor;
    use crate::ledger::keys::SigningKey;
    use crate::ledger::sig::SecretKey;
    use crate::ledger::{Ledger, SigAlg};
    use std::path::{Path, PathBuf};

    /// A key of `unit` from a fixed seed (so key ids, and with them snapshots, are the same on
    /// every run), saved in `dir` and enrolled in the ledger of the workspace at `ws`: the first
    /// key founds the ledger, a later one is authorised by a key already saved in `dir`.
    pub fn enrolled_key(ws: &Path, dir: &Path, unit: &str, seed: u8) -> SigningKey {
        let secret = SecretKey::from_bytes(SigAlg::Ed25519, &[seed; 32]).unwrap();
        let mut key = SigningKey {
            path: PathBuf::new(),
            unit: unit.into(),
            key_id: secret.public().key_id(),
            secret,
        };
        key.save(&dir.join(key.file_name()), "2026-01-01T00:00:00+08:00")
            .unwrap();
        let ledger = Ledger::open(&crate::workspace::Workspace::open(ws).unwrap()).unwrap();
        let at_hand = crate::ledger::keyring::load_candidates(&[], &[dir]).unwrap();
        let descriptor = KeyDescriptor::new(&key.public(), unit, None);
        ledger
            .enrol_one(&ledger.key_history().unwrap(), &descriptor, None, &at_hand)
            .unwrap();
        key
    }
}
