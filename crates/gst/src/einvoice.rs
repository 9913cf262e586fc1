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

use crate::compute::ComputedInvoice;
use crate::draft::{Address, DocumentType};
use crate::supply::{SupplyKind, TaxHead};
use crate::{FinancialYear, GstError, Gstin, InvoiceNumber, Paise};
use base64::Engine as _;
use serde::{Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use time::PrimitiveDateTime;
use time::macros::format_description;

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

/// An exact decimal written as a JSON number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Num(String);

impl Num {
    fn paise(p: Paise) -> Self {
        Num(p.to_rupee_string())
    }
    fn int(i: u64) -> Self {
        Num(i.to_string())
    }
    fn text(s: String) -> Self {
        Num(s)
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.0.clone()).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

/// INV-01 `TranDtls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct TranDtls {
    pub tax_sch: &'static str,
    pub sup_typ: &'static str,
    pub reg_rev: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ecm_gstin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub igst_on_intra: Option<&'static str>,
}

/// INV-01 `DocDtls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct DocDtls {
    pub typ: &'static str,
    pub no: String,
    pub dt: String,
}

/// INV-01 `SellerDtls` / `BuyerDtls` (the buyer adds `Pos`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct PartyDtls {
    pub gstin: String,
    pub lgl_nm: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trd_nm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pos: Option<String>,
    pub addr1: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    pub loc: String,
    pub pin: Num,
    pub stcd: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ph: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub em: Option<String>,
}

/// INV-01 `ItemList[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct Item {
    pub sl_no: String,
    pub prd_desc: String,
    pub is_servc: &'static str,
    pub hsn_cd: String,
    pub qty: Num,
    pub unit: String,
    pub unit_price: Num,
    pub tot_amt: Num,
    pub discount: Num,
    pub ass_amt: Num,
    pub gst_rt: Num,
    pub igst_amt: Num,
    pub cgst_amt: Num,
    pub sgst_amt: Num,
    pub ces_rt: Num,
    pub ces_amt: Num,
    pub ces_non_advl_amt: Num,
    pub oth_chrg: Num,
    pub tot_item_val: Num,
}

/// INV-01 `ValDtls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct ValDtls {
    pub ass_val: Num,
    pub cgst_val: Num,
    pub sgst_val: Num,
    pub igst_val: Num,
    pub ces_val: Num,
    pub discount: Num,
    pub oth_chrg: Num,
    pub rnd_off_amt: Num,
    pub tot_inv_val: Num,
}

/// INV-01 `RefDtls` (billing period, and for notes the preceding invoice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct RefDtls {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inv_rm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_perd_dtls: Option<DocPerdDtls>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prec_doc_dtls: Vec<PrecDocDtls>,
}

/// INV-01 `RefDtls.DocPerdDtls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct DocPerdDtls {
    pub inv_st_dt: String,
    pub inv_end_dt: String,
}

/// INV-01 `RefDtls.PrecDocDtls[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct PrecDocDtls {
    pub inv_no: String,
    pub inv_dt: String,
}

/// INV-01 `ExpDtls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct ExpDtls {
    pub cnt_code: String,
}

/// An INV-01 v1.1 e-invoice request. Serialise with `serde_json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct EInvoice {
    pub version: &'static str,
    pub tran_dtls: TranDtls,
    pub doc_dtls: DocDtls,
    pub seller_dtls: PartyDtls,
    pub buyer_dtls: PartyDtls,
    pub item_list: Vec<Item>,
    pub val_dtls: ValDtls,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ref_dtls: Option<RefDtls>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp_dtls: Option<ExpDtls>,
}

/// `dd/mm/yyyy`.
pub(crate) fn dmy_slash(d: time::Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}

fn addr2(a: &Address) -> Option<String> {
    a.line2.clone().filter(|s| !s.trim().is_empty())
}

/// Unit quantity codes the e-invoice knows that a cloud bill might use; anything else is `OTH`.
const UQC: [&str; 10] = [
    "NOS", "PCS", "UNT", "OTH", "GMS", "KGS", "MTR", "LTR", "DAY", "HRS",
];

fn uqc(unit: Option<&str>) -> String {
    let u = unit.unwrap_or("").trim().to_ascii_uppercase();
    if UQC.contains(&u.as_str()) {
        u
    } else {
        "OTH".to_string()
    }
}

fn einvoice_error(msg: impl Into<String>) -> GstError {
    GstError::EInvoice(msg.into())
}

/// Builds the INV-01 request for a computed document with a number.
///
/// Refused for B2C documents (not e-invoiced), numbers the IRP does not accept, more than
/// [`MAX_EINVOICE_LINES`] lines, and missing PIN codes.
pub fn to_einvoice(doc: &ComputedInvoice) -> Result<EInvoice, GstError> {
    let supply = doc.supply();
    let sup_typ = supply.einvoice_supply_type().ok_or_else(|| {
        einvoice_error("a supply to an unregistered buyer (B2C) is not reported to the IRP")
    })?;
    let number = doc
        .number()
        .ok_or_else(|| einvoice_error("the document has no number yet"))?;
    if !number.is_irp_compatible() {
        return Err(einvoice_error(format!(
            "the IRP refuses document number {number}: it may not start with '0', '/' or '-'"
        )));
    }
    if doc.lines().len() > MAX_EINVOICE_LINES {
        return Err(einvoice_error(format!(
            "{} lines; an e-invoice carries at most {MAX_EINVOICE_LINES}",
            doc.lines().len()
        )));
    }
    let seller = doc.seller();
    let seller_pin = seller
        .address
        .pin
        .ok_or_else(|| einvoice_error("seller.address.pin is required for an e-invoice"))?;
    let buyer = doc.buyer();
    let export = supply.kind == SupplyKind::Export;
    let buyer_pin = if export {
        999_999
    } else {
        buyer
            .address
            .pin
            .ok_or_else(|| einvoice_error("buyer.address.pin is required for an e-invoice"))?
            .value()
    };
    let buyer_state = if export {
        "96".to_string()
    } else {
        buyer
            .gstin
            .as_ref()
            .and_then(Gstin::state_code)
            .unwrap_or(supply.place_of_supply)
            .to_string()
    };

    let item_list = doc
        .lines()
        .iter()
        .map(|l| Item {
            sl_no: l.sl_no.to_string(),
            prd_desc: l.description.clone(),
            is_servc: if l.sac.is_service() { "Y" } else { "N" },
            hsn_cd: l.sac.as_str().to_string(),
            qty: Num::text(l.quantity.to_decimal_string()),
            unit: uqc(l.unit.as_deref()),
            unit_price: Num::text(l.unit_price.to_rupee_string()),
            tot_amt: Num::paise(l.gross),
            discount: Num::paise(l.discount),
            ass_amt: Num::paise(l.taxable_value),
            gst_rt: Num::text(l.gst_rate.percent().to_decimal_string()),
            igst_amt: Num::paise(l.tax(TaxHead::Igst)),
            cgst_amt: Num::paise(l.tax(TaxHead::Cgst)),
            // UTGST is reported in SgstAmt.
            sgst_amt: Num::paise(l.tax(TaxHead::Sgst) + l.tax(TaxHead::Utgst)),
            ces_rt: Num::int(0),
            ces_amt: Num::int(0),
            ces_non_advl_amt: Num::int(0),
            oth_chrg: Num::int(0),
            tot_item_val: Num::paise(l.total),
        })
        .collect();

    let t = doc.totals();
    let prec_doc_dtls = doc
        .original_invoice()
        .map(|o| PrecDocDtls {
            inv_no: o.number.to_string(),
            inv_dt: dmy_slash(o.date),
        })
        .into_iter()
        .collect::<Vec<_>>();
    let doc_perd_dtls = doc.billing_period().map(|p| DocPerdDtls {
        inv_st_dt: dmy_slash(p.from),
        inv_end_dt: dmy_slash(p.to),
    });
    let ref_dtls = (doc_perd_dtls.is_some() || !prec_doc_dtls.is_empty()).then(|| RefDtls {
        inv_rm: doc.reason().map(str::to_string),
        doc_perd_dtls,
        prec_doc_dtls,
    });

    Ok(EInvoice {
        version: "1.1",
        tran_dtls: TranDtls {
            tax_sch: "GST",
            sup_typ,
            reg_rev: if supply.reverse_charge { "Y" } else { "N" },
            ecm_gstin: None,
            igst_on_intra: None,
        },
        doc_dtls: DocDtls {
            typ: doc.document_type().einvoice_code(),
            no: number.to_string(),
            dt: dmy_slash(doc.date()),
        },
        seller_dtls: PartyDtls {
            gstin: seller.gstin.to_string(),
            lgl_nm: seller.legal_name.clone(),
            trd_nm: seller.trade_name.clone(),
            pos: None,
            addr1: seller.address.line1.clone(),
            addr2: addr2(&seller.address),
            loc: seller.address.city.clone(),
            pin: Num::int(u64::from(seller_pin.value())),
            stcd: supply.supplier_state.to_string(),
            ph: seller.phone.clone(),
            em: seller.email.clone(),
        },
        buyer_dtls: PartyDtls {
            gstin: buyer
                .gstin
                .as_ref()
                .map_or_else(|| "URP".to_string(), Gstin::to_string),
            lgl_nm: buyer.legal_name.clone(),
            trd_nm: buyer.trade_name.clone(),
            pos: Some(supply.place_of_supply.to_string()),
            addr1: buyer.address.line1.clone(),
            addr2: addr2(&buyer.address),
            loc: buyer.address.city.clone(),
            pin: Num::int(u64::from(buyer_pin)),
            stcd: buyer_state,
            ph: buyer.phone.clone(),
            em: buyer.email.clone(),
        },
        item_list,
        val_dtls: ValDtls {
            ass_val: Num::paise(t.taxable_value),
            cgst_val: Num::paise(t.cgst),
            sgst_val: Num::paise(t.sgst + t.utgst),
            igst_val: Num::paise(t.igst),
            ces_val: Num::int(0),
            // Line discounts are already inside AssAmt; this is the invoice-level discount.
            discount: Num::int(0),
            oth_chrg: Num::int(0),
            rnd_off_amt: Num::paise(t.round_off),
            tot_inv_val: Num::paise(t.total),
        },
        ref_dtls,
        exp_dtls: export.then(|| ExpDtls {
            cnt_code: buyer.country.clone().unwrap_or_default(),
        }),
    })
}

/// [`to_einvoice`] as pretty-printed JSON.
pub fn to_einvoice_json(doc: &ComputedInvoice) -> Result<String, GstError> {
    let e = to_einvoice(doc)?;
    serde_json::to_string_pretty(&e).map_err(|e| einvoice_error(e.to_string()))
}

/// What the signed QR code's payload says (NIC's `data` claim).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedQrData {
    /// `SellerGstin`.
    pub seller_gstin: Option<String>,
    /// `BuyerGstin`.
    pub buyer_gstin: Option<String>,
    /// `DocNo`.
    pub doc_no: Option<String>,
    /// `DocTyp`.
    pub doc_typ: Option<String>,
    /// `DocDt`.
    pub doc_dt: Option<String>,
    /// `TotInvVal`, as written.
    pub tot_inv_val: Option<String>,
    /// `ItemCnt`.
    pub item_cnt: Option<u64>,
    /// `MainHsnCode`.
    pub main_hsn_code: Option<String>,
    /// `Irn`.
    pub irn: String,
    /// `IrnDt`.
    pub irn_dt: Option<String>,
}

/// The IRP's registration of a document, read by [`import_irn_response`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IrnDetails {
    irn: String,
    ack_no: String,
    #[serde(serialize_with = "ser_ack_date")]
    ack_date: PrimitiveDateTime,
    signed_qr_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    signed_invoice: Option<String>,
    qr_data: SignedQrData,
}

fn ser_ack_date<S: Serializer>(d: &PrimitiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_ack_date(*d))
}

fn format_ack_date(d: PrimitiveDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        d.year(),
        u8::from(d.month()),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

impl IrnDetails {
    /// The Invoice Reference Number (64 lowercase hex).
    pub fn irn(&self) -> &str {
        &self.irn
    }
    /// Acknowledgement number.
    pub fn ack_no(&self) -> &str {
        &self.ack_no
    }
    /// Acknowledgement date and time (IST, as the IRP writes it).
    pub fn ack_date(&self) -> PrimitiveDateTime {
        self.ack_date
    }
    /// `2025-11-01 12:30:00`.
    pub fn ack_date_string(&self) -> String {
        format_ack_date(self.ack_date)
    }
    /// The signed QR code (a JWT); print it as the QR image.
    pub fn signed_qr_code(&self) -> &str {
        &self.signed_qr_code
    }
    /// The signed invoice (a JWT), if returned.
    pub fn signed_invoice(&self) -> Option<&str> {
        self.signed_invoice.as_deref()
    }
    /// The QR code's payload.
    pub fn qr_data(&self) -> &SignedQrData {
        &self.qr_data
    }
}

fn irp_error(msg: impl Into<String>) -> GstError {
    GstError::IrpResponse(msg.into())
}

fn status_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn rejection_message(v: &Value) -> String {
    let details = v.get("ErrorDetails").and_then(Value::as_array);
    match details {
        Some(list) if !list.is_empty() => list
            .iter()
            .map(|e| {
                let code = e.get("ErrorCode").and_then(status_of).unwrap_or_default();
                let msg = e
                    .get("ErrorMessage")
                    .and_then(Value::as_str)
                    .unwrap_or("(no message)");
                if code.is_empty() {
                    msg.to_string()
                } else {
                    format!("{code}: {msg}")
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => "no error details were given".to_string(),
    }
}

fn jwt_payload(jwt: &str, what: &str) -> Result<Value, GstError> {
    let parts: Vec<&str> = jwt.trim().split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(irp_error(format!(
            "{what} is not a JWT (three dot-separated parts)"
        )));
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let bytes = engine
        .decode(parts[1])
        .map_err(|e| irp_error(format!("{what}: its payload is not base64url ({e})")))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| irp_error(format!("{what}: its payload is not JSON ({e})")))
}

fn parse_qr(jwt: &str) -> Result<SignedQrData, GstError> {
    let payload = jwt_payload(jwt, "SignedQRCode")?;
    let data = match payload.get("data") {
        Some(Value::String(s)) => serde_json::from_str::<Value>(s)
            .map_err(|e| irp_error(format!("SignedQRCode: its data claim is not JSON ({e})")))?,
        Some(v @ Value::Object(_)) => v.clone(),
        _ => return Err(irp_error("SignedQRCode carries no data claim")),
    };
    let text = |k: &str| data.get(k).and_then(status_of);
    let irn = text("Irn").ok_or_else(|| irp_error("SignedQRCode's data has no Irn"))?;
    Ok(SignedQrData {
        seller_gstin: text("SellerGstin"),
        buyer_gstin: text("BuyerGstin"),
        doc_no: text("DocNo"),
        doc_typ: text("DocTyp"),
        doc_dt: text("DocDt"),
        tot_inv_val: text("TotInvVal"),
        item_cnt: data.get("ItemCnt").and_then(Value::as_u64),
        main_hsn_code: text("MainHsnCode"),
        irn: irn.to_ascii_lowercase(),
        irn_dt: text("IrnDt"),
    })
}

/// Reads the IRP's "Generate IRN" response (shape: see the module documentation).
pub fn import_irn_response(json: &str) -> Result<IrnDetails, GstError> {
    let v: Value = serde_json::from_str(json)
        .map_err(|e| irp_error(format!("the response is not JSON ({e})")))?;
    let data = if v.get("Irn").is_some() {
        v
    } else if let Some(success) = v.get("success").and_then(Value::as_bool) {
        if !success {
            let msg = v
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("no message was given");
            return Err(GstError::IrpRejected(msg.to_string()));
        }
        match v.get("result") {
            Some(r @ Value::Object(_)) => r.clone(),
            _ => return Err(irp_error("\"success\" is true but \"result\" is missing")),
        }
    } else if let Some(status) = v.get("Status").and_then(status_of) {
        if status != "1" {
            return Err(GstError::IrpRejected(rejection_message(&v)));
        }
        match v.get("Data") {
            Some(Value::String(s)) => serde_json::from_str(s)
                .map_err(|e| irp_error(format!("Data is not a JSON object ({e})")))?,
            Some(d @ Value::Object(_)) => d.clone(),
            _ => return Err(irp_error("Status is 1 but Data is missing")),
        }
    } else {
        return Err(irp_error(
            "expected the IRP's Generate IRN answer: an object with Irn, AckNo, AckDt and SignedQRCode, or an envelope with Status and Data",
        ));
    };

    if let Some(status) = data.get("Status").and_then(Value::as_str)
        && status != "ACT"
    {
        return Err(irp_error(format!(
            "the IRN's status is {status:?}, not \"ACT\" (active)"
        )));
    }
    let irn = data
        .get("Irn")
        .and_then(Value::as_str)
        .map(|s| s.trim().to_ascii_lowercase())
        .ok_or_else(|| irp_error("Irn is missing"))?;
    if irn.len() != 64 || !irn.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(irp_error(format!(
            "Irn {irn:?} is not 64 hexadecimal characters"
        )));
    }
    let ack_no = data
        .get("AckNo")
        .and_then(status_of)
        .ok_or_else(|| irp_error("AckNo is missing"))?;
    if ack_no.is_empty() || ack_no.len() > 20 || !ack_no.bytes().all(|b| b.is_ascii_digit()) {
        return Err(irp_error(format!("AckNo {ack_no:?} is not a number")));
    }
    let ack_dt = data
        .get("AckDt")
        .and_then(Value::as_str)
        .ok_or_else(|| irp_error("AckDt is missing"))?;
    let ack_date = PrimitiveDateTime::parse(
        ack_dt.trim(),
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
    )
    .map_err(|e| {
        irp_error(format!(
            "AckDt {ack_dt:?} is not \"YYYY-MM-DD HH:MM:SS\" ({e})"
        ))
    })?;
    let signed_qr_code = data
        .get("SignedQRCode")
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string())
        .ok_or_else(|| irp_error("SignedQRCode is missing"))?;
    let qr_data = parse_qr(&signed_qr_code)?;
    if qr_data.irn != irn {
        return Err(irp_error(format!(
            "the signed QR code is for IRN {}, not {irn}",
            qr_data.irn
        )));
    }
    let signed_invoice = data
        .get("SignedInvoice")
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    Ok(IrnDetails {
        irn,
        ack_no,
        ack_date,
        signed_qr_code,
        signed_invoice,
        qr_data,
    })
}
