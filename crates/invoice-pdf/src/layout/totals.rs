//! The tax summary by rate, the amount in words and the totals.

use super::{BODY, CONTENT_W, Ctx, GAP, MARGIN, PAD, RIGHT, SMALL, TABLE, money};
use crate::canvas::{Align, Canvas, Rgb8};
use crate::fonts::Face;
use akashone_gst::DocumentType;

/// Tax summary by rate and amount in words (left), totals (right).
pub(super) fn summary(c: &mut Canvas, cx: &Ctx, top: f32) -> f32 {
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
