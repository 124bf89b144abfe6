//! The TUI at issue 7's scale, on the 50,000-component benchmark workspace:
//! `cargo bench --bench tui`.
//!
//! - First frame: from nothing to the first full frame of the Acceptance screen (the worker's
//!   load and check, the `Loaded` action, one draw into a `TestBackend`), against loading and
//!   checking the inventory alone, interleaved in the same run. Target: ≤ 1.2 ×.
//! - Keys: `update` plus a redraw for scrolling, paging, the verdict and category filters and
//!   typing a filter (each keystroke filters all 50,000 rows). Target: median ≤ 16 ms per key.
//!
//! `ANBAO_BENCH_COMPONENTS` picks the size, `ANBAO_BENCH_ITERS` the first-frame iterations
//! (default 5, after one warm-up).

use anbao::acceptance;
use anbao::i18n::Lang;
use anbao::inventory;
use anbao::tui::app::{update, Action, App};
use anbao::tui::keys::KeyMap;
use anbao::workspace::Workspace;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

/// The binary's allocator (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/workspace.rs"]
mod support;

use support::{env_usize, gen_sbom, workspace};

const SIZE: (u16, u16) = (120, 40);

fn as_of() -> chrono::NaiveDate {
    "2026-11-28".parse().unwrap()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Loading and checking alone: what `anbao check` does before it writes anything. The result
/// is returned so that, as with the first frame, freeing it is not timed.
fn load_and_check(dir: &Path) -> (acceptance::Report, acceptance::Inputs) {
    let ws = Workspace::open(dir).unwrap();
    let found = ws.inventories().unwrap();
    let inv = inventory::load(&found.files).unwrap();
    let inputs = acceptance::load_policy_inputs(ws, inv, &found).unwrap();
    let report = acceptance::run(&inputs, as_of());
    (report, inputs)
}

/// The TUI from nothing to its first full frame, through the calls the worker thread makes.
fn first_frame(dir: &Path) -> (App, Terminal<TestBackend>) {
    let mut app = App::new(Lang::Zh, KeyMap::default(), true, SIZE);
    let loaded =
        anbao::tui::load_workspace(Some(dir.to_path_buf()), as_of(), &|_, _, _| {}).unwrap();
    update(&mut app, Action::Loaded(Box::new(loaded)));
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    terminal.draw(|f| anbao::tui::view::draw(f, &app)).unwrap();
    (app, terminal)
}

/// Times `update(action)` and one redraw.
fn key(app: &mut App, terminal: &mut Terminal<TestBackend>, action: Action) -> Duration {
    let t = Instant::now();
    update(app, action);
    terminal.draw(|f| anbao::tui::view::draw(f, app)).unwrap();
    t.elapsed()
}

fn main() {
    let components = env_usize("ANBAO_BENCH_COMPONENTS", gen_sbom::DEFAULT_COMPONENTS);
    let iterations = env_usize("ANBAO_BENCH_ITERS", 5).max(1);
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), components);
    println!(
        "tui benchmark: {components} components, {iterations} iterations, {}x{}",
        SIZE.0, SIZE.1
    );

    // First frame against load + check, interleaved after one warm-up of each.
    load_and_check(dir.path());
    drop(first_frame(dir.path()));
    let (mut base, mut frames) = (Vec::new(), Vec::new());
    for _ in 0..iterations {
        let t = Instant::now();
        let checked = load_and_check(dir.path());
        base.push(t.elapsed());
        drop(black_box(checked));
        let t = Instant::now();
        let shown = first_frame(dir.path());
        frames.push(t.elapsed());
        drop(shown);
    }
    let (b, f) = (median(base), median(frames));
    let ratio = f.as_secs_f64() / b.as_secs_f64();

    // Keys on the loaded screen.
    let (mut app, mut terminal) = first_frame(dir.path());
    let rows = app.acceptance.as_ref().map_or(0, |a| a.visible.len());
    assert_eq!(
        rows,
        components + 1,
        "every component is a row (plus the root)"
    );
    let mut groups: Vec<(&str, Vec<Duration>)> = Vec::new();
    let mut time = |name: &'static str, actions: Vec<Action>, app: &mut App| {
        let times: Vec<Duration> = actions
            .into_iter()
            .map(|a| key(app, &mut terminal, a))
            .collect();
        groups.push((name, times));
    };
    time(
        "scroll down (Down x200)",
        (0..200).map(|_| Action::Down).collect(),
        &mut app,
    );
    time(
        "page down (PageDown x100)",
        (0..100).map(|_| Action::PageDown).collect(),
        &mut app,
    );
    time(
        "end / home",
        vec![Action::End, Action::Home, Action::End, Action::Home],
        &mut app,
    );
    time(
        "verdict filter (x8)",
        (0..8).map(|_| Action::CycleVerdictFilter).collect(),
        &mut app,
    );
    time(
        "category filter (x12)",
        (0..12).map(|_| Action::CycleCategoryFilter).collect(),
        &mut app,
    );
    let mut typing = vec![Action::ClearFilters, Action::StartFilter];
    typing.extend("module-1".chars().map(Action::FilterChar));
    typing.extend((0..4).map(|_| Action::FilterBackspace));
    typing.push(Action::FilterDone);
    time("type a filter (per key)", typing, &mut app);

    println!("\n{:<30} {:>10} {:>10}", "measure", "median ms", "max ms");
    println!("{:<30} {:>10.1}", "load + check (baseline)", ms(b));
    println!("{:<30} {:>10.1}", "first full frame", ms(f));
    println!(
        "ratio first frame / load + check: {ratio:.2} (target ≤ 1.20) {}",
        if ratio <= 1.2 { "PASS" } else { "MISS" }
    );
    let mut all = Vec::new();
    for (name, times) in &groups {
        let max = times.iter().max().copied().unwrap_or_default();
        println!(
            "{name:<30} {:>10.2} {:>10.2}",
            ms(median(times.clone())),
            ms(max)
        );
        all.extend(times.iter().copied());
    }
    let m = median(all);
    println!(
        "median per key over all {} keys: {:.2} ms (target ≤ 16) {}",
        groups.iter().map(|(_, t)| t.len()).sum::<usize>(),
        ms(m),
        if ms(m) <= 16.0 { "PASS" } else { "MISS" }
    );
}
