//! A page to draw on in top-down coordinates (points from the top-left corner), over
//! printpdf's operations. Text is measured with the same advance widths that are drawn, so
//! right-aligned figures line up.

use crate::fonts::{DocFonts, Face, Faces};
use printpdf::{
    Color, Line, LinePoint, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, Rgb, TextItem,
    XObjectId, XObjectTransform,
};

/// A4 width in points.
pub(crate) const PAGE_W: f32 = 595.28;
/// A4 height in points.
pub(crate) const PAGE_H: f32 = 841.89;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb8(pub u8, pub u8, pub u8);

impl Rgb8 {
    pub(crate) const TEXT: Rgb8 = Rgb8(0x1F, 0x29, 0x33);
    pub(crate) const MUTED: Rgb8 = Rgb8(0x5F, 0x6B, 0x7A);
    pub(crate) const RULE: Rgb8 = Rgb8(0xD5, 0xDA, 0xE1);
    pub(crate) const ZEBRA: Rgb8 = Rgb8(0xF6, 0xF8, 0xFA);
    pub(crate) const WHITE: Rgb8 = Rgb8(0xFF, 0xFF, 0xFF);
    pub(crate) const BLACK: Rgb8 = Rgb8(0, 0, 0);
    pub(crate) const ALERT: Rgb8 = Rgb8(0xB4, 0x23, 0x18);

    fn color(self) -> Color {
        Color::Rgb(Rgb {
            r: f32::from(self.0) / 255.0,
            g: f32::from(self.1) / 255.0,
            b: f32::from(self.2) / 255.0,
            icc_profile: None,
        })
    }

    /// Relative luminance (0 dark … 1 light).
    pub(crate) fn luminance(self) -> f32 {
        (0.2126 * f32::from(self.0) + 0.7152 * f32::from(self.1) + 0.0722 * f32::from(self.2))
            / 255.0
    }

    /// This colour mixed with white: `amount` 0 = unchanged, 1 = white.
    pub(crate) fn tint(self, amount: f32) -> Rgb8 {
        let m = |c: u8| (f32::from(c) + (255.0 - f32::from(c)) * amount).round() as u8;
        Rgb8(m(self.0), m(self.1), m(self.2))
    }
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
    Center,
}

/// A text style.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub face: Face,
    pub size: f32,
    pub colour: Rgb8,
}

impl Style {
    pub(crate) const fn new(face: Face, size: f32, colour: Rgb8) -> Self {
        Style { face, size, colour }
    }

    /// Line height for this size.
    pub(crate) fn leading(self) -> f32 {
        self.size * 1.3
    }
}

/// Drawing operations of one page (or, when measuring, only the geometry).
pub(crate) struct Canvas<'a> {
    pub(crate) faces: &'static Faces,
    fonts: &'a DocFonts,
    ops: Vec<Op>,
    measure_only: bool,
}

fn pt(x: f32, y_top: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(PAGE_H - y_top),
    }
}

impl<'a> Canvas<'a> {
    pub(crate) fn new(faces: &'static Faces, fonts: &'a DocFonts) -> Self {
        Canvas {
            faces,
            fonts,
            ops: Vec::new(),
            measure_only: false,
        }
    }

    /// A canvas that draws nothing, to measure a block before placing it.
    pub(crate) fn measuring(&self) -> Canvas<'a> {
        Canvas {
            faces: self.faces,
            fonts: self.fonts,
            ops: Vec::new(),
            measure_only: true,
        }
    }

    pub(crate) fn into_ops(self) -> Vec<Op> {
        self.ops
    }

    /// Replaces characters the face cannot draw (and control characters) with `?`.
    pub(crate) fn printable(&self, face: Face, text: &str) -> String {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    ' '
                } else if self.faces.has(face, c) {
                    c
                } else {
                    '?'
                }
            })
            .collect()
    }

    /// Width of `text` in `style`.
    pub(crate) fn width(&self, style: Style, text: &str) -> f32 {
        self.faces.width(style.face, style.size, text)
    }

    /// Draws one line of text with its baseline at `baseline` (from the top).
    pub(crate) fn text(&mut self, style: Style, x: f32, baseline: f32, align: Align, text: &str) {
        if self.measure_only || text.is_empty() {
            return;
        }
        let text = self.printable(style.face, text);
        let w = self.width(style, &text);
        let x = match align {
            Align::Left => x,
            Align::Right => x - w,
            Align::Center => x - w / 2.0,
        };
        self.ops.push(Op::SetFillColor {
            col: style.colour.color(),
        });
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetFont {
            font: PdfFontHandle::External(self.fonts.id(style.face).clone()),
            size: Pt(style.size),
        });
        self.ops.push(Op::SetTextCursor {
            pos: pt(x, baseline),
        });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text)],
        });
        self.ops.push(Op::EndTextSection);
    }

    /// Like [`Canvas::text`], shrinking the size (down to 60 %) so the text fits `max_w`.
    pub(crate) fn text_fit(
        &mut self,
        style: Style,
        x: f32,
        baseline: f32,
        align: Align,
        text: &str,
        max_w: f32,
    ) {
        let w = self.width(style, text);
        let style = if w > max_w && w > 0.0 {
            Style {
                size: (style.size * max_w / w).max(style.size * 0.6),
                ..style
            }
        } else {
            style
        };
        self.text(style, x, baseline, align, text);
    }

    /// Breaks `text` into lines no wider than `max_w` (words longer than that are split).
    pub(crate) fn wrap(&self, style: Style, text: &str, max_w: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let text: String = text
            .chars()
            .map(|c| match c {
                '\n' => c,
                c if c.is_control() => ' ',
                c if self.faces.has(style.face, c) => c,
                _ => '?',
            })
            .collect();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(style, &candidate) <= max_w {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // The word alone may still be too wide: split it by characters.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(style, &piece) > max_w && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        while lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        lines
    }

    /// Draws wrapped text from `top`; returns the height used.
    pub(crate) fn paragraph(
        &mut self,
        style: Style,
        x: f32,
        top: f32,
        max_w: f32,
        align: Align,
        text: &str,
    ) -> f32 {
        let lines = self.wrap(style, text, max_w);
        let lead = style.leading();
        let ascent = style.size * 0.95;
        for (i, l) in lines.iter().enumerate() {
            let ax = match align {
                Align::Left => x,
                Align::Right => x + max_w,
                Align::Center => x + max_w / 2.0,
            };
            self.text(style, ax, top + ascent + i as f32 * lead, align, l);
        }
        lines.len() as f32 * lead
    }

    /// A filled rectangle.
    pub(crate) fn fill_rect(&mut self, x: f32, top: f32, w: f32, h: f32, colour: Rgb8) {
        if self.measure_only {
            return;
        }
        self.ops.push(Op::SetFillColor {
            col: colour.color(),
        });
        let mut r = Rect::from_xywh(Pt(x), Pt(PAGE_H - top - h), Pt(w), Pt(h));
        r.mode = Some(PaintMode::Fill);
        self.ops.push(Op::DrawRectangle { rectangle: r });
    }

    /// An outlined rectangle.
    pub(crate) fn stroke_rect(
        &mut self,
        x: f32,
        top: f32,
        w: f32,
        h: f32,
        colour: Rgb8,
        width: f32,
    ) {
        if self.measure_only {
            return;
        }
        self.ops.push(Op::SetOutlineColor {
            col: colour.color(),
        });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
        let mut r = Rect::from_xywh(Pt(x), Pt(PAGE_H - top - h), Pt(w), Pt(h));
        r.mode = Some(PaintMode::Stroke);
        self.ops.push(Op::DrawRectangle { rectangle: r });
    }

    /// A horizontal rule.
    pub(crate) fn hline(&mut self, x1: f32, x2: f32, y: f32, colour: Rgb8, width: f32) {
        if self.measure_only {
            return;
        }
        self.ops.push(Op::SetOutlineColor {
            col: colour.color(),
        });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: pt(x1, y),
                        bezier: false,
                    },
                    LinePoint {
                        p: pt(x2, y),
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    /// Places an image XObject of `px_w` × `px_h` pixels in the box at (`x`, `top`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn image(
        &mut self,
        id: &XObjectId,
        px_w: usize,
        px_h: usize,
        x: f32,
        top: f32,
        w: f32,
        h: f32,
    ) {
        if self.measure_only || px_w == 0 || px_h == 0 {
            return;
        }
        self.ops.push(Op::UseXobject {
            id: id.clone(),
            transform: XObjectTransform {
                translate_x: Some(Pt(x)),
                translate_y: Some(Pt(PAGE_H - top - h)),
                scale_x: Some(w / px_w as f32),
                scale_y: Some(h / px_h as f32),
                dpi: Some(72.0),
                ..Default::default()
            },
        });
    }

    /// A QR code (dark modules as filled runs) in the square at (`x`, `top`) of side `size`,
    /// inside a quiet zone of `quiet` modules that is left white.
    pub(crate) fn qr(&mut self, modules: &crate::qr::QrModules, x: f32, top: f32, size: f32) {
        if self.measure_only {
            return;
        }
        let n = modules.width + 2 * crate::qr::QUIET_ZONE;
        let m = size / n as f32;
        self.fill_rect(x, top, size, size, Rgb8::WHITE);
        self.ops.push(Op::SetFillColor {
            col: Rgb8::BLACK.color(),
        });
        for (row, runs) in modules.runs.iter().enumerate() {
            for &(start, len) in runs {
                let rx = x + (start + crate::qr::QUIET_ZONE) as f32 * m;
                let ry = top + (row + crate::qr::QUIET_ZONE) as f32 * m;
                // A hair of overlap hides seams between adjacent rows in some viewers.
                let mut r = Rect::from_xywh(
                    Pt(rx),
                    Pt(PAGE_H - ry - m - 0.02),
                    Pt(len as f32 * m),
                    Pt(m + 0.02),
                );
                r.mode = Some(PaintMode::Fill);
                self.ops.push(Op::DrawRectangle { rectangle: r });
            }
        }
    }
}
