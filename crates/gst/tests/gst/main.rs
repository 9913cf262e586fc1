//! Integration tests of `akashone-gst`; modules mirror the source.

mod compute;
mod einvoice;
mod gstin;
mod issued;
mod money;
mod number;
mod props;
mod state;
mod supply;
mod support;
mod words;
