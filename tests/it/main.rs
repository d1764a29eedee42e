//! The integration tests, in one binary (one link, one run): end-to-end runs of `bbreport` on
//! the shipped snapshot, against stub servers and against the real Buildbot masters that
//! scripts/test.sh starts (the `live_*` modules, ignored without them), and tests of the
//! library's parsers and generated files.

mod budget;
mod commit_pr;
mod common;
mod failures_no_test;
mod faults;
mod fleet_states;
mod fuzz;
mod generated;
mod golden;
mod html;
mod layers;

mod links;
mod live_auth;
mod live_build;
mod live_cache;
mod live_commit_pr;
mod live_fleet_states;
mod live_master;
mod live_offline_triage;
mod live_old_master;
mod live_regrtest_cases;
mod live_release;
mod live_test_health;
mod live_views;
mod log_file;
mod long_logs;
mod masters_round;
mod new_user;
mod new_user_data;
mod new_user_rules;
mod new_user_symbols;
mod new_user_triage;
mod offline;
mod offline_triage;
mod old_master;
mod progress;
mod readme;
mod regrtest_cases;
mod repro_fixes;
mod repro_out;
mod scale;
mod test_health;
mod trial_fixes;
mod trial_session;
mod views;
mod watch;
