//! The invoice layout: header, e-invoice strip, parties, line table (flowing over pages with
//! its header repeated), tax summary, totals, amount in words, payment, notes, footers.

use crate::canvas::{Align, Canvas, PAGE_H, PAGE_W, Rgb8, Style};
use crate::fonts::{DocFonts, Face, Faces};
use crate::qr::{QrModules, upi_link};
use crate::{Branding, InvoiceCopy, PdfError};
use akashone_gst::{
    Address, ComputedInvoice, ComputedLine, DocumentType, IrnDetails, Paise, StateCode, SupplyKind,
    TaxHead, TaxRegime,
};
use printpdf::{
    ImageCompression, ImageOptimizationOptions, PdfDocument, PdfPage, PdfSaveOptions, RawImage,
    XObjectId,
};
use time::Date;

/// What to print.
pub(crate) struct Source<'a> {
    pub(crate) invoice: &'a ComputedInvoice,
    pub(crate) irn: Option<&'a IrnDetails>,
    pub(crate) draft: bool,
}

const MARGIN: f32 = 36.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
const RIGHT: f32 = PAGE_W - MARGIN;
/// Lowest point content may reach; the footer lives below.
const BOTTOM: f32 = PAGE_H - 46.0;
const GAP: f32 = 8.0;

const TABLE: f32 = 7.4;
const SMALL: f32 = 6.4;
const BODY: f32 = 8.0;

fn date(d: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{:02} {} {}",
        d.day(),
        MONTHS[usize::from(u8::from(d.month())) - 1],
        d.year()
    )
}

fn state(s: StateCode) -> String {
    if s == StateCode::FOREIGN {
        "Outside India (96)".to_string()
    } else {
        format!("{} ({s})", s.name())
    }
}

fn money(p: Paise) -> String {
    p.to_indian_string()
}

fn address_lines(a: &Address, state_name: Option<String>) -> Vec<String> {
    let mut v = vec![a.line1.clone()];
    if let Some(l2) = a.line2.as_ref().filter(|s| !s.trim().is_empty()) {
        v.push(l2.clone());
    }
    let code = a
        .pin
        .map(|p| p.to_string())
        .or_else(|| a.postal_code.clone())
        .unwrap_or_default();
    let mut city = if code.is_empty() {
        a.city.clone()
    } else {
        format!("{} {code}", a.city)
    };
    if let Some(s) = state_name {
        city = format!("{city}, {s}");
    }
    v.push(city);
    v
}

/// Drawing context shared by every block.
struct Ctx<'a> {
    src: &'a Source<'a>,
    inv: &'a ComputedInvoice,
    brand: Rgb8,
    on_brand: Rgb8,
    copy: InvoiceCopy,
    logo: Option<(XObjectId, usize, usize)>,
    irn_qr: Option<QrModules>,
    upi: Option<(QrModules, String)>,
    /// Per head of the regime: its rate when every line has the same.
    uniform: Vec<(TaxHead, Option<String>)>,
}

impl Ctx<'_> {
    fn uniform_rate(&self, head: TaxHead) -> Option<&str> {
        self.uniform
            .iter()
            .find(|(h, _)| *h == head)
            .and_then(|(_, r)| r.as_deref())
    }

    fn title(&self) -> &'static str {
        match self.inv.document_type() {
            DocumentType::Invoice => "TAX INVOICE",
            DocumentType::CreditNote => "CREDIT NOTE",
            DocumentType::DebitNote => "DEBIT NOTE",
        }
    }

    fn short_kind(&self) -> &'static str {
        match self.inv.document_type() {
            DocumentType::Invoice => "Invoice",
            DocumentType::CreditNote => "Credit Note",
            DocumentType::DebitNote => "Debit Note",
        }
    }

    fn number(&self) -> String {
        self.inv
            .number()
            .map_or_else(|| "(not numbered)".to_string(), ToString::to_string)
    }

    fn heads(&self) -> &'static [TaxHead] {
        self.inv.supply().regime.heads()
    }

    fn s(&self, face: Face, size: f32) -> Style {
        Style::new(face, size, Rgb8::TEXT)
    }
    fn muted(&self, size: f32) -> Style {
        Style::new(Face::Regular, size, Rgb8::MUTED)
    }
    fn brand(&self, face: Face, size: f32) -> Style {
        Style::new(face, size, self.brand)
    }
}

/// A label followed by a value that wraps under itself; returns the height.
fn kv(c: &mut Canvas, cx: &Ctx, x: f32, top: f32, w: f32, label: &str, value: &str) -> f32 {
    let ls = cx.muted(BODY - 0.5);
    let vs = cx.s(Face::SemiBold, BODY - 0.5);
    let label = format!("{label}  ");
    let lw = c.width(ls, &label);
    c.text(ls, x, top + BODY * 0.95, Align::Left, &label);
    c.paragraph(vs, x + lw, top, (w - lw).max(20.0), Align::Left, value)
        .max(ls.leading())
}

/// The small outlined copy label, right-aligned at `right`; returns its height.
fn copy_label(c: &mut Canvas, cx: &Ctx, right: f32, top: f32) -> f32 {
    let st = cx.brand(Face::SemiBold, 6.4);
    let w = c.width(st, cx.copy.label()) + 10.0;
    c.stroke_rect(right - w, top, w, 13.0, cx.brand, 0.7);
    c.text(
        st,
        right - w / 2.0,
        top + 9.0,
        Align::Center,
        cx.copy.label(),
    );
    13.0
}

fn first_page_header(c: &mut Canvas, cx: &Ctx) -> f32 {
    let inv = cx.inv;
    let seller = inv.seller();
    let top = 32.0;
    let right_block = 228.0;
    let mut x = MARGIN;
    let mut left_bottom = top;
    if let Some((id, pw, ph)) = &cx.logo {
        let (max_w, max_h) = (130.0, 46.0);
        let scale = (max_w / *pw as f32).min(max_h / *ph as f32);
        let (w, h) = (*pw as f32 * scale, *ph as f32 * scale);
        c.image(id, *pw, *ph, MARGIN, top, w, h);
        x = MARGIN + w + 12.0;
        left_bottom = top + h;
    }
    let left_w = RIGHT - right_block - 16.0 - x;
    let name = seller.trade_name.as_deref().unwrap_or(&seller.legal_name);
    let mut y = top - 2.0;
    y += c.paragraph(cx.brand(Face::Bold, 15.0), x, y, left_w, Align::Left, name);
    if seller.trade_name.is_some() {
        y += c.paragraph(
            cx.s(Face::SemiBold, 8.4),
            x,
            y,
            left_w,
            Align::Left,
            &seller.legal_name,
        );
    }
    y += 2.0;
    for l in address_lines(&seller.address, Some(state(seller.state))) {
        y += c.paragraph(cx.muted(BODY), x, y, left_w, Align::Left, &l);
    }
    y += 1.5;
    y += kv(c, cx, x, y, left_w, "GSTIN", seller.gstin.as_str());
    let contact: Vec<&str> = [seller.email.as_deref(), seller.phone.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !contact.is_empty() {
        y += c.paragraph(
            cx.muted(BODY),
            x,
            y,
            left_w,
            Align::Left,
            &contact.join("  ·  "),
        );
    }
    left_bottom = left_bottom.max(y);

    // Right block: title, copy label, document particulars.
    c.text(
        cx.brand(Face::Bold, 17.0),
        RIGHT,
        top + 14.0,
        Align::Right,
        cx.title(),
    );
    let mut ry = top + 21.0;
    ry += copy_label(c, cx, RIGHT, ry) + 7.0;
    let kind = cx.short_kind();
    let mut rows: Vec<(String, String)> = vec![
        (format!("{kind} No."), cx.number()),
        (format!("{kind} Date"), date(inv.date())),
    ];
    if let Some(o) = inv.original_invoice() {
        rows.push(("Against Invoice".into(), o.number.to_string()));
        rows.push(("Invoice Date".into(), date(o.date)));
    }
    rows.push((
        "Place of Supply".into(),
        state(inv.supply().place_of_supply),
    ));
    rows.push((
        "Reverse Charge".into(),
        if inv.supply().reverse_charge {
            "Yes"
        } else {
            "No"
        }
        .into(),
    ));
    if let Some(p) = inv.billing_period() {
        rows.push((
            "Billing Period".into(),
            format!("{} – {}", date(p.from), date(p.to)),
        ));
    }
    if let Some(d) = seller.payment.as_ref().and_then(|p| p.due_date)
        && inv.document_type() != DocumentType::CreditNote
    {
        rows.push(("Due Date".into(), date(d)));
    }
    let lx = RIGHT - right_block;
    for (label, value) in rows {
        c.text(cx.muted(BODY - 0.4), lx, ry + 7.6, Align::Left, &label);
        c.text(
            cx.s(Face::SemiBold, BODY),
            RIGHT,
            ry + 7.6,
            Align::Right,
            &value,
        );
        ry += 11.6;
    }
    let bottom = left_bottom.max(ry) + 6.0;
    c.hline(MARGIN, RIGHT, bottom, cx.brand, 1.4);
    bottom + GAP
}

fn continuation_header(c: &mut Canvas, cx: &Ctx) -> f32 {
    let seller = cx.inv.seller();
    let name = seller.trade_name.as_deref().unwrap_or(&seller.legal_name);
    c.text(cx.brand(Face::Bold, 11.0), MARGIN, 44.0, Align::Left, name);
    let label = format!("{} {} (continued)", cx.title(), cx.number());
    let lw = copy_label(c, cx, RIGHT, 34.0);
    let cw = c.width(cx.brand(Face::SemiBold, 6.4), cx.copy.label()) + 10.0;
    c.text(
        cx.s(Face::SemiBold, BODY),
        RIGHT - cw - 10.0,
        44.0,
        Align::Right,
        &label,
    );
    let y = 34.0 + lw.max(14.0) + 6.0;
    c.hline(MARGIN, RIGHT, y, cx.brand, 1.0);
    y + GAP
}

fn draft_banner(c: &mut Canvas, top: f32) -> f32 {
    let text = "DRAFT — NOT A TAX INVOICE. This preview has not been issued and cannot be used to claim input tax credit.";
    let st = Style::new(Face::SemiBold, BODY, Rgb8::ALERT);
    let mut m = c.measuring();
    let h = m.paragraph(st, 0.0, 0.0, CONTENT_W - 16.0, Align::Left, text) + 10.0;
    c.fill_rect(MARGIN, top, CONTENT_W, h, Rgb8::ALERT.tint(0.9));
    c.paragraph(
        st,
        MARGIN + 8.0,
        top + 5.0,
        CONTENT_W - 16.0,
        Align::Left,
        text,
    );
    h + GAP
}

fn irn_strip(c: &mut Canvas, cx: &Ctx, top: f32) -> f32 {
    let (Some(irn), Some(qr)) = (cx.src.irn, cx.irn_qr.as_ref()) else {
        return 0.0;
    };
    let qr_size = 100.0;
    let pad = 6.0;
    let h = qr_size + 2.0 * pad;
    c.fill_rect(MARGIN, top, CONTENT_W, h, cx.brand.tint(0.94));
    c.stroke_rect(MARGIN, top, CONTENT_W, h, cx.brand.tint(0.6), 0.6);
    let x = MARGIN + pad + 2.0;
    let w = CONTENT_W - qr_size - 3.0 * pad;
    let mut y = top + pad;
    y += c.paragraph(
        cx.brand(Face::SemiBold, 9.0),
        x,
        y,
        w,
        Align::Left,
        "e-Invoice",
    );
    y += c.paragraph(
        cx.muted(SMALL + 0.4),
        x,
        y,
        w,
        Align::Left,
        "Registered with the Invoice Registration Portal (rule 48(4) CGST Rules).",
    ) + 5.0;
    c.text(cx.muted(BODY - 0.4), x, y + 7.0, Align::Left, "IRN");
    y += 10.0;
    y += c.paragraph(
        Style::new(Face::Mono, 7.6, Rgb8::TEXT),
        x,
        y,
        w,
        Align::Left,
        irn.irn(),
    ) + 4.0;
    y += kv(c, cx, x, y, w, "Ack No.", irn.ack_no());
    kv(c, cx, x, y, w, "Ack Date", &irn.ack_date_string());
    c.qr(qr, RIGHT - pad - qr_size, top + pad, qr_size);
    h + GAP
}

/// A titled box; `body` draws at (x, y, w) and returns its height.
/// `area` is (x, top, width, minimum height).
fn boxed(
    c: &mut Canvas,
    cx: &Ctx,
    area: (f32, f32, f32, f32),
    title: &str,
    body: &dyn Fn(&mut Canvas, f32, f32, f32) -> f32,
) -> f32 {
    let (x, top, w, min_h) = area;
    let band = 15.0;
    let pad = 7.0;
    let mut m = c.measuring();
    let inner = body(&mut m, x + pad, top + band + pad - 1.0, w - 2.0 * pad);
    let h = (band + inner + 2.0 * pad - 1.0).max(min_h);
    c.fill_rect(x, top, w, band, cx.brand.tint(0.9));
    c.stroke_rect(x, top, w, h, Rgb8::RULE, 0.6);
    c.text(
        cx.brand(Face::SemiBold, 7.0),
        x + pad,
        top + 10.4,
        Align::Left,
        title,
    );
    body(c, x + pad, top + band + pad - 1.0, w - 2.0 * pad);
    h
}

fn parties(c: &mut Canvas, cx: &Ctx, top: f32) -> f32 {
    let inv = cx.inv;
    let buyer = inv.buyer();
    let supply = inv.supply();
    let col_w = (CONTENT_W - 10.0) / 2.0;
    let bill_to = |c: &mut Canvas, x: f32, y0: f32, w: f32| -> f32 {
        let mut y = y0;
        y += c.paragraph(
            cx.s(Face::SemiBold, 9.0),
            x,
            y,
            w,
            Align::Left,
            &buyer.legal_name,
        );
        if let Some(t) = &buyer.trade_name {
            y += c.paragraph(cx.s(Face::Regular, BODY), x, y, w, Align::Left, t);
        }
        let state_name = match (supply.kind, buyer.state) {
            (SupplyKind::Export, _) => None,
            (_, Some(s)) => Some(s.name().to_string()),
            _ => None,
        };
        for l in address_lines(&buyer.address, state_name) {
            y += c.paragraph(cx.s(Face::Regular, BODY), x, y, w, Align::Left, &l);
        }
        y += 3.0;
        match &buyer.gstin {
            Some(g) => y += kv(c, cx, x, y, w, "GSTIN/UIN", g.as_str()),
            None if supply.kind == SupplyKind::Export => {}
            None => y += kv(c, cx, x, y, w, "GSTIN", "Unregistered"),
        }
        match (supply.kind, buyer.state) {
            (SupplyKind::Export, _) => {
                let country = buyer.country.as_deref().unwrap_or("");
                y += kv(c, cx, x, y, w, "Country", country);
            }
            (_, Some(s)) => y += kv(c, cx, x, y, w, "State", &state(s)),
            _ => {}
        }
        let contact: Vec<&str> = [buyer.email.as_deref(), buyer.phone.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !contact.is_empty() {
            y += c.paragraph(cx.muted(BODY), x, y, w, Align::Left, &contact.join("  ·  "));
        }
        y - y0
    };
    let details = |c: &mut Canvas, x: f32, y0: f32, w: f32| -> f32 {
        let mut y = y0;
        y += kv(
            c,
            cx,
            x,
            y,
            w,
            "Place of supply",
            &state(supply.place_of_supply),
        );
        let kind = match supply.kind {
            SupplyKind::B2b if supply.is_inter_state() => "Inter-State, registered recipient (B2B)",
            SupplyKind::B2b => "Intra-State, registered recipient (B2B)",
            SupplyKind::B2c if supply.is_inter_state() => {
                "Inter-State, unregistered recipient (B2C)"
            }
            SupplyKind::B2c => "Intra-State, unregistered recipient (B2C)",
            SupplyKind::Export => "Export of services (zero-rated)",
            SupplyKind::Sez => "Supply to a SEZ unit/developer (zero-rated)",
        };
        y += kv(c, cx, x, y, w, "Supply", kind);
        let tax = match supply.regime {
            TaxRegime::CgstSgst => "CGST + SGST".to_string(),
            TaxRegime::CgstUtgst => "CGST + UTGST".to_string(),
            TaxRegime::Igst if supply.zero_rated => "IGST paid (refundable)".to_string(),
            TaxRegime::Igst => "IGST".to_string(),
            TaxRegime::ZeroRatedLut => match inv.lut_reference() {
                Some(r) => format!("Nil, under LUT {r}"),
                None => "Nil, under bond/LUT".to_string(),
            },
        };
        y += kv(c, cx, x, y, w, "Tax", &tax);
        if supply.kind == SupplyKind::Export
            && let Some(country) = &buyer.country
        {
            y += kv(c, cx, x, y, w, "Country of destination", country);
        }
        if let Some(o) = inv.original_invoice() {
            y += kv(
                c,
                cx,
                x,
                y,
                w,
                "Original invoice",
                &format!("{} dated {}", o.number, date(o.date)),
            );
        }
        if let Some(r) = inv.reason() {
            y += kv(c, cx, x, y, w, "Reason", r);
        }
        if let Some(d) = &buyer.delivery_address {
            let lines = address_lines(d, None).join(", ");
            y += kv(c, cx, x, y, w, "Service address", &lines);
        }
        y - y0
    };
    let mut m = c.measuring();
    let h1 = boxed(&mut m, cx, (MARGIN, top, col_w, 0.0), "BILL TO", &bill_to);
    let h2 = boxed(
        &mut m,
        cx,
        (MARGIN, top, col_w, 0.0),
        "SUPPLY DETAILS",
        &details,
    );
    let h = h1.max(h2);
    boxed(c, cx, (MARGIN, top, col_w, h), "BILL TO", &bill_to);
    boxed(
        c,
        cx,
        (MARGIN + col_w + 10.0, top, col_w, h),
        "SUPPLY DETAILS",
        &details,
    );
    h + GAP
}

fn endorsement(c: &mut Canvas, cx: &Ctx, top: f32) -> f32 {
    let Some(text) = cx.inv.endorsement() else {
        return 0.0;
    };
    let st = cx.brand(Face::Bold, 7.6);
    let mut m = c.measuring();
    let h = m.paragraph(st, 0.0, 0.0, CONTENT_W - 16.0, Align::Center, text) + 10.0;
    c.stroke_rect(MARGIN, top, CONTENT_W, h, cx.brand, 0.8);
    c.paragraph(
        st,
        MARGIN + 8.0,
        top + 5.0,
        CONTENT_W - 16.0,
        Align::Center,
        text,
    );
    h + GAP
}

#[derive(Clone, Copy, PartialEq)]
enum Cell {
    Sl,
    Desc,
    Sac,
    Qty,
    Unit,
    Price,
    Discount,
    Taxable,
    Tax(TaxHead),
    Total,
}

struct Col {
    cell: Cell,
    title: String,
    w: f32,
}

const PAD: f32 = 3.2;

/// The rate of `head` if every line bears it at the same rate.
fn uniform_rate(inv: &ComputedInvoice, head: TaxHead) -> Option<String> {
    let mut rates = inv
        .lines()
        .iter()
        .map(|l| l.taxes.iter().find(|t| t.head == head).map(|t| t.rate));
    let first = rates.next()??;
    rates.all(|r| r == Some(first)).then(|| first.to_string())
}

fn columns(cx: &Ctx) -> Vec<Col> {
    let inv = cx.inv;
    let mut cols = vec![
        (Cell::Sl, "#".to_string(), 16.0),
        (Cell::Desc, "Description of Service".to_string(), 0.0),
        (Cell::Sac, "SAC".to_string(), 32.0),
        (Cell::Qty, "Qty".to_string(), 36.0),
        (Cell::Unit, "Unit".to_string(), 40.0),
        (Cell::Price, "Unit Price".to_string(), 42.0),
    ];
    if inv.lines().iter().any(|l| l.discount != Paise::ZERO) {
        cols.push((Cell::Discount, "Discount".to_string(), 44.0));
    }
    cols.push((Cell::Taxable, "Taxable Value".to_string(), 54.0));
    for h in cx.heads() {
        let title = match cx.uniform_rate(*h) {
            Some(r) => format!("{} {r}%", h.as_str()),
            None => h.as_str().to_string(),
        };
        cols.push((Cell::Tax(*h), title, 49.0));
    }
    cols.push((Cell::Total, "Amount".to_string(), 56.0));
    let fixed: f32 = cols.iter().map(|c| c.2).sum();
    cols.into_iter()
        .map(|(cell, title, w)| Col {
            cell,
            title,
            w: if cell == Cell::Desc {
                CONTENT_W - fixed
            } else {
                w
            },
        })
        .collect()
}

fn align_of(cell: Cell) -> Align {
    match cell {
        Cell::Desc | Cell::Sac | Cell::Unit => Align::Left,
        Cell::Sl => Align::Center,
        _ => Align::Right,
    }
}

fn table_header(c: &mut Canvas, cx: &Ctx, cols: &[Col], top: f32) -> f32 {
    let note = cx.muted(SMALL);
    c.text(
        note,
        RIGHT,
        top + 6.0,
        Align::Right,
        "All amounts in ₹ (Indian Rupees)",
    );
    let top = top + 9.0;
    let st = Style::new(Face::SemiBold, 6.8, cx.on_brand);
    let lead = 8.4;
    let lines: Vec<Vec<String>> = cols
        .iter()
        .map(|col| c.wrap(st, &col.title, col.w - 2.0 * PAD))
        .collect();
    let n = lines.iter().map(Vec::len).max().unwrap_or(1) as f32;
    let h = n * lead + 8.0;
    c.fill_rect(MARGIN, top, CONTENT_W, h, cx.brand);
    let mut x = MARGIN;
    for (col, ls) in cols.iter().zip(&lines) {
        // Bottom-align titles so one-line titles sit with the last line of two-line ones.
        let first = top + 4.0 + (n - ls.len() as f32) * lead + 6.4;
        for (i, l) in ls.iter().enumerate() {
            let ax = match align_of(col.cell) {
                Align::Left => x + PAD,
                Align::Right => x + col.w - PAD,
                Align::Center => x + col.w / 2.0,
            };
            c.text(st, ax, first + i as f32 * lead, align_of(col.cell), l);
        }
        x += col.w;
    }
    h + 9.0
}

/// Lines of one cell, each with its style.
fn cell_lines(c: &Canvas, cx: &Ctx, col: &Col, l: &ComputedLine) -> Vec<(String, Style)> {
    let main = cx.s(Face::Regular, TABLE);
    let sub = cx.muted(SMALL);
    let w = col.w - 2.0 * PAD;
    match col.cell {
        Cell::Sl => vec![(l.sl_no.to_string(), main)],
        Cell::Desc => c
            .wrap(main, &l.description, w)
            .into_iter()
            .map(|s| (s, main))
            .collect(),
        Cell::Sac => vec![(l.sac.to_string(), main)],
        Cell::Qty => vec![(l.quantity.to_indian_string(), main)],
        // One line, shrunk to fit if need be (a unit is one word).
        Cell::Unit => vec![(l.unit.clone().unwrap_or_default(), sub)],
        Cell::Price => vec![(l.unit_price.to_rupee_string(), main)],
        Cell::Discount => vec![(money(l.discount), main)],
        Cell::Taxable => vec![(money(l.taxable_value), main)],
        Cell::Tax(h) => {
            let t = l.taxes.iter().find(|t| t.head == h);
            let amount = t.map_or(Paise::ZERO, |t| t.amount);
            let mut v = vec![(money(amount), main)];
            if cx.uniform_rate(h).is_none() {
                v.push((
                    t.map_or_else(String::new, |t| format!("@ {}%", t.rate)),
                    sub,
                ));
            }
            v
        }
        Cell::Total => vec![(money(l.total), cx.s(Face::SemiBold, TABLE))],
    }
}

const ROW_LEAD: f32 = 9.2;
const ROW_PAD: f32 = 4.0;

fn row_height(cells: &[Vec<(String, Style)>]) -> f32 {
    let n = cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32;
    n * ROW_LEAD + 2.0 * ROW_PAD
}

fn draw_row(
    c: &mut Canvas,
    cols: &[Col],
    cells: &[Vec<(String, Style)>],
    top: f32,
    h: f32,
    zebra: bool,
) {
    if zebra {
        c.fill_rect(MARGIN, top, CONTENT_W, h, Rgb8::ZEBRA);
    }
    let mut x = MARGIN;
    for (col, lines) in cols.iter().zip(cells) {
        let align = align_of(col.cell);
        let ax = match align {
            Align::Left => x + PAD,
            Align::Right => x + col.w - PAD,
            Align::Center => x + col.w / 2.0,
        };
        for (i, (text, st)) in lines.iter().enumerate() {
            let baseline = top + ROW_PAD + 6.6 + i as f32 * ROW_LEAD;
            c.text_fit(*st, ax, baseline, align, text, col.w - 2.0 * PAD);
        }
        x += col.w;
    }
    c.hline(MARGIN, RIGHT, top + h, Rgb8::RULE, 0.4);
}

fn totals_row(c: &mut Canvas, cx: &Ctx, cols: &[Col], top: f32) -> f32 {
    let t = cx.inv.totals();
    let h = 17.0;
    c.fill_rect(MARGIN, top, CONTENT_W, h, cx.brand.tint(0.9));
    let st = cx.s(Face::Bold, TABLE);
    let mut x = MARGIN;
    for col in cols {
        let value = match col.cell {
            Cell::Desc => Some(("Total".to_string(), Align::Left)),
            Cell::Discount => Some((money(t.discount), Align::Right)),
            Cell::Taxable => Some((money(t.taxable_value), Align::Right)),
            Cell::Tax(hd) => Some((money(t.tax(hd)), Align::Right)),
            Cell::Total => Some((money(t.total_before_round_off), Align::Right)),
            _ => None,
        };
        if let Some((v, a)) = value {
            let ax = if a == Align::Left {
                x + PAD
            } else {
                x + col.w - PAD
            };
            c.text_fit(st, ax, top + 11.4, a, &v, col.w - 2.0 * PAD);
        }
        x += col.w;
    }
    c.hline(MARGIN, RIGHT, top + h, cx.brand, 0.8);
    h
}

/// Tax summary by rate and amount in words (left), totals (right).
fn summary(c: &mut Canvas, cx: &Ctx, top: f32) -> f32 {
    let inv = cx.inv;
    let t = inv.totals();
    let left_w = CONTENT_W * 0.58;
    let right_x = MARGIN + left_w + 22.0;
    let heads = cx.heads();

    // Left: summary table.
    let mut y = top;
    c.text(
        cx.brand(Face::SemiBold, 7.4),
        MARGIN,
        y + 7.0,
        Align::Left,
        "TAX SUMMARY BY RATE",
    );
    y += 11.0;
    let mut titles = vec!["GST Rate".to_string(), "Taxable Value".to_string()];
    titles.extend(heads.iter().map(|h| h.as_str().to_string()));
    titles.push("Total Tax".to_string());
    let cw = left_w / titles.len() as f32;
    let hs = cx.s(Face::SemiBold, 6.6);
    c.fill_rect(MARGIN, y, left_w, 13.0, cx.brand.tint(0.9));
    for (i, title) in titles.iter().enumerate() {
        let (ax, a) = if i == 0 {
            (MARGIN + PAD, Align::Left)
        } else {
            (MARGIN + (i + 1) as f32 * cw - PAD, Align::Right)
        };
        c.text(hs, ax, y + 9.0, a, title);
    }
    y += 13.0;
    let rs = cx.s(Face::Regular, TABLE);
    for r in inv.tax_summary() {
        let mut cells = vec![format!("{}%", r.gst_rate), money(r.taxable_value)];
        cells.extend(heads.iter().map(|h| {
            money(
                r.taxes
                    .iter()
                    .filter(|t| t.head == *h)
                    .map(|t| t.amount)
                    .sum(),
            )
        }));
        cells.push(money(r.total_tax));
        for (i, v) in cells.iter().enumerate() {
            let (ax, a) = if i == 0 {
                (MARGIN + PAD, Align::Left)
            } else {
                (MARGIN + (i + 1) as f32 * cw - PAD, Align::Right)
            };
            c.text_fit(rs, ax, y + 9.0, a, v, cw - 2.0 * PAD);
        }
        y += 12.5;
        c.hline(MARGIN, MARGIN + left_w, y, Rgb8::RULE, 0.4);
    }
    y += 9.0;
    c.text(
        cx.muted(SMALL + 0.4),
        MARGIN,
        y + 6.0,
        Align::Left,
        "Amount in words",
    );
    y += 9.0;
    y += c.paragraph(
        cx.s(Face::SemiBold, 8.4),
        MARGIN,
        y,
        left_w,
        Align::Left,
        inv.amount_in_words(),
    );
    let left_bottom = y;

    // Right: totals.
    let mut ry = top;
    let row = |c: &mut Canvas, ry: &mut f32, label: &str, value: String, bold: bool| {
        let ls = if bold {
            cx.s(Face::SemiBold, BODY)
        } else {
            cx.muted(BODY)
        };
        let vs = cx.s(if bold { Face::SemiBold } else { Face::Regular }, BODY);
        c.text(ls, right_x, *ry + 8.0, Align::Left, label);
        c.text(vs, RIGHT, *ry + 8.0, Align::Right, &value);
        *ry += 12.5;
    };
    row(c, &mut ry, "Taxable value", money(t.taxable_value), false);
    for h in heads {
        let label = match cx.uniform_rate(*h) {
            Some(r) => format!("{} @ {r}%", h.as_str()),
            None => h.as_str().to_string(),
        };
        row(c, &mut ry, &label, money(t.tax(*h)), false);
    }
    row(c, &mut ry, "Total tax", money(t.total_tax), false);
    let ro = if t.round_off.is_negative() {
        format!("−{}", money(-t.round_off))
    } else {
        format!("+{}", money(t.round_off))
    };
    row(c, &mut ry, "Round off", ro, false);
    c.hline(right_x, RIGHT, ry + 2.0, cx.brand, 1.0);
    ry += 6.0;
    let total_label = match inv.document_type() {
        DocumentType::Invoice => "Invoice Total",
        DocumentType::CreditNote => "Credit Note Total",
        DocumentType::DebitNote => "Debit Note Total",
    };
    c.text(
        cx.brand(Face::Bold, 10.0),
        right_x,
        ry + 12.0,
        Align::Left,
        total_label,
    );
    c.text(
        cx.brand(Face::Bold, 12.5),
        RIGHT,
        ry + 12.5,
        Align::Right,
        &format!("₹{}", money(t.total)),
    );
    ry += 17.0;
    c.text(
        cx.muted(SMALL),
        RIGHT,
        ry + 6.0,
        Align::Right,
        "Rounded to the nearest rupee",
    );
    ry += 9.0;
    left_bottom.max(ry) - top + GAP
}

fn payment(c: &mut Canvas, cx: &Ctx, top: f32) -> f32 {
    let inv = cx.inv;
    let Some(p) = inv.seller().payment.as_ref() else {
        return 0.0;
    };
    if inv.document_type() == DocumentType::CreditNote {
        return 0.0;
    }
    let qr_size = 72.0;
    let upi = cx.upi.as_ref();
    let body = |c: &mut Canvas, x: f32, y0: f32, w: f32| -> f32 {
        let text_w = if upi.is_some() { w - qr_size - 24.0 } else { w };
        let half = (text_w - 12.0) / 2.0;
        let mut y1 = y0;
        if let Some(b) = &p.bank {
            y1 += kv(c, cx, x, y1, half, "Bank", &b.bank_name);
            y1 += kv(c, cx, x, y1, half, "Account name", &b.account_name);
            y1 += kv(c, cx, x, y1, half, "Account no.", &b.account_number);
            y1 += kv(c, cx, x, y1, half, "IFSC", b.ifsc.as_str());
            if let Some(br) = &b.branch {
                y1 += kv(c, cx, x, y1, half, "Branch", br);
            }
        }
        let x2 = x + half + 12.0;
        let mut y2 = y0;
        if let Some(u) = &p.upi_id {
            y2 += kv(c, cx, x2, y2, half, "UPI ID", u.as_str());
        }
        if let Some(d) = p.due_date {
            y2 += kv(c, cx, x2, y2, half, "Due date", &date(d));
        }
        y2 += kv(
            c,
            cx,
            x2,
            y2,
            half,
            "Amount due",
            &format!("₹{}", money(inv.totals().total)),
        );
        if let Some(t) = &p.terms {
            y2 += 2.0;
            y2 += c.paragraph(cx.muted(BODY - 0.5), x2, y2, half, Align::Left, t);
        }
        let mut h = (y1 - y0).max(y2 - y0);
        if let Some((qr, _)) = upi {
            let qx = x + w - qr_size;
            c.qr(qr, qx, y0 - 2.0, qr_size);
            let caption = c.paragraph(
                cx.muted(SMALL),
                qx,
                y0 + qr_size - 1.0,
                qr_size,
                Align::Center,
                "Scan to pay with any UPI app",
            );
            h = h.max(qr_size + caption - 2.0);
        }
        h
    };
    boxed(
        c,
        cx,
        (MARGIN, top, CONTENT_W, 0.0),
        "PAYMENT DETAILS",
        &body,
    ) + GAP
}

fn notes(c: &mut Canvas, cx: &Ctx, top: f32) -> f32 {
    let Some(n) = cx.inv.notes() else {
        return 0.0;
    };
    let mut y = top;
    c.text(
        cx.brand(Face::SemiBold, 7.4),
        MARGIN,
        y + 7.0,
        Align::Left,
        "NOTES",
    );
    y += 10.0;
    y += c.paragraph(
        cx.s(Face::Regular, BODY - 0.4),
        MARGIN,
        y,
        CONTENT_W,
        Align::Left,
        n,
    );
    y - top + GAP
}

fn footer(c: &mut Canvas, cx: &Ctx, page: usize, pages: usize) {
    let y = PAGE_H - 38.0;
    c.hline(MARGIN, RIGHT, y, Rgb8::RULE, 0.6);
    let seller = cx.inv.seller();
    let st = cx.muted(SMALL);
    c.text(
        st,
        MARGIN,
        y + 10.0,
        Align::Left,
        &format!("{}  ·  GSTIN {}", seller.legal_name, seller.gstin),
    );
    c.text(
        st,
        RIGHT,
        y + 10.0,
        Align::Right,
        &format!(
            "{} {}  ·  Page {page} of {pages}",
            cx.short_kind(),
            cx.number()
        ),
    );
    c.text(
        cx.muted(SMALL - 0.4),
        MARGIN,
        y + 19.5,
        Align::Left,
        "Certified true and correct. An electronic document under the Information Technology Act, 2000: no signature is required.",
    );
}

fn decode_logo(png: &[u8]) -> Result<RawImage, PdfError> {
    let mut warnings = Vec::new();
    RawImage::decode_from_bytes(png, &mut warnings).map_err(PdfError::Logo)
}

pub(crate) fn render(
    src: &Source,
    branding: &Branding,
    copy: InvoiceCopy,
) -> Result<Vec<u8>, PdfError> {
    let faces = Faces::get()?;
    let inv = src.invoice;
    let title = format!(
        "{} {}",
        inv.document_type().title(),
        inv.number()
            .map_or("(draft)".to_string(), ToString::to_string)
    );
    let mut doc = PdfDocument::new(&title);
    doc.metadata.info.author = inv.seller().legal_name.clone();
    doc.metadata.info.creator = "AkashOne Console".to_string();
    doc.metadata.info.producer = "akashone-invoice-pdf".to_string();
    doc.metadata.info.subject = format!(
        "{} for {}, total INR {}",
        inv.document_type().title(),
        inv.buyer().legal_name,
        inv.totals().total
    );
    let midnight = inv.date().midnight().assume_utc().unix_timestamp();
    if let Ok(d) = printpdf::OffsetDateTime::from_unix_timestamp(midnight) {
        doc.metadata.info.creation_date = d;
        doc.metadata.info.modification_date = d;
        doc.metadata.info.metadata_date = d;
    }

    let fonts = DocFonts::new();
    let logo = match &branding.logo_png {
        Some(png) => {
            let img = decode_logo(png)?;
            let (w, h) = (img.width, img.height);
            Some((doc.add_image(&img), w, h))
        }
        None => None,
    };
    let brand = Rgb8(branding.colour.r, branding.colour.g, branding.colour.b);
    let irn_qr = src
        .irn
        .map(|i| QrModules::encode(i.signed_qr_code()))
        .transpose()?;
    let upi = match inv
        .seller()
        .payment
        .as_ref()
        .and_then(|p| p.upi_id.as_ref())
    {
        Some(id)
            if inv.document_type() != DocumentType::CreditNote
                && inv.supply().kind != SupplyKind::Export
                && !src.draft =>
        {
            let seller = inv.seller();
            let payee = seller.trade_name.as_deref().unwrap_or(&seller.legal_name);
            let link = upi_link(
                id.as_str(),
                payee,
                &inv.totals().total.to_rupee_string(),
                &format!(
                    "{} {}",
                    inv.document_type().title(),
                    inv.number().map_or("", |n| n.as_str())
                ),
            );
            Some((QrModules::encode(&link)?, link))
        }
        _ => None,
    };
    let cx = Ctx {
        src,
        inv,
        brand,
        on_brand: if brand.luminance() > 0.6 {
            Rgb8::TEXT
        } else {
            Rgb8::WHITE
        },
        copy,
        logo,
        irn_qr,
        upi,
        uniform: inv
            .supply()
            .regime
            .heads()
            .iter()
            .map(|h| (*h, uniform_rate(inv, *h)))
            .collect(),
    };

    let mut pages: Vec<Canvas> = Vec::new();
    let mut c = Canvas::new(faces, &fonts);
    let mut y = first_page_header(&mut c, &cx);
    if src.draft {
        y += draft_banner(&mut c, y);
    }
    y += irn_strip(&mut c, &cx, y);
    y += parties(&mut c, &cx, y);
    y += endorsement(&mut c, &cx, y);

    let cols = columns(&cx);
    y += table_header(&mut c, &cx, &cols, y);
    for (i, line) in inv.lines().iter().enumerate() {
        let cells: Vec<_> = cols
            .iter()
            .map(|col| cell_lines(&c, &cx, col, line))
            .collect();
        let h = row_height(&cells);
        if y + h > BOTTOM {
            pages.push(std::mem::replace(&mut c, Canvas::new(faces, &fonts)));
            y = continuation_header(&mut c, &cx);
            y += table_header(&mut c, &cx, &cols, y);
        }
        draw_row(&mut c, &cols, &cells, y, h, i % 2 == 1);
        y += h;
    }
    if y + 17.0 > BOTTOM {
        pages.push(std::mem::replace(&mut c, Canvas::new(faces, &fonts)));
        y = continuation_header(&mut c, &cx);
        y += table_header(&mut c, &cx, &cols, y);
    }
    y += totals_row(&mut c, &cx, &cols, y) + GAP + 2.0;

    type Block = fn(&mut Canvas, &Ctx, f32) -> f32;
    for block in [summary as Block, payment, notes] {
        let h = block(&mut c.measuring(), &cx, y);
        if h <= 0.0 {
            continue;
        }
        if y + h > BOTTOM {
            pages.push(std::mem::replace(&mut c, Canvas::new(faces, &fonts)));
            y = continuation_header(&mut c, &cx);
        }
        y += block(&mut c, &cx, y);
    }
    pages.push(c);

    let n = pages.len();
    let page_ops: Vec<_> = pages
        .into_iter()
        .enumerate()
        .map(|(i, mut p)| {
            footer(&mut p, &cx, i + 1, n);
            p.into_ops()
        })
        .collect();
    fonts.embed(&mut doc, faces, &page_ops);
    let pdf_pages = page_ops
        .into_iter()
        .map(|ops| PdfPage::new(printpdf::Mm(210.0), printpdf::Mm(297.0), ops))
        .collect();
    let mut warnings = Vec::new();
    let opts = PdfSaveOptions {
        // Logos stay lossless (Flate), unchanged in colour and size.
        image_optimization: Some(ImageOptimizationOptions {
            quality: None,
            max_image_size: None,
            dither_greyscale: Some(false),
            convert_to_greyscale: Some(false),
            auto_optimize: Some(false),
            format: Some(ImageCompression::Flate),
        }),
        ..PdfSaveOptions::default()
    };
    Ok(doc.with_pages(pdf_pages).save(&opts, &mut warnings))
}
