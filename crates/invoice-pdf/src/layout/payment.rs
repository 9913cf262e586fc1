//! Payment details (bank, UPI QR code) and notes.

use super::{BODY, CONTENT_W, Ctx, GAP, MARGIN, SMALL, boxed, date, kv, money};
use crate::canvas::{Align, Canvas};
use crate::fonts::Face;
use akashone_gst::DocumentType;

pub(super) fn payment(c: &mut Canvas, cx: &Ctx, top: f32) -> f32 {
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

pub(super) fn notes(c: &mut Canvas, cx: &Ctx, top: f32) -> f32 {
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
