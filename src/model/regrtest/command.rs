//! The regrtest command line a log shows, in each form that runs regrtest: regrtest's own `+ …`
//! re-exec line (3.13+ with `--fast-ci`/`--slow-ci`), Make's echo of `./python -E -m test …`,
//! `python -m test`, `python -m test.regrtest`, `Lib/test/regrtest.py`, and on Windows
//! `Tools\buildbot\test.bat` / `PCbuild\rt.bat` / `PCbuild\amd64\python_d.exe -m test` — and the
//! options it gives regrtest, with `--slow-ci`/`--fast-ci` expanded as cmdline.py does.

/// Words of a command line with their byte offsets; `'…'` and `"…"` group, backslashes are
/// kept (Windows paths).
fn words(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut start = None;
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                start.get_or_insert(i);
            }
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    out.push((s, std::mem::take(&mut word)));
                }
            }
            (None, c) => {
                word.push(c);
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        out.push((s, word));
    }
    out
}

/// The file name of a path, either separator.
fn basename(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// `python`, `./python.exe`, `python3.13t`, `python3-dbg`, `PCbuild\amd64\python_d.exe`,
/// `python.bat`; not `pythoninfo`.
fn is_interpreter(word: &str) -> bool {
    let name = basename(word).to_ascii_lowercase();
    let name = name
        .strip_suffix(".exe")
        .or_else(|| name.strip_suffix(".bat"))
        .unwrap_or(&name);
    name.strip_prefix("python").is_some_and(|rest| {
        rest.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | 't' | 'd' | 'b' | 'g'))
    })
}

fn is_batch(word: &str) -> bool {
    let name = basename(word).to_ascii_lowercase();
    name == "test.bat" || name == "rt.bat"
}

/// What may come before the command on its line: a shell prompt (`$`, `»`, `+` of `set -x`
/// and regrtest's re-exec line), a `(venv)`, `VAR=value` assignments, Windows' `C:\dir>`.
fn is_lead_in(word: &str) -> bool {
    (word.chars().count() <= 3 && !word.chars().any(char::is_alphanumeric))
        || (word.starts_with('(') && word.ends_with(')'))
        || word.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        || (word.ends_with('>') && word.get(1..3) == Some(":\\"))
}

/// The regrtest command on this line, from its interpreter or batch file to the end of the line;
/// `None` when the line runs something else (`-m test.pythoninfo`, `-m test.bisect_cmd`, a
/// worker process, a traceback's `File ".../regrtest.py"`).
pub fn recognise(line: &str) -> Option<String> {
    let words = words(line);
    let mut iter = words.iter().enumerate().take(8);
    let (at, offset) = loop {
        let (i, (offset, word)) = iter.next()?;
        // `C:\buildarea\3.x\build>"C:\...\python_d.exe" -m test`: the prompt glued to the command.
        if let Some(gt) = word.rfind('>')
            && word.get(1..3) == Some(":\\")
            && gt + 1 < word.len()
        {
            let command = &word[gt + 1..];
            if is_interpreter(command) || is_batch(command) {
                let start = line[*offset..]
                    .find(command)
                    .map_or(*offset, |s| offset + s);
                // Keep the quote that opens a quoted path.
                let start = if line[..start].ends_with('"') {
                    start - 1
                } else {
                    start
                };
                break (i, start);
            }
        }
        if is_interpreter(word) || is_batch(word) {
            break (i, *offset);
        }
        if !is_lead_in(word) {
            return None;
        }
    };
    let args: Vec<&str> = words[at + 1..].iter().map(|(_, w)| w.as_str()).collect();
    if args
        .iter()
        .any(|a| a.starts_with("--worker-json") || a.starts_with("--worker-args"))
    {
        return None;
    }
    let program = words[at].1.as_str();
    let program = &program[program.rfind('>').map_or(0, |g| g + 1)..];
    if !is_batch(program) && regrtest_args(&args).is_none() {
        return None;
    }
    Some(line[offset..].trim().to_string())
}

/// After an interpreter: its own options, then `-m test` (or `test.regrtest`, `test.autotest`)
/// or a `…/regrtest.py` script; the index of regrtest's first argument.
fn regrtest_args(args: &[&str]) -> Option<usize> {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match *a {
            "-m" => {
                let module = args.get(i + 1)?;
                return matches!(*module, "test" | "test.regrtest" | "test.autotest")
                    .then_some(i + 2);
            }
            "-mtest" => return Some(i + 1),
            // Interpreter options that take a value.
            "-W" | "-X" | "-c" => i += 2,
            a if a.starts_with('-') => i += 1,
            script => {
                return (basename(script) == "regrtest.py").then_some(i + 1);
            }
        }
    }
    None
}

/// What a regrtest command line asks for (cmdline.py), before the CI options are expanded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    /// `-j N`: `Some(0)` for `-j0` (as many workers as CPUs, plus 2).
    pub jobs: Option<u32>,
    pub single_process: bool,
    pub slow_ci: bool,
    pub fast_ci: bool,
    /// `-r`/`--randomize` given.
    pub randomize: bool,
    pub randseed: Option<String>,
    /// `--timeout` as given (`--timeout=` means none).
    pub timeout: Option<String>,
    /// `-u` values, in order.
    pub resources: Vec<String>,
    /// `-R`/`--huntrleaks`, e.g. `3:3`.
    pub huntrleaks: Option<String>,
    pub pgo: bool,
    /// `--testdir`: where the tests are, when not in Lib/test.
    pub testdir: Option<String>,
    /// Tests named on the command line.
    pub tests: Vec<String>,
}

/// Short options that take a value (cmdline.py): `-j2`, `-j 2`, `-uall`, `-R 3:3`.
const SHORT_WITH_VALUE: &[char] = &['j', 'u', 'R', 'm', 'i', 'M', 'f', 'S', 'D', 'p', 't'];
/// Long options that take a value.
const LONG_WITH_VALUE: &[&str] = &[
    "--multiprocess",
    "--use",
    "--huntrleaks",
    "--match",
    "--ignore",
    "--matchfile",
    "--ignorefile",
    "--memlimit",
    "--fromfile",
    "--start",
    "--coverdir",
    "--python",
    "--threshold",
    "--timeout",
    "--randseed",
    "--junit-xml",
    "--tempdir",
    "--testdir",
    "--prioritize",
];

impl Flags {
    /// The options of a command `recognise` returned.
    pub fn of_command(command: &str) -> Flags {
        let words: Vec<String> = words(command).into_iter().map(|(_, w)| w).collect();
        let Some(first) = words.first() else {
            return Flags::default();
        };
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let start = if is_batch(first) {
            0
        } else {
            regrtest_args(&args).unwrap_or(args.len())
        };
        Flags::parse(&args[start..])
    }

    pub fn parse(args: &[&str]) -> Flags {
        let mut f = Flags::default();
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            i += 1;
            let (name, value): (String, Option<String>) = if let Some(long) = arg.strip_prefix("--")
            {
                match long.split_once('=') {
                    Some((n, v)) => (format!("--{n}"), Some(v.to_string())),
                    None if LONG_WITH_VALUE.contains(arg) => {
                        i += 1;
                        (
                            (*arg).to_string(),
                            args.get(i - 1).map(|v| (*v).to_string()),
                        )
                    }
                    None => ((*arg).to_string(), None),
                }
            } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
                // A cluster: `-rwW`, `-uall`, `-j2`, `-wW`.
                let mut value = None;
                for (k, c) in short.char_indices() {
                    if SHORT_WITH_VALUE.contains(&c) {
                        let rest = &short[k + c.len_utf8()..];
                        let v = if rest.is_empty() {
                            i += 1;
                            args.get(i - 1).map(|v| (*v).to_string())
                        } else {
                            Some(rest.to_string())
                        };
                        value = Some((c, v));
                        break;
                    }
                    f.flag(&format!("-{c}"), None);
                }
                match value {
                    Some((c, v)) => (format!("-{c}"), v),
                    None => continue,
                }
            } else {
                f.tests.push((*arg).to_string());
                continue;
            };
            f.flag(&name, value);
        }
        f
    }

    fn flag(&mut self, name: &str, value: Option<String>) {
        match name {
            "-j" | "--multiprocess" => {
                self.jobs = value.and_then(|v| v.parse::<i64>().ok()).map(|n| {
                    if n <= 0 {
                        0
                    } else {
                        u32::try_from(n).unwrap_or(u32::MAX)
                    }
                });
            }
            "--single-process" => self.single_process = true,
            "--slow-ci" => self.slow_ci = true,
            "--fast-ci" => self.fast_ci = true,
            "-r" | "--randomize" => self.randomize = true,
            "--randseed" => self.randseed = value,
            "--timeout" => self.timeout = value,
            "-u" | "--use" => self.resources.extend(value),
            "-R" | "--huntrleaks" => self.huntrleaks = value,
            "--pgo" | "--pgo-extended" => self.pgo = true,
            "--testdir" => self.testdir = value,
            _ => {}
        }
    }

    /// Worker processes: `None` for a sequential run, `Some(0)` for as many as CPUs (`-j0`, and
    /// the CI options without `-j`).
    pub fn workers(&self) -> Option<u32> {
        if self.single_process {
            return None;
        }
        match self.jobs {
            Some(n) => Some(n),
            None if self.slow_ci || self.fast_ci => Some(0),
            None => None,
        }
    }

    /// The test order was shuffled (`-r`, `--randseed`, or a CI option).
    pub fn randomized(&self) -> bool {
        self.randomize || self.randseed.is_some() || self.slow_ci || self.fast_ci
    }

    /// `--timeout` in effect, in seconds: the option, else 1200 for `--slow-ci` and 600 for
    /// `--fast-ci`; `None` for none (`--timeout=` is none).
    pub fn timeout_secs(&self) -> Option<f64> {
        match self.timeout.as_deref() {
            Some("") => None,
            Some(t) => t.parse().ok().filter(|t: &f64| *t > 0.0),
            None if self.slow_ci => Some(1200.0),
            None if self.fast_ci => Some(600.0),
            None => None,
        }
    }
}

/// A word for a POSIX shell: quoted when it holds anything but plain characters.
pub fn shell_word(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,+@%".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The words of a command `recognise` returned, for rewriting it.
pub fn command_words(command: &str) -> Vec<String> {
    words(command).into_iter().map(|(_, w)| w).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_that_runs_regrtest() {
        for (line, want) in [
            (
                "+ /usr/bin/python3 -W default -bb -E -m test --slow-ci -j40 --dont-add-python-opts",
                "/usr/bin/python3 -W default -bb -E -m test --slow-ci -j40 --dont-add-python-opts",
            ),
            (
                "./python -E  -m test --slow-ci --timeout=1200 -j2 -u-curses -j40",
                "./python -E  -m test --slow-ci --timeout=1200 -j2 -u-curses -j40",
            ),
            (
                "$ python3.13 -m test test_asyncio -wW -j8",
                "python3.13 -m test test_asyncio -wW -j8",
            ),
            (
                "» ./python.exe -m test -R 3:3 test_os test_pickle",
                "./python.exe -m test -R 3:3 test_os test_pickle",
            ),
            (
                "./python -m test --pgo --timeout=",
                "./python -m test --pgo --timeout=",
            ),
            (
                "./python Lib/test/regrtest.py -v test_os",
                "./python Lib/test/regrtest.py -v test_os",
            ),
            ("python -m test.regrtest -j4", "python -m test.regrtest -j4"),
            (
                "LD_LIBRARY_PATH=/b ./python -E -m test -j2",
                "./python -E -m test -j2",
            ),
            (
                r"Tools\buildbot\test.bat -j2 --timeout=900 -uall",
                r"Tools\buildbot\test.bat -j2 --timeout=900 -uall",
            ),
            (
                r#"C:\buildarea\3.x\build>"C:\buildarea\3.x\build\PCbuild\amd64\python_d.exe"  -u -Wd -E -bb -m test -j1 --slow-ci"#,
                r#""C:\buildarea\3.x\build\PCbuild\amd64\python_d.exe"  -u -Wd -E -bb -m test -j1 --slow-ci"#,
            ),
        ] {
            assert_eq!(recognise(line).as_deref(), Some(want), "{line}");
        }
        for line in [
            "./python -E -m test.pythoninfo",
            "+ ./python -u -m test.bisect_cmd --max-iter 25 -v test_os",
            r#"  File "/b/Lib/test/regrtest.py", line 5, in <module>"#,
            "python -m test.regrtest --worker-json {}",
            "Re-running test_os in verbose mode",
            "$ ./configure --with-pydebug",
        ] {
            assert_eq!(recognise(line), None, "{line}");
        }
    }

    #[test]
    fn options_with_the_ci_modes_expanded() {
        let f =
            Flags::of_command("./python -E -m test --slow-ci --timeout=1200 -j2 -u-curses -j40");
        assert_eq!(
            (f.workers(), f.randomized(), f.timeout_secs()),
            (Some(40), true, Some(1200.0))
        );
        let f = Flags::of_command("./python -m test --fast-ci");
        assert_eq!((f.workers(), f.timeout_secs()), (Some(0), Some(600.0)));
        let f = Flags::of_command("./python.exe -m test -R 3:3 test_os test_pickle");
        assert_eq!(
            (
                f.workers(),
                f.randomized(),
                f.huntrleaks.as_deref(),
                f.tests.len()
            ),
            (None, false, Some("3:3"), 2)
        );
        let f = Flags::of_command(r"Tools\buildbot\test.bat -rwW -uall -j1 --timeout 900");
        assert_eq!(
            (
                f.workers(),
                f.randomized(),
                f.resources.clone(),
                f.timeout.as_deref()
            ),
            (Some(1), true, vec!["all".to_string()], Some("900"))
        );
        let f = Flags::of_command("./python -m test --pgo --timeout=");
        assert_eq!((f.pgo, f.timeout_secs(), f.workers()), (true, None, None));
        let f = Flags::of_command("python -m test --slow-ci --single-process --randseed 7");
        assert_eq!((f.workers(), f.randseed.as_deref()), (None, Some("7")));
    }
}
