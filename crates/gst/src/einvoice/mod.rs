//! e-invoicing (rule 48(4)): the INV-01 v1.1 JSON the IRP takes, the IRN it will assign, and
//! reading the IRP's answer back.
//!
//! Amounts are written as exact decimal literals (`8691.41`), never through floating point.
//!
//! # The IRP response accepted by [`import_irn_response`]
//!
//! The decrypted "Generate IRN" answer, either bare or inside the IRP's envelope:
//!
//! ```json
//! {"AckNo": 112510000012345, "AckDt": "2025-11-01 12:30:00",
//!  "Irn": "<64 lowercase hex>", "SignedInvoice": "<JWT>", "SignedQRCode": "<JWT>",
//!  "Status": "ACT", "EwbNo": null, "EwbDt": null, "EwbValidTill": null, "Remarks": null}
//! ```
//!
//! ```json
//! {"Status": "1", "Data": { ...as above... } | "<the same object as a JSON string>",
//!  "ErrorDetails": null, "InfoDtls": null}
//! ```
//!
//! or a GSP's wrapper of it:
//!
//! ```json
//! {"success": true, "message": "IRN generated successfully", "result": { ...as above... }}
//! ```
//!
//! `Status` `"0"` (or `0`) or `"success": false` is a rejection: its `ErrorDetails`
//! (`[{"ErrorCode", "ErrorMessage"}]`) or `message` become the error message. `AckNo` may be a
//! number or a string of digits; `AckDt` is `YYYY-MM-DD HH:MM:SS`. `SignedQRCode` must
//! be a JWT whose payload carries `data` (an object, or an object as a JSON string) with at
//! least `Irn`; its `SellerGstin`, `BuyerGstin`, `DocNo` and `DocTyp`, when present, are checked
//! against the invoice when the response is attached. The JWT signature (NIC's RS256 key) is
//! not verified here.

use crate::draft::DocumentType;
use crate::{FinancialYear, Gstin, InvoiceNumber};
use sha2::{Digest, Sha256};

mod request;
mod response;

pub use request::*;
pub use response::*;

/// The most lines an e-invoice may carry.
pub const MAX_EINVOICE_LINES: usize = 1000;

/// The IRN the IRP assigns: lowercase hex SHA-256 of
/// `supplier GSTIN + financial year ("2025-26") + document type code + document number`,
/// with the number upper-cased as the IRP has done since 01-06-2025.
pub fn irn_for(
    seller: &Gstin,
    fy: FinancialYear,
    doc_type: DocumentType,
    number: &InvoiceNumber,
) -> String {
    irn_hash(
        seller.as_str(),
        fy,
        doc_type,
        &number.as_str().to_ascii_uppercase(),
    )
}

/// The bare IRN hash over the strings as given (no validation, no case change): lowercase hex
/// SHA-256 of `seller + fy + type code + number`.
pub fn irn_hash(seller: &str, fy: FinancialYear, doc_type: DocumentType, number: &str) -> String {
    let input = format!("{seller}{fy}{}{number}", doc_type.einvoice_code());
    let digest = Sha256::digest(input.as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest.iter() {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// The IRNs the IRP may have assigned to this document: the upper-cased form, and the
/// as-typed form used before 01-06-2025 when it differs.
pub(crate) fn acceptable_irns(
    seller: &Gstin,
    fy: FinancialYear,
    doc_type: DocumentType,
    number: &InvoiceNumber,
) -> Vec<String> {
    let mut v = vec![irn_for(seller, fy, doc_type, number)];
    let as_typed = irn_hash(seller.as_str(), fy, doc_type, number.as_str());
    if !v.contains(&as_typed) {
        v.push(as_typed);
    }
    v
}

/// `dd/mm/yyyy`.
pub(crate) fn dmy_slash(d: time::Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}
