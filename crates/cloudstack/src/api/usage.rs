//! Usage records (what billing rates) and the event log.

use super::Command;
use crate::client::Client;
use crate::error::Result;
use crate::model::*;
use crate::params::Params;

list_request! {
    /// `listUsageRecords`: `startdate` and `enddate` (`yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss`)
    /// are required.
    ListUsageRecords => "listUsageRecords" {
        /// Period start (required).
        startdate: String,
        /// Period end (required).
        enddate: String,
        /// Usage type (see [`UsageRecord::usagetype`]).
        r#type: i64,
        /// Usage id.
        usageid: String,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Account id.
        accountid: String,
        /// Project id.
        projectid: String,
        /// Include subdomains.
        isrecursive: bool,
        /// Include resource tags.
        includetags: bool,
    }
}

list_request! {
    /// `listEvents`.
    ListEvents => "listEvents" {
        /// Event id.
        id: String,
        /// Type, e.g. `VM.CREATE`.
        r#type: String,
        /// Level.
        level: String,
        /// From date.
        startdate: String,
        /// To date.
        enddate: String,
        /// Events of the last N days.
        duration: i64,
        /// Resource id.
        resourceid: String,
        /// Resource type.
        resourcetype: String,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

impl Client {
    /// `listUsageRecords`, every page.
    pub async fn list_usage_records(&self, req: &ListUsageRecords) -> Result<Vec<UsageRecord>> {
        self.list_typed(req, "usagerecord").await
    }

    /// `listEvents`, every page.
    pub async fn list_events(&self, req: &ListEvents) -> Result<Vec<Event>> {
        self.list_typed(req, "event").await
    }
}
