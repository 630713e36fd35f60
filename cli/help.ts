export const MAIN_HELP = `dispatch-lab: run LiveKit agent-dispatch scenarios against a mock or a real livekit-server

Usage:
  dispatch-lab run <files or folders...> [options]   run scenario files (YAML)
  dispatch-lab explain [--events <file> | --url <u>] why each job of a run (or a running serve) was dropped or failed
  dispatch-lab serve [options]                       start the mock server
  dispatch-lab diff <files or folders...>            same scenarios on the mock and on livekit-server: compare
  dispatch-lab help [command]                        help for a command

Run "dispatch-lab <command> --help" for the options of a command.
`;

export const RUN_HELP = `Usage: dispatch-lab run <files or folders...> [options]

Runs each scenario on a fresh server and prints a line per scenario and a summary.
Exits 0 only when every scenario passed.

Options:
  --against <mock|livekit|container|url>  mock (default, in process), livekit (a livekit-server binary
                                per scenario), container (livekit-server in Docker per scenario:
                                LIVEKIT_IMAGE, the local build, or livekit/livekit-server:v1.13.5),
                                or the URL of a running server
                                (LIVEKIT_API_KEY / LIVEKIT_API_SECRET give the key)
  --host <address>              the address the mock or livekit-server binds (default 127.0.0.1).
                                Publishing on livekit needs media participants (WebRTC), which
                                need a non-loopback address, e.g. a network namespace's veth
  --timing <fast|real>          the mock's timing preset before each scenario's timing: (default fast)
  --report <file.html>          write an HTML report with a sequence diagram per scenario
  --junit <file.xml>            write JUnit XML for CI
  --events <file.jsonl>         where to keep the run's trace for "explain"
                                (default .dispatch-lab/last-run.jsonl)
  --allow-needs                 scenarios whose requirements are missing do not fail the run
  --help                        this text

Example:
  dispatch-lab run scenarios/library --report report.html --junit junit.xml
`;

export const EXPLAIN_HELP = `Usage: dispatch-lab explain [--events <file.jsonl> | --url <server>] [--all]

Reads the trace of the last run (or any JSONL of trace events, e.g. from GET /_lab/events)
and prints, for each job that did not simply run, what happened to it and why.

Options:
  --events <file.jsonl>  the trace to read (default .dispatch-lab/last-run.jsonl); a recording of
                         "serve --record" is read with its rotated parts (<file>.N … <file>.1)
  --url <server>         the retained trace of a running "dispatch-lab serve", e.g. http://127.0.0.1:7880
                         (token signed with LIVEKIT_API_KEY / LIVEKIT_API_SECRET, default devkey:secret)
  --all                  list every job, including the ones that ran normally
  --help                 this text
`;
