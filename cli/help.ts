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
  --runtime <node|python>       of scenarios with a runtimes: matrix, run only this runtime's variant
                                (python needs "npm run setup:python")
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

export const SERVE_HELP = `Usage: dispatch-lab serve [options]

Runs the mock LiveKit server (agent workers, dispatch, Twirp, /rtc).

Options:
  --host <addr>        address to bind (default 127.0.0.1; anything wider is announced)
  --port <n>           HTTP/WebSocket port (default 7880, like livekit-server --dev; 0 = any free port)
  --keys <k:s,...>     API key:secret pairs (default devkey:secret, like livekit-server --dev)
  --timing <preset>    real (livekit-server v1.13.5 timeouts, default) or fast (short waits for CI)
  --seed <n>           seed worker selection and ids, for reproducible runs
  --quiet              print only the ready line and warnings
  --verbose            also print debug lines (drops no registered worker could have wanted, trace evictions)
  --events             print every trace event as a JSON line instead of readable lines
  --record <file>      append every trace event to <file> (JSON lines), rotated to <file>.1 … past --record-mb
  --record-mb <n>      rotate the recording at this size (default 100); --record-files <n> rotated files kept (default 5)
  --trace-events <n>   events the in-memory trace keeps (default 1000000; the oldest are evicted, with a gap event)
  --trace-mb <n>       estimated JSON megabytes the in-memory trace keeps (default 256)
  -h, --help           this text

Workers connect to ws://<host>:<port> (they append /agent). Twirp: http://<host>:<port>/twirp/...
The trace is also served as JSON lines at /_lab/events (Bearer token signed with an API key).
Live inspector: http://<host>:<port>/_lab/ (sign in with an API key and secret, or the one-time link printed at start).
Stops cleanly on Ctrl-C.
`;

export const DIFF_HELP = `Usage: dispatch-lab diff <files or folders...> [--against livekit|container] [--host <address>] [--deliberate]

Runs each scenario twice: on the mock (real timing) and on a fresh livekit-server v1.13.5
(installed by "npm run setup:livekit", or LIVEKIT_SERVER_BIN; or in Docker with --against container).
Ids and times are normalised away and the outcomes workers saw are compared: who got which job
type, offered / rejected / assigned / declined / terminated / orphaned, job states, participant events.
Exit status: 0 when every scenario gives the same outcomes, 1 when one differs (or fails on the
mock), 3 when none differs but some could not be compared (each says why).

Scenarios that publish tracks need media participants (rtc-node, WebRTC) on both sides, and
WebRTC gathers no loopback candidates: on 127.0.0.1 they run inside a private network namespace
when this is root; otherwise give a non-loopback --host, or they are reported as not compared.

Options:
  --against <livekit|container>  the real server: the binary (default) or the container
  --host <address>  the address both servers bind (default 127.0.0.1)
  --deliberate   list the deliberate differences (each with its reason) and exit
  --help         this text
`;

/** The help of each command, by name: cli/main.ts prints it for --help and after a usage error. */
export const COMMAND_HELP = { run: RUN_HELP, explain: EXPLAIN_HELP, serve: SERVE_HELP, diff: DIFF_HELP } as const;

export type CommandName = keyof typeof COMMAND_HELP;
