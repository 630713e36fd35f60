export const MAIN_HELP = `dispatch-lab: run LiveKit agent-dispatch scenarios against a mock or a real livekit-server

Usage:
  dispatch-lab run <files or folders...> [options]   run scenario files (YAML)
  dispatch-lab explain [--events <file.jsonl>]       why each job of a run was dropped or failed
  dispatch-lab serve [options]                       start the mock server
  dispatch-lab diff <files or folders...>            same scenarios on the mock and on livekit-server: compare
  dispatch-lab help [command]                        help for a command

Run "dispatch-lab <command> --help" for the options of a command.
`;

export const RUN_HELP = `Usage: dispatch-lab run <files or folders...> [options]

Runs each scenario on a fresh server and prints a line per scenario and a summary.
Exits 0 only when every scenario passed.

Options:
  --against <mock|livekit|url>  mock (default, in process), livekit (a livekit-server binary
                                per scenario), or the URL of a running server
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

export const EXPLAIN_HELP = `Usage: dispatch-lab explain [--events <file.jsonl>] [--all]

Reads the trace of the last run (or any JSONL of trace events, e.g. from GET /_lab/events)
and prints, for each job that did not simply run, what happened to it and why.

Options:
  --events <file.jsonl>  the trace to read (default .dispatch-lab/last-run.jsonl)
  --all                  list every job, including the ones that ran normally
  --help                 this text
`;

export const SERVE_HELP = `Usage: dispatch-lab serve [options]

Runs the mock LiveKit server (agent workers, dispatch, Twirp, /rtc).

Options:
  --host <addr>        address to bind (default 127.0.0.1; anything wider is announced)
  --port <n>           HTTP/WebSocket port (default 7880, like livekit-server --dev; 0 = any free port)
  --keys <k:s,...>     API key:secret pairs (default devkey:secret, like livekit-server --dev)
  --timing <preset>    real (livekit-server v1.13.5 timeouts, default) or fast (short waits for CI)
  --seed <n>           seed worker selection and ids, for reproducible runs
  --quiet              print only the ready line and warnings
  --events             print every trace event as a JSON line instead of readable lines
  -h, --help           this text

Workers connect to ws://<host>:<port> (they append /agent). Twirp: http://<host>:<port>/twirp/...
The trace is also served as JSON lines at /_lab/events (Bearer token signed with an API key).
Stops cleanly on Ctrl-C.
`;

export const DIFF_HELP = `Usage: dispatch-lab diff <files or folders...> [--host <address>] [--deliberate]

Runs each scenario twice: on the mock (real timing) and on a fresh livekit-server v1.13.5
(installed by "npm run setup:livekit", or LIVEKIT_SERVER_BIN). Ids and times are normalised
away and the outcomes workers saw are compared: who got which job type, offered / rejected /
assigned / declined / terminated / orphaned, job states, participant events.
Exits 0 only when no scenario shows an unexpected difference.

Scenarios that publish tracks need media participants (rtc-node, WebRTC) on both sides, and
WebRTC gathers no loopback candidates: give a non-loopback --host (e.g. inside a network
namespace, as test/differential/publish-diff.test.ts does), otherwise they cannot agree.

Options:
  --host <address>  the address both servers bind (default 127.0.0.1)
  --deliberate   list the deliberate differences (each with its reason) and exit
  --help         this text
`;

/** The help of each command, by name: cli/main.ts prints it for --help and after a usage error. */
export const COMMAND_HELP = { run: RUN_HELP, explain: EXPLAIN_HELP, serve: SERVE_HELP, diff: DIFF_HELP } as const;

export type CommandName = keyof typeof COMMAND_HELP;
