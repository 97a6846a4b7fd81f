//! The PDF reader (in progress).
use super::ReadError;
use super::blocks::Para;

pub fn read(_bytes: &[u8]) -> Result<Vec<Para>, ReadError> {
    Err(ReadError::new("PDF").help("x"))
}
