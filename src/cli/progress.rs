//! Progress on stderr for loads that take more than a second, and only on a terminal.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a load runs silently before a progress line appears.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// Runs `work` on a worker thread; while it reads files, shows which one on stderr once the
/// work has taken over a second. `work` reports each file it starts through the callback.
pub fn with_progress<T: Send>(
    label: &str,
    total: usize,
    work: impl FnOnce(&dyn Fn(usize, &Path)) -> T + Send,
) -> T {
    if !std::io::stderr().is_terminal() {
        return work(&|_, _| {});
    }
    let (tx, rx) = mpsc::channel::<(usize, String)>();
    std::thread::scope(|scope| {
        let handle = scope.spawn(move || {
            let report = move |i: usize, p: &Path| {
                let _ = tx.send((i, p.display().to_string()));
            };
            work(&report)
        });
        let started = Instant::now();
        let mut bar: Option<ProgressBar> = None;
        let mut last = (0, String::new());
        loop {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(msg) => last = msg,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            if bar.is_none() && started.elapsed() >= QUIET_FOR {
                let b = ProgressBar::new(total as u64);
                b.set_style(
                    ProgressStyle::with_template("{spinner} {prefix} [{pos}/{len}] {wide_msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                b.set_prefix(label.to_string());
                b.enable_steady_tick(Duration::from_millis(120));
                bar = Some(b);
            }
            if let Some(b) = &bar {
                b.set_position(last.0 as u64);
                b.set_message(last.1.clone());
            }
        }
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        match handle.join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}
