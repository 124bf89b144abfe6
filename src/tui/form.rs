//! A form in a dialog: labelled fields typed into one at a time, with levels and choices
//! changed by ←/→, rows that add a repeated group (a problem, an action), and a final row that
//! submits. The owner turns the values into a core call and shows the core's refusal.

use super::app::Action;
use super::text::Status;
use crate::i18n::ledger::Message;
use crate::i18n::Lang;

/// What a field accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Text,
    /// A whole number from `min` to `max`; empty when `optional`.
    Number {
        min: u8,
        max: u8,
        optional: bool,
    },
    /// One of these values (id, label); ←/→ cycle through them.
    Choice(Vec<(String, Message)>),
    /// A date as YYYY-MM-DD.
    Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The name the owner reads the value by, e.g. `scope` or `action.2.owner`.
    pub key: String,
    pub label: Message,
    pub value: String,
    pub input: Input,
    /// A line under the field saying what it is for.
    pub help: Option<Message>,
}

impl Field {
    pub fn text(key: impl Into<String>, label: Message, value: impl Into<String>) -> Field {
        Field {
            key: key.into(),
            label,
            value: value.into(),
            input: Input::Text,
            help: None,
        }
    }

    pub fn with(mut self, input: Input) -> Field {
        self.input = input;
        self
    }

    pub fn help(mut self, help: Message) -> Field {
        self.help = Some(help);
        self
    }

    /// The value as shown: a choice by its label.
    pub fn shown(&self, lang: Lang) -> String {
        match &self.input {
            Input::Choice(options) => options
                .iter()
                .find(|(id, _)| *id == self.value)
                .map_or(self.value.clone(), |(_, label)| label.get(lang).to_string()),
            _ => self.value.clone(),
        }
    }

    fn cycle(&mut self, step: i32) {
        match &self.input {
            Input::Choice(options) if !options.is_empty() => {
                let n = options.len() as i32;
                let at = options
                    .iter()
                    .position(|(id, _)| *id == self.value)
                    .map_or(-1, |i| i as i32);
                let next = (at + step).rem_euclid(n) as usize;
                self.value = options[next].0.clone();
            }
            Input::Number { min, max, optional } => {
                let (min, max) = (i32::from(*min), i32::from(*max));
                let next = match self.value.trim().parse::<i32>() {
                    Ok(v) => v + step,
                    Err(_) if step > 0 => min,
                    Err(_) => max,
                };
                self.value = if *optional && !(min..=max).contains(&next) {
                    String::new()
                } else {
                    next.clamp(min, max).to_string()
                };
            }
            _ => {}
        }
    }

    fn type_char(&mut self, c: char) {
        match &self.input {
            Input::Text => self.value.push(c),
            Input::Date if c.is_ascii_digit() || c == '-' => self.value.push(c),
            // A level is one digit: typing one replaces it.
            Input::Number { min, max, .. } => {
                if let Some(d) = c.to_digit(10) {
                    let d = d as u8;
                    if (*min..=*max).contains(&d) {
                        self.value = d.to_string();
                    }
                }
            }
            Input::Choice(_) if c == ' ' => self.cycle(1),
            _ => {}
        }
    }
}

/// One row of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Field(Field),
    /// A heading between groups of fields; not selectable.
    Heading(Message),
    /// Enter here adds a group of fields (the owner decides which) above this row.
    Add {
        group: String,
        label: Message,
    },
}

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing for the owner to do.
    Editing,
    Submit,
    Cancel,
    /// Add a group of this name (at `rows` index `at`, the add row's place).
    Add {
        group: String,
        at: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub title: Message,
    /// A line above the fields (what the form does).
    pub intro: Option<Message>,
    pub rows: Vec<Row>,
    /// Index into `rows`, or `rows.len()` for the submit row.
    pub selected: usize,
    pub submit: Message,
    /// Why the last submit was refused, in the core's words.
    pub status: Option<Status>,
}

impl Form {
    pub fn new(title: Message, rows: Vec<Row>, submit: Message) -> Form {
        let mut f = Form {
            title,
            intro: None,
            rows,
            selected: 0,
            submit,
            status: None,
        };
        f.selected = f.first_selectable();
        f
    }

    pub fn intro(mut self, intro: Message) -> Form {
        self.intro = Some(intro);
        self
    }

    fn selectable(&self, i: usize) -> bool {
        i == self.rows.len() || !matches!(self.rows.get(i), Some(Row::Heading(_)))
    }

    fn first_selectable(&self) -> usize {
        (0..=self.rows.len())
            .find(|&i| self.selectable(i))
            .unwrap_or(self.rows.len())
    }

    fn step(&mut self, delta: isize) {
        let n = self.rows.len() as isize + 1;
        let mut at = self.selected as isize;
        loop {
            at += delta;
            if at < 0 || at >= n {
                return;
            }
            if self.selectable(at as usize) {
                self.selected = at as usize;
                return;
            }
        }
    }

    /// The selected field, if a field is selected.
    pub fn field_mut(&mut self) -> Option<&mut Field> {
        match self.rows.get_mut(self.selected) {
            Some(Row::Field(f)) => Some(f),
            _ => None,
        }
    }

    /// Every field, in order.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.rows.iter().filter_map(|r| match r {
            Row::Field(f) => Some(f),
            _ => None,
        })
    }

    /// The value of field `key` (trimmed), or "" when there is none.
    pub fn value(&self, key: &str) -> &str {
        self.fields()
            .find(|f| f.key == key)
            .map_or("", |f| f.value.trim())
    }

    /// Puts the selection on field `key` (to show where a refusal points).
    pub fn select(&mut self, key: &str) {
        if let Some(i) = self
            .rows
            .iter()
            .position(|r| matches!(r, Row::Field(f) if f.key == key))
        {
            self.selected = i;
        }
    }

    /// Inserts `rows` at `at` and selects the first field among them.
    pub fn insert(&mut self, at: usize, rows: Vec<Row>) {
        let n = rows.len();
        self.rows.splice(at..at, rows);
        self.selected = (at..at + n)
            .find(|&i| matches!(self.rows[i], Row::Field(_)))
            .unwrap_or(at);
    }

    /// Applies a key. Typing goes into the selected field; ↑/↓ move; Enter moves on, adds a
    /// group on an add row, and submits on the last row; Esc cancels.
    pub fn handle(&mut self, action: Action) -> Outcome {
        // A refusal is about the values as they were: changing one clears it.
        if matches!(
            action,
            Action::FilterChar(_) | Action::FilterBackspace | Action::Left | Action::Right
        ) {
            self.status = None;
        }
        match action {
            Action::Back => return Outcome::Cancel,
            Action::Up => self.step(-1),
            Action::Down => self.step(1),
            Action::Left => {
                if let Some(f) = self.field_mut() {
                    f.cycle(-1);
                }
            }
            Action::Right => {
                if let Some(f) = self.field_mut() {
                    f.cycle(1);
                }
            }
            Action::FilterChar(c) => {
                if let Some(f) = self.field_mut() {
                    f.type_char(c);
                }
            }
            Action::FilterBackspace => {
                if let Some(f) = self.field_mut() {
                    if !matches!(f.input, Input::Choice(_)) {
                        f.value.pop();
                    }
                }
            }
            Action::FilterDone => {
                return match self.rows.get(self.selected) {
                    None => Outcome::Submit,
                    Some(Row::Add { group, .. }) => Outcome::Add {
                        group: group.clone(),
                        at: self.selected,
                    },
                    Some(_) => {
                        self.step(1);
                        Outcome::Editing
                    }
                };
            }
            _ => {}
        }
        Outcome::Editing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Message {
        Message::new(s, s)
    }

    #[test]
    fn typing_moving_cycling_adding_and_submitting() {
        let mut f = Form::new(
            m("t"),
            vec![
                Row::Heading(m("h")),
                Row::Field(Field::text("scope", m("scope"), "")),
                Row::Field(Field::text("level", m("level"), "3").with(Input::Number {
                    min: 1,
                    max: 5,
                    optional: false,
                })),
                Row::Field(Field::text("t", m("t"), "").with(Input::Choice(vec![
                    ("a".into(), m("A")),
                    ("b".into(), m("B")),
                ]))),
                Row::Add {
                    group: "problem".into(),
                    label: m("+"),
                },
            ],
            m("ok"),
        );
        assert_eq!(f.selected, 1, "headings are skipped");
        for c in "平台".chars() {
            f.handle(Action::FilterChar(c));
        }
        assert_eq!(f.handle(Action::FilterDone), Outcome::Editing);
        f.handle(Action::FilterChar('9'));
        assert_eq!(f.value("level"), "3", "off the scale");
        f.handle(Action::FilterChar('5'));
        f.handle(Action::Right);
        assert_eq!(f.value("level"), "5");
        f.handle(Action::Down);
        f.handle(Action::Right);
        f.handle(Action::Right);
        assert_eq!(f.value("t"), "b");
        assert_eq!(f.fields().nth(2).unwrap().shown(Lang::En), "B");
        f.handle(Action::Down);
        assert_eq!(
            f.handle(Action::FilterDone),
            Outcome::Add {
                group: "problem".into(),
                at: 4
            }
        );
        f.insert(4, vec![Row::Field(Field::text("p.0", m("p"), ""))]);
        assert_eq!(f.selected, 4);
        f.handle(Action::Down);
        f.handle(Action::Down);
        assert_eq!(f.handle(Action::FilterDone), Outcome::Submit);
        assert_eq!(f.value("scope"), "平台");
        assert_eq!(f.handle(Action::Back), Outcome::Cancel);
    }
}
