
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'bbreport' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'bbreport'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'bbreport' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Comma-separated branches, as an option (e.g. -b 3.x,3.14)')
            [CompletionResult]::new('--branches', '--branches', [CompletionResultType]::ParameterName, 'Comma-separated branches, as an option (e.g. -b 3.x,3.14)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Builds shown and judged per builder [default: 4; 2 with -qq; or the config''s `limit`]')
            [CompletionResult]::new('--builds', '--builds', [CompletionResultType]::ParameterName, 'Builds shown and judged per builder [default: 4; 2 with -qq; or the config''s `limit`]')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Builds shown and judged per builder [default: 4; 2 with -qq; or the config''s `limit`]')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'What identifies a build in the lists: its number, or the revision it built')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'One line per builder with the reason of its last failure (-q); -qq groups builders by status with each host''s branches on one line, judged by their latest build only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'One line per builder with the reason of its last failure (-q); -qq groups builders by status with each host''s branches on one line, judged by their latest build only')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also list successful builds under each builder, and print request statistics on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also list successful builds under each builder, and print request statistics on stderr')
            [CompletionResult]::new('--tests', '--tests', [CompletionResultType]::ParameterName, 'Also read each failing builder''s newest failed build''s test log and name its failing tests, marked with their known issue (about 3 requests per failing builder; from a snapshot, the logs it recorded)')
            [CompletionResult]::new('--since-last-run', '--since-last-run', [CompletionResultType]::ParameterName, 'Print what changed since the previous run of the same report instead of the report')
            [CompletionResult]::new('--only-changes', '--only-changes', [CompletionResultType]::ParameterName, 'With --since-last-run: print nothing when nothing changed (exit 0), so cron mails only news')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Judge whether branches can be released: a verdict per branch, with its evidence')
            [CompletionResult]::new('waterfall', 'waterfall', [CompletionResultType]::ParameterValue, 'Show each builder''s newest builds as a row of result glyphs, newest on the left')
            [CompletionResult]::new('console', 'console', [CompletionResultType]::ParameterValue, 'Show one branch''s newest commits against its builders: which build tested each commit')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Show one build in full: its steps, the test step''s parsed summary and the relevant lines')
            [CompletionResult]::new('failures', 'failures', [CompletionResultType]::ParameterValue, 'Show the failing tests of a branch: a test × builder matrix with a classification')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Show where every builder of a commit''s branch stands with it: did it break anything?')
            [CompletionResult]::new('pr', 'pr', [CompletionResultType]::ParameterValue, 'Show the buildbot runs of a pull request: its newest head''s builds, failures compared with the target branch')
            [CompletionResult]::new('repro', 'repro', [CompletionResultType]::ParameterValue, 'Print the commands that reproduce a build''s test failure locally')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Triage a regrtest log from a file: what failed, and the commands to reproduce it')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Record the server''s builders, workers and newest builds into DIR for offline use')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Show or delete the local cache')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Poll the master and print a line whenever a builder changes state')
            [CompletionResult]::new('tests', 'tests', [CompletionResultType]::ParameterValue, 'Show which tests failed or were re-run across the builders, and how often')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Show one test''s history: a timeline per builder, its failure messages, how to reproduce it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bbreport;release' {
            [CompletionResult]::new('--rule', '--rule', [CompletionResultType]::ParameterName, 'Rule deciding the verdict [default: persistent, or the config''s release.rule]')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Consecutive failed builds that make a blocking builder''s failure persistent [default: 2, or the config''s release.threshold]')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Builds read per builder in the first, bulk pass [default: 10, or release.builds]')
            [CompletionResult]::new('--builds', '--builds', [CompletionResultType]::ParameterName, 'Builds read per builder in the first, bulk pass [default: 10, or release.builds]')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Builds read per builder in the first, bulk pass [default: 10, or release.builds]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Judge one commit: each builder''s history up to its build of REVISION (a full or abbreviated git hash, 4+ hex digits)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--tests', '--tests', [CompletionResultType]::ParameterName, 'Also read the latest build''s test log of each builder that moves a verdict and name its failing tests, marked with their known issue (about 3 requests each; from a snapshot, the logs it recorded)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Name every disconnected builder under worker health, one per line')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Name every disconnected builder under worker health, one per line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;waterfall' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Builds per builder [default: as many as fit the width; 10 for json and markdown]')
            [CompletionResult]::new('--builds', '--builds', [CompletionResultType]::ParameterName, 'Builds per builder [default: as many as fit the width; 10 for json and markdown]')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Builds per builder [default: as many as fit the width; 10 for json and markdown]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only builds started within DURATION (e.g. 90m, 6h, 2d, 1w); running builds always show')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Label each build with its number or revision, not just its result glyph')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;console' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Only builders of this tier (1, 2 or 3)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Commits to show [default: 15; a snapshot shows at most as many as it recorded builds]')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Commits to show [default: 15; a snapshot shows at most as many as it recorded builds]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--stable', '--stable', [CompletionResultType]::ParameterName, 'Only stable builders')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;build' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--full-log', '--full-log', [CompletionResultType]::ParameterName, 'Read the whole test log instead of its head and tail')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;failures' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Newest builds read per builder')
            [CompletionResult]::new('--builds', '--builds', [CompletionResultType]::ParameterName, 'Newest builds read per builder')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Newest builds read per builder')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;commit' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Newest builds read per builder, to judge a failure: the build before it (new or pre-existing) and the last build without it (suspects; fewer builds widen them, "or older"), and a newer commit''s build that contained a commit none built itself. The commit''s own builds are found whatever N')
            [CompletionResult]::new('--builds', '--builds', [CompletionResultType]::ParameterName, 'Newest builds read per builder, to judge a failure: the build before it (new or pre-existing) and the last build without it (suspects; fewer builds widen them, "or older"), and a newer commit''s build that contained a commit none built itself. The commit''s own builds are found whatever N')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Newest builds read per builder, to judge a failure: the build before it (new or pre-existing) and the last build without it (suspects; fewer builds widen them, "or older"), and a newer commit''s build that contained a commit none built itself. The commit''s own builds are found whatever N')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Seconds between polls with --watch')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Poll until every builder has finished a build of it, saying each result on stderr as it lands, then print the report; Ctrl-C stops (exit 130). Needs a live server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;pr' {
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The branch the PR targets, whose builders the failures are compared with [default: the PR''s base branch as its change records it (`basename`), else the newest branch]')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Seconds between polls with --watch')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Poll until every builder has finished a build of it, saying each result on stderr as it lands, then print the report; Ctrl-C stops (exit 130). Needs a live server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;repro' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the test order and its bisect halves to files in DIR (created if missing): tests-order.txt, bisect-half1.txt, bisect-half2.txt, each a --fromfile list ending with the failing test; the report then prints `python -m test --fromfile DIR/…` commands instead of the lists. A -jN run''s bisect_cmd writes DIR/bisect.txt. A DIR that cannot be written (a file, no permission) is exit code 9, before anything is read')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;log' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the test order and its bisect halves to files in DIR (created if missing): tests-order.txt, bisect-half1.txt, bisect-half2.txt, each a --fromfile list ending with the failing test; the report then prints `python -m test --fromfile DIR/…` commands instead of the lists. A -jN run''s bisect_cmd writes DIR/bisect.txt. A DIR that cannot be written (a file, no permission) is exit code 9, before anything is read')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;snapshot' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Newest builds to record per builder')
            [CompletionResult]::new('--builds', '--builds', [CompletionResultType]::ParameterName, 'Newest builds to record per builder')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Newest builds to record per builder')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;cache' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Where the server''s cache is, its size, when it last caught up, and what it holds')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Delete the server''s cache (with --all, every server''s); the next run rebuilds it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bbreport;cache;info' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;cache;clear' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every cache file in the cache directory, and files set aside as broken')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;cache;help' {
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Where the server''s cache is, its size, when it last caught up, and what it holds')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Delete the server''s cache (with --all, every server''s); the next run rebuilds it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bbreport;cache;help;info' {
            break
        }
        'bbreport;cache;help;clear' {
            break
        }
        'bbreport;cache;help;help' {
            break
        }
        'bbreport;watch' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Seconds between polls')
            [CompletionResult]::new('--until-complete', '--until-complete', [CompletionResultType]::ParameterName, 'Stop once every release-blocking builder (of BRANCH, else of the branches that build REVISION) has finished a build of REVISION, print `release --at REVISION` and exit with its code (0 Releasable, 10, 11, 12). A line says how many are done whenever it changes')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--tests', '--tests', [CompletionResultType]::ParameterName, 'Also read the test log of each newly failed build and print the tests that fail and did not before ("new failing test"); about 3 requests per new failed build, cached')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;tests' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Judge the builds started in the last N days [default: 7]; at most 100 builds per builder are read (the report names builders cut there)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Judge each builder''s newest N builds instead of a number of days')
            [CompletionResult]::new('--builds', '--builds', [CompletionResultType]::ParameterName, 'Judge each builder''s newest N builds instead of a number of days')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Judge each builder''s newest N builds instead of a number of days')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;test' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only builders whose name matches GLOB (case-insensitive; * ? [..])')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Judge the builds started in the last N days [default: 7]; at most 100 builds per builder are read (the report names builders cut there)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Judge each builder''s newest N builds instead of a number of days')
            [CompletionResult]::new('--builds', '--builds', [CompletionResultType]::ParameterName, 'Judge each builder''s newest N builds instead of a number of days')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Judge each builder''s newest N builds instead of a number of days')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Buildbot master to read, its web root or API root')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read a recorded snapshot directory instead of a server (no network)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output [default: the config''s `color`, else auto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Same as --color never')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Also print the web link of each builder (or of its failing build) in text reports')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the local cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Answer from the local cache only, without any request; says how old it is')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show the progress line on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bbreport;help' {
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Judge whether branches can be released: a verdict per branch, with its evidence')
            [CompletionResult]::new('waterfall', 'waterfall', [CompletionResultType]::ParameterValue, 'Show each builder''s newest builds as a row of result glyphs, newest on the left')
            [CompletionResult]::new('console', 'console', [CompletionResultType]::ParameterValue, 'Show one branch''s newest commits against its builders: which build tested each commit')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Show one build in full: its steps, the test step''s parsed summary and the relevant lines')
            [CompletionResult]::new('failures', 'failures', [CompletionResultType]::ParameterValue, 'Show the failing tests of a branch: a test × builder matrix with a classification')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Show where every builder of a commit''s branch stands with it: did it break anything?')
            [CompletionResult]::new('pr', 'pr', [CompletionResultType]::ParameterValue, 'Show the buildbot runs of a pull request: its newest head''s builds, failures compared with the target branch')
            [CompletionResult]::new('repro', 'repro', [CompletionResultType]::ParameterValue, 'Print the commands that reproduce a build''s test failure locally')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Triage a regrtest log from a file: what failed, and the commands to reproduce it')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Record the server''s builders, workers and newest builds into DIR for offline use')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Show or delete the local cache')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Poll the master and print a line whenever a builder changes state')
            [CompletionResult]::new('tests', 'tests', [CompletionResultType]::ParameterValue, 'Show which tests failed or were re-run across the builders, and how often')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Show one test''s history: a timeline per builder, its failure messages, how to reproduce it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bbreport;help;release' {
            break
        }
        'bbreport;help;waterfall' {
            break
        }
        'bbreport;help;console' {
            break
        }
        'bbreport;help;build' {
            break
        }
        'bbreport;help;failures' {
            break
        }
        'bbreport;help;commit' {
            break
        }
        'bbreport;help;pr' {
            break
        }
        'bbreport;help;repro' {
            break
        }
        'bbreport;help;log' {
            break
        }
        'bbreport;help;snapshot' {
            break
        }
        'bbreport;help;cache' {
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Where the server''s cache is, its size, when it last caught up, and what it holds')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Delete the server''s cache (with --all, every server''s); the next run rebuilds it')
            break
        }
        'bbreport;help;cache;info' {
            break
        }
        'bbreport;help;cache;clear' {
            break
        }
        'bbreport;help;watch' {
            break
        }
        'bbreport;help;tests' {
            break
        }
        'bbreport;help;test' {
            break
        }
        'bbreport;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
