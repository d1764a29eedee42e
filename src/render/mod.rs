//! Render layer: synchronous writers of view models into `&mut dyn Write`.
//!
//! The only users of comfy-table and owo-colors. Colour arrives decided, as [`Styles`].

pub mod build;
pub mod console;
pub mod digest;
pub mod failures;
pub mod html;
pub mod json_header;
mod markdown;
pub mod release_json;
pub mod release_markdown;
pub mod release_text;
pub mod repro;
mod styles;
pub mod summary_grouped;
pub mod summary_json;
pub mod summary_markdown;
pub mod summary_plain;
pub mod summary_table;
pub mod symbols;
pub mod text;
pub mod waterfall;

pub use styles::Styles;
pub use symbols::Glyphs;

pub fn glyphs_for(ascii: bool) -> Glyphs {
    Glyphs { ascii }
}

/// What identifies a build in the compact list of a builder's builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BuildId {
    /// The build number, e.g. `4`.
    Build,
    /// The short revision the build checked out (`got_revision`), e.g. `3f2a1c9`.
    Revision,
}

/// Options shared by the summary renderers.
#[derive(Debug, Clone)]
pub struct SummaryView {
    /// 0: builder lines plus failed builds; 1 (`-q`): one line per builder; 2 (`-qq`): grouped.
    pub quiet: u8,
    /// Also list successful builds under each builder (default mode).
    pub verbose: bool,
    pub id: BuildId,
    /// Build slots per builder (the `--limit`), so short histories leave aligned blanks.
    pub limit: usize,
    /// Where the data came from, for the header and JSON.
    pub server: String,
    /// `--url`: each builder line ends with its link.
    pub urls: bool,
    /// ASCII symbols in the table instead of the dashboard's glyphs.
    pub ascii: bool,
}

impl SummaryView {
    /// The builder's page (what its name links to).
    pub fn builder_url(&self, row: &crate::model::summary::BuilderRow) -> String {
        crate::api::ServerUrl::parse(&self.server)
            .map(|s| s.builder_url(row.builderid))
            .unwrap_or_default()
    }

    /// The link a builder line stands for: its newest failed build when it has one (what a
    /// reader will open), else the builder.
    pub fn row_url(&self, row: &crate::model::summary::BuilderRow) -> String {
        let Ok(server) = crate::api::ServerUrl::parse(&self.server) else {
            return String::new();
        };
        match &row.last_failure {
            Some(f) => server.build_url(row.builderid, f.number),
            None => server.builder_url(row.builderid),
        }
    }
}
