//! A spinner on stderr while an async job runs (hidden when stderr is not a terminal).

use akashone_cloudstack::JobOptions;
use akashone_cloudstack::model::JobState;
use indicatif::{ProgressBar, ProgressStyle};
use std::time::Duration;

/// A spinner bound to one job.
pub struct JobSpinner {
    bar: ProgressBar,
}

impl JobSpinner {
    /// Starts a spinner for `command`'s job `jobid`.
    pub fn start(command: &str, jobid: &str) -> Self {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(format!("{command}: waiting for job {jobid}"));
        bar.enable_steady_tick(Duration::from_millis(120));
        Self { bar }
    }

    /// Job options that update this spinner after each poll.
    pub fn options(&self, base: JobOptions) -> JobOptions {
        let bar = self.bar.clone();
        base.with_progress(move |p| {
            let phase = match p.state {
                JobState::Pending => "running",
                JobState::Succeeded => "succeeded",
                JobState::Failed => "failed",
                JobState::Cancelled => "cancelled",
            };
            let mut msg = format!("{}: job {} {phase} (poll {})", p.command, p.jobid, p.polls);
            if let Some(n) = p.jobprocstatus.filter(|n| *n > 0) {
                msg.push_str(&format!(", step {n}"));
            }
            bar.set_message(msg);
        })
    }

    /// Replaces the spinner's message.
    pub fn message(&self, msg: String) {
        self.bar.set_message(msg);
    }

    /// Stops the spinner, leaving a final line.
    pub fn finish(&self, ok: bool) {
        if ok {
            self.bar.finish();
        } else {
            self.bar.abandon();
        }
    }
}
