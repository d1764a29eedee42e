//! `name_hint`: what `test NAME` suggests for a name no build failed.

use super::{NameHint, name_hint};

fn failing() -> Vec<String> {
    [
        "test_bbr_flaky",
        "test_bbr_broken",
        "test_asyncio.test_tasks",
        "test_os",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn a_typo_gets_the_closest_failing_names() {
    assert_eq!(
        name_hint("test_bbr_flak", &failing()),
        Some(NameHint::Close(vec!["test_bbr_flaky".into()]))
    );
    assert_eq!(
        name_hint("test_bbr_brokne", &failing()),
        Some(NameHint::Close(vec!["test_bbr_broken".into()]))
    );
    // A prefix matches every test it begins.
    assert_eq!(
        name_hint("test_bbr", &failing()),
        Some(NameHint::Close(vec![
            "test_bbr_broken".into(),
            "test_bbr_flaky".into()
        ]))
    );
    assert_eq!(name_hint("test_zipfile", &failing()), None);
    assert_eq!(name_hint("test_bbr_flak", &[]), None);
}

#[test]
fn a_dotted_name_points_at_its_module() {
    assert_eq!(
        name_hint("test_bbr_flaky.FlakyTest.test_flaky", &failing()),
        Some(NameHint::Module {
            module: "test_bbr_flaky".into()
        })
    );
    assert_eq!(
        name_hint("test_asyncio.test_tasks.TaskTests.test_cancel", &failing()),
        Some(NameHint::Module {
            module: "test_asyncio.test_tasks".into()
        })
    );
    // Its module did not fail either: the part before the class.
    assert_eq!(
        name_hint("test_x.Class.test_method", &failing()),
        Some(NameHint::Module {
            module: "test_x".into()
        })
    );
    // A package's test file is a regrtest test name of its own.
    assert_eq!(name_hint("test_json.test_dump", &failing()), None);
}
