//! The top-level error type, its exit-code mapping and how it is shown to the user.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::api::ApiError;
use crate::exit_code;
use crate::model::select::SelectError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad command-line input that clap could not catch (unknown branch, empty selection…).
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },

    #[error("invalid configuration file {}: {message}", path.display())]
    Config { path: PathBuf, message: String },

    #[error(transparent)]
    Api(#[from] ApiError),

    #[error("cannot use snapshot {}: {message}", path.display())]
    Snapshot {
        path: PathBuf,
        message: String,
        hint: Option<String>,
    },

    /// `--offline` without a usable cache.
    #[error("cannot use the cache {}: {message}", path.display())]
    Cache {
        path: PathBuf,
        message: String,
        hint: Option<String>,
    },

    #[error("cannot write {}: {source}", path.display())]
    WriteFile {
        path: PathBuf,
        source: std::io::Error,
    },

    /// A local file or directory the command must write is unusable (the cache
    /// `--since-last-run` keeps its state in); the message names it and why.
    #[error("{message}")]
    LocalFiles { message: String, hint: String },

    /// A local file a command reads (`log FILE`) could not be read: missing, a directory,
    /// no permission, compressed, an I/O error. `what` names it (`log file run.log`, `standard
    /// input`).
    #[error("cannot read {what}: {message}")]
    ReadFile {
        what: String,
        message: String,
        hint: Option<String>,
    },

    #[error("cannot write the report: {0}")]
    Output(std::io::Error),
}

/// Selection failures are usage errors, each with what to do about it.
impl From<SelectError> for Error {
    fn from(e: SelectError) -> Error {
        let hint = match &e {
            SelectError::UnknownBranch { known, .. } => {
                format!("branches with active builders: {}", known.join(", "))
            }
            SelectError::NoNameMatch { .. } => {
                "-n takes a glob matched against the whole name, e.g. -n '*fedora*'".into()
            }
            SelectError::NoActiveBuilders => {
                "every builder is retired or no worker is configured for it; check --server".into()
            }
        };
        Error::usage(e.to_string(), Some(hint))
    }
}

impl Error {
    pub fn usage(message: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// The documented exit code of this error. Exhaustive on purpose: a new variant must pick one.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage { .. } => exit_code::USAGE,
            Error::Config { .. } => exit_code::CONFIG,
            Error::Api(e) if e.is_not_cached() => exit_code::OFFLINE_DATA,
            Error::Api(e) if e.is_network() => exit_code::NETWORK,
            Error::Api(_) => exit_code::SERVER,
            Error::Snapshot { .. } | Error::Cache { .. } => exit_code::OFFLINE_DATA,
            Error::WriteFile { .. } | Error::LocalFiles { .. } | Error::ReadFile { .. } => {
                exit_code::LOCAL_FILES
            }
            Error::Output(_) => exit_code::INTERNAL,
        }
    }

    /// What the user can do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Usage { hint, .. }
            | Error::Snapshot { hint, .. }
            | Error::Cache { hint, .. }
            | Error::ReadFile { hint, .. } => hint.clone(),
            Error::Config { .. } => Some(
                "fix the file, point --config/BBREPORT_CONFIG elsewhere, or see `bbreport --help` for its keys"
                    .into(),
            ),
            Error::Api(e) => Some(e.hint()),
            Error::LocalFiles { hint, .. } => Some(hint.clone()),
            Error::WriteFile { path, .. } => Some(format!(
                "check the permissions and free space of {}, or choose another place",
                path.parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(path)
                    .display()
            )),
            Error::Output(_) => None,
        }
    }

    /// `bbreport: error: …` then `hint: …`, ready for stderr.
    pub fn render(&self) -> String {
        let mut s = format!("bbreport: error: {self}\n");
        if let Some(hint) = self.hint() {
            let _ = writeln!(s, "hint: {hint}");
        }
        s
    }
}
