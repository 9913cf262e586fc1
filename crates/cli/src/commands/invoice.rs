//! `akashone invoice compute|pdf|einvoice`: GST invoices from a draft JSON file (format: the
//! `akashone-gst` README). Works offline; no CloudStack credentials are needed.
//!
//! `akashone --profile CENTRAL invoice list|show NUMBER|pdf --number NUMBER --out FILE`: the
//! invoices and notes a central server profile synced into its cache, as the desktop's Billing
//! page shows and prints them (with `--offline`, from the cache as it is).
//!
//! `akashone invoice pdf --input draft.json --out invoice.pdf`: the file flag is `--out` because
//! `--output`/`-o` is the CLI-wide format flag (`table|json|csv`).
//!
//! A draft that cannot be read or fails validation (malformed JSON, an invalid GSTIN, an
//! inconsistent place of supply…) exits with code 2 and says what is wrong; a file that
//! cannot be written exits with 1.

use crate::output::Format;
use crate::target::{self, Cached};
use crate::{CliError, Context};
use akashone_gst::{
    ComputedInvoice, GstError, InvoiceDraft, IssuedInvoice, compute, import_irn_response,
    to_einvoice_json,
};
use akashone_invoice_pdf::{Branding, InvoiceCopy, PdfError, render};
use std::path::{Path, PathBuf};

/// Arguments of `invoice`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// Which copy to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CopyArg {
    /// "ORIGINAL FOR RECIPIENT".
    Original,
    /// "DUPLICATE FOR SUPPLIER".
    Duplicate,
    /// "TRIPLICATE".
    Triplicate,
}

impl From<CopyArg> for InvoiceCopy {
    fn from(c: CopyArg) -> Self {
        match c {
            CopyArg::Original => InvoiceCopy::Original,
            CopyArg::Duplicate => InvoiceCopy::Duplicate,
            CopyArg::Triplicate => InvoiceCopy::Triplicate,
        }
    }
}

/// `invoice` actions.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Compute tax heads, totals, round-off and the amount in words; prints JSON.
    Compute {
        /// The draft (JSON).
        #[arg(long, short, value_name = "DRAFT.json")]
        input: PathBuf,
    },
    /// A central server profile's synced invoices and notes, newest first.
    List,
    /// One synced invoice or note in full (JSON).
    Show {
        /// The document's number.
        number: String,
    },
    /// Render the printable PDF.
    Pdf {
        /// The draft (JSON). It must carry its "number" unless --draft is given.
        #[arg(
            long,
            short,
            value_name = "DRAFT.json",
            required_unless_present = "number",
            conflicts_with = "number"
        )]
        input: Option<PathBuf>,
        /// Instead of a draft: the synced invoice or note with this number (central profiles).
        #[arg(long, value_name = "NUMBER", conflicts_with_all = ["irn", "draft"])]
        number: Option<String>,
        /// Where to write the PDF. (`--output` is the CLI-wide output format flag, so the file
        /// is `--out`.)
        #[arg(long = "out", value_name = "INVOICE.pdf")]
        out: PathBuf,
        /// Which copy to print.
        #[arg(long, value_enum, default_value = "original")]
        copy: CopyArg,
        /// The IRP's "Generate IRN" response (JSON) to print the IRN and signed QR code;
        /// required when the seller has "e_invoicing": true and the buyer is registered,
        /// SEZ or abroad.
        #[arg(long, value_name = "IRP_RESPONSE.json")]
        irn: Option<PathBuf>,
        /// Print an unissued preview marked "DRAFT — NOT A TAX INVOICE".
        #[arg(long)]
        draft: bool,
    },
    /// Print the e-invoice request (INV-01 v1.1 JSON) to send to the IRP.
    Einvoice {
        /// The draft (JSON), with its "number".
        #[arg(long, short, value_name = "DRAFT.json")]
        input: PathBuf,
    },
}

fn read(path: &Path, what: &str) -> Result<String, CliError> {
    std::fs::read_to_string(path)
        .map_err(|e| CliError::Usage(format!("cannot read the {what} {}: {e}", path.display())))
}

fn invalid(path: &Path, e: GstError) -> CliError {
    CliError::Usage(format!("{}: {e}", path.display()))
}

fn load(path: &Path) -> Result<(InvoiceDraft, ComputedInvoice), CliError> {
    let draft = InvoiceDraft::from_json(&read(path, "draft")?).map_err(|e| invalid(path, e))?;
    let computed = compute(&draft).map_err(|e| invalid(path, e))?;
    Ok((draft, computed))
}

fn branding(draft: &InvoiceDraft, input: &Path) -> Result<Branding, CliError> {
    let branding = Branding::for_seller(&draft.seller);
    let Some(logo) = &draft.seller.logo else {
        return Ok(branding);
    };
    // A relative logo path is relative to the draft file.
    let path = input.parent().unwrap_or(Path::new(".")).join(logo);
    let bytes = std::fs::read(&path)
        .map_err(|e| CliError::Usage(format!("cannot read the logo {}: {e}", path.display())))?;
    Ok(branding.with_logo_png(bytes))
}

fn pdf_error(e: PdfError) -> CliError {
    match e {
        PdfError::NotPrintable(GstError::AwaitingIrn { number }) => CliError::Usage(format!(
            "invoice {number} needs its IRN first: the seller is above the e-invoicing threshold; \
             send `akashone invoice einvoice` output to the IRP and pass its response with --irn"
        )),
        PdfError::Logo(m) => CliError::Usage(format!("the logo could not be used: {m}")),
        other => CliError::Usage(other.to_string()),
    }
}

/// Columns of the synced invoice table.
pub const LIST_COLUMNS: &[&str] = &[
    "number",
    "documentType",
    "date",
    "customerName",
    "sellerName",
    "total",
    "einvoiceStatus",
];

/// The console of a central profile with its invoices synced (or, offline, as cached).
async fn synced(ctx: &Context) -> Result<target::App, CliError> {
    match target::cached(ctx).await? {
        Cached::Console { app, profile } if target::is_central(&profile) => Ok(app),
        Cached::Console { profile, .. } => Err(CliError::Usage(format!(
            "invoices come from a central server profile: {:?} is a {} profile",
            profile.name,
            target::kind_name(&profile.kind)
        ))),
        Cached::Live(_) => Err(CliError::Usage(
            "invoices come from a central server profile (--profile NAME); for a draft file use --input"
                .into(),
        )),
    }
}

/// Runs `invoice`.
pub async fn run(ctx: &Context, args: Args) -> Result<(), CliError> {
    match args.action {
        Action::List => {
            let app = synced(ctx).await?;
            let list = app.console.invoice_list()?;
            if let Some(e) = &list.last_error {
                eprintln!("warning: the last sync of the invoices failed: {e}");
            }
            let rows = crate::commands::to_rows(&list.documents)?;
            let format = ctx.format_or(Format::Table);
            let cols: &[&str] = if format == Format::Json {
                &[]
            } else {
                LIST_COLUMNS
            };
            ctx.print(&crate::output::render_rows(&rows, cols, format));
        }
        Action::Show { number } => {
            let app = synced(ctx).await?;
            let detail = app.console.invoice_get(&number)?;
            let json =
                serde_json::to_string_pretty(&detail).map_err(|e| CliError::Io(e.to_string()))?;
            ctx.print(&format!("{json}\n"));
        }
        Action::Pdf {
            number: Some(number),
            out,
            copy,
            ..
        } => {
            let copy = match copy {
                CopyArg::Original => akashone_types::InvoiceCopy::Original,
                CopyArg::Duplicate => akashone_types::InvoiceCopy::Duplicate,
                CopyArg::Triplicate => {
                    return Err(CliError::Usage(
                        "a synced document prints as the original or the duplicate".into(),
                    ));
                }
            };
            let app = synced(ctx).await?;
            let detail = app.console.invoice_get(&number)?;
            let bytes = akashone_app::billing::render(&detail, copy)?;
            std::fs::write(&out, &bytes)
                .map_err(|e| CliError::Io(format!("cannot write {}: {e}", out.display())))?;
            ctx.print(&format!(
                "wrote {} ({} bytes)\n",
                out.display(),
                bytes.len()
            ));
        }
        Action::Compute { input } => {
            let (_, computed) = load(&input)?;
            let json =
                serde_json::to_string_pretty(&computed).map_err(|e| CliError::Io(e.to_string()))?;
            ctx.print(&format!("{json}\n"));
        }
        Action::Einvoice { input } => {
            let (_, computed) = load(&input)?;
            let json = to_einvoice_json(&computed).map_err(|e| invalid(&input, e))?;
            ctx.print(&format!("{json}\n"));
        }
        Action::Pdf {
            input,
            out: output,
            copy,
            irn,
            draft,
            number: None,
        } => {
            let input = input.ok_or_else(|| {
                CliError::Usage("give the draft with --input, or a synced --number".into())
            })?;
            let (d, computed) = load(&input)?;
            let branding = branding(&d, &input)?;
            let bytes = if draft {
                if irn.is_some() {
                    return Err(CliError::Usage(
                        "--irn applies to issued invoices, not to a --draft preview".into(),
                    ));
                }
                render(&computed, &branding, copy.into()).map_err(pdf_error)?
            } else {
                if computed.number().is_none() {
                    return Err(CliError::Usage(format!(
                        "{}: the draft has no \"number\"; add one, or pass --draft for a preview",
                        input.display()
                    )));
                }
                let mut issued =
                    IssuedInvoice::issue_numbered(computed).map_err(|e| invalid(&input, e))?;
                if let Some(path) = irn {
                    let details = import_irn_response(&read(&path, "IRP response")?)
                        .map_err(|e| invalid(&path, e))?;
                    issued = issued.with_irn(details).map_err(|e| invalid(&path, e))?;
                }
                render(&issued, &branding, copy.into()).map_err(pdf_error)?
            };
            std::fs::write(&output, &bytes)
                .map_err(|e| CliError::Io(format!("cannot write {}: {e}", output.display())))?;
            ctx.print(&format!(
                "wrote {} ({} bytes)\n",
                output.display(),
                bytes.len()
            ));
        }
    }
    Ok(())
}
