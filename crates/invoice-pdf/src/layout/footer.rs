//! The footer of every page: seller details and "Page x of y".

use super::{Ctx, MARGIN, RIGHT, SMALL};
use crate::canvas::{Align, Canvas, PAGE_H, Rgb8};

pub(super) fn footer(c: &mut Canvas, cx: &Ctx, page: usize, pages: usize) {
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
