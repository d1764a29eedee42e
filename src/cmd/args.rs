//! Argument groups several verbs share, declared once so that their flags, help and checks
//! agree everywhere.

use clap::Args;

/// `-n/--name GLOB`: which builders a report covers, by name.
#[derive(Debug, Clone, Default, Args)]
pub struct NameFilter {
    /// Only builders whose name matches GLOB (case-insensitive; * ? [..])
    #[arg(short = 'n', long = "name", value_name = "GLOB")]
    pub name: Option<String>,
}

impl NameFilter {
    pub fn as_deref(&self) -> Option<&str> {
        self.name.as_deref()
    }
}
