//! The library's error type: every variant says where (file, line, record) and what.

use std::path::PathBuf;

/// Where in an input something went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<u64>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}", self.path.display(), l),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}:{line}:{column}: not valid UTF-8 (byte 0x{value:02X}); if the file is \
         Latin-1, convert it first: iconv -f latin1 -t utf-8"
    )]
    Utf8 {
        path: PathBuf,
        line: u64,
        column: usize,
        value: u8,
    },
    #[error("{at}: {message}")]
    Data { at: Location, message: String },
    #[error("{path}: csv: {source}")]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    #[error("{at}: missing column {column:?} (columns: {found}){hint}")]
    MissingColumn {
        /// The file and its header's line.
        at: Location,
        column: String,
        found: String,
        /// Empty, or what the header suggests went wrong (`; the header is split by …`).
        hint: String,
    },
    #[error("model {origin}: {message}")]
    Model { origin: String, message: String },
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("training: {0}")]
    Training(String),
    #[error("interrupted")]
    Interrupted,
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
    pub fn data(path: impl Into<PathBuf>, line: Option<u64>, message: impl Into<String>) -> Self {
        Error::Data {
            at: Location {
                path: path.into(),
                line,
            },
            message: message.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
