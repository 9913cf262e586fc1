//! From draft to computed document: per-line taxable value and tax per head (half-up to
//! paise), header totals as sums of the lines, the total rounded to the rupee with a visible
//! round-off, a summary by rate and the amount in words.

use crate::draft::{
    BillingPeriod, Buyer, DocumentType, HsnSac, InvoiceDraft, OriginalInvoice, Seller,
};
use crate::supply::{Supply, SupplyKind, TaxHead, TaxRegime, classify};
use crate::{
    FinancialYear, GstError, GstRate, InvoiceNumber, Paise, Quantity, UnitPrice, amount_in_words,
};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use time::{Date, Month};

/// Above this taxable value an unregistered recipient's State must be on the invoice
/// (rule 46(e)): ₹50,000.
pub const B2C_DETAILS_THRESHOLD: Paise = match Paise::from_rupees(50_000) {
    Some(p) => p,
    None => Paise::ZERO,
};

/// The rate of one head, in thousandths of a percent (9 % = 9000; half of 0.25 % = 125).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HeadRate(u32);

impl HeadRate {
    /// The rate in thousandths of a percent.
    pub const fn milli_percent(self) -> u32 {
        self.0
    }
}

impl fmt::Display for HeadRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let int = self.0 / 1000;
        let mut frac = format!("{:03}", self.0 % 1000);
        while frac.ends_with('0') {
            frac.pop();
        }
        if frac.is_empty() {
            write!(f, "{int}")
        } else {
            write!(f, "{int}.{frac}")
        }
    }
}

impl Serialize for HeadRate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// The tax of one head on one line (or summed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TaxAmount {
    /// The head.
    pub head: TaxHead,
    /// Its rate (half the GST rate for CGST/SGST/UTGST; nil under LUT).
    pub rate: HeadRate,
    /// The amount.
    pub amount: Paise,
}

/// One computed line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComputedLine {
    /// 1-based serial number.
    pub sl_no: u32,
    /// Description.
    pub description: String,
    /// SAC/HSN.
    pub sac: HsnSac,
    /// Quantity.
    pub quantity: Quantity,
    /// Unit as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Price per unit.
    pub unit_price: UnitPrice,
    /// Quantity × unit price, half-up to paise.
    pub gross: Paise,
    /// Discount.
    pub discount: Paise,
    /// Gross − discount.
    pub taxable_value: Paise,
    /// GST rate.
    pub gst_rate: GstRate,
    /// Tax per head, in the regime's order.
    pub taxes: Vec<TaxAmount>,
    /// Sum of `taxes`.
    pub total_tax: Paise,
    /// Taxable value + tax.
    pub total: Paise,
}

impl ComputedLine {
    /// The amount of `head` on this line (zero if the line does not bear it).
    pub fn tax(&self, head: TaxHead) -> Paise {
        self.taxes
            .iter()
            .filter(|t| t.head == head)
            .map(|t| t.amount)
            .sum()
    }
}

/// Taxable value and tax of all lines at one GST rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RateSummary {
    /// The GST rate.
    pub gst_rate: GstRate,
    /// Sum of the lines' taxable values.
    pub taxable_value: Paise,
    /// Sum of the lines' tax per head.
    pub taxes: Vec<TaxAmount>,
    /// Sum of `taxes`.
    pub total_tax: Paise,
}

/// Header totals: each the sum of the lines (as the e-invoice schema validates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Σ gross.
    pub gross: Paise,
    /// Σ discount.
    pub discount: Paise,
    /// Σ taxable value.
    pub taxable_value: Paise,
    /// Σ CGST.
    pub cgst: Paise,
    /// Σ SGST.
    pub sgst: Paise,
    /// Σ UTGST.
    pub utgst: Paise,
    /// Σ IGST.
    pub igst: Paise,
    /// Σ all heads.
    pub total_tax: Paise,
    /// Taxable value + tax.
    pub total_before_round_off: Paise,
    /// `total − total_before_round_off`, within ±50 paise.
    pub round_off: Paise,
    /// Rounded to the nearest rupee (50 paise and above up).
    pub total: Paise,
}

impl Totals {
    /// The total of `head`.
    pub fn tax(&self, head: TaxHead) -> Paise {
        match head {
            TaxHead::Cgst => self.cgst,
            TaxHead::Sgst => self.sgst,
            TaxHead::Utgst => self.utgst,
            TaxHead::Igst => self.igst,
        }
    }
}

/// A computed invoice, credit note or debit note. Only [`compute`] makes one, so its lines,
/// summary and totals always agree; it cannot be changed afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComputedInvoice {
    document_type: DocumentType,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<InvoiceNumber>,
    #[serde(with = "crate::draft::iso_date")]
    date: Date,
    financial_year: FinancialYear,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_invoice: Option<OriginalInvoice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    billing_period: Option<BillingPeriod>,
    seller: Seller,
    buyer: Buyer,
    supply: Supply,
    #[serde(skip_serializing_if = "Option::is_none")]
    endorsement: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lut_reference: Option<String>,
    lines: Vec<ComputedLine>,
    tax_summary: Vec<RateSummary>,
    totals: Totals,
    amount_in_words: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
}

impl ComputedInvoice {
    /// Invoice, credit note or debit note.
    pub fn document_type(&self) -> DocumentType {
        self.document_type
    }
    /// The number, if the draft had one.
    pub fn number(&self) -> Option<&InvoiceNumber> {
        self.number.as_ref()
    }
    /// Date of issue.
    pub fn date(&self) -> Date {
        self.date
    }
    /// Financial year of the date.
    pub fn financial_year(&self) -> FinancialYear {
        self.financial_year
    }
    /// For notes: the invoice corrected.
    pub fn original_invoice(&self) -> Option<&OriginalInvoice> {
        self.original_invoice.as_ref()
    }
    /// For notes: why.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
    /// The usage period billed.
    pub fn billing_period(&self) -> Option<BillingPeriod> {
        self.billing_period
    }
    /// The supplier.
    pub fn seller(&self) -> &Seller {
        &self.seller
    }
    /// The recipient.
    pub fn buyer(&self) -> &Buyer {
        &self.buyer
    }
    /// Kind, place of supply and regime.
    pub fn supply(&self) -> &Supply {
        &self.supply
    }
    /// The export/SEZ endorsement to print, if any.
    pub fn endorsement(&self) -> Option<&'static str> {
        self.endorsement
    }
    /// The LUT reference, if any.
    pub fn lut_reference(&self) -> Option<&str> {
        self.lut_reference.as_deref()
    }
    /// The lines.
    pub fn lines(&self) -> &[ComputedLine] {
        &self.lines
    }
    /// Taxable value and tax by GST rate, ascending.
    pub fn tax_summary(&self) -> &[RateSummary] {
        &self.tax_summary
    }
    /// Header totals.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }
    /// The total in words.
    pub fn amount_in_words(&self) -> &str {
        &self.amount_in_words
    }
    /// Free text.
    pub fn notes(&self) -> Option<&str> {
        self.notes.as_deref()
    }

    pub(crate) fn set_number(&mut self, number: InvoiceNumber) {
        self.number = Some(number);
    }
}

fn line_error(i: usize, e: GstError) -> GstError {
    match e {
        e @ GstError::InvalidValue { .. } => e.in_field(&format!("lines[{}].", i + 1)),
        GstError::Overflow(what) => GstError::Overflow(format!("line {}: {what}", i + 1)),
        other => other,
    }
}

fn require_text(value: &str, what: &str) -> Result<(), GstError> {
    if value.trim().is_empty() {
        Err(GstError::Draft(format!("{what} is empty")))
    } else {
        Ok(())
    }
}

/// The last day a credit note for an invoice of `fy` may be declared: 30 November after the
/// year's end (s.34(2) CGST Act as amended; the annual-return date may come earlier).
pub fn credit_note_deadline(fy: FinancialYear) -> Date {
    Date::from_calendar_date(fy.start_year() + 1, Month::November, 30).unwrap_or(Date::MAX)
}

fn check_document(draft: &InvoiceDraft) -> Result<(), GstError> {
    require_text(&draft.seller.legal_name, "seller.legal_name")?;
    require_text(&draft.seller.address.line1, "seller.address.line1")?;
    require_text(&draft.seller.address.city, "seller.address.city")?;
    require_text(&draft.buyer.legal_name, "buyer.legal_name")?;
    require_text(&draft.buyer.address.line1, "buyer.address.line1")?;
    require_text(&draft.buyer.address.city, "buyer.address.city")?;
    match (draft.document_type, &draft.original_invoice) {
        (DocumentType::Invoice, Some(_)) => {
            return Err(GstError::Draft(
                "\"original_invoice\" is only for credit and debit notes".into(),
            ));
        }
        (DocumentType::Invoice, None) => {}
        (kind, None) => {
            return Err(GstError::Draft(format!(
                "a {} must name the invoice it corrects in \"original_invoice\" (number and date, rule 53)",
                kind.title().to_lowercase()
            )));
        }
        (kind, Some(orig)) => {
            if orig.date > draft.date {
                return Err(GstError::Note(format!(
                    "the {} dated {} cannot precede invoice {} of {}",
                    kind.title().to_lowercase(),
                    draft.date,
                    orig.number,
                    orig.date
                )));
            }
            if kind == DocumentType::CreditNote {
                let deadline = credit_note_deadline(FinancialYear::of(orig.date));
                if draft.date > deadline {
                    return Err(GstError::Note(format!(
                        "a credit note for invoice {} (FY {}) had to be issued by {deadline} (s.34(2) CGST Act)",
                        orig.number,
                        FinancialYear::of(orig.date)
                    )));
                }
            }
        }
    }
    if let Some(p) = draft.billing_period
        && p.from > p.to
    {
        return Err(GstError::Draft(format!(
            "billing period starts ({}) after it ends ({})",
            p.from, p.to
        )));
    }
    if draft.lut_reference.is_some() && !draft.lut {
        return Err(GstError::Draft(
            "\"lut_reference\" is given but \"lut\" is false".into(),
        ));
    }
    if draft.lines.is_empty() {
        return Err(GstError::Draft("the draft has no lines".into()));
    }
    Ok(())
}

fn compute_line(
    i: usize,
    line: &crate::draft::LineDraft,
    regime: TaxRegime,
) -> Result<ComputedLine, GstError> {
    require_text(&line.description, &format!("lines[{}].description", i + 1))?;
    let quantity = line.resolved_quantity()?;
    let unit_price = line.resolved_unit_price()?;
    let gross = quantity.times(unit_price)?;
    let discount = match line.discount {
        Some(d) => d.on(gross)?,
        None => Paise::ZERO,
    };
    let taxable_value = gross - discount;
    let bp = line.gst_rate.percent().basis_points();
    let taxes: Vec<TaxAmount> = match regime {
        TaxRegime::CgstSgst | TaxRegime::CgstUtgst => {
            let half = taxable_value.percent_of(bp, true);
            regime
                .heads()
                .iter()
                .map(|&head| TaxAmount {
                    head,
                    rate: HeadRate(bp * 5),
                    amount: half,
                })
                .collect()
        }
        TaxRegime::Igst => vec![TaxAmount {
            head: TaxHead::Igst,
            rate: HeadRate(bp * 10),
            amount: taxable_value.percent_of(bp, false),
        }],
        TaxRegime::ZeroRatedLut => vec![TaxAmount {
            head: TaxHead::Igst,
            rate: HeadRate(0),
            amount: Paise::ZERO,
        }],
    };
    let total_tax: Paise = taxes.iter().map(|t| t.amount).sum();
    Ok(ComputedLine {
        sl_no: u32::try_from(i + 1).unwrap_or(u32::MAX),
        description: line.description.trim().to_string(),
        sac: line.sac.clone(),
        quantity,
        unit: line.unit.clone().filter(|u| !u.trim().is_empty()),
        unit_price,
        gross,
        discount,
        taxable_value,
        gst_rate: line.gst_rate,
        taxes,
        total_tax,
        total: taxable_value + total_tax,
    })
}

fn checked_sum(mut values: impl Iterator<Item = Paise>, what: &str) -> Result<Paise, GstError> {
    values.try_fold(Paise::ZERO, |a, b| {
        a.checked_add(b)
            .ok_or_else(|| GstError::Overflow(what.to_string()))
    })
}

/// Computes a draft: classification, lines, summary by rate, totals, round-off, words.
pub fn compute(draft: &InvoiceDraft) -> Result<ComputedInvoice, GstError> {
    check_document(draft)?;
    let supply = classify(draft)?;
    let lines = draft
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| compute_line(i, l, supply.regime).map_err(|e| line_error(i, e)))
        .collect::<Result<Vec<_>, _>>()?;

    let sum = |f: fn(&ComputedLine) -> Paise, what: &str| checked_sum(lines.iter().map(f), what);
    let gross = sum(|l| l.gross, "total gross value")?;
    let discount = sum(|l| l.discount, "total discount")?;
    let taxable_value = sum(|l| l.taxable_value, "total taxable value")?;
    let head_sum = |h: TaxHead| checked_sum(lines.iter().map(|l| l.tax(h)), "total tax");
    let (cgst, sgst, utgst, igst) = (
        head_sum(TaxHead::Cgst)?,
        head_sum(TaxHead::Sgst)?,
        head_sum(TaxHead::Utgst)?,
        head_sum(TaxHead::Igst)?,
    );
    let total_tax = checked_sum([cgst, sgst, utgst, igst].into_iter(), "total tax")?;
    let total_before_round_off = taxable_value
        .checked_add(total_tax)
        .ok_or_else(|| GstError::Overflow("invoice total".into()))?;
    let total = total_before_round_off.round_to_rupee();
    let round_off = total - total_before_round_off;

    if supply.kind == SupplyKind::B2c
        && taxable_value >= B2C_DETAILS_THRESHOLD
        && draft.buyer.state.is_none()
    {
        return Err(GstError::Draft(format!(
            "an unregistered buyer billed ₹{} (₹50,000 or more) needs its State on the invoice: set buyer.state (rule 46(e))",
            taxable_value.to_indian_string()
        )));
    }

    let mut by_rate: BTreeMap<GstRate, RateSummary> = BTreeMap::new();
    for l in &lines {
        let entry = by_rate.entry(l.gst_rate).or_insert_with(|| RateSummary {
            gst_rate: l.gst_rate,
            taxable_value: Paise::ZERO,
            taxes: l
                .taxes
                .iter()
                .map(|t| TaxAmount {
                    amount: Paise::ZERO,
                    ..*t
                })
                .collect(),
            total_tax: Paise::ZERO,
        });
        entry.taxable_value = entry.taxable_value + l.taxable_value;
        for (acc, t) in entry.taxes.iter_mut().zip(&l.taxes) {
            acc.amount = acc.amount + t.amount;
        }
        entry.total_tax = entry.total_tax + l.total_tax;
    }

    Ok(ComputedInvoice {
        document_type: draft.document_type,
        number: draft.number.clone(),
        date: draft.date,
        financial_year: FinancialYear::of(draft.date),
        original_invoice: draft.original_invoice.clone(),
        reason: draft.reason.clone(),
        billing_period: draft.billing_period,
        seller: draft.seller.clone(),
        buyer: draft.buyer.clone(),
        endorsement: supply.endorsement(),
        supply,
        lut_reference: draft.lut_reference.clone(),
        tax_summary: by_rate.into_values().collect(),
        totals: Totals {
            gross,
            discount,
            taxable_value,
            cgst,
            sgst,
            utgst,
            igst,
            total_tax,
            total_before_round_off,
            round_off,
            total,
        },
        amount_in_words: amount_in_words(total),
        notes: draft.notes.clone(),
        lines,
    })
}
