//! The TUI in a real terminal: a detached tmux session running one command, driven by keys
//! and read by capturing the pane. The session, and every process in it, ends when the
//! [`Session`] is dropped, so a failed assertion (which unwinds through the drop) leaves no
//! session or TUI running behind it.

use std::path::PathBuf;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether tmux is installed; tests skip themselves, with a message, where it is not.
pub fn available() -> bool {
    let found = Command::new("tmux").arg("-V").output().is_ok();
    if !found {
        eprintln!("skipped: tmux is not installed");
    }
    found
}

pub struct Session {
    pub name: String,
    /// Where the command's exit code is written when it ends.
    marker: PathBuf,
    /// The pane's first process, which leads the process group the command runs in.
    pane_pid: Option<u32>,
}

impl Session {
    /// Runs `command` (a shell command line) in a new session of `size` columns and rows.
    pub fn start(tag: &str, size: (u16, u16), command: &str) -> Session {
        let name = format!("anbao-e2e-{tag}-{}", std::process::id());
        let marker = std::env::temp_dir().join(format!("{name}.exit"));
        let _ = std::fs::remove_file(&marker);
        let (w, h) = (size.0.to_string(), size.1.to_string());
        let command = format!("{command}; echo $? > '{}'", marker.display());
        tmux(&[
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            &w,
            "-y",
            &h,
            &command,
        ]);
        let pane_pid = tmux(&["list-panes", "-t", &name, "-F", "#{pane_pid}"])
            .trim()
            .parse()
            .ok();
        Session {
            name,
            marker,
            pane_pid,
        }
    }

    /// The pane's first process, leader of the process group the command runs in.
    pub fn pane_pid(&self) -> Option<u32> {
        self.pane_pid
    }

    /// Sends keys by tmux's names (`Enter`, `Escape`, `j` ...).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend_from_slice(keys);
        tmux(&args);
    }

    /// Sends `text` as it is (mouse codes, say).
    pub fn literal(&self, text: &str) {
        tmux(&["send-keys", "-t", &self.name, "-l", text]);
    }

    /// What the pane shows.
    pub fn pane(&self) -> String {
        tmux(&["capture-pane", "-t", &self.name, "-p"])
    }

    /// Waits until the pane shows `needle`, or fails after a while with what it shows.
    pub fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let pane = self.pane();
            if pane.contains(needle) {
                return pane;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("'{needle}' did not appear; the pane shows:\n{pane}");
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// Waits for the command to end and returns its exit code ("" if it did not end).
    pub fn exit_code(&self) -> String {
        let start = Instant::now();
        while !self.marker.exists() && start.elapsed() < Duration::from_secs(10) {
            sleep(Duration::from_millis(100));
        }
        std::fs::read_to_string(&self.marker)
            .unwrap_or_default()
            .trim()
            .to_string()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Closing the session hangs up on the TUI, which restores the terminal and exits.
        tmux(&["kill-session", "-t", &self.name]);
        let _ = std::fs::remove_file(&self.marker);
        // Should anything of this session's still run (a TUI that ignored the hang-up), it is
        // ended by its process group, which is the pane's and nobody else's.
        if let Some(pid) = self.pane_pid {
            let group = format!("-{pid}");
            let alive = || {
                Command::new("kill")
                    .args(["-0", "--", &group])
                    .stderr(std::process::Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            };
            let start = Instant::now();
            while alive() && start.elapsed() < Duration::from_secs(3) {
                sleep(Duration::from_millis(50));
            }
            if alive() {
                let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            }
        }
    }
}
