
use builtin;
use str;

set edit:completion:arg-completer[bbreport] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'bbreport'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'bbreport'= {
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand -b 'Comma-separated branches, as an option (e.g. -b 3.x,3.14)'
            cand --branches 'Comma-separated branches, as an option (e.g. -b 3.x,3.14)'
            cand -n 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand --name 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand -l 'Builds shown and judged per builder [default: 4; 2 with -qq; or the config''s `limit`]'
            cand --builds 'Builds shown and judged per builder [default: 4; 2 with -qq; or the config''s `limit`]'
            cand --limit 'Builds shown and judged per builder [default: 4; 2 with -qq; or the config''s `limit`]'
            cand --id 'What identifies a build in the lists: its number, or the revision it built'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -q 'One line per builder with the reason of its last failure (-q); -qq groups builders by status with each host''s branches on one line, judged by their latest build only'
            cand --quiet 'One line per builder with the reason of its last failure (-q); -qq groups builders by status with each host''s branches on one line, judged by their latest build only'
            cand -v 'Also list successful builds under each builder, and print request statistics on stderr'
            cand --verbose 'Also list successful builds under each builder, and print request statistics on stderr'
            cand --tests 'Also read each failing builder''s newest failed build''s test log and name its failing tests, marked with their known issue (about 3 requests per failing builder; from a snapshot, the logs it recorded)'
            cand --since-last-run 'Print what changed since the previous run of the same report instead of the report'
            cand --only-changes 'With --since-last-run: print nothing when nothing changed (exit 0), so cron mails only news'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand release 'Judge whether branches can be released: a verdict per branch, with its evidence'
            cand waterfall 'Show each builder''s newest builds as a row of result glyphs, newest on the left'
            cand console 'Show one branch''s newest commits against its builders: which build tested each commit'
            cand build 'Show one build in full: its steps, the test step''s parsed summary and the relevant lines'
            cand failures 'Show the failing tests of a branch: a test × builder matrix with a classification'
            cand commit 'Show where every builder of a commit''s branch stands with it: did it break anything?'
            cand pr 'Show the buildbot runs of a pull request: its newest head''s builds, failures compared with the target branch'
            cand repro 'Print the commands that reproduce a build''s test failure locally'
            cand log 'Triage a regrtest log from a file: what failed, and the commands to reproduce it'
            cand snapshot 'Record the server''s builders, workers and newest builds into DIR for offline use'
            cand cache 'Show or delete the local cache'
            cand watch 'Poll the master and print a line whenever a builder changes state'
            cand tests 'Show which tests failed or were re-run across the builders, and how often'
            cand test 'Show one test''s history: a timeline per builder, its failure messages, how to reproduce it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bbreport;release'= {
            cand --rule 'Rule deciding the verdict [default: persistent, or the config''s release.rule]'
            cand --threshold 'Consecutive failed builds that make a blocking builder''s failure persistent [default: 2, or the config''s release.threshold]'
            cand -l 'Builds read per builder in the first, bulk pass [default: 10, or release.builds]'
            cand --builds 'Builds read per builder in the first, bulk pass [default: 10, or release.builds]'
            cand --limit 'Builds read per builder in the first, bulk pass [default: 10, or release.builds]'
            cand --at 'Judge one commit: each builder''s history up to its build of REVISION (a full or abbreviated git hash, 4+ hex digits)'
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --tests 'Also read the latest build''s test log of each builder that moves a verdict and name its failing tests, marked with their known issue (about 3 requests each; from a snapshot, the logs it recorded)'
            cand -v 'Name every disconnected builder under worker health, one per line'
            cand --verbose 'Name every disconnected builder under worker health, one per line'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;waterfall'= {
            cand -n 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand --name 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand -l 'Builds per builder [default: as many as fit the width; 10 for json and markdown]'
            cand --builds 'Builds per builder [default: as many as fit the width; 10 for json and markdown]'
            cand --limit 'Builds per builder [default: as many as fit the width; 10 for json and markdown]'
            cand --since 'Only builds started within DURATION (e.g. 90m, 6h, 2d, 1w); running builds always show'
            cand --id 'Label each build with its number or revision, not just its result glyph'
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;console'= {
            cand -n 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand --name 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand --tier 'Only builders of this tier (1, 2 or 3)'
            cand -l 'Commits to show [default: 15; a snapshot shows at most as many as it recorded builds]'
            cand --limit 'Commits to show [default: 15; a snapshot shows at most as many as it recorded builds]'
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --stable 'Only stable builders'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;build'= {
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --full-log 'Read the whole test log instead of its head and tail'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;failures'= {
            cand -n 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand --name 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand -l 'Newest builds read per builder'
            cand --builds 'Newest builds read per builder'
            cand --limit 'Newest builds read per builder'
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;commit'= {
            cand -l 'Newest builds read per builder, to judge a failure: the build before it (new or pre-existing) and the last build without it (suspects; fewer builds widen them, "or older"), and a newer commit''s build that contained a commit none built itself. The commit''s own builds are found whatever N'
            cand --builds 'Newest builds read per builder, to judge a failure: the build before it (new or pre-existing) and the last build without it (suspects; fewer builds widen them, "or older"), and a newer commit''s build that contained a commit none built itself. The commit''s own builds are found whatever N'
            cand --limit 'Newest builds read per builder, to judge a failure: the build before it (new or pre-existing) and the last build without it (suspects; fewer builds widen them, "or older"), and a newer commit''s build that contained a commit none built itself. The commit''s own builds are found whatever N'
            cand --interval 'Seconds between polls with --watch'
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --watch 'Poll until every builder has finished a build of it, saying each result on stderr as it lands, then print the report; Ctrl-C stops (exit 130). Needs a live server'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;pr'= {
            cand --target 'The branch the PR targets, whose builders the failures are compared with [default: the PR''s base branch as its change records it (`basename`), else the newest branch]'
            cand --interval 'Seconds between polls with --watch'
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --watch 'Poll until every builder has finished a build of it, saying each result on stderr as it lands, then print the report; Ctrl-C stops (exit 130). Needs a live server'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;repro'= {
            cand --out 'Write the test order and its bisect halves to files in DIR (created if missing): tests-order.txt, bisect-half1.txt, bisect-half2.txt, each a --fromfile list ending with the failing test; the report then prints `python -m test --fromfile DIR/…` commands instead of the lists. A -jN run''s bisect_cmd writes DIR/bisect.txt. A DIR that cannot be written (a file, no permission) is exit code 9, before anything is read'
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;log'= {
            cand --out 'Write the test order and its bisect halves to files in DIR (created if missing): tests-order.txt, bisect-half1.txt, bisect-half2.txt, each a --fromfile list ending with the failing test; the report then prints `python -m test --fromfile DIR/…` commands instead of the lists. A -jN run''s bisect_cmd writes DIR/bisect.txt. A DIR that cannot be written (a file, no permission) is exit code 9, before anything is read'
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;snapshot'= {
            cand -l 'Newest builds to record per builder'
            cand --builds 'Newest builds to record per builder'
            cand --limit 'Newest builds to record per builder'
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;cache'= {
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand info 'Where the server''s cache is, its size, when it last caught up, and what it holds'
            cand clear 'Delete the server''s cache (with --all, every server''s); the next run rebuilds it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bbreport;cache;info'= {
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;cache;clear'= {
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --all 'Every cache file in the cache directory, and files set aside as broken'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;cache;help'= {
            cand info 'Where the server''s cache is, its size, when it last caught up, and what it holds'
            cand clear 'Delete the server''s cache (with --all, every server''s); the next run rebuilds it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bbreport;cache;help;info'= {
        }
        &'bbreport;cache;help;clear'= {
        }
        &'bbreport;cache;help;help'= {
        }
        &'bbreport;watch'= {
            cand -n 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand --name 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand --interval 'Seconds between polls'
            cand --until-complete 'Stop once every release-blocking builder (of BRANCH, else of the branches that build REVISION) has finished a build of REVISION, print `release --at REVISION` and exit with its code (0 Releasable, 10, 11, 12). A line says how many are done whenever it changes'
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --tests 'Also read the test log of each newly failed build and print the tests that fail and did not before ("new failing test"); about 3 requests per new failed build, cached'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;tests'= {
            cand -n 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand --name 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand --days 'Judge the builds started in the last N days [default: 7]; at most 100 builds per builder are read (the report names builders cut there)'
            cand -l 'Judge each builder''s newest N builds instead of a number of days'
            cand --builds 'Judge each builder''s newest N builds instead of a number of days'
            cand --limit 'Judge each builder''s newest N builds instead of a number of days'
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;test'= {
            cand -n 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand --name 'Only builders whose name matches GLOB (case-insensitive; * ? [..])'
            cand --days 'Judge the builds started in the last N days [default: 7]; at most 100 builds per builder are read (the report names builders cut there)'
            cand -l 'Judge each builder''s newest N builds instead of a number of days'
            cand --builds 'Judge each builder''s newest N builds instead of a number of days'
            cand --limit 'Judge each builder''s newest N builds instead of a number of days'
            cand --server 'Buildbot master to read, its web root or API root'
            cand --snapshot 'Read a recorded snapshot directory instead of a server (no network)'
            cand --config 'Configuration file'
            cand --format 'Output format'
            cand --color 'When to colour the output [default: the config''s `color`, else auto]'
            cand --timeout 'Deadline in seconds for each request, retries included (default 30, or the config''s `timeout`)'
            cand --no-color 'Same as --color never'
            cand --ascii 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
            cand --url 'Also print the web link of each builder (or of its failing build) in text reports'
            cand --stats 'Print on stderr how many requests and bytes the run used, and the master''s Buildbot version'
            cand --no-cache 'Neither read nor write the local cache'
            cand --offline 'Answer from the local cache only, without any request; says how old it is'
            cand --no-progress 'Never show the progress line on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bbreport;help'= {
            cand release 'Judge whether branches can be released: a verdict per branch, with its evidence'
            cand waterfall 'Show each builder''s newest builds as a row of result glyphs, newest on the left'
            cand console 'Show one branch''s newest commits against its builders: which build tested each commit'
            cand build 'Show one build in full: its steps, the test step''s parsed summary and the relevant lines'
            cand failures 'Show the failing tests of a branch: a test × builder matrix with a classification'
            cand commit 'Show where every builder of a commit''s branch stands with it: did it break anything?'
            cand pr 'Show the buildbot runs of a pull request: its newest head''s builds, failures compared with the target branch'
            cand repro 'Print the commands that reproduce a build''s test failure locally'
            cand log 'Triage a regrtest log from a file: what failed, and the commands to reproduce it'
            cand snapshot 'Record the server''s builders, workers and newest builds into DIR for offline use'
            cand cache 'Show or delete the local cache'
            cand watch 'Poll the master and print a line whenever a builder changes state'
            cand tests 'Show which tests failed or were re-run across the builders, and how often'
            cand test 'Show one test''s history: a timeline per builder, its failure messages, how to reproduce it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bbreport;help;release'= {
        }
        &'bbreport;help;waterfall'= {
        }
        &'bbreport;help;console'= {
        }
        &'bbreport;help;build'= {
        }
        &'bbreport;help;failures'= {
        }
        &'bbreport;help;commit'= {
        }
        &'bbreport;help;pr'= {
        }
        &'bbreport;help;repro'= {
        }
        &'bbreport;help;log'= {
        }
        &'bbreport;help;snapshot'= {
        }
        &'bbreport;help;cache'= {
            cand info 'Where the server''s cache is, its size, when it last caught up, and what it holds'
            cand clear 'Delete the server''s cache (with --all, every server''s); the next run rebuilds it'
        }
        &'bbreport;help;cache;info'= {
        }
        &'bbreport;help;cache;clear'= {
        }
        &'bbreport;help;watch'= {
        }
        &'bbreport;help;tests'= {
        }
        &'bbreport;help;test'= {
        }
        &'bbreport;help;help'= {
        }
    ]
    $completions[$command]
}
