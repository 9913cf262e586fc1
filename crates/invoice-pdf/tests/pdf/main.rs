//! Integration tests of `akashone-invoice-pdf`: text extracted with poppler's `pdftotext`,
//! fonts checked with `pdffonts`, QR codes read back from a rasterised page.

mod poppler;
mod qr;
mod render;
mod support;
