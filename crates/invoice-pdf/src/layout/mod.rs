//! The invoice layout: header, e-invoice strip, parties, line table (flowing over pages with
//! its header repeated), tax summary, totals, amount in words, payment, notes, footers.

use crate::canvas::{Align, Canvas, PAGE_H, PAGE_W, Rgb8, Style};
use crate::fonts::{DocFonts, Face, Faces};
use crate::qr::{QrModules, upi_link};
use crate::{Branding, InvoiceCopy, PdfError};
use akashone_gst::{
    Address, ComputedInvoice, DocumentType, IrnDetails, Paise, StateCode, SupplyKind, TaxHead,
};
use printpdf::{
    ImageCompression, ImageOptimizationOptions, PdfDocument, PdfPage, PdfSaveOptions, RawImage,
    XObjectId,
};
use time::Date;

mod footer;
mod header;
mod lines;
mod parties;
mod payment;
mod totals;

use footer::footer;
use header::{continuation_header, draft_banner, first_page_header, irn_strip};
use lines::{cell_lines, columns, draw_row, row_height, table_header, totals_row};
use parties::{endorsement, parties};
use payment::{notes, payment};
use totals::summary;

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
