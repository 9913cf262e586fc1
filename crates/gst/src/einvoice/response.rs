//! Reading the IRP's "Generate IRN" answer (its shapes: see the [`einvoice`](super) module).

use crate::GstError;
use base64::Engine as _;
use serde::{Serialize, Serializer};
use serde_json::Value;
use time::PrimitiveDateTime;
use time::macros::format_description;

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
