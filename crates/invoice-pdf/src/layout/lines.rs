//! The line table: its columns, header, rows (flowing over pages) and totals row.

use super::{CONTENT_W, Ctx, MARGIN, PAD, RIGHT, SMALL, TABLE, money};
use crate::canvas::{Align, Canvas, Rgb8, Style};
use crate::fonts::Face;
use akashone_gst::{ComputedLine, Paise, TaxHead};

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

pub(super) struct Col {
    cell: Cell,
    title: String,
    w: f32,
}

pub(super) fn columns(cx: &Ctx) -> Vec<Col> {
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

pub(super) fn table_header(c: &mut Canvas, cx: &Ctx, cols: &[Col], top: f32) -> f32 {
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
pub(super) fn cell_lines(
    c: &Canvas,
    cx: &Ctx,
    col: &Col,
    l: &ComputedLine,
) -> Vec<(String, Style)> {
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

pub(super) fn row_height(cells: &[Vec<(String, Style)>]) -> f32 {
    let n = cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32;
    n * ROW_LEAD + 2.0 * ROW_PAD
}

pub(super) fn draw_row(
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

pub(super) fn totals_row(c: &mut Canvas, cx: &Ctx, cols: &[Col], top: f32) -> f32 {
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
