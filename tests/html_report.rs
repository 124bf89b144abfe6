//! Renders the demo HTML report with headless Chromium (tests/html_report_chromium.sh) where
//! Chromium is installed, as CI installs it; elsewhere says it skipped and passes.

use std::path::Path;
use std::process::Command;

#[test]
fn html_report_renders_in_chromium() {
    if !Path::new("/usr/bin/chromium").exists() {
        println!("skipped: chromium not installed (/usr/bin/chromium missing)");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/html_report_chromium.sh");
    let run = Command::new("bash")
        .arg(&script)
        .arg(out.path())
        .env("ANBAO_BIN", env!("CARGO_BIN_EXE_anbao"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    println!("{stdout}");
    assert!(run.status.success(), "{stdout}\n{stderr}");
    for lang in ["zh", "en"] {
        assert!(
            stdout.contains(&format!("{lang}: ")) && stdout.contains("A4 page(s)"),
            "{stdout}"
        );
        for ext in ["png", "pdf"] {
            let file = out.path().join(format!("report-{lang}.{ext}"));
            let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            assert!(size > 10_240, "{} is {size} bytes", file.display());
        }
    }
}
