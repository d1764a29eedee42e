//! `bbreport waterfall`: builders × builds, newest on the left, grouped by stability and tier.

use clap::Args;

use crate::context::{Asked, Context};
use crate::error::Error;
use crate::exit_code;
use crate::fetch::selection::name_glob;
use crate::fetch::{Newest, newest_builds, warn_failed};
use crate::model::select::select;
use crate::model::waterfall::waterfall;
use crate::output;
use crate::render::text::display_width;
use crate::render::waterfall::builds_that_fit;
use crate::report::summary::BuildLabel as BuildId;
use crate::report::waterfall::WaterfallReport;

/// Show each builder's newest builds as a row of result glyphs, newest on the left
///
/// Builders are grouped by stability and tier (stable tier-1 first). As many builds as the
/// width allows are shown unless --builds fixes the number; --since bounds them by age.
#[derive(Debug, Args)]
pub struct WaterfallArgs {
    /// Branches to show (all when none is given)
    #[arg(value_name = "BRANCH")]
    pub branch: Vec<String>,

    #[command(flatten)]
    pub name: super::args::NameFilter,

    /// Builds per builder [default: as many as fit the width; 10 for json and markdown]
    #[arg(short = 'l', long = "builds", visible_alias = "limit", value_name = "N", value_parser = clap::value_parser!(u32).range(1..=200))]
    pub builds: Option<u32>,

    /// Only builds started within DURATION (e.g. 90m, 6h, 2d, 1w); running builds always show
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub since: Option<i64>,

    /// Label each build with its number or revision, not just its result glyph
    #[arg(long = "id", value_name = "KIND")]
    pub id: Option<BuildId>,
}

/// Seconds in `90s`, `45m`, `6h`, `2d`, `1w`.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: i64 = n
        .parse()
        .map_err(|_| format!("'{s}' is not a duration like 90m, 6h, 2d or 1w"))?;
    let per = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err(format!("'{s}': the unit must be s, m, h, d or w (e.g. 6h)")),
    };
    n.checked_mul(per)
        .filter(|v| *v > 0)
        .ok_or_else(|| format!("'{s}' is not a positive duration"))
}

pub async fn run(args: &WaterfallArgs, ctx: &Context) -> Result<u8, Error> {
    let glob = name_glob(args.name.as_deref())?;
    let (builders, workers) = ctx.source.fleet().await?;
    let selection = select(
        &builders,
        &workers,
        &ctx.tag_rules,
        &args.branch,
        glob.as_ref(),
    )?;
    let name_width = selection
        .builders
        .iter()
        .map(|b| display_width(&b.name))
        .max()
        .unwrap_or(10);
    let limit = match args.builds {
        Some(n) => n as usize,
        None if ctx.output.width_bound => builds_that_fit(ctx.output.width, name_width, args.id),
        None => 10,
    };
    let asked = match args.builds {
        Some(_) => Asked::Flag("--builds"),
        None => Asked::Default,
    };
    let limit = ctx.history_limit(limit, asked)?;
    let ids: Vec<_> = selection.builders.iter().map(|b| b.builderid).collect();
    let want = Newest::builds(limit)
        .with_revision(args.id == Some(BuildId::Revision))
        .judging_stale();
    let fetched = newest_builds(&ctx.source, &ids, want).await?;
    let stale = ctx
        .source
        .stale_builds(
            &fetched.by_builder,
            ctx.config.stale_rule(),
            ctx.data_time(),
        )
        .await?;
    let model = waterfall(
        &selection,
        &fetched.by_builder,
        &fetched.failed,
        &stale,
        args.since.map(|s| ctx.now - s),
    );
    warn_failed(&fetched.failed, ids.len(), "they are marked unknown");
    let report = WaterfallReport::new(&model, &ctx.origin(), args.id);
    output::write_report(&report, &ctx.output)?;
    Ok(if fetched.failed.is_empty() {
        exit_code::OK
    } else {
        exit_code::INCOMPLETE
    })
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90m"), Ok(5400));
        assert_eq!(parse_duration("2d"), Ok(172_800));
        assert_eq!(parse_duration("1w"), Ok(604_800));
        assert!(parse_duration("2 days").is_err());
        assert!(parse_duration("0h").is_err());
        assert!(parse_duration("h").is_err());
    }
}
