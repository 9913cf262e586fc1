//! GST billing on the server: validating seller profiles, customers' billing details and rate
//! cards into the GST library's types; billing runs that rate each customer's CloudStack usage
//! and issue its invoice; credit and debit notes; IRN import; and the documents as the API
//! shows them.
//!
//! Each tenant with children is a seller to them: the platform invoices its direct children
//! (resellers, for their whole subtree's usage, at the platform's prices), a reseller invoices
//! its customers at its own. Dates of documents are Indian dates (IST).

pub(crate) mod document;
pub(crate) mod issue;
pub(crate) mod profile;
pub(crate) mod run;

use akashone_gst::draft::iso_date;
use akashone_gst::{GstError, Paise};
use akashone_types::ErrorCode;
use time::{Date, Month, OffsetDateTime, UtcOffset};

use crate::context::{AppState, Caller};
use crate::db::{DocumentHead, Tenant};
use crate::error::{Error, Result};

/// India Standard Time, UTC+05:30: the date on an Indian invoice.
const IST: UtcOffset = match UtcOffset::from_hms(5, 30, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// Today's date in India at Unix time `now`.
pub(crate) fn today(now: i64) -> Date {
    OffsetDateTime::from_unix_timestamp(now)
        .map(|t| t.to_offset(IST).date())
        .unwrap_or(Date::MIN)
}

/// A GST library refusal as an API error: the message names the field and value.
pub(crate) fn gst_error(e: GstError) -> Error {
    match e.code() {
        ErrorCode::Conflict => Error::Conflict(e.to_string()),
        // Not the caller's input: never answered as `invalid_input`.
        ErrorCode::Storage | ErrorCode::Internal => Error::Internal(e.to_string()),
        _ => Error::Invalid(e.to_string()),
    }
}

/// `16211.26` from paise.
pub(crate) fn rupees(paise: i64) -> String {
    match Paise::new(paise) {
        Some(p) => p.to_rupee_string(),
        // Beyond what an invoice holds; shown plainly rather than wrongly.
        None => format!("{paise} paise"),
    }
}

/// A calendar month billed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Period {
    /// `2026-10`.
    pub label: String,
    /// First day.
    pub first: Date,
    /// Last day.
    pub last: Date,
}

impl Period {
    /// Reads `YYYY-MM`.
    pub(crate) fn parse(input: &str) -> Result<Self> {
        let bad = || {
            Error::Invalid(format!(
                "period: {input:?} is not a month; write it as YYYY-MM, e.g. \"2026-10\"."
            ))
        };
        let s = input.trim();
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month = m
            .parse::<u8>()
            .ok()
            .and_then(|m| Month::try_from(m).ok())
            .ok_or_else(bad)?;
        if !(2017..=9999).contains(&year) {
            return Err(Error::Invalid(format!(
                "period: {input:?} is outside the GST era (July 2017 on)."
            )));
        }
        let first = Date::from_calendar_date(year, month, 1).map_err(|_| bad())?;
        let last = Date::from_calendar_date(year, month, month.length(year)).map_err(|_| bad())?;
        Ok(Period {
            label: format!("{year:04}-{:02}", u8::from(month)),
            first,
            last,
        })
    }

    /// `October 2026`, as printed on the lines.
    pub(crate) fn name(&self) -> String {
        format!("{} {}", self.first.month(), self.first.year())
    }
}

/// Reads a `YYYY-MM-DD` date of a request field.
pub(crate) fn parse_date(field: &str, input: &str) -> Result<Date> {
    iso_date::parse(input).map_err(|e| Error::Invalid(format!("{field}: {e}.")))
}

/// The document `id` when the caller may see it: issued by or to a tenant in the caller's
/// subtree. Otherwise not found, so ids of other subtrees reveal nothing.
pub(crate) async fn visible_document(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<crate::db::DocumentRecord> {
    let not_found = || Error::NotFound(format!("Document {id}"));
    let doc = state.db.document(id).await?.ok_or_else(not_found)?;
    let mine = |t: Option<Tenant>| t.is_some_and(|t| caller.tenant.contains(&t));
    if mine(state.db.tenant(&doc.head.seller_tenant_id).await?)
        || mine(state.db.tenant(&doc.head.customer_tenant_id).await?)
    {
        Ok(doc)
    } else {
        Err(not_found())
    }
}

/// Refuses a change to a document unless the caller's subtree holds its seller: a customer
/// may read the documents addressed to it, never register or correct them.
pub(crate) async fn require_seller_side(
    state: &AppState,
    caller: &Caller,
    head: &DocumentHead,
) -> Result<Tenant> {
    match state.db.tenant(&head.seller_tenant_id).await? {
        Some(t) if caller.tenant.contains(&t) => Ok(t),
        _ => Err(Error::Forbidden(format!(
            "Only the seller changes {} {}: it was issued to your organisation.",
            match head.kind {
                akashone_types::central::DocumentKind::Invoice => "invoice",
                akashone_types::central::DocumentKind::CreditNote => "credit note",
                akashone_types::central::DocumentKind::DebitNote => "debit note",
            },
            head.number
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_months() {
        let p = Period::parse("2026-10").unwrap();
        assert_eq!(p.first.to_string(), "2026-10-01");
        assert_eq!(p.last.to_string(), "2026-10-31");
        assert_eq!(p.name(), "October 2026");
        assert_eq!(Period::parse("2028-02").unwrap().last.day(), 29);
        for bad in [
            "2026-13", "2026-1", "26-10", "2026/10", "", "2016-12", "2026-00",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn india_is_five_and_a_half_hours_ahead() {
        // 2026-03-31 19:00 UTC is already 1 April in India.
        let t = time::macros::datetime!(2026-03-31 19:00 UTC).unix_timestamp();
        assert_eq!(today(t).to_string(), "2026-04-01");
        assert_eq!(rupees(-26), "-0.26");
        assert_eq!(rupees(1_621_100), "16211.00");
    }
}
