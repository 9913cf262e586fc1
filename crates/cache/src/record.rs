//! The link between a row struct and its table: column names, key, values and reading back.

use rusqlite::ToSql;

/// A struct stored as one row of a cache table. The row's JSON document lives in the companion
/// table `<TABLE>_raw` (same key, a `raw_json` column), deleted with the row; see [`Stored`] and
/// [`crate::Cache::raw`].
pub trait Record: Sized {
    /// The table.
    const TABLE: &'static str;
    /// The primary key columns.
    const KEY: &'static [&'static str];
    /// Every column of the struct, in field order (the key columns among them).
    const COLUMNS: &'static [&'static str];
    /// The order lists are read in.
    const ORDER_BY: &'static str;
    /// The field values, in [`Record::COLUMNS`] order.
    fn values(&self) -> Vec<&dyn ToSql>;
    /// Reads a row selected with [`Record::COLUMNS`] in order, starting at column 0.
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

/// A record with the JSON document it came from (CloudStack's answer, or the caller's).
#[derive(Debug, Clone, PartialEq)]
pub struct Stored<R> {
    /// The list columns.
    pub record: R,
    /// The full document, kept for detail panels.
    pub raw: serde_json::Value,
}

impl<R> Stored<R> {
    /// Pairs a record with its document.
    pub fn new(record: R, raw: serde_json::Value) -> Self {
        Stored { record, raw }
    }
}

/// Declares a row struct (plain, serde-serialisable) and its [`Record`] impl; column names are
/// the field names.
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident in $table:literal key($($key:ident),+) order($order:literal) {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $crate::record::Record for $name {
            const TABLE: &'static str = $table;
            const KEY: &'static [&'static str] = &[$(stringify!($key)),+];
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];
            const ORDER_BY: &'static str = $order;
            fn values(&self) -> Vec<&dyn rusqlite::ToSql> {
                vec![$(&self.$field as &dyn rusqlite::ToSql),*]
            }
            fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                let mut i = 0usize;
                let mut next = || {
                    i += 1;
                    i - 1
                };
                Ok(Self { $( $field: row.get(next())?, )* })
            }
        }
    };
}

pub(crate) use record;
