//! Response models. Every field is optional (CloudStack versions differ and omit nulls), every
//! field is read leniently (ids may be numbers, booleans and counts may be strings), and unknown
//! fields are ignored. Date-times are kept as CloudStack sends them (`2024-01-31T10:00:00+0000`);
//! [`parse_datetime`] converts them.

use crate::de::model;

/// Parses a CloudStack date-time (`yyyy-MM-dd'T'HH:mm:ssZ`, with `+0000`, `+05:30` or `Z`).
pub fn parse_datetime(s: &str) -> Option<time::OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    // `+0000` style offsets: insert the colon and retry.
    let b = s.as_bytes();
    if b.len() >= 5 {
        let (head, tail) = s.split_at(s.len() - 5);
        let tb = tail.as_bytes();
        if (tb[0] == b'+' || tb[0] == b'-') && tb[1..].iter().all(u8::is_ascii_digit) {
            let fixed = format!("{head}{}:{}", &tail[..3], &tail[3..]);
            return time::OffsetDateTime::parse(&fixed, &Rfc3339).ok();
        }
    }
    None
}

mod accounts;
mod balancer;
mod catalog;
mod jobs;
mod kubernetes;
mod network;
mod storage;
mod usage;
mod vms;

pub use accounts::*;
pub use balancer::*;
pub use catalog::*;
pub use jobs::*;
pub use kubernetes::*;
pub use network::*;
pub use storage::*;
pub use usage::*;
pub use vms::*;

model! {
    /// A resource tag (`key`/`value`).
    pub struct Tag {
        /// Tag name.
        pub key: String,
        /// Tag value.
        pub value: String,
        /// Resource type the tag is on.
        pub resourcetype: String,
        /// Resource id the tag is on.
        pub resourceid: String,
    }
}

model! {
    /// The answer of delete-type commands: `{"success": true, "displaytext": "..."}`.
    pub struct Success {
        /// Whether it worked (sometimes a string on the wire).
        pub success: bool,
        /// Optional text.
        pub displaytext: String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_fields() {
        let vm: VirtualMachine = serde_json::from_str(
            r#"{"id":2600,"cpunumber":"4","memory":4096,"haenable":"true","nic":[{"id":1,"isdefault":true}],"unknown":{"x":1}}"#,
        )
        .unwrap();
        assert_eq!(vm.id.as_deref(), Some("2600"));
        assert_eq!(vm.cpunumber, Some(4));
        assert_eq!(vm.haenable, Some(true));
        assert_eq!(vm.nic.as_ref().map(Vec::len), Some(1));
        let out = serde_json::to_string(&Success::default()).unwrap();
        assert_eq!(out, "{}");
    }

    #[test]
    fn datetimes() {
        let t = parse_datetime("2011-06-23T05:06:42+0000").unwrap();
        assert_eq!(t.unix_timestamp(), 1_308_805_602);
        assert!(parse_datetime("2021-09-29T17:50:11+0530").is_some());
        assert!(parse_datetime("2026-08-03T17:42:59.400Z").is_some());
        assert!(parse_datetime("nope").is_none());
    }
}
