//! The terminal UI: one `App` state, `Action`s from keys, mouse and background work, `update`,
//! and views that only read the state. Domain work happens in the core, on a worker thread.

pub mod acceptance;
mod acceptance_view;
pub mod app;
pub mod assess;
mod assess_risks;
mod assess_sign;
pub mod assess_view;
mod dialog_view;
mod drill_finish;
mod drill_forms;
pub mod drills;
mod drills_view;
pub mod form;
pub mod keys;
mod person;
pub mod records;
mod records_detail_view;
mod records_todo;
mod records_todo_view;
mod records_view;
mod risks_view;
pub mod signing;
mod stamp;
pub mod text;
pub mod view;
mod vuln_view;

use crate::i18n::Lang;
use app::{update, Action, App, Loaded};
use chrono::NaiveDate;
use keys::KeyMap;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// What the command line decided for the session.
pub struct Options {
    pub lang: Lang,
    pub workspace: Option<PathBuf>,
    pub as_of: NaiveDate,
    pub color: bool,
    pub keymap: KeyMap,
}

enum Message {
    Input(Event),
    Action(Action),
}

/// Runs the TUI until the user quits. The terminal is restored on return, on a panic (ratatui's
/// hook) and on SIGTERM, SIGINT or SIGHUP.
pub fn run(opts: Options) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        previous(info);
    }));
    let mut terminal = ratatui::init();
    execute!(std::io::stdout(), EnableMouseCapture)?;
    let result = event_loop(&mut terminal, opts, &stop);
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    opts: Options,
    stop: &AtomicBool,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    let mut app = App::new(
        opts.lang,
        opts.keymap,
        opts.color,
        (size.width, size.height),
    );
    app.user_file = crate::user::file();
    app.person = crate::user::User::current().person();
    let (tx, rx) = mpsc::channel::<Message>();
    spawn_loader(tx.clone(), opts.workspace.clone(), opts.as_of);
    spawn_ledger_reader(tx.clone(), opts.workspace);
    std::thread::spawn(move || {
        while let Ok(ev) = event::read() {
            if tx.send(Message::Input(ev)).is_err() {
                break;
            }
        }
    });
    while !app.should_quit {
        terminal.draw(|f| view::draw(f, &app))?;
        let message = match rx.recv_timeout(Duration::from_millis(250)) {
            Ok(m) => Some(m),
            // A quiet moment: the drill clock moves on, and the screens look for files
            // changed by another terminal.
            Err(mpsc::RecvTimeoutError::Timeout) => Some(Message::Action(Action::Tick(
                chrono::Local::now().fixed_offset(),
            ))),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let action = match message {
            Some(Message::Action(a)) => Some(a),
            Some(Message::Input(Event::Key(k))) if k.kind == event::KeyEventKind::Press => {
                app.keymap.action_on(&k, app.is_typing(), app.screen)
            }
            // A click on the top row picks a screen by its tab; elsewhere it is the screen's.
            Some(Message::Input(Event::Mouse(m)))
                if m.row == 0 && matches!(m.kind, event::MouseEventKind::Down(_)) =>
            {
                view::tab_at(m.column, app.lang).map(Action::GoToScreen)
            }
            Some(Message::Input(Event::Mouse(m))) => keys::action_for_mouse(&m),
            Some(Message::Input(Event::Resize(w, h))) => Some(Action::Resize(w, h)),
            _ => None,
        };
        if let Some(a) = action {
            update(&mut app, a);
        }
    }
    Ok(())
}

/// Loads the workspace and runs the check off the UI thread, reporting progress as actions.
fn spawn_loader(tx: mpsc::Sender<Message>, workspace: Option<PathBuf>, as_of: NaiveDate) {
    std::thread::spawn(move || {
        let result = load(&tx, workspace.clone(), as_of);
        // The assessment screen needs the verdict only; the full report goes to the table.
        let report = result.as_ref().ok().map(|l| l.report.summary());
        let action = match result {
            Ok(loaded) => Action::Loaded(Box::new(loaded)),
            Err(e) => Action::LoadFailed(format!("{e:#}")),
        };
        let _ = tx.send(Message::Action(action));
        if let Ok(ws) = crate::workspace::Workspace::locate(workspace.as_deref()) {
            let state = assess::AssessState::load(ws, as_of, report, String::new());
            let _ = tx.send(Message::Action(Action::AssessLoaded(Box::new(state))));
        }
        let now = chrono::Local::now().fixed_offset();
        let drills = drills::DrillsState::load(workspace, as_of, now).map_err(|e| format!("{e:#}"));
        let _ = tx.send(Message::Action(Action::DrillsLoaded(Box::new(drills))));
    });
}

/// How often the records screen looks for records filed elsewhere.
const LEDGER_POLL: Duration = Duration::from_secs(2);

/// Reads and verifies the ledger off the UI thread, reporting each step as an action, and
/// again whenever the ledger changes, for as long as the UI runs.
fn spawn_ledger_reader(tx: mpsc::Sender<Message>, workspace: Option<PathBuf>) {
    std::thread::spawn(move || {
        records::watch(workspace, LEDGER_POLL, &|action| {
            tx.send(Message::Action(action)).is_ok()
        });
    });
}

/// The same core calls as `anbao check`.
pub fn load_workspace(
    workspace: Option<PathBuf>,
    as_of: NaiveDate,
    progress: &dyn Fn(usize, usize, &std::path::Path),
) -> anyhow::Result<Loaded> {
    let ws = crate::workspace::Workspace::locate(workspace.as_deref())?;
    let found = ws.inventories()?;
    let total = found.files.len();
    let inputs = crate::acceptance::load_inputs(ws, &found, || {
        crate::inventory::load_with(&found.files, &|i, p| progress(i, total, p))
    })?;
    let report = crate::acceptance::run(&inputs, as_of);
    Ok(Loaded {
        report,
        inventory: inputs.inventory,
    })
}

fn load(
    tx: &mpsc::Sender<Message>,
    workspace: Option<PathBuf>,
    as_of: NaiveDate,
) -> anyhow::Result<Loaded> {
    load_workspace(workspace, as_of, &|done, total, path| {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = tx.send(Message::Action(Action::Progress { done, total, file }));
    })
}
