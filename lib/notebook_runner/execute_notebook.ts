/**
 * Deno side of notebook execution: runs `scripts/notebook_runner.py` (Debian's Python, where
 * Jupyter lives) against the project-local Deno kernelspec. See that file for why it exists.
 */
import { ensureDenoKernelspec } from "./kernelspec.ts";
import {
  checkBoolean,
  checkNumber,
  checkOptionalFunction,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";
import { within } from "../util/within.ts";
import { defaultJupyterPython } from "./_jupyter_python.ts";

/**
 * The iopub silence (ms) after a cell's idle before the cell counts as finished, when
 * {@linkcode NotebookRunnerConfig.quietMs} is not given (`deno task notebooks --quiet-ms` says it).
 */
export const DEFAULT_QUIET_MS = 300;

/**
 * The longest a cell may run, in seconds, when {@linkcode NotebookRunnerConfig.cellTimeoutSeconds}
 * is not given.
 */
export const DEFAULT_CELL_TIMEOUT_SECONDS = 3600;

/**
 * Seconds between the lines about a cell still running, when
 * {@linkcode NotebookRunnerConfig.progressSeconds} is not given.
 */
export const DEFAULT_PROGRESS_SECONDS = 60;

/**
 * The range of {@linkcode NotebookRunnerConfig.progressSeconds}: a line at least every hour (the
 * default cell timeout), and at most one a second.
 */
export const PROGRESS_SECONDS_RANGE = Object.freeze({ min: 1, max: 3600 });

/** Configuration shared by {@linkcode executeNotebook} and {@linkcode renderNotebookHtml}. */
export interface NotebookRunnerConfig {
  /** Project root (holds `scripts/notebook_runner.py` and `.jupyter/`). */
  projectRoot: string;
  /** Python with jupyter_client, nbformat, nbconvert. Default: `$DEMURE_JUPYTER_PYTHON` or `/usr/bin/python3`. */
  python?: string;
  /**
   * Silence (ms) on iopub after a cell's idle before the cell counts as finished, a number >= 0.
   * Default: {@linkcode DEFAULT_QUIET_MS}.
   */
  quietMs?: number;
  /**
   * Longest a single cell may run, in seconds, a number > 0. Default:
   * {@linkcode DEFAULT_CELL_TIMEOUT_SECONDS} (3600).
   */
  cellTimeoutSeconds?: number;
  /**
   * Seconds between the runner's lines about a cell still running
   * ({@linkcode ExecuteOptions.onRunning}), a number within {@linkcode PROGRESS_SECONDS_RANGE}.
   * Default: {@linkcode DEFAULT_PROGRESS_SECONDS}.
   */
  progressSeconds?: number;
  /** Extra environment variables for the kernel (e.g. `{ DEMURE_QUICK: "1" }`). */
  kernelEnv?: Record<string, string>;
  /**
   * Stops a running runner when aborted: it gets SIGTERM, which it answers like Ctrl-C (it shuts
   * its kernel down and exits with status 143), and the call resolves once it has exited. A
   * launcher passes its own SIGINT/SIGTERM on this way (scripts/run_notebooks.ts).
   */
  signal?: AbortSignal;
}

/** One executed cell, reported by the runner as soon as the cell has finished. */
export interface CellProgress {
  /** The cell's index in the notebook (markdown cells count), as in the runner's error messages. */
  index: number;
  /** Its place among the code cells the notebook runs, from 1. */
  position: number;
  /** How many code cells the notebook runs (empty ones are skipped). */
  count: number;
  /** Seconds the cell ran (one decimal, as the runner prints it). */
  seconds: number;
}

/** A cell still running, reported by the runner every `progressSeconds` while it runs. */
export interface CellRunning {
  /** The cell's index in the notebook (markdown cells count). */
  index: number;
  /** Its place among the code cells the notebook runs, from 1. */
  position: number;
  /** How many code cells the notebook runs. */
  count: number;
  /** Whole seconds it has run so far. */
  seconds: number;
  /**
   * The last line of text the cell has shown so far (its last printed line, or the text of its
   * latest display, such as the library's in-place training progress); absent when none.
   */
  lastLine?: string;
}

/** How {@linkcode executeNotebook} reports while it runs. */
export interface ExecuteOptions {
  /** Called as each cell finishes, while the notebook is still running (a progress line). */
  onCell?: (cell: CellProgress) => void;
  /** Called every `progressSeconds` while a cell runs, so that a long cell is not silent. */
  onRunning?: (cell: CellRunning) => void;
}

/** The runner's stdout line for a finished cell (scripts/notebook_runner.py prints it). */
const CELL_DONE = /^cell (\d+) done in (\d+(?:\.\d+)?) s \((\d+)\/(\d+)\)$/;

/** The runner's stdout line for a cell still running (scripts/notebook_runner.py, running_line). */
const CELL_RUNNING = /^cell (\d+) running for (\d+) s \((\d+)\/(\d+)\)(?:: (.+))?$/;

/**
 * Outcome of one runner invocation; `message` holds its output other than the progress lines (cell
 * index, traceback).
 */
export interface NotebookRunResult {
  /** True when every cell ran without error (and the HTML was written, for rendering). */
  ok: boolean;
  /** The runner's exit status. */
  exitCode: number;
  /** The runner's output: on failure the cell index and traceback. */
  message: string;
}

/** The names of {@linkcode NotebookRunnerConfig}: any other is refused (a typo ran the default). */
const NOTEBOOK_RUNNER_CONFIG_NAMES: SettingNames<NotebookRunnerConfig> = Object.freeze({
  projectRoot: true,
  python: true,
  quietMs: true,
  cellTimeoutSeconds: true,
  progressSeconds: true,
  kernelEnv: true,
  signal: true,
});

/**
 * Throws a `SettingError` for a setting of `config` that is unknown, renamed or of the wrong kind,
 * before the runner starts. It compares times with them, so a quiet time of NaN never ended a cell
 * (each one ran to its timeout, an hour by default), a timeout of NaN never stopped a hung cell, and
 * a negative timeout failed every cell at once. The old name `cellTimeoutS` is refused with its new
 * one: ignored, it would run every cell with the default hour.
 */
function checkNotebookRunnerConfig(config: NotebookRunnerConfig): void {
  checkSettingNames("NotebookRunnerConfig", config, NOTEBOOK_RUNNER_CONFIG_NAMES, {
    cellTimeoutS:
      "none: renamed cellTimeoutSeconds (a duration ends in Seconds or Ms in every setting)",
  });
  if (typeof config.projectRoot !== "string") {
    throw new SettingError(
      "NotebookRunnerConfig.projectRoot",
      config.projectRoot,
      "a folder (a string)",
    );
  }
  pythonOf(config);
  if (config.signal !== undefined && !(config.signal instanceof AbortSignal)) {
    // null ran a runner that nothing could stop.
    throw new SettingError("NotebookRunnerConfig.signal", config.signal, "an AbortSignal");
  }
  if (config.quietMs !== undefined) {
    checkNumber("NotebookRunnerConfig.quietMs", config.quietMs, { min: 0 });
  }
  if (config.cellTimeoutSeconds !== undefined) {
    checkNumber("NotebookRunnerConfig.cellTimeoutSeconds", config.cellTimeoutSeconds, { above: 0 });
  }
  if (config.progressSeconds !== undefined) {
    // 0 printed a line on every pass of the runner's loop (many a second).
    checkNumber(
      "NotebookRunnerConfig.progressSeconds",
      config.progressSeconds,
      PROGRESS_SECONDS_RANGE,
    );
  }
  const env = config.kernelEnv;
  if (env !== undefined && (env === null || typeof env !== "object" || Array.isArray(env))) {
    // null ran the kernels without the extra environment, silently.
    throw new SettingError("NotebookRunnerConfig.kernelEnv", env, "an object of variables");
  }
}

/** The Python of `config`, or the default when it is left out or undefined (null is refused). */
function pythonOf(config: NotebookRunnerConfig): string {
  if (config.python === undefined) return defaultJupyterPython();
  // null was read as "not given" (the default Python), unlike every other setting.
  if (typeof config.python !== "string") {
    throw new SettingError("NotebookRunnerConfig.python", config.python, "a string");
  }
  return config.python;
}

/** A stream being read to its end, and how to stop reading it sooner. */
interface Reading {
  /** Resolves when the stream ended or {@linkcode Reading.stop} was called. */
  done: Promise<void>;
  /** Stops reading (what was read so far stays read). */
  stop(): void;
}

/** Reads `stream` as text, passing each decoded piece to `onText` as it arrives. */
function readText(stream: ReadableStream<Uint8Array>, onText: (text: string) => void): Reading {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const done = (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      onText(decoder.decode(chunk.value, { stream: true }));
    }
    onText(decoder.decode());
  })();
  return { done, stop: () => void reader.cancel().catch(() => {}) };
}

/** Splits text into lines as it arrives: `onLine` sees each complete line, `end` the rest. */
function lineSplitter(onLine: (line: string) => void): { add(text: string): void; end(): void } {
  let pending = "";
  return {
    add(text) {
      const lines = (pending + text).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    },
    end() {
      if (pending !== "") onLine(pending);
      pending = "";
    },
  };
}

/**
 * How long to go on reading the runner's output after it exited. The pipes close only when every
 * process holding them has exited; a kernel that outlived its runner (killed with SIGKILL, so it
 * could not shut the kernel down) holds them open for ever. What is left in the pipes is read in
 * far less time.
 */
const DRAIN_AFTER_EXIT_MS = 2_000;

/** Resolves when `readings` are done, stopping them `ms` after it was called if they are not. */
async function drain(readings: Reading[], ms: number): Promise<void> {
  const done = Promise.all(readings.map((reading) => reading.done));
  if (await within(done, ms) === null) {
    for (const reading of readings) reading.stop();
  }
  await done;
}

/** The cell of the runner's progress `line`, or undefined for any other line. */
function cellProgressOf(line: string): CellProgress | undefined {
  const match = CELL_DONE.exec(line);
  if (!match) return undefined;
  const [index, seconds, position, count] = match.slice(1).map(Number);
  return { index, position, count, seconds };
}

/** The running cell of the runner's `line`, or undefined for any other line. */
function cellRunningOf(line: string): CellRunning | undefined {
  const match = CELL_RUNNING.exec(line);
  if (!match) return undefined;
  const [index, seconds, position, count] = match.slice(1, 5).map(Number);
  const running: CellRunning = { index, position, count, seconds };
  if (match[5] !== undefined) running.lastLine = match[5];
  return running;
}

async function runRunner(
  args: string[],
  config: NotebookRunnerConfig,
  listeners: ExecuteOptions = {},
): Promise<NotebookRunResult> {
  const spec = await ensureDenoKernelspec({ projectRoot: config.projectRoot });
  const inherited = Deno.env.get("JUPYTER_PATH");
  const child = new Deno.Command(pythonOf(config), {
    args: [`${config.projectRoot}/scripts/notebook_runner.py`, ...args],
    env: { JUPYTER_PATH: inherited ? `${spec.jupyterPath}:${inherited}` : spec.jupyterPath },
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    signal: config.signal,
  }).spawn();
  // stdout carries the runner's progress lines (and whatever the kernel prints there).
  const stdoutLines: string[] = [];
  const stdoutSplitter = lineSplitter((line) => {
    const cell = cellProgressOf(line);
    const running = cell === undefined ? cellRunningOf(line) : undefined;
    if (cell !== undefined) listeners.onCell?.(cell);
    else if (running !== undefined) listeners.onRunning?.(running);
    else stdoutLines.push(line);
  });
  let stderr = "";
  const readings = [
    readText(child.stdout, (text) => stdoutSplitter.add(text)),
    readText(child.stderr, (text) => stderr += text),
  ];
  const status = await child.status;
  await drain(readings, DRAIN_AFTER_EXIT_MS);
  stdoutSplitter.end();
  const stdout = stdoutLines.join("\n");
  const message = `${stdout}\n${stderr}`
    // The kernel prints this on every start; it is noise, not a diagnosis.
    .replace(/^.*"deno jupyter" is unstable and might change in the future\.\s*$/gm, "")
    .trim();
  return { ok: status.code === 0, exitCode: status.code, message };
}

/**
 * The reason Jupyter cannot run here (with what to install), or `null` when it can.
 *
 * @example
 * ```ts
 * const problem = await jupyterProblem({ projectRoot: Deno.cwd() });
 * if (problem) console.error(problem);
 * ```
 */
export async function jupyterProblem(config: NotebookRunnerConfig): Promise<string | null> {
  checkNotebookRunnerConfig(config);
  const python = pythonOf(config);
  try {
    const output = await new Deno.Command(python, {
      args: ["-c", "import jupyter_client, nbformat, nbconvert"],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (output.code === 0) return null;
    return `${python} lacks Jupyter (${
      new TextDecoder().decode(output.stderr).trim().split("\n").pop()
    }); install: apt-get install jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel`;
  } catch (error) {
    // This Deno program may not start it (its --allow-run): installing Jupyter changes nothing.
    if (error instanceof Deno.errors.NotCapable) {
      return `cannot run ${python}: outside the task's --allow-run (deno run the script with ` +
        `the task's flags plus --allow-run=${python}: docs/permissions.md)`;
    }
    return `cannot run ${python} (${(error as Error).message}); install Debian's python3 and ` +
      `jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel`;
  }
}

/**
 * Execute `sourcePath` on the Deno kernel (cwd = the notebook's folder) and write the executed
 * notebook to `outputPath`; the source is never modified. A raising cell gives `ok: false` and a
 * message naming the cell index with the traceback (partial outputs are still written).
 * `options.onCell` hears of each cell as it finishes, `options.onRunning` of a cell still running
 * (every `config.progressSeconds`); `config.signal` stops the run.
 *
 * @example
 * ```ts
 * const result = await executeNotebook("notebooks/00_smoke.ipynb", "build/notebooks/00_smoke.ipynb", {
 *   projectRoot: Deno.cwd(),
 *   kernelEnv: { DEMURE_QUICK: "1" },
 * }, { onCell: (cell) => console.log(`cell ${cell.index}: ${cell.seconds} s`) });
 * if (!result.ok) throw new Error(result.message);
 * ```
 */
export async function executeNotebook(
  sourcePath: string,
  outputPath: string,
  config: NotebookRunnerConfig,
  options: ExecuteOptions = {},
): Promise<NotebookRunResult> {
  checkNotebookRunnerConfig(config);
  checkSettingNames("ExecuteOptions", options, { onCell: true, onRunning: true });
  // null was read as no listener: the cells' progress lines went nowhere.
  checkOptionalFunction("ExecuteOptions.onCell", options.onCell, "a function of a cell");
  checkOptionalFunction("ExecuteOptions.onRunning", options.onRunning, "a function of a cell");
  const args = [
    "execute",
    sourcePath,
    outputPath,
    "--quiet-ms",
    String(config.quietMs ?? DEFAULT_QUIET_MS),
    "--cell-timeout",
    String(config.cellTimeoutSeconds ?? DEFAULT_CELL_TIMEOUT_SECONDS),
  ];
  for (const [key, value] of Object.entries(config.kernelEnv ?? {})) {
    args.push("--env", `${key}=${value}`);
  }
  args.push("--progress-seconds", String(config.progressSeconds ?? DEFAULT_PROGRESS_SECONDS));
  return await runRunner(args, config, options);
}

/** How {@linkcode renderNotebookHtml} renders a page. */
export interface RenderHtmlOptions {
  /**
   * Leave out the code: code cells' source, their `In [n]:` prompts and the outputs' `Out[n]:`
   * prompts (nbconvert's `exclude_input`, `exclude_input_prompt`, `exclude_output_prompt`), for
   * readers who do not run code. Markdown cells and every output stay. Default: false.
   */
  noInput?: boolean;
}

/**
 * Render an executed notebook to one self-contained HTML file (nbconvert's lab template with its
 * CDN require.js / MathJax / widget scripts removed; figures carry their own inlined plotly.js).
 * With `{ noInput: true }` the page has no code, only the prose and the outputs.
 *
 * @example
 * ```ts
 * const config = { projectRoot: Deno.cwd() };
 * await renderNotebookHtml("build/notebooks/00_smoke.ipynb", "build/notebooks/00_smoke.html", config);
 * await renderNotebookHtml(
 *   "build/notebooks/00_smoke.ipynb",
 *   "build/notebooks/00_smoke.report.html",
 *   config,
 *   { noInput: true },
 * );
 * ```
 */
export async function renderNotebookHtml(
  executedPath: string,
  htmlPath: string,
  config: NotebookRunnerConfig,
  options: RenderHtmlOptions = {},
): Promise<NotebookRunResult> {
  checkNotebookRunnerConfig(config);
  checkSettingNames("RenderHtmlOptions", options, { noInput: true });
  // A text "false" is truthy: it left the code out.
  if (options.noInput !== undefined) checkBoolean("RenderHtmlOptions.noInput", options.noInput);
  return await runRunner(
    ["html", executedPath, htmlPath, ...(options.noInput ? ["--no-input"] : [])],
    config,
  );
}
