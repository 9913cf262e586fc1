//! Async job status (`queryAsyncJobResult`).

use crate::de::model;
use serde_json::Value;

model! {
    /// The state of an asynchronous job (`queryAsyncJobResult`, items of `listAsyncJobs`).
    pub struct AsyncJobStatus {
        /// Job id.
        pub jobid: String,
        /// 0 pending, 1 succeeded, 2 failed, 3 cancelled.
        pub jobstatus: i64,
        /// Progress counter reported by some commands.
        pub jobprocstatus: i64,
        /// 0 on success, otherwise an error code.
        pub jobresultcode: i64,
        /// Result type (`object`).
        pub jobresulttype: String,
        /// The result: `{"virtualmachine": {...}}`, `{"success": true}` or `{errorcode, errortext}`.
        pub jobresult: Value,
        /// Java class of the command.
        pub cmd: String,
        /// Instance type the job works on.
        pub jobinstancetype: String,
        /// Instance id the job works on.
        pub jobinstanceid: String,
        /// Account id.
        pub accountid: String,
        /// User id.
        pub userid: String,
        /// Creation date.
        pub created: String,
        /// Completion date.
        pub completed: String,
    }
}

/// The phase of an async job, from its `jobstatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Still running (0).
    Pending,
    /// Finished successfully (1).
    Succeeded,
    /// Finished with an error (2).
    Failed,
    /// Cancelled (3).
    Cancelled,
}

impl AsyncJobStatus {
    /// The job phase; an unknown or missing status counts as pending.
    pub fn state(&self) -> JobState {
        match self.jobstatus {
            Some(1) => JobState::Succeeded,
            Some(2) => JobState::Failed,
            Some(3) => JobState::Cancelled,
            _ => JobState::Pending,
        }
    }
}
