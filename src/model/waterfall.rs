//! The waterfall view model: per branch, builders grouped by stability and tier (stable tier-1
//! first), each with its newest builds, newest first.

use std::collections::HashMap;

use super::classify::Stability;
use super::select::Selection;
use super::stale::StaleBuilds;
use super::summary::{BuildCell, cells_of};
use crate::api::types::{Build, BuilderId};

#[derive(Debug, Clone, PartialEq)]
pub struct Waterfall {
    pub branches: Vec<WaterfallBranch>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallBranch {
    pub name: String,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub stability: Stability,
    pub tier: Option<u8>,
    pub rows: Vec<Row>,
}

impl Group {
    /// `stable, tier-1`, `unstable, tierless`, `tier-2` (no stability tags), …
    pub fn label(&self) -> String {
        let tier = self
            .tier
            .map_or("tierless".to_string(), |t| format!("tier-{t}"));
        match self.stability {
            Stability::Stable => format!("stable, {tier}"),
            Stability::Unstable => format!("unstable, {tier}"),
            Stability::Unspecified => tier,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub builderid: BuilderId,
    pub name: String,
    pub connected: bool,
    pub paused: bool,
    pub pause_reason: Option<String>,
    /// Newest first.
    pub builds: Vec<BuildCell>,
    /// Its builds could not be fetched.
    pub error: Option<String>,
}

/// `since`: keep only builds started at or after this time (Unix seconds); running builds
/// always stay.
pub fn waterfall(
    selection: &Selection,
    builds: &HashMap<BuilderId, Vec<Build>>,
    failed: &HashMap<BuilderId, String>,
    stale: &StaleBuilds,
    since: Option<i64>,
) -> Waterfall {
    let mut branches: Vec<WaterfallBranch> = Vec::new();
    for b in &selection.builders {
        let cells: Vec<BuildCell> = cells_of(
            builds.get(&b.builderid).into_iter().flatten().filter(|x| {
                since.is_none_or(|s| !x.complete || x.started_at.is_some_and(|t| t >= s))
            }),
            stale,
        );
        let row = Row {
            builderid: b.builderid,
            name: b.name.clone(),
            connected: b.connected,
            paused: b.paused,
            pause_reason: b.pause_reason.clone(),
            builds: cells,
            error: failed.get(&b.builderid).cloned(),
        };
        let branch = match branches.last_mut() {
            Some(last) if last.name == b.class.branch => last,
            _ => {
                branches.push(WaterfallBranch {
                    name: b.class.branch.clone(),
                    groups: Vec::new(),
                });
                branches.last_mut().expect("just pushed")
            }
        };
        let (stability, tier) = (b.class.stability, b.class.tier);
        match branch
            .groups
            .iter_mut()
            .find(|g| g.stability == stability && g.tier == tier)
        {
            Some(g) => g.rows.push(row),
            None => branch.groups.push(Group {
                stability,
                tier,
                rows: vec![row],
            }),
        }
    }
    for branch in &mut branches {
        // Stable before unstable, then tier-1, tier-2, tier-3, tierless.
        branch
            .groups
            .sort_by_key(|g| (g.stability, g.tier.unwrap_or(u8::MAX)));
    }
    Waterfall { branches }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::classify::TagRules;
    use crate::model::select::SelectedBuilder;

    fn selected(id: u32, name: &str, tags: &[&str]) -> SelectedBuilder {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        SelectedBuilder {
            builderid: id,
            name: name.into(),
            class: TagRules::default().classify(name, &tags),
            tags,
            connected: true,
            paused: false,
            pause_reason: None,
        }
    }

    fn build(builderid: u32, number: u32, started_at: i64, complete: bool) -> Build {
        let buildid = u64::from(builderid) * 100 + u64::from(number);
        let mut b = Build::for_test(buildid, builderid, number, complete.then_some(0));
        b.started_at = Some(started_at);
        b
    }

    #[test]
    fn groups_stable_tier1_first_and_unstable_last() {
        let selection = Selection {
            builders: vec![
                selected(1, "A 3.x", &["3.x", "unstable", "tier-1"]),
                selected(2, "B 3.x", &["3.x", "stable"]),
                selected(3, "C 3.x", &["3.x", "stable", "tier-2"]),
                selected(4, "D 3.x", &["3.x", "stable", "tier-1"]),
            ],
            active_total: 4,
            branches: vec!["3.x".into()],
            untagged_left_out: 0,
        };
        let w = waterfall(
            &selection,
            &HashMap::new(),
            &HashMap::new(),
            &StaleBuilds::default(),
            None,
        );
        let labels: Vec<String> = w.branches[0].groups.iter().map(Group::label).collect();
        assert_eq!(
            labels,
            [
                "stable, tier-1",
                "stable, tier-2",
                "stable, tierless",
                "unstable, tier-1"
            ]
        );
    }

    #[test]
    fn since_drops_older_finished_builds_but_keeps_running_ones() {
        let selection = Selection {
            builders: vec![selected(1, "A 3.x", &["3.x"])],
            active_total: 1,
            branches: vec!["3.x".into()],
            untagged_left_out: 0,
        };
        let builds = HashMap::from([(
            1,
            vec![
                build(1, 3, 10, false),
                build(1, 2, 500, true),
                build(1, 1, 100, true),
            ],
        )]);
        let w = waterfall(
            &selection,
            &builds,
            &HashMap::new(),
            &StaleBuilds::default(),
            Some(400),
        );
        let numbers: Vec<u32> = w.branches[0].groups[0].rows[0]
            .builds
            .iter()
            .map(|c| c.number)
            .collect();
        assert_eq!(numbers, [3, 2]);
    }
}
