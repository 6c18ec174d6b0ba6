/**
 * The interactive notebook server (`./run.sh lab`): Jupyter Notebook on 127.0.0.1 with token
 * authentication, the project's Deno kernel, `notebooks/` as its root. Prints the URL with the
 * token; Ctrl-C (or SIGTERM, or closing the terminal) stops the server and every kernel it
 * started, also while the server is still starting. Exit status: 0 when stopped that way with
 * nothing left running; 1 when the server ended by itself, or a process it started survived.
 *
 *   deno run -A scripts/lab.ts              # port 8888, or the next free one
 *   deno run -A scripts/lab.ts --port 9000  # exactly this port (fails if it is in use)
 */
import { fileURLToPath } from "node:url";
import { integerOption, parseOptions, runScript, ScriptFailure } from "./cli/options.ts";
import { say } from "./cli/say.ts";
import {
  DEFAULT_LAB_PORTS,
  KERNEL_FLAGS,
  kernelFlagsOn,
  kernelFlagsProblem,
  startLabServer,
} from "../lib/notebook_runner/mod.ts";
import { listenForStopSignals, type StopSignalName } from "../lib/util/mod.ts";

const projectRoot = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

/** Why the lab stops: a signal to the launcher, or the server ending by itself. */
type StopCause = { signal: StopSignalName } | { serverExit: number };

/**
 * The lab's `--help` text. Without `--port`, startLabServer takes the first free port of
 * {@linkcode DEFAULT_LAB_PORTS}, the range stated here (one home: the library's constant).
 */
export const LAB_USAGE =
  `usage: ./run.sh lab [--port N]   (N: exactly this port; default ${DEFAULT_LAB_PORTS.first}` +
  `, or the next free one up to ${DEFAULT_LAB_PORTS.first + DEFAULT_LAB_PORTS.count - 1})`;

/**
 * What the lab prints once the server answers: the URL to open, the mode its kernels run in (a
 * lab started as `DEMURE_QUICK=1 ./run.sh lab` serves quick pages only, and until 2026-12-07 its
 * start message read as a full-mode lab's), and how to stop it. `flagsOn`: the kernel flags set
 * in the environment every kernel inherits (`kernelFlagsOn()`).
 */
export function labStartMessage(
  url: string,
  flagsOn: readonly (typeof KERNEL_FLAGS)[number][],
): string {
  const mode = flagsOn.includes("DEMURE_QUICK")
    ? "Quick mode (DEMURE_QUICK=1): every notebook takes the quick plan, small runs of a few " +
      "epochs under results/quick (missing ones trained when a cell loads them), not the results " +
      "of record. Start the lab without DEMURE_QUICK for the full pages."
    : "Full mode: the pages read the results of record (results-of-record/full); " +
      "`DEMURE_QUICK=1 ./run.sh lab` serves the quick plan instead.";
  const rerun = flagsOn.includes("DEMURE_RERUN")
    ? ["DEMURE_RERUN=1: a cell that loads missing results computes them."]
    : [];
  return [
    "",
    "Notebook server (Deno kernel) serving notebooks/ on 127.0.0.1 only. Open:",
    "",
    `    ${url}`,
    "",
    mode,
    ...rerun,
    "Ctrl-C stops the server and every kernel it started.",
    "",
  ].join("\n");
}

/**
 * The lab, its exit status returned (exported for tests/notebook_runner/_unkillable_child_lab.ts,
 * which runs it with one of the server's processes made to look as if it outlived SIGKILL).
 */
export async function main(): Promise<number> {
  const { values } = parseOptions(Deno.args, {
    port: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(LAB_USAGE);
    return 0;
  }
  const port = values.port === undefined ? undefined : integerOption("port", values.port, 1, 65535);
  // Every kernel of the server inherits them: each cell that reads one would fail on it.
  const badFlag = kernelFlagsProblem();
  if (badFlag !== undefined) {
    say(`lab: ${badFlag}`, "stderr");
    return 2;
  }
  // Listening before the server starts: a Ctrl-C while Jupyter starts up (it runs in a session of
  // its own, which the terminal's signals do not reach) must stop it, not orphan it.
  // Stopping is the lab's normal end: it exits 0 then (the stop statuses are for checks).
  const stopRequest = listenForStopSignals();
  let server;
  try {
    server = await startLabServer({ projectRoot, port, signal: stopRequest.signal });
  } catch (error) {
    const stoppedBy = stopRequest.stoppedBy();
    if (stoppedBy !== undefined) {
      // startLabServer stopped what it had started before rejecting.
      say(`\nlab: stopped while starting (${stoppedBy})`);
      return 0;
    }
    // Jupyter missing, the port taken, an early exit (then with its log's last lines):
    // startLabServer's message says which.
    throw new ScriptFailure((error as Error).message);
  }
  say(labStartMessage(server.url, kernelFlagsOn()));
  const cause = await new Promise<StopCause>((resolve) => {
    const signalled = () => resolve({ signal: stopRequest.stoppedBy()! });
    if (stopRequest.signal.aborted) signalled();
    stopRequest.signal.addEventListener("abort", signalled);
    server.exited.then((code) => resolve({ serverExit: code }));
  });
  // Stopping first: the messages below may go to a terminal that is gone.
  const stopping = server.stop();
  if ("signal" in cause) {
    say(`\nlab: stopping (${cause.signal})`);
  } else {
    // Jupyter's own log went to this terminal (stdout and stderr are inherited).
    say(
      `\nlab: the notebook server exited on its own with status ${cause.serverExit} ` +
        "(its log is above); stopping its kernels",
      "stderr",
    );
  }
  const report = await stopping;
  if (report.leftRunning.length > 0) {
    say(`lab: processes still running: ${report.leftRunning.join(", ")}`, "stderr");
    return 1;
  }
  say(
    `lab: server and kernels stopped${
      report.signalledAfterServer > 0
        ? ` (${report.signalledAfterServer} processes needed a signal after the server)`
        : ""
    }`,
  );
  return "signal" in cause ? 0 : 1;
}

if (import.meta.main) await runScript("lab", main);
