//! Typed errors. Every message is a complete sentence naming the offending value, so a user
//! can fix the draft without reading code; [`GstError::code`] gives the machine-readable
//! category the UI branches on.

use akashone_types::{ApiError, ErrorCode};

/// Why a GSTIN (or UIN / OIDAR / non-resident ID) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GstinError {
    /// Not 15 characters long.
    #[error("GSTIN {input:?} has {len} characters; a GSTIN has 15")]
    Length {
        /// What was given (trimmed, upper-cased).
        input: String,
        /// Its length in characters.
        len: usize,
    },
    /// 15 characters, but not laid out like any GSTIN/UIN kind.
    #[error("GSTIN {input:?} does not match any GSTIN/UIN pattern")]
    Format {
        /// What was given.
        input: String,
    },
    /// The first two digits are not a State/UT code.
    #[error("GSTIN {input:?} starts with unknown state code {code}")]
    UnknownStateCode {
        /// What was given.
        input: String,
        /// The two leading digits.
        code: String,
    },
    /// The check character (15th) does not match the other 14.
    #[error("GSTIN {input:?} is mistyped: check character '{found}' != expected '{expected}'")]
    CheckCharacter {
        /// What was given.
        input: String,
        /// The 15th character as given.
        found: char,
        /// The check character the first 14 characters call for.
        expected: char,
    },
}

/// Everything that can go wrong building, numbering, issuing or exporting a GST document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GstError {
    /// A GSTIN was refused.
    #[error(transparent)]
    Gstin(#[from] GstinError),
    /// A State/UT code is not in the table.
    #[error(
        "unknown State/UT code {0:?}; use the two-digit GST state code, e.g. \"29\" for Karnataka"
    )]
    UnknownStateCode(String),
    /// A State/UT code that may not be used on a new invoice (legacy 25/28, or 96 where an
    /// Indian State is needed).
    #[error("State/UT code {code} ({name}) cannot be used here: {why}")]
    StateNotAllowed {
        /// The code.
        code: String,
        /// Its name in the table.
        name: String,
        /// Why it is refused.
        why: String,
    },
    /// A money amount, quantity, price, rate or code could not be read.
    #[error("{field}: {input:?} is not valid: {reason}")]
    InvalidValue {
        /// Which field (e.g. `lines[2].unit_price`).
        field: String,
        /// What was given.
        input: String,
        /// What is expected instead.
        reason: String,
    },
    /// An invoice (or note) number breaks rule 46(b) or the IRP's pattern.
    #[error("invoice number {input:?} is not valid: {reason}")]
    InvalidInvoiceNumber {
        /// What was given.
        input: String,
        /// Why.
        reason: String,
    },
    /// The draft is internally inconsistent or misses something the law requires.
    #[error("{0}")]
    Draft(String),
    /// An amount grew beyond what this library computes exactly (about ₹10 lakh crore a line).
    #[error("{0} is too large to compute exactly")]
    Overflow(String),
    /// A numbering series has used all its numbers for this financial year.
    #[error(
        "series {series} has no numbers left in FY {financial_year} (last was {last}); widen the series or start a new prefix"
    )]
    SeriesExhausted {
        /// The series prefix.
        series: String,
        /// The financial year, e.g. `2025-26`.
        financial_year: String,
        /// The last number handed out.
        last: u64,
    },
    /// The invoice cannot be printed yet: the IRP has not registered it.
    #[error(
        "invoice {number} needs an IRN before it can be printed: the seller is above the e-invoicing threshold; import the IRP's response first"
    )]
    AwaitingIrn {
        /// The invoice number.
        number: String,
    },
    /// An IRN was offered for an invoice that does not need or cannot take one.
    #[error("{0}")]
    IrnNotExpected(String),
    /// The IRP's response could not be read or does not belong to this invoice.
    #[error("IRP response refused: {0}")]
    IrpResponse(String),
    /// The IRP refused the invoice.
    #[error("the IRP rejected the document: {0}")]
    IrpRejected(String),
    /// The document cannot be reported as an e-invoice.
    #[error("cannot build the e-invoice: {0}")]
    EInvoice(String),
    /// A credit or debit note does not fit the invoice it refers to.
    #[error("{0}")]
    Note(String),
}

impl GstError {
    /// The machine-readable category.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::AwaitingIrn { .. } | Self::IrnNotExpected(_) | Self::SeriesExhausted { .. } => {
                ErrorCode::Conflict
            }
            _ => ErrorCode::InvalidInput,
        }
    }

    /// Builds an [`GstError::InvalidValue`].
    pub(crate) fn invalid(
        field: impl Into<String>,
        input: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self::InvalidValue {
            field: field.into(),
            input: input.into(),
            reason: reason.into(),
        }
    }

    /// Prefixes the field name of an [`GstError::InvalidValue`] (e.g. with `lines[3].`).
    pub(crate) fn in_field(self, prefix: &str) -> Self {
        match self {
            Self::InvalidValue {
                field,
                input,
                reason,
            } => Self::InvalidValue {
                field: format!("{prefix}{field}"),
                input,
                reason,
            },
            other => other,
        }
    }
}

impl From<GstError> for ApiError {
    fn from(e: GstError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}
