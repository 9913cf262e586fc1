//! Seller profiles, customers' billing details and rate cards: requests validated into the GST
//! library's types (so nothing invalid is stored), and stored records shown back.

use std::io::Cursor;

use akashone_gst::draft::{Ifsc, iso_date};
use akashone_gst::{
    Address, BankAccount, BrandColour, Buyer, FinancialYear, GstRate, Gstin, GstinKind, HsnSac,
    InvoiceDraft, LineDraft, PaymentDetails, PinCode, Quantity, Seller, SeriesFormat, StateCode,
    SupplyKind, UnitPrice, UpiId, compute,
};
use akashone_types::central::{
    BankDetails, BillingAddress, SellerProfileIn, SellerProfileOut, SupplyKindOut,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use time::Date;

use super::gst_error;
use crate::db::{SellerProfile, SellerRecord};
use crate::error::{Error, Result};

mod customer;
mod rate_card;

pub(crate) use customer::{customer_in, customer_out};
pub(crate) use rate_card::{rate_card_in, rate_card_out};

/// The largest logo accepted, in bytes of PNG.
pub(crate) const MAX_LOGO_BYTES: usize = 256 * 1024;
/// The largest logo accepted, in pixels per side.
const MAX_LOGO_SIDE: u32 = 2048;

fn invalid(field: &str, why: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("{field}: {why}"))
}

/// Trimmed, 1–`max` characters.
fn text(field: &str, v: &str, max: usize) -> Result<String> {
    let t = v.trim();
    if t.is_empty() || t.chars().count() > max {
        return Err(invalid(field, format!("must have 1–{max} characters.")));
    }
    if t.chars().any(char::is_control) {
        return Err(invalid(field, "must not contain control characters."));
    }
    Ok(t.to_owned())
}

/// Trimmed; empty is absent.
fn opt_text(field: &str, v: Option<&str>, max: usize) -> Result<Option<String>> {
    match v.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => text(field, t, max).map(Some),
        None => Ok(None),
    }
}

fn phone(field: &str, v: Option<&str>) -> Result<Option<String>> {
    let p = opt_text(field, v, 20)?;
    if let Some(p) = &p
        && !p
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' '))
    {
        return Err(invalid(
            field,
            "may contain only digits, '+', '-' and spaces.",
        ));
    }
    Ok(p)
}

fn email(field: &str, v: Option<&str>) -> Result<Option<String>> {
    let e = opt_text(field, v, 100)?;
    if let Some(e) = &e {
        let ok = e.split_once('@').is_some_and(|(u, d)| {
            !u.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
        }) && !e.contains(char::is_whitespace);
        if !ok {
            return Err(invalid(field, format!("{e:?} is not an e-mail address.")));
        }
    }
    Ok(e)
}

fn address(field: &str, a: &BillingAddress, in_india: bool) -> Result<Address> {
    let line1 = text(&format!("{field}.line1"), &a.line1, 100)?;
    let line2 = opt_text(&format!("{field}.line2"), a.line2.as_deref(), 100)?;
    let city = text(&format!("{field}.city"), &a.city, 100)?;
    let pin = match a.pin.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(PinCode::parse(p).map_err(|e| invalid(&format!("{field}.pin"), e))?),
        None if in_india => {
            return Err(invalid(
                &format!("{field}.pin"),
                "an address in India needs its six-digit PIN code.",
            ));
        }
        None => None,
    };
    let postal_code = opt_text(&format!("{field}.postalCode"), a.postal_code.as_deref(), 20)?;
    if in_india && postal_code.is_some() {
        return Err(invalid(
            &format!("{field}.postalCode"),
            "is for addresses abroad; give the PIN code.",
        ));
    }
    Ok(Address {
        line1,
        line2,
        city,
        pin,
        postal_code,
    })
}

/// An address as the API shows it.
pub(crate) fn address_out(a: &Address) -> BillingAddress {
    BillingAddress {
        line1: a.line1.clone(),
        line2: a.line2.clone(),
        city: a.city.clone(),
        pin: a.pin.map(|p| p.to_string()),
        postal_code: a.postal_code.clone(),
    }
}

pub(crate) fn bank_out(b: &BankAccount) -> BankDetails {
    BankDetails {
        account_name: b.account_name.clone(),
        account_number: b.account_number.clone(),
        ifsc: b.ifsc.as_str().to_owned(),
        bank_name: b.bank_name.clone(),
        branch: b.branch.clone(),
    }
}

fn bank(b: &BankDetails) -> Result<BankAccount> {
    let number = text("bank.accountNumber", &b.account_number, 20)?;
    if number.len() < 6 || !number.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return Err(invalid(
            "bank.accountNumber",
            "must be 6–20 letters or digits, without spaces.",
        ));
    }
    Ok(BankAccount {
        account_name: text("bank.accountName", &b.account_name, 100)?,
        account_number: number,
        ifsc: Ifsc::parse(&b.ifsc).map_err(|e| invalid("bank.ifsc", e))?,
        bank_name: text("bank.bankName", &b.bank_name, 100)?,
        branch: opt_text("bank.branch", b.branch.as_deref(), 100)?,
    })
}

/// The number of sequence digits for a prefix: as many as fit in 16 characters, at most 6.
fn series(field: &str, prefix: &str) -> Result<SeriesFormat> {
    let p = prefix.trim();
    if p.is_empty() || p.len() > 5 {
        return Err(invalid(field, "must have 1–5 characters."));
    }
    let digits = (16 - 7 - p.len()).min(6) as u8;
    SeriesFormat::new(p, digits).map_err(|e| invalid(field, gst_error(e)))
}

/// A probe computation: a one-line invoice between `seller` and `buyer`, so the GST library's
/// own rules (State codes, GSTIN kinds, export and SEZ combinations) decide what is valid.
fn probe(
    seller: &Seller,
    buyer: &Buyer,
    export: bool,
    sez: bool,
    lut: Option<&str>,
) -> Result<SupplyKind> {
    let line = LineDraft {
        description: "probe".into(),
        sac: HsnSac::parse("998315").map_err(gst_error)?,
        quantity: Some(Quantity::from_milli(1000).map_err(gst_error)?),
        quantity_milli: None,
        unit: None,
        unit_price: Some(UnitPrice::from_milli_rupees(1000).map_err(gst_error)?),
        unit_price_paise: None,
        discount: None,
        gst_rate: GstRate::STANDARD,
    };
    let zero_rated = export || sez;
    let draft = InvoiceDraft {
        document_type: Default::default(),
        number: None,
        date: Date::from_calendar_date(2026, time::Month::April, 1).unwrap_or(Date::MIN),
        original_invoice: None,
        reason: None,
        billing_period: None,
        seller: seller.clone(),
        buyer: buyer.clone(),
        place_of_supply: None,
        export,
        sez,
        lut: zero_rated && lut.is_some(),
        lut_reference: lut.filter(|_| zero_rated).map(str::to_owned),
        reverse_charge: false,
        lines: vec![line],
        notes: None,
    };
    Ok(compute(&draft).map_err(gst_error)?.supply().kind)
}

/// A fixed, checksum-valid but fictitious registration used only to probe a customer's details
/// before its seller has a profile.
fn probe_seller() -> Result<Seller> {
    Ok(Seller {
        legal_name: "Probe".into(),
        trade_name: None,
        address: Address {
            line1: "Probe".into(),
            line2: None,
            city: "Bengaluru".into(),
            pin: Some(PinCode::parse("560001").map_err(gst_error)?),
            postal_code: None,
        },
        gstin: Gstin::parse("29AAFCN1234C1ZU").map_err(|e| Error::Internal(e.to_string()))?,
        state: StateCode::parse("29").map_err(gst_error)?,
        phone: None,
        email: None,
        logo: None,
        brand_colour: None,
        payment: None,
        e_invoicing: false,
    })
}

/// What a logo change asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LogoChange {
    /// Keep the current logo.
    Keep,
    /// Remove it.
    Remove,
    /// A new PNG.
    Set(Vec<u8>),
}

/// Checks a base64 PNG: size, signature, dimensions, and that it decodes.
fn logo(b64: &str) -> Result<Vec<u8>> {
    let png = STANDARD
        .decode(b64.trim())
        .map_err(|e| invalid("logoPng", format!("is not base64 ({e}).")))?;
    if png.len() > MAX_LOGO_BYTES {
        return Err(invalid(
            "logoPng",
            format!(
                "is {} KiB; a logo may have at most {} KiB.",
                png.len().div_ceil(1024),
                MAX_LOGO_BYTES / 1024
            ),
        ));
    }
    if !png.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(invalid("logoPng", "is not a PNG image."));
    }
    let reader = image::ImageReader::with_format(Cursor::new(&png), image::ImageFormat::Png);
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| invalid("logoPng", format!("cannot be read ({e}).")))?;
    if w == 0 || h == 0 || w > MAX_LOGO_SIDE || h > MAX_LOGO_SIDE {
        return Err(invalid(
            "logoPng",
            format!("is {w}×{h} pixels; at most {MAX_LOGO_SIDE} a side."),
        ));
    }
    image::load_from_memory_with_format(&png, image::ImageFormat::Png)
        .map_err(|e| invalid("logoPng", format!("cannot be decoded ({e}).")))?;
    Ok(png)
}

/// Validates a seller profile.
pub(crate) fn seller_in(req: &SellerProfileIn) -> Result<(SellerProfile, LogoChange)> {
    let legal_name = text("legalName", &req.legal_name, 100)?;
    let trade_name = opt_text("tradeName", req.trade_name.as_deref(), 100)?;
    let gstin = Gstin::parse(&req.gstin).map_err(|e| invalid("gstin", e))?;
    if gstin.kind() != GstinKind::Regular {
        return Err(invalid(
            "gstin",
            format!("{gstin} is not a regular taxpayer's GSTIN; invoices are issued under one."),
        ));
    }
    let state = gstin
        .state_code()
        .ok_or_else(|| invalid("gstin", "has no State code."))?;
    if let Some(code) = req.state_code.as_deref().filter(|c| !c.trim().is_empty()) {
        let given = StateCode::parse(code).map_err(|e| invalid("stateCode", e))?;
        if given != state {
            return Err(invalid(
                "stateCode",
                format!(
                    "{given} does not match the GSTIN's State {state} ({}).",
                    state.name()
                ),
            ));
        }
    }
    let upi_id = req
        .upi_id
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(|u| UpiId::parse(u).map_err(|e| invalid("upiId", e)))
        .transpose()?;
    let bank = req.bank.as_ref().map(bank).transpose()?;
    let terms = opt_text("paymentTerms", req.payment_terms.as_deref(), 500)?;
    if let Some(d) = req.payment_due_days
        && d > 365
    {
        return Err(invalid("paymentDueDays", "must be 0–365."));
    }
    let payment =
        (bank.is_some() || upi_id.is_some() || terms.is_some()).then_some(PaymentDetails {
            bank,
            upi_id,
            terms,
            due_date: None,
        });
    let brand_colour = req
        .brand_colour
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| BrandColour::parse(c).map_err(|e| invalid("brandColour", e)))
        .transpose()?;
    let seller = Seller {
        legal_name: legal_name.clone(),
        trade_name: trade_name.clone(),
        address: address("address", &req.address, true)?,
        gstin,
        state,
        phone: phone("phone", req.phone.as_deref())?,
        email: email("email", req.email.as_deref())?,
        logo: None,
        brand_colour,
        payment,
        e_invoicing: req.e_invoicing,
    };
    let prefixes = [
        ("invoicePrefix", req.invoice_prefix.trim()),
        ("creditNotePrefix", req.credit_note_prefix.trim()),
        ("debitNotePrefix", req.debit_note_prefix.trim()),
    ];
    for (field, p) in prefixes {
        series(field, p)?;
    }
    for (i, (field, p)) in prefixes.iter().enumerate() {
        if prefixes[..i].iter().any(|(_, q)| q.eq_ignore_ascii_case(p)) {
            return Err(invalid(
                field,
                "must differ from the other series' prefixes (each series is numbered on its own).",
            ));
        }
    }
    let lut_reference = opt_text("lutNumber", req.lut_number.as_deref(), 50)?;
    let display_name = match opt_text("displayName", req.display_name.as_deref(), 100)? {
        Some(d) => d,
        None => trade_name.unwrap_or(legal_name),
    };
    let logo = match (&req.logo_png, req.remove_logo) {
        (Some(_), true) => {
            return Err(invalid(
                "removeLogo",
                "cannot be true while a new logoPng is given.",
            ));
        }
        (Some(b64), false) => LogoChange::Set(logo(b64)?),
        (None, true) => LogoChange::Remove,
        (None, false) => LogoChange::Keep,
    };
    // The GST library's own checks, against a domestic B2C buyer in the seller's State.
    let buyer = Buyer {
        legal_name: "Probe".into(),
        trade_name: None,
        address: seller.address.clone(),
        gstin: None,
        state: Some(seller.state),
        country: None,
        delivery_address: None,
        phone: None,
        email: None,
    };
    probe(&seller, &buyer, false, false, None)?;
    Ok((
        SellerProfile {
            seller,
            display_name,
            invoice_prefix: prefixes[0].1.to_owned(),
            credit_note_prefix: prefixes[1].1.to_owned(),
            debit_note_prefix: prefixes[2].1.to_owned(),
            payment_due_days: req.payment_due_days,
            lut_reference,
        },
        logo,
    ))
}

impl SellerProfile {
    /// The series of a kind of document.
    pub(crate) fn series(
        &self,
        kind: akashone_types::central::DocumentKind,
    ) -> Result<SeriesFormat> {
        use akashone_types::central::DocumentKind as K;
        let (field, prefix) = match kind {
            K::Invoice => ("invoicePrefix", &self.invoice_prefix),
            K::CreditNote => ("creditNotePrefix", &self.credit_note_prefix),
            K::DebitNote => ("debitNotePrefix", &self.debit_note_prefix),
        };
        series(field, prefix)
    }
}

/// A stored seller profile as the API shows it; `logo` is the PNG, if any.
pub(crate) fn seller_out(r: &SellerRecord, logo: Option<&[u8]>, today: Date) -> SellerProfileOut {
    let p = &r.profile;
    let s = &p.seller;
    let pay = s.payment.as_ref();
    SellerProfileOut {
        tenant_id: r.tenant_id.clone(),
        legal_name: s.legal_name.clone(),
        trade_name: s.trade_name.clone(),
        display_name: p.display_name.clone(),
        gstin: s.gstin.to_string(),
        pan: s.gstin.pan().map(str::to_owned),
        address: address_out(&s.address),
        state_code: s.state.to_string(),
        state_name: s.state.name().to_owned(),
        phone: s.phone.clone(),
        email: s.email.clone(),
        bank: pay.and_then(|p| p.bank.as_ref()).map(bank_out),
        upi_id: pay
            .and_then(|p| p.upi_id.as_ref())
            .map(|u| u.as_str().to_owned()),
        payment_terms: pay.and_then(|p| p.terms.clone()),
        payment_due_days: p.payment_due_days,
        brand_colour: s.brand_colour.map(|c| c.to_string()),
        logo_png: logo.map(|l| STANDARD.encode(l)),
        invoice_prefix: p.invoice_prefix.clone(),
        credit_note_prefix: p.credit_note_prefix.clone(),
        debit_note_prefix: p.debit_note_prefix.clone(),
        invoice_number_example: p
            .series(akashone_types::central::DocumentKind::Invoice)
            .and_then(|f| f.format(FinancialYear::of(today), 1).map_err(gst_error))
            .map(|n| n.to_string())
            .unwrap_or_default(),
        e_invoicing: s.e_invoicing,
        lut_number: p.lut_reference.clone(),
        updated_at: r.updated_at,
        updated_by: r.updated_by.clone(),
    }
}

/// The API's name of a kind of supply.
pub(crate) fn supply_kind(k: SupplyKind) -> SupplyKindOut {
    match k {
        SupplyKind::B2b => SupplyKindOut::B2b,
        SupplyKind::B2c => SupplyKindOut::B2c,
        SupplyKind::Export => SupplyKindOut::Export,
        SupplyKind::Sez => SupplyKindOut::Sez,
    }
}

/// `YYYY-MM-DD`.
pub(crate) fn iso(d: Date) -> String {
    iso_date::format(d)
}
