//! The embedded fonts (Inter for text and figures, JetBrains Mono for IRNs) and their advance
//! widths, parsed once per process.

use crate::PdfError;
use printpdf::{FontId, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, TextItem};
use std::collections::BTreeSet;
use std::sync::LazyLock;

const INTER_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/Inter-Regular.otf");
const INTER_SEMIBOLD: &[u8] = include_bytes!("../../../assets/fonts/Inter-SemiBold.otf");
const INTER_BOLD: &[u8] = include_bytes!("../../../assets/fonts/Inter-Bold.otf");
const MONO_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/JetBrainsMono-Regular.ttf");

/// Which face.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    SemiBold,
    Bold,
    Mono,
}

pub(crate) struct Faces {
    regular: ParsedFont,
    semibold: ParsedFont,
    bold: ParsedFont,
    mono: ParsedFont,
}

fn parse(bytes: &[u8], name: &str) -> Result<ParsedFont, String> {
    let mut warnings = Vec::new();
    ParsedFont::from_bytes(bytes, 0, &mut warnings)
        .ok_or_else(|| format!("the embedded font {name} could not be parsed: {warnings:?}"))
}

static FACES: LazyLock<Result<Faces, String>> = LazyLock::new(|| {
    Ok(Faces {
        regular: parse(INTER_REGULAR, "Inter-Regular")?,
        semibold: parse(INTER_SEMIBOLD, "Inter-SemiBold")?,
        bold: parse(INTER_BOLD, "Inter-Bold")?,
        mono: parse(MONO_REGULAR, "JetBrainsMono-Regular")?,
    })
});

impl Faces {
    pub(crate) fn get() -> Result<&'static Faces, PdfError> {
        FACES.as_ref().map_err(|e| PdfError::Font(e.clone()))
    }

    pub(crate) fn face(&self, f: Face) -> &ParsedFont {
        match f {
            Face::Regular => &self.regular,
            Face::SemiBold => &self.semibold,
            Face::Bold => &self.bold,
            Face::Mono => &self.mono,
        }
    }

    /// Whether the face has a glyph for `c`.
    pub(crate) fn has(&self, f: Face, c: char) -> bool {
        self.face(f).lookup_glyph_index(c as u32).is_some()
    }

    /// Width of `text` at `size` points (no kerning: none is applied when drawing either).
    pub(crate) fn width(&self, f: Face, size: f32, text: &str) -> f32 {
        let font = self.face(f);
        let upm = f32::from(font.units_per_em.max(1));
        let units: u32 = text
            .chars()
            .map(|c| {
                font.lookup_glyph_index(c as u32)
                    .and_then(|g| font.get_glyph_width(g))
                    .map_or(0, u32::from)
            })
            .sum();
        units as f32 / upm * size
    }
}

/// Resource names of the faces in every document.
pub(crate) struct DocFonts {
    ids: [FontId; 4],
}

const FACES_IN_ORDER: [Face; 4] = [Face::Regular, Face::SemiBold, Face::Bold, Face::Mono];

impl DocFonts {
    pub(crate) fn new() -> Self {
        DocFonts {
            ids: [
                // A subset font's name carries a six-letter tag (PDF 32000-1, 9.6.4).
                FontId("AKOREG+Inter-Regular".into()),
                FontId("AKOSEM+Inter-SemiBold".into()),
                FontId("AKOBLD+Inter-Bold".into()),
                FontId("AKOMON+JetBrainsMono-Regular".into()),
            ],
        }
    }

    pub(crate) fn id(&self, f: Face) -> &FontId {
        &self.ids[FACES_IN_ORDER.iter().position(|x| *x == f).unwrap_or(0)]
    }

    /// Embeds, for each face the pages use, a subset holding just the characters drawn.
    pub(crate) fn embed(&self, doc: &mut PdfDocument, faces: &Faces, pages: &[Vec<Op>]) {
        let mut used: [BTreeSet<char>; 4] = Default::default();
        for ops in pages {
            let mut current: Option<usize> = None;
            for op in ops {
                match op {
                    Op::SetFont {
                        font: PdfFontHandle::External(id),
                        ..
                    } => current = self.ids.iter().position(|x| x == id),
                    Op::ShowText { items } => {
                        if let Some(i) = current {
                            for item in items {
                                if let TextItem::Text(t) = item {
                                    used[i].extend(t.chars());
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        for (i, chars) in used.iter().enumerate() {
            if chars.is_empty() {
                continue;
            }
            let face = FACES_IN_ORDER[i];
            let full = faces.face(face);
            let font = subset(face_bytes(face), full, chars).unwrap_or_else(|| full.clone());
            doc.resources
                .fonts
                .map
                .insert(self.ids[i].clone(), PdfFont::new(font));
        }
    }
}

fn face_bytes(f: Face) -> &'static [u8] {
    match f {
        Face::Regular => INTER_REGULAR,
        Face::SemiBold => INTER_SEMIBOLD,
        Face::Bold => INTER_BOLD,
        Face::Mono => MONO_REGULAR,
    }
}

/// A font holding only `chars` (plus `.notdef`), renumbered, with its own cmap and widths;
/// `None` if subsetting fails (the caller then embeds the whole font).
fn subset(bytes: &[u8], full: &ParsedFont, chars: &BTreeSet<char>) -> Option<ParsedFont> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};

    let glyphs: BTreeSet<u16> = chars
        .iter()
        .filter_map(|c| full.lookup_glyph_index(*c as u32))
        .filter(|g| *g != 0)
        .collect();
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
    let font_file = ReadScope::new(bytes).read::<FontData<'_>>().ok()?;
    let provider = font_file.table_provider(0).ok()?;
    let sub =
        allsorts::subset::subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode).ok()?;
    let mut warnings = Vec::new();
    let font = ParsedFont::from_bytes(&sub, 0, &mut warnings)?;
    // Every character must still map, or text would turn into .notdef.
    chars
        .iter()
        .filter(|c| full.lookup_glyph_index(**c as u32).is_some())
        .all(|c| font.lookup_glyph_index(*c as u32).is_some())
        .then_some(font)
}
