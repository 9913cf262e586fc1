//! Runs poppler-utils (installed by `cargo xtask setup`) on rendered PDFs.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes `pdf` to a temporary file and returns the folder (kept alive by the guard).
pub fn write(pdf: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, pdf).unwrap();
    (dir, path)
}

fn run(tool: &str, args: &[&str], path: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("{tool} could not be run ({e}); install poppler-utils (cargo xtask setup)")
        });
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `pdftotext -raw`: text in drawing order, whitespace collapsed to single spaces.
pub fn text(pdf: &[u8]) -> String {
    let (_dir, path) = write(pdf);
    let raw = run("pdftotext", &["-raw", "-enc", "UTF-8"], &path);
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `pdftotext -layout` of one page (1-based), lines kept.
pub fn page_layout(pdf: &[u8], page: usize) -> String {
    let (_dir, path) = write(pdf);
    let p = page.to_string();
    run(
        "pdftotext",
        &["-layout", "-f", &p, "-l", &p, "-enc", "UTF-8"],
        &path,
    )
}

/// The number of pages (`pdfinfo`).
pub fn pages(pdf: &[u8]) -> usize {
    let (_dir, path) = write(pdf);
    let out = Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo");
    let info = String::from_utf8(out.stdout).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("Pages: line")
}

/// `pdffonts` rows: (name, type, embedded, subset, unicode map).
pub fn fonts(pdf: &[u8]) -> Vec<(String, String, bool, bool, bool)> {
    let (_dir, path) = write(pdf);
    let out = Command::new("pdffonts")
        .arg(&path)
        .output()
        .expect("pdffonts");
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let n = cols.len();
            // name type... encoding emb sub uni object-id generation
            (
                cols[0].to_string(),
                cols[1..n - 6].join(" "),
                cols[n - 5] == "yes",
                cols[n - 4] == "yes",
                cols[n - 3] == "yes",
            )
        })
        .collect()
}

/// Page `page` rasterised at `dpi` as a greyscale image.
pub fn raster(pdf: &[u8], page: usize, dpi: u32) -> image::GrayImage {
    let (dir, path) = write(pdf);
    let prefix = dir.path().join("page");
    let p = page.to_string();
    let status = Command::new("pdftoppm")
        .args([
            "-png",
            "-gray",
            "-r",
            &dpi.to_string(),
            "-f",
            &p,
            "-l",
            &p,
            "-singlefile",
        ])
        .arg(&path)
        .arg(&prefix)
        .status()
        .expect("pdftoppm");
    assert!(status.success());
    image::open(dir.path().join("page.png")).unwrap().to_luma8()
}

/// A word's box from `pdftotext -bbox`, in points from the top-left of its page.
#[derive(Debug, Clone)]
#[allow(dead_code)] // `text` is read through Debug in failure messages.
pub struct Word {
    pub page: usize,
    pub text: String,
    pub x_min: f32,
    pub y_min: f32,
    pub x_max: f32,
    pub y_max: f32,
}

/// Every word with its box.
pub fn words(pdf: &[u8]) -> Vec<Word> {
    let (_dir, path) = write(pdf);
    let html = run("pdftotext", &["-bbox", "-enc", "UTF-8"], &path);
    let mut page = 0;
    let mut out = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        }
        let Some(rest) = line.strip_prefix("<word ") else {
            continue;
        };
        let attr = |name: &str| -> f32 {
            let key = format!("{name}=\"");
            let i = rest.find(&key).unwrap() + key.len();
            rest[i..i + rest[i..].find('"').unwrap()].parse().unwrap()
        };
        let text = rest[rest.find('>').unwrap() + 1..rest.rfind("</word>").unwrap()].to_string();
        out.push(Word {
            page,
            text,
            x_min: attr("xMin"),
            y_min: attr("yMin"),
            x_max: attr("xMax"),
            y_max: attr("yMax"),
        });
    }
    out
}
