//! completions/ and man/ are generated from the clap definition and committed. This test
//! regenerates them in memory and fails when the committed copies are stale.
//! Regenerate with: BBREPORT_BLESS=1 cargo test --test it generated

use std::path::PathBuf;

use bbreport::cli::Cli;
use clap::CommandFactory;
use clap_complete::Shell;

fn expected_files() -> Vec<(PathBuf, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for (shell, name) in [
        (Shell::Bash, "bbreport.bash"),
        (Shell::Zsh, "_bbreport"),
        (Shell::Fish, "bbreport.fish"),
        (Shell::PowerShell, "_bbreport.ps1"),
        (Shell::Elvish, "bbreport.elv"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "bbreport", &mut buf);
        files.push((root.join("completions").join(name), buf));
    }
    let cmd = Cli::command();
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut buf)
        .expect("render man page");
    files.push((root.join("man/bbreport.1"), buf));
    for sub in cmd.get_subcommands() {
        // clap names are &'static str (without its `string` feature); a test can afford the leak.
        let name: &'static str = format!("bbreport-{}", sub.get_name()).leak();
        let mut buf = Vec::new();
        clap_mangen::Man::new(sub.clone().name(name))
            .render(&mut buf)
            .expect("render man page");
        files.push((root.join("man").join(format!("{name}.1")), buf));
    }
    files
}

#[test]
fn completions_and_man_pages_are_up_to_date() {
    let bless = std::env::var_os("BBREPORT_BLESS").is_some();
    let mut stale = Vec::new();
    for (path, content) in expected_files() {
        if bless {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &content).expect("write");
            continue;
        }
        if std::fs::read(&path).ok().as_deref() != Some(&content[..]) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files (run BBREPORT_BLESS=1 cargo test --test it generated): {stale:?}"
    );
}

#[test]
fn man_page_lists_every_exit_code() {
    let (_, man) = expected_files()
        .into_iter()
        .find(|(p, _)| p.ends_with("bbreport.1"))
        .expect("main page");
    let man = String::from_utf8(man).expect("utf-8");
    for (code, _) in bbreport::exit_code::TABLE {
        assert!(
            man.contains(&format!("  {code:>2}  ")) || man.contains(&format!(" {code}  ")),
            "exit code {code} missing from the man page"
        );
    }
}

/// The committed completion scripts load in a real bash and zsh (zsh comes from
/// scripts/setup-venv.sh) and register bbreport's completion function.
#[test]
fn completions_load_in_bash_and_zsh() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let run = |shell: &str, script: &str| {
        let out = std::process::Command::new(shell)
            .args(["-c", script])
            .current_dir(&root)
            .env("HOME", std::env::temp_dir())
            .output()
            .unwrap_or_else(|e| panic!("run {shell} ({e}): scripts/setup-venv.sh installs it"));
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{shell}: {text}");
        text
    };
    let bash = run(
        "bash",
        "source completions/bbreport.bash && complete -p bbreport",
    );
    assert!(
        bash.contains("-F _bbreport") && bash.trim_end().ends_with("bbreport"),
        "{bash}"
    );
    let zsh = run(
        "zsh",
        "autoload -U compinit && compinit -u -D && source completions/_bbreport && print -r -- ${_comps[bbreport]}",
    );
    assert_eq!(zsh.trim(), "_bbreport", "{zsh}");
}
