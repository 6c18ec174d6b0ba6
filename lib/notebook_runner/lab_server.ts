/**
 * The interactive notebook server behind `./run.sh lab`: Debian's classic Jupyter Notebook (6.4;
 * JupyterLab is not packaged in Debian 12) bound to 127.0.0.1 with token authentication, serving
 * `notebooks/` with the project's Deno kernel (the project-local kernelspec, through
 * `JUPYTER_PATH`). Jupyter's configuration and runtime files stay under `.jupyter/` too, so a
 * user's `~/.jupyter` neither changes nor is changed by it.
 *
 * Ports: Jupyter binds the port itself (`--port-retries=0`), so another program can take a port
 * between the check that it is free and Jupyter's bind (two `./run.sh lab` at once), and may have
 * let it go again by the time Jupyter has exited. The server's log says so (Notebook 6.4: "The
 * port 8888 is already in use.", "Permission to listen on port 8888 denied."; read from its
 * output, which is therefore piped: to the log file, else on to this process's stdout and stderr),
 * and so does a port found taken after the exit. Without an explicit port the next free one of
 * the range (`portRange`, by default 8888-8937) is tried then (5 servers at most,
 * `LAB_BIND_ATTEMPTS`); the error after the last names the range and each port's reason. An
 * explicit port refused that way is the same error as one taken before the start. Any other early
 * exit is an error with its log's last lines.
 *
 * Stopping: the server runs in a session of its own (a Ctrl-C in the terminal reaches only the
 * launcher, never Jupyter's interactive "Shutdown this notebook server (y/[n])?" prompt); `stop()`
 * sends it SIGTERM, on which Jupyter shuts its kernels down, then signals every process the server
 * started that is still running (tracked through `/proc`, Linux only) and reports any survivor;
 * the server's files in `.jupyter/runtime` go too when Jupyter, killed outright, left them.
 * Aborting `signal` while the server starts stops it the same way before the start rejects, so an
 * interrupted launcher leaves no server behind. A launcher killed outright (SIGKILL, the OOM
 * killer), which can do none of that, leaves none either: the server watches a pipe from it and
 * sends itself SIGTERM when the pipe ends (`SERVER_WRAPPER`), so its kernels are shut down too.
 *
 * @example
 * ```ts
 * const server = await startLabServer({ projectRoot: Deno.cwd() });
 * console.log(server.url); // http://127.0.0.1:8888/?token=...
 * const { leftRunning } = await server.stop();
 * ```
 */
import { descendantsOf, isAlive, type ProcessId, signalIfAlive } from "./processes.ts";
import { type DenoKernelspec, ensureDenoKernelspec } from "./kernelspec.ts";
import { pathExists } from "../util/path_exists.ts";
import {
  checkInteger,
  checkNumber,
  checkOptionalText,
  checkSettingNames,
  SettingError,
  type SettingNames,
  withDefaults,
} from "../util/settings.ts";
import { within } from "../util/within.ts";
import { defaultJupyterPython } from "./_jupyter_python.ts";

/** Ports `first` to `first + count - 1`, tried from the first up when no port is asked for. */
export interface LabPortRange {
  /** The port tried first (1-65535). */
  first: number;
  /** How many ports, the first included (>= 1; the last must be <= 65535). */
  count: number;
}

/** The ports that can be asked for. */
const LAB_PORT_RANGE = Object.freeze({ min: 1, max: 65535 });

/** The range tried when no port is asked for: 8888 and the next 49 (named `8888-8937`). */
export const DEFAULT_LAB_PORTS: Readonly<LabPortRange> = Object.freeze({ first: 8888, count: 50 });
/** The port tried first when none is asked for; the next free one above it is taken otherwise. */
export const DEFAULT_LAB_PORT: number = DEFAULT_LAB_PORTS.first;
/**
 * Servers started at most, each on the next free port, when no port was asked for and other
 * servers take the chosen one before Jupyter binds it.
 */
const LAB_BIND_ATTEMPTS = 5;

/** Options of {@linkcode startLabServer}. */
export interface LabServerConfig {
  /** Project root (holds `notebooks/` and `.jupyter/`). */
  projectRoot: string;
  /** Port to bind (1-65535); it must be free. Default: the first free port of `portRange`. */
  port?: number;
  /**
   * The ports tried, from the first up, when `port` is not given. Default:
   * {@linkcode DEFAULT_LAB_PORTS} (8888-8937). Tests pass a range of their own, so that a
   * server already on 8888 (a user's own `./run.sh lab`) changes none of their outcomes.
   */
  portRange?: LabPortRange;
  /**
   * Token of the URL; when not given, 32 random hex digits (a new one each start). Not empty (that
   * would turn authentication off), and only letters, digits, `.`, `_`, `~` and `-`.
   */
  token?: string;
  /** Python with Jupyter Notebook. Default: `$DEMURE_JUPYTER_PYTHON` or `/usr/bin/python3`. */
  python?: string;
  /** Extra environment of the server and so of its kernels (e.g. `{ DEMURE_QUICK: "1" }`). */
  env?: Record<string, string>;
  /** Write Jupyter's log here instead of the terminal. */
  logFile?: string;
  /**
   * Longest wait for the server to answer, in seconds, a number > 0. Default: 60
   * ({@linkcode DEFAULT_LAB_SERVER_CONFIG}).
   */
  startTimeoutSeconds?: number;
  /**
   * Aborting it during the start stops the server started so far; the start then rejects with
   * `signal.reason`. Ignored once the start has resolved (call `stop()` then).
   */
  signal?: AbortSignal;
}

/**
 * The defaults of {@linkcode LabServerConfig} that do not depend on the machine or the run (the
 * port, the token and the Python do): the ports {@linkcode DEFAULT_LAB_PORTS}, and a minute for
 * the server to answer.
 */
export const DEFAULT_LAB_SERVER_CONFIG: Readonly<
  Required<Pick<LabServerConfig, "portRange" | "startTimeoutSeconds">>
> = Object.freeze({ portRange: DEFAULT_LAB_PORTS, startTimeoutSeconds: 60 });

/** A token the server accepts: not empty, and safe in a URL as written. */
const LAB_TOKEN = /^[A-Za-z0-9._~-]+$/;
const LAB_TOKEN_ALLOWED =
  "a non-empty string of letters, digits, '.', '_', '~' and '-' (an empty token would turn " +
  "Jupyter's authentication off)";

/** The names of {@linkcode LabServerConfig}: any other is refused (a typo ran the default). */
const LAB_SERVER_CONFIG_NAMES: SettingNames<LabServerConfig> = Object.freeze({
  projectRoot: true,
  port: true,
  portRange: true,
  token: true,
  python: true,
  env: true,
  logFile: true,
  startTimeoutSeconds: true,
  signal: true,
});

/** A {@linkcode LabServerConfig} with its defaults filled in and checked. */
type ResolvedLabServerConfig = LabServerConfig & typeof DEFAULT_LAB_SERVER_CONFIG;

/**
 * `config` with {@linkcode DEFAULT_LAB_SERVER_CONFIG} filled in, or a `SettingError`, before
 * anything starts: the start waits while the deadline is ahead, so NaN or a negative timeout
 * started a server only to give up on it at once, and Infinity never gave up. Left out or
 * undefined is the default; null is a value, refused (a null `portRange`, `token`, `python` or
 * `logFile` ran with the default range, a random token, the default Python, the terminal).
 */
function resolveLabServerConfig(config: LabServerConfig): ResolvedLabServerConfig {
  // The old name of the start timeout, ignored, would wait the default minute.
  checkSettingNames("LabServerConfig", config, LAB_SERVER_CONFIG_NAMES, {
    startTimeoutS: "none: renamed startTimeoutSeconds (a duration ends in Seconds or Ms in every " +
      "setting)",
  });
  const resolved = { ...config, ...withDefaults(DEFAULT_LAB_SERVER_CONFIG, config) };
  checkNumber("LabServerConfig.startTimeoutSeconds", resolved.startTimeoutSeconds, { above: 0 });
  checkPortRange(resolved.portRange);
  // 0 would let the OS pick a port, which an explicit port must never be.
  if (config.port !== undefined) checkInteger("LabServerConfig.port", config.port, LAB_PORT_RANGE);
  for (const field of ["token", "python", "logFile"] as const) {
    checkOptionalText(`LabServerConfig.${field}`, config[field], "a string");
  }
  if (typeof config.projectRoot !== "string") {
    throw new SettingError(
      "LabServerConfig.projectRoot",
      config.projectRoot,
      "a folder (a string)",
    );
  }
  // null started the server without the extra environment, or without a way to abort its start.
  const env: unknown = config.env;
  if (env !== undefined && (env === null || typeof env !== "object" || Array.isArray(env))) {
    throw new SettingError("LabServerConfig.env", env, "an object of variables");
  }
  if (config.signal !== undefined && !(config.signal instanceof AbortSignal)) {
    throw new SettingError("LabServerConfig.signal", config.signal, "an AbortSignal");
  }
  // Jupyter takes an empty token as "no authentication": anyone who reaches the port runs code as
  // this user. And the token travels in the URL unescaped, so it holds only URL-safe characters.
  if (config.token !== undefined && !LAB_TOKEN.test(config.token)) {
    throw new SettingError("LabServerConfig.token", config.token, LAB_TOKEN_ALLOWED);
  }
  return resolved;
}

/** What {@linkcode LabServer.stop} left behind: processes it started that still run (none if clean). */
export interface LabStopReport {
  /** Exit code of the server (null when it had to be killed). */
  exitCode: number | null;
  /** Processes (kernels and their children) that outlived the server and were signalled. */
  signalledAfterServer: number;
  /** Pids of processes the server started that are still running after every signal. */
  leftRunning: number[];
}

/** A running notebook server. */
export interface LabServer {
  /** `http://127.0.0.1:<port>/?token=<token>`: what a browser opens. */
  url: string;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** The token every request must carry (`?token=`, or the header `Authorization: token ...`). */
  token: string;
  /** The port bound on 127.0.0.1. */
  port: number;
  /** Pid of the Jupyter process. */
  pid: number;
  /** Processes the server has started and that are alive now (kernels and their children). */
  children(): ProcessId[];
  /** Resolves with the exit code when the server process ends (by `stop()` or on its own). */
  exited: Promise<number>;
  /** Stops the server and every process it started; idempotent. */
  stop(): Promise<LabStopReport>;
}

/**
 * The reason the notebook server cannot run here (with what to install, or which permission is
 * missing), or `null`.
 */
export async function labProblem(python = defaultJupyterPython()): Promise<string | null> {
  const install = "install Debian's jupyter-notebook (apt-get install jupyter-notebook)";
  try {
    const output = await new Deno.Command(python, {
      args: ["-c", "import notebook.notebookapp"],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (output.code === 0) return null;
    // A check that failed without a word (a wrapper script, say) still says how it ended.
    const reason = new TextDecoder().decode(output.stderr).trim().split("\n").pop() ||
      `the import check exited with status ${output.code}`;
    return `${python} lacks Jupyter Notebook (${reason}); ${install}`;
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) {
      // A Python of one's own (DEMURE_JUPYTER_PYTHON) outside the task's scoped --allow-run:
      // nothing to install, Deno refused to start it.
      return `cannot run ${python}: not in this task's --allow-run (${error.message}); ` +
        "run the script with the task's flags plus that path (docs/permissions.md)";
    }
    return `cannot run ${python} (${(error as Error).message}); ${install}`;
  }
}

/** Whether 127.0.0.1:`port` can be bound now (the lab's test for a port to serve on). */
export function isPortFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) return false;
    throw error;
  }
}

const portInUse = (port: number) => new Error(`port ${port} on 127.0.0.1 is in use`);

/** Throws a SettingError unless `range` holds ports 1-65535 only, one at least. */
function checkPortRange(range: LabPortRange): void {
  if (range === null || typeof range !== "object") {
    throw new SettingError("LabServerConfig.portRange", range, "{ first, count }");
  }
  checkInteger("LabServerConfig.portRange.first", range.first, { min: 1, max: 65535 });
  checkInteger("LabServerConfig.portRange.count", range.count, {
    min: 1,
    max: 65536 - range.first,
  });
}

/** The range as the messages name it, e.g. `8888-8937`. */
const rangeName = (range: LabPortRange) => `${range.first}-${range.first + range.count - 1}`;

/** `port` if free (an explicit port is never swapped), else the range's first free port. */
function choosePort(port: number | undefined, range: LabPortRange): number {
  if (port !== undefined) {
    // Checked already (resolveLabServerConfig).
    if (!isPortFree(port)) throw portInUse(port);
    return port;
  }
  const free = nextFreePort(range.first, range);
  if (free === undefined) {
    throw new Error(`ports ${rangeName(range)} are all in use; pass --port N`);
  }
  return free;
}

/** The first free port from `from` up within `range`, or undefined past its end. */
function nextFreePort(from: number, range: LabPortRange): number | undefined {
  for (let candidate = from; candidate < range.first + range.count; candidate++) {
    if (isPortFree(candidate)) return candidate;
  }
  return undefined;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server exited before it answered; `exitCode` is its status. */
class ServerExitedEarly extends Error {
  constructor(readonly exitCode: number) {
    super(`the server exited with status ${exitCode}`);
  }
}

/** The server could not bind its port: `reason` is its log's ("in use", "permission denied"). */
class PortNotBound extends Error {
  constructor(readonly port: number, readonly reason: string) {
    super(`port ${port} on 127.0.0.1: ${reason}`);
  }
}

/**
 * Why the server could not bind `port`, as Notebook 6.4's log says it (notebookapp.py,
 * `_bind_http_server_tcp`, with `--port-retries=0`: "The port N is already in use." or
 * "Permission to listen on port N denied.", then "ERROR: the notebook server could not be started
 * because port N is not available."), or undefined when the log names no such failure.
 */
function portBindFailure(log: string, port: number): string | undefined {
  if (log.includes(`The port ${port} is already in use`)) return "in use";
  if (log.includes(`Permission to listen on port ${port} denied`)) return "permission denied";
  if (log.includes(`port ${port} is not available`)) return "not available";
  return undefined;
}

/** How many of the log's last lines an early exit's error quotes. */
const LOG_TAIL_LINES = 5;
/** How much of the server's output is kept to read them from (its start-up says little). */
const LOG_TAIL_BYTES = 16 * 1024;

/** An early exit other than a refused port: its status, then the last lines of its log. */
function exitedWithLog(exitCode: number, log: string): Error {
  const lines = log.split("\n").map((line) => line.trimEnd()).filter((line) => line !== "");
  const tail = lines.slice(-LOG_TAIL_LINES).map((line) => `\n  ${line}`).join("");
  return new Error(
    `the server exited with status ${exitCode}` + (tail ? `; the end of its log:${tail}` : ""),
  );
}

/**
 * Waits until the server answers on `baseUrl`. The API is asked only once Jupyter has written its
 * `infoFile` (after it bound the port): until then the port may belong to another server, whose
 * log would fill with refused requests.
 */
async function waitUntilAnswering(
  baseUrl: string,
  token: string,
  infoFile: string,
  exited: Promise<number>,
  timeoutS: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  let exitCode: number | undefined;
  exited.then((code) => exitCode = code);
  const deadline = performance.now() + timeoutS * 1000;
  while (performance.now() < deadline) {
    signal?.throwIfAborted();
    if (exitCode !== undefined) throw new ServerExitedEarly(exitCode);
    if (pathExists(infoFile)) {
      // Each request lasts at most what is left of the wait: one the server took and never
      // answered (a hung server) kept the start waiting on it for ever, past `timeoutS`.
      const waitLeft = new AbortController();
      const timer = setTimeout(() => waitLeft.abort(), Math.max(0, deadline - performance.now()));
      try {
        const response = await fetch(`${baseUrl}/api/status`, {
          headers: { Authorization: `token ${token}` },
          signal: signal ? AbortSignal.any([signal, waitLeft.signal]) : waitLeft.signal,
        });
        // Never read, so cancelled: its connection is let go now, not when it is collected.
        await response.body?.cancel();
        if (response.ok) return;
      } catch {
        // not listening yet, out of time (thrown below), or aborted (thrown on the next round)
      } finally {
        clearTimeout(timer);
      }
    }
    await sleep(250);
  }
  throw new Error(`the server did not answer within ${timeoutS} s`);
}

/**
 * What Python runs (`-c`) in place of `-m notebook`: the notebook server, in the same process
 * (its pid, log, `nbserver-<pid>.json` and SIGTERM handling unchanged), plus a daemon thread that
 * reads its stdin. That is a pipe from this process that is never written, so it ends only when
 * this process is gone, whatever ended it (SIGKILL, the OOM killer, a CI timeout that kills only
 * the launcher; the signals it handles stop the server themselves); the thread then sends the
 * server SIGTERM, on which Jupyter shuts its kernels down. Without it such a server and its
 * kernels ran on, each holding a port of the range and memory. To the main thread: a Python
 * signal handler runs only there, and a signal taken by another thread would wait for its next
 * wake-up. Before the server has set its handler, SIGTERM ends the process, which is as good.
 */
const SERVER_WRAPPER = `import os, runpy, signal, threading
def watch():
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    signal.pthread_kill(threading.main_thread().ident, signal.SIGTERM)
threading.Thread(target=watch, daemon=True).start()
runpy.run_module("notebook", run_name="__main__", alter_sys=True)`;

/** The notebook server's command line: the project's kernel only, on `port`, under `notebooks/`. */
function serverArgs(port: number, root: string, kernelName: string): string[] {
  return [
    // sys.argv: "-c" (taken for the module's path by run_module), then the server's arguments.
    "-c",
    SERVER_WRAPPER,
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    `--notebook-dir=${root}/notebooks`,
    // Only the project's kernel: Debian's python3-ipykernel (installed for nbconvert) would
    // otherwise be offered, and be the default, for new notebooks.
    `--KernelSpecManager.allowed_kernelspecs=${kernelName}`,
    "--KernelSpecManager.ensure_native_kernel=False",
    `--MappingKernelManager.default_kernel_name=${kernelName}`,
    // Jupyter refuses root without it; containers and CI run as root.
    ...(Deno.uid() === 0 ? ["--allow-root"] : []),
  ];
}

/** The server's environment: the token, and Jupyter's folders inside the project's own. */
function serverEnv(
  env: Record<string, string> | undefined,
  token: string,
  jupyterPath: string,
): Record<string, string> {
  const inherited = Deno.env.get("JUPYTER_PATH");
  return {
    ...env,
    // The token through the environment, so that it does not show in `ps`.
    JUPYTER_TOKEN: token,
    JUPYTER_PATH: inherited ? `${jupyterPath}:${inherited}` : jupyterPath,
    JUPYTER_CONFIG_DIR: `${jupyterPath}/config`,
    // Notebook trust signatures (nbsignatures.db) and other user data.
    JUPYTER_DATA_DIR: `${jupyterPath}/data`,
    JUPYTER_RUNTIME_DIR: `${jupyterPath}/runtime`,
  };
}

/**
 * Stops the server (SIGTERM; SIGKILL after 20 s), then the kernels it leaves behind:
 * `finalDescendants` lists every process seen under it while it lived.
 */
async function stopServer(
  child: Deno.ChildProcess,
  exited: Promise<number>,
  finalDescendants: () => ProcessId[],
): Promise<LabStopReport> {
  const tracked = finalDescendants();
  let exitCode: number | null = null;
  // The child's own handle: `Deno.kill` would need `--allow-run` for every program.
  try {
    child.kill("SIGTERM");
  } catch {
    // it has exited already
  }
  // Jupyter asks each kernel to shut down, waits for it, then kills it: a few seconds.
  const finished = await within(exited, 20_000);
  if (finished === null) {
    child.kill("SIGKILL");
    await exited;
  } else {
    exitCode = finished;
  }
  const survivors = tracked.filter(isAlive);
  for (const id of survivors) signalIfAlive(id, "SIGTERM");
  for (let wait = 0; wait < 20 && survivors.some(isAlive); wait++) await sleep(100);
  for (const id of survivors) signalIfAlive(id, "SIGKILL");
  for (let wait = 0; wait < 20 && survivors.some(isAlive); wait++) await sleep(100);
  return {
    exitCode,
    signalledAfterServer: survivors.length,
    leftRunning: tracked.filter(isAlive).map((id) => id.pid),
  };
}

/** Starts the server and waits until it answers; see the module comment. */
export async function startLabServer(given: LabServerConfig): Promise<LabServer> {
  const config = resolveLabServerConfig(given);
  const range = config.portRange;
  const python = config.python ?? defaultJupyterPython();
  const problem = await labProblem(python);
  if (problem) throw new Error(problem);
  let port = choosePort(config.port, range);
  const token = config.token ?? randomToken();
  const spec = await ensureDenoKernelspec({ projectRoot: config.projectRoot });
  /** Each port a server was started on and could not bind, with the reason. */
  const refused: string[] = [];
  for (let attempt = 1;; attempt++) {
    try {
      return await startOnPort({ config, python, port, token, spec, attempt });
    } catch (error) {
      if (!(error instanceof PortNotBound)) throw error;
      if (config.port !== undefined) {
        throw error.reason === "in use" ? portInUse(port) : error;
      }
      refused.push(`${port} ${error.reason}`);
      const next = attempt === LAB_BIND_ATTEMPTS ? undefined : nextFreePort(port + 1, range);
      if (next === undefined) {
        const end = attempt === LAB_BIND_ATTEMPTS
          ? `${LAB_BIND_ATTEMPTS} servers started`
          : "no free port after the last";
        throw new Error(
          `no port of ${rangeName(range)} could be bound (${end}): ${refused.join(", ")}; ` +
            "pass --port N",
        );
      }
      port = next;
    }
  }
}

interface StartAttempt {
  config: ResolvedLabServerConfig;
  python: string;
  port: number;
  token: string;
  spec: DenoKernelspec;
  /** 1 for the first server started; later ones append to the log file. */
  attempt: number;
}

/** One server on `port`, answering; stopped again if it does not (or on abort). */
async function startOnPort(
  { config, python, port, token, spec, attempt }: StartAttempt,
): Promise<LabServer> {
  config.signal?.throwIfAborted();
  const root = config.projectRoot;
  const log = config.logFile
    ? await Deno.open(config.logFile, {
      write: true,
      create: true,
      truncate: attempt === 1,
      append: attempt > 1,
    })
    : undefined;
  const child = new Deno.Command(python, {
    args: serverArgs(port, root, spec.kernelName),
    env: serverEnv(config.env, token, spec.jupyterPath),
    // Never written: its end tells the server this process is gone (SERVER_WRAPPER).
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
  const output = passOn(child, log);
  // The pipe is let go once the server has exited (before `exited` resolves, so that a caller
  // awaiting it holds no open resource); it is already broken then, so closing may throw.
  const exited = child.status.then(async (status) => {
    await child.stdin.close().catch(() => {});
    return status.code;
  });
  // Kernels are re-parented when the server dies, so they are tracked while it lives.
  const tracked = new Map<string, ProcessId>();
  const track = () => {
    for (const id of descendantsOf(child.pid)) tracked.set(`${id.pid}/${id.startTime}`, id);
  };
  const tracker = setInterval(track, 500);
  // Jupyter writes `nbserver-<pid>.json` to its runtime folder (serverEnv) once the port is bound.
  const infoFile = `${spec.jupyterPath}/runtime/nbserver-${child.pid}.json`;
  let stopping: Promise<LabStopReport> | undefined;
  const stop = (): Promise<LabStopReport> => {
    stopping ??= stopServer(child, exited, () => {
      track();
      clearInterval(tracker);
      return [...tracked.values()];
    }).then(async (report) => {
      // Jupyter removes its files as it exits, unless killed outright (SIGKILL, the OOM killer):
      // left, the first named a dead server (`jupyter notebook list`), and a later server given
      // the same pid would be asked before it bound its port. Notebook 6.4 writes the page that
      // opens the browser (`nbserver-<pid>-open.html`) even with --no-browser.
      for (const file of [infoFile, infoFile.replace(/\.json$/, "-open.html")]) {
        await Deno.remove(file).catch((error) => {
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        });
      }
      return report;
    });
    return stopping;
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(
      baseUrl,
      token,
      infoFile,
      exited,
      config.startTimeoutSeconds,
      config.signal,
    );
  } catch (error) {
    await stop();
    if (!(error instanceof ServerExitedEarly)) throw error;
    // Its output ends with it (and with what it started, which stop() ended).
    const log = await output.tail();
    const reason = portBindFailure(log, port) ??
      // No line about it, the port taken now: another program bound it first.
      (isPortFree(port) ? undefined : "in use");
    throw reason === undefined
      ? exitedWithLog(error.exitCode, log)
      : new PortNotBound(port, reason);
  }
  return {
    url: `${baseUrl}/?token=${token}`,
    baseUrl,
    token,
    port,
    pid: child.pid,
    children: () => descendantsOf(child.pid),
    exited,
    stop,
  };
}

/** What {@linkcode passOn} keeps of the server's output. */
interface ServerOutput {
  /** The last {@linkcode LOG_TAIL_BYTES} of it, once both streams ended (or after 2 s). */
  tail(): Promise<string>;
}

/**
 * Copies the server's stdout and stderr to `log` (both into one file, in arrival order), or, with
 * none, on to this process's own, keeping the end of both to read why an early exit happened. A
 * write that fails (this process's terminal closed: every write is EIO after a hangup; a full
 * disk) ends the passing on, not the reading: the server must not block on a full pipe, nor this
 * process stop on the error.
 *
 * The log file is written with `write`, not through its `writable` stream: Deno 2.9.6 kept what
 * went through that stream until the file was closed, so `logFile` stayed empty while the server
 * ran (measured: 0 bytes 8 s after a kernel started; the whole log at once after the stop).
 */
function passOn(child: Deno.ChildProcess, log: Deno.FsFile | undefined): ServerOutput {
  let kept = "";
  // One queue into the log file, so that each chunk lands whole, in the order it arrived.
  let logged = Promise.resolve(true);
  const toLog = (file: Deno.FsFile) => (bytes: Uint8Array) =>
    logged = logged.then((passing) => passing && passedOn(file, bytes));
  const copy = async (
    stream: ReadableStream<Uint8Array>,
    write: (bytes: Uint8Array) => Promise<boolean>,
  ) => {
    const decoder = new TextDecoder(); // one per stream: a character may span two chunks
    let passing = true;
    for await (const chunk of stream) {
      kept = (kept + decoder.decode(chunk, { stream: true })).slice(-LOG_TAIL_BYTES);
      if (passing) passing = await write(chunk);
    }
  };
  const done = Promise.all([
    copy(child.stdout, log ? toLog(log) : (bytes) => passedOn(Deno.stdout, bytes)),
    copy(child.stderr, log ? toLog(log) : (bytes) => passedOn(Deno.stderr, bytes)),
  ])
    .finally(() => log?.close())
    .catch(() => {}); // the server's output ends with it, whatever its end was
  return {
    async tail() {
      // A process the server started and stop() could not end may hold the pipes open.
      await within(done, 2_000);
      return kept;
    },
  };
}

/** This process's stdout or stderr. */
type Writer = { write(bytes: Uint8Array): Promise<number> };

/** Writes all of `bytes` to `file` (a write may take only part of them); false if a write failed. */
async function passedOn(file: Writer, bytes: Uint8Array): Promise<boolean> {
  try {
    for (let written = 0; written < bytes.length;) {
      written += await file.write(bytes.subarray(written));
    }
    return true;
  } catch {
    return false;
  }
}
