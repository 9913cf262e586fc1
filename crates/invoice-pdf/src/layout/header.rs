//! The top of each page: the first page's header (logo, seller, title, number and dates), the
//! continuation header, the draft banner and the e-invoice (IRN) strip.

use super::{BODY, CONTENT_W, Ctx, GAP, MARGIN, RIGHT, SMALL, address_lines, date, kv, state};
use crate::canvas::{Align, Canvas, Rgb8, Style};
use crate::fonts::Face;
use akashone_gst::DocumentType;

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

pub(super) fn first_page_header(c: &mut Canvas, cx: &Ctx) -> f32 {
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

pub(super) fn continuation_header(c: &mut Canvas, cx: &Ctx) -> f32 {
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

pub(super) fn draft_banner(c: &mut Canvas, top: f32) -> f32 {
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

pub(super) fn irn_strip(c: &mut Canvas, cx: &Ctx, top: f32) -> f32 {
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
