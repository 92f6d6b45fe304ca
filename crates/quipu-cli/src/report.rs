//! Messages on standard error, and the progress bar.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Reports errors and warnings on standard error without garbling the progress bar, and
/// remembers whether any input failed.
pub struct Reporter {
    quiet: bool,
    bar: Option<ProgressBar>,
    failed: AtomicBool,
}

impl Reporter {
    /// A reporter; `quiet` silences warnings (never errors).
    pub fn new(quiet: bool) -> Reporter {
        Reporter {
            quiet,
            bar: None,
            failed: AtomicBool::new(false),
        }
    }

    /// Shows a progress bar of `total` steps, when standard error is a terminal, the reporter
    /// is not quiet, and there is more than one step.
    pub fn progress(&mut self, total: u64) {
        if self.quiet || total < 2 || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed} (eta {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        self.bar = Some(bar);
    }

    /// One step done.
    pub fn step(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Removes the progress bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn print(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Reports an input that failed; the exit code will be 1.
    pub fn error(&self, message: &str) {
        self.failed.store(true, Ordering::Relaxed);
        self.print(&format!("quipu: error: {message}"));
    }

    /// Reports something the user may want to know (unless quiet).
    pub fn warn(&self, message: &str) {
        if !self.quiet {
            self.print(&format!("quipu: warning: {message}"));
        }
    }

    /// Whether any input failed.
    pub fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }

    /// The status to exit with.
    pub fn status(&self) -> crate::Status {
        if self.failed() {
            crate::Status::SomeFailed
        } else {
            crate::Status::Ok
        }
    }
}
