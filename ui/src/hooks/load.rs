//! Loading what a page shows from the shell.

use akashone_types::ApiError;

/// A list as it loads: not there yet, there, or the call failed.
#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(ApiError),
}

impl<T> Load<T> {
    /// The value when it is there.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Load::Ready(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> From<Result<T, ApiError>> for Load<T> {
    fn from(r: Result<T, ApiError>) -> Self {
        match r {
            Ok(v) => Load::Ready(v),
            Err(e) => Load::Failed(e),
        }
    }
}
