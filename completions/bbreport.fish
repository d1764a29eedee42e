# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_bbreport_global_optspecs
    string join \n server= snapshot= config= format= color= no-color ascii url timeout= stats no-cache offline no-progress b/branches= n/name= q/quiet l/builds= v/verbose id= tests since-last-run only-changes h/help V/version
end

function __fish_bbreport_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_bbreport_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_bbreport_using_subcommand
    set -l cmd (__fish_bbreport_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c bbreport -n "__fish_bbreport_needs_command" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_needs_command" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_needs_command" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_needs_command" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_needs_command" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_needs_command" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_needs_command" -s b -l branches -d 'Comma-separated branches, as an option (e.g. -b 3.x,3.14)' -r
complete -c bbreport -n "__fish_bbreport_needs_command" -s n -l name -d 'Only builders whose name matches GLOB (case-insensitive; * ? [..])' -r
complete -c bbreport -n "__fish_bbreport_needs_command" -s l -l builds -l limit -d 'Builds shown and judged per builder [default: 4; 2 with -qq; or the config\'s `limit`]' -r
complete -c bbreport -n "__fish_bbreport_needs_command" -l id -d 'What identifies a build in the lists: its number, or the revision it built' -r -f -a "build\t'The build number, e.g. `4`'
revision\t'The short revision the build checked out (`got_revision`), e.g. `3f2a1c9`'"
complete -c bbreport -n "__fish_bbreport_needs_command" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_needs_command" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_needs_command" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_needs_command" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_needs_command" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_needs_command" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_needs_command" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_needs_command" -s q -l quiet -d 'One line per builder with the reason of its last failure (-q); -qq groups builders by status with each host\'s branches on one line, judged by their latest build only'
complete -c bbreport -n "__fish_bbreport_needs_command" -s v -l verbose -d 'Also list successful builds under each builder, and print request statistics on stderr'
complete -c bbreport -n "__fish_bbreport_needs_command" -l tests -d 'Also read each failing builder\'s newest failed build\'s test log and name its failing tests, marked with their known issue (about 3 requests per failing builder; from a snapshot, the logs it recorded)'
complete -c bbreport -n "__fish_bbreport_needs_command" -l since-last-run -d 'Print what changed since the previous run of the same report instead of the report'
complete -c bbreport -n "__fish_bbreport_needs_command" -l only-changes -d 'With --since-last-run: print nothing when nothing changed (exit 0), so cron mails only news'
complete -c bbreport -n "__fish_bbreport_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_needs_command" -s V -l version -d 'Print version'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "release" -d 'Judge whether branches can be released: a verdict per branch, with its evidence'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "waterfall" -d 'Show each builder\'s newest builds as a row of result glyphs, newest on the left'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "console" -d 'Show one branch\'s newest commits against its builders: which build tested each commit'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "build" -d 'Show one build in full: its steps, the test step\'s parsed summary and the relevant lines'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "failures" -d 'Show the failing tests of a branch: a test × builder matrix with a classification'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "commit" -d 'Show where every builder of a commit\'s branch stands with it: did it break anything?'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "pr" -d 'Show the buildbot runs of a pull request: its newest head\'s builds, failures compared with the target branch'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "repro" -d 'Print the commands that reproduce a build\'s test failure locally'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "log" -d 'Triage a regrtest log from a file: what failed, and the commands to reproduce it'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "snapshot" -d 'Record the server\'s builders, workers and newest builds into DIR for offline use'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "cache" -d 'Show or delete the local cache'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "watch" -d 'Poll the master and print a line whenever a builder changes state'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "tests" -d 'Show which tests failed or were re-run across the builders, and how often'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "test" -d 'Show one test\'s history: a timeline per builder, its failure messages, how to reproduce it'
complete -c bbreport -n "__fish_bbreport_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l rule -d 'Rule deciding the verdict [default: persistent, or the config\'s release.rule]' -r -f -a "persistent\t'Block on persistent tier-1/2 failures only (the devguide\'s rule)'
dashboard\t'buildbot.python.org\'s release status dashboard, exactly'"
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l threshold -d 'Consecutive failed builds that make a blocking builder\'s failure persistent [default: 2, or the config\'s release.threshold]' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -s l -l builds -l limit -d 'Builds read per builder in the first, bulk pass [default: 10, or release.builds]' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l at -d 'Judge one commit: each builder\'s history up to its build of REVISION (a full or abbreviated git hash, 4+ hex digits)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l tests -d 'Also read the latest build\'s test log of each builder that moves a verdict and name its failing tests, marked with their known issue (about 3 requests each; from a snapshot, the logs it recorded)'
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -s v -l verbose -d 'Name every disconnected builder under worker health, one per line'
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand release" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -s n -l name -d 'Only builders whose name matches GLOB (case-insensitive; * ? [..])' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -s l -l builds -l limit -d 'Builds per builder [default: as many as fit the width; 10 for json and markdown]' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l since -d 'Only builds started within DURATION (e.g. 90m, 6h, 2d, 1w); running builds always show' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l id -d 'Label each build with its number or revision, not just its result glyph' -r -f -a "build\t'The build number, e.g. `4`'
revision\t'The short revision the build checked out (`got_revision`), e.g. `3f2a1c9`'"
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand waterfall" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -s n -l name -d 'Only builders whose name matches GLOB (case-insensitive; * ? [..])' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l tier -d 'Only builders of this tier (1, 2 or 3)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -s l -l limit -d 'Commits to show [default: 15; a snapshot shows at most as many as it recorded builds]' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l stable -d 'Only stable builders'
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand console" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l full-log -d 'Read the whole test log instead of its head and tail'
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand build" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -s n -l name -d 'Only builders whose name matches GLOB (case-insensitive; * ? [..])' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -s l -l builds -l limit -d 'Newest builds read per builder' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand failures" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -s l -l builds -l limit -d 'Newest builds read per builder, to judge a failure: the build before it (new or pre-existing) and the last build without it (suspects; fewer builds widen them, "or older"), and a newer commit\'s build that contained a commit none built itself. The commit\'s own builds are found whatever N' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l interval -d 'Seconds between polls with --watch' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l watch -d 'Poll until every builder has finished a build of it, saying each result on stderr as it lands, then print the report; Ctrl-C stops (exit 130). Needs a live server'
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand commit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l target -d 'The branch the PR targets, whose builders the failures are compared with [default: the PR\'s base branch as its change records it (`basename`), else the newest branch]' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l interval -d 'Seconds between polls with --watch' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l watch -d 'Poll until every builder has finished a build of it, saying each result on stderr as it lands, then print the report; Ctrl-C stops (exit 130). Needs a live server'
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand pr" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l out -d 'Write the test order and its bisect halves to files in DIR (created if missing): tests-order.txt, bisect-half1.txt, bisect-half2.txt, each a --fromfile list ending with the failing test; the report then prints `python -m test --fromfile DIR/…` commands instead of the lists. A -jN run\'s bisect_cmd writes DIR/bisect.txt. A DIR that cannot be written (a file, no permission) is exit code 9, before anything is read' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand repro" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l out -d 'Write the test order and its bisect halves to files in DIR (created if missing): tests-order.txt, bisect-half1.txt, bisect-half2.txt, each a --fromfile list ending with the failing test; the report then prints `python -m test --fromfile DIR/…` commands instead of the lists. A -jN run\'s bisect_cmd writes DIR/bisect.txt. A DIR that cannot be written (a file, no permission) is exit code 9, before anything is read' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -s l -l builds -l limit -d 'Newest builds to record per builder' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand snapshot" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -f -a "info" -d 'Where the server\'s cache is, its size, when it last caught up, and what it holds'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -f -a "clear" -d 'Delete the server\'s cache (with --all, every server\'s); the next run rebuilds it'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l all -d 'Every cache file in the cache directory, and files set aside as broken'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "info" -d 'Where the server\'s cache is, its size, when it last caught up, and what it holds'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Delete the server\'s cache (with --all, every server\'s); the next run rebuilds it'
complete -c bbreport -n "__fish_bbreport_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -s n -l name -d 'Only builders whose name matches GLOB (case-insensitive; * ? [..])' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l interval -d 'Seconds between polls' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l until-complete -d 'Stop once every release-blocking builder (of BRANCH, else of the branches that build REVISION) has finished a build of REVISION, print `release --at REVISION` and exit with its code (0 Releasable, 10, 11, 12). A line says how many are done whenever it changes' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l tests -d 'Also read the test log of each newly failed build and print the tests that fail and did not before ("new failing test"); about 3 requests per new failed build, cached'
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -s n -l name -d 'Only builders whose name matches GLOB (case-insensitive; * ? [..])' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l days -d 'Judge the builds started in the last N days [default: 7]; at most 100 builds per builder are read (the report names builders cut there)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -s l -l builds -l limit -d 'Judge each builder\'s newest N builds instead of a number of days' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand tests" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -s n -l name -d 'Only builders whose name matches GLOB (case-insensitive; * ? [..])' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l days -d 'Judge the builds started in the last N days [default: 7]; at most 100 builds per builder are read (the report names builders cut there)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -s l -l builds -l limit -d 'Judge each builder\'s newest N builds instead of a number of days' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l server -d 'Buildbot master to read, its web root or API root' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l snapshot -d 'Read a recorded snapshot directory instead of a server (no network)' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l config -d 'Configuration file' -r -F
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l format -d 'Output format' -r -f -a "auto\t''
table\t''
plain\t''
json\t''
markdown\t''
html\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l color -d 'When to colour the output [default: the config\'s `color`, else auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l timeout -d 'Deadline in seconds for each request, retries included (default 30, or the config\'s `timeout`)' -r
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l no-color -d 'Same as --color never'
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l ascii -d 'ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …'
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l url -d 'Also print the web link of each builder (or of its failing build) in text reports'
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l stats -d 'Print on stderr how many requests and bytes the run used, and the master\'s Buildbot version'
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l no-cache -d 'Neither read nor write the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l offline -d 'Answer from the local cache only, without any request; says how old it is'
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -l no-progress -d 'Never show the progress line on stderr'
complete -c bbreport -n "__fish_bbreport_using_subcommand test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "release" -d 'Judge whether branches can be released: a verdict per branch, with its evidence'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "waterfall" -d 'Show each builder\'s newest builds as a row of result glyphs, newest on the left'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "console" -d 'Show one branch\'s newest commits against its builders: which build tested each commit'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "build" -d 'Show one build in full: its steps, the test step\'s parsed summary and the relevant lines'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "failures" -d 'Show the failing tests of a branch: a test × builder matrix with a classification'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "commit" -d 'Show where every builder of a commit\'s branch stands with it: did it break anything?'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "pr" -d 'Show the buildbot runs of a pull request: its newest head\'s builds, failures compared with the target branch'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "repro" -d 'Print the commands that reproduce a build\'s test failure locally'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "log" -d 'Triage a regrtest log from a file: what failed, and the commands to reproduce it'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "snapshot" -d 'Record the server\'s builders, workers and newest builds into DIR for offline use'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "cache" -d 'Show or delete the local cache'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "watch" -d 'Poll the master and print a line whenever a builder changes state'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "tests" -d 'Show which tests failed or were re-run across the builders, and how often'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "test" -d 'Show one test\'s history: a timeline per builder, its failure messages, how to reproduce it'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and not __fish_seen_subcommand_from release waterfall console build failures commit pr repro log snapshot cache watch tests test help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "info" -d 'Where the server\'s cache is, its size, when it last caught up, and what it holds'
complete -c bbreport -n "__fish_bbreport_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "clear" -d 'Delete the server\'s cache (with --all, every server\'s); the next run rebuilds it'
