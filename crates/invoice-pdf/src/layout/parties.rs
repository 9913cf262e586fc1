//! The parties: the "Bill to" box (recipient) beside the supply details (place of supply, kind
//! of supply, tax regime), and the export/SEZ endorsement.

use super::{BODY, CONTENT_W, Ctx, GAP, MARGIN, address_lines, boxed, date, kv, state};
use crate::canvas::{Align, Canvas};
use crate::fonts::Face;
use akashone_gst::{SupplyKind, TaxRegime};

pub(super) fn parties(c: &mut Canvas, cx: &Ctx, top: f32) -> f32 {
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

pub(super) fn endorsement(c: &mut Canvas, cx: &Ctx, top: f32) -> f32 {
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
