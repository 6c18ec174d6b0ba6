/**
 * Execute notebooks headless on the Deno kernel and render each to a self-contained HTML file.
 *
 *   deno task notebooks                           # every notebooks/*.ipynb
 *   deno task notebooks --quick                   # DEMURE_QUICK=1 in the kernel (CI)
 *   deno task notebooks --no-input                # also <name>.report.html, a page without code
 *   deno task notebooks notebooks/00_smoke.ipynb --no-html
 *   deno task notebooks --install-kernel          # only (re)write .jupyter/kernels/deno
 *   deno task notebooks --check-clean             # fail if a source notebook has outputs
 *   deno task notebooks --help                    # every option ({@linkcode USAGE})
 *
 * Outputs go to build/notebooks/<name>.ipynb and <name>.html (never over the sources); with
 * --no-input the same execution also renders <name>.report.html, the page without code. What an
 * earlier run left for a notebook there is removed before it runs, so no page is older than its
 * executed copy (a failed notebook leaves its partial .ipynb and no page).
 * A bad option or value, a notebook path that is missing, not a file or not an nbformat 4
 * notebook, or an output folder that cannot be written, is one line naming it and exit status 2,
 * before anything runs.
 * Prints "running <name>" before each notebook and a line per cell as it finishes; while a cell
 * runs, a line every --progress-seconds (default 60) with the last line of text it showed.
 * Exit status 1 when any notebook fails (all are attempted; failures are listed at the end).
 * SIGINT (Ctrl-C) or SIGTERM is passed on to the runner, which shuts its kernel down; the run then
 * stops with status 130 or 143.
 */
import { fileURLToPath } from "node:url";
import { parseOptions } from "./cli/options.ts";
import { resolve } from "node:path";
import {
  type CellProgress,
  type CellRunning,
  DEFAULT_PROGRESS_SECONDS,
  DEFAULT_QUIET_MS,
  ensureDenoKernelspec,
  executeNotebook,
  jupyterProblem,
  kernelFlagsProblem,
  listNotebooks,
  type NotebookRunnerConfig,
  PROGRESS_SECONDS_RANGE,
  renderNotebookHtml,
} from "../lib/notebook_runner/mod.ts";
import { STOP_SIGNAL_STATUS } from "../lib/util/mod.ts";
import { makeFolders } from "../lib/data/mod.ts";

const projectRoot = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

/**
 * The longest --quiet-ms: every cell waits this long after its last output, so 10 minutes is
 * already far beyond any output burst (the default is {@linkcode DEFAULT_QUIET_MS}); a larger
 * number is a typo.
 */
const MAX_QUIET_MS = 600_000;

/** Where the executed notebooks and pages go without `--out` (under the project folder). */
const DEFAULT_OUT = "build/notebooks";

/** The usage of `deno task notebooks` (printed by `--help`; the one home of this text). */
export const USAGE = `Usage: deno task notebooks [options] [NOTEBOOK.ipynb ...]

Executes notebooks (default: every notebooks/*.ipynb) headless on the project's Deno kernel and
renders each to one self-contained HTML file: build/notebooks/<name>.ipynb and <name>.html (the
sources are never written). All are attempted; exit status 1 when any fails.

  --quick             DEMURE_QUICK=1 in the kernel: small/cached runs (CI)
  --no-html           execute only, render no HTML
  --no-input          also render <name>.report.html from the same execution: the page for readers,
                      without code cells or In/Out prompts (prose and outputs only)
  --out DIR           where the executed notebooks and HTML go (default ${DEFAULT_OUT}; made if
                      missing and checked writable before anything runs; a folder outside the
                      task's --allow-write needs adding: docs/permissions.md)
  --quiet-ms N        iopub silence, in ms, after a cell's idle before the cell counts as
                      finished: an integer from 0 to ${MAX_QUIET_MS} (default ${DEFAULT_QUIET_MS})
  --progress-seconds N
                      while a cell runs, a line every N seconds (its time so far and the last
                      line it showed): an integer from ${PROGRESS_SECONDS_RANGE.min} to ${PROGRESS_SECONDS_RANGE.max} (default ${DEFAULT_PROGRESS_SECONDS})
  --install-kernel    only (re)write the kernelspec .jupyter/kernels/deno/kernel.json; takes no
                      other option and no notebook
  --check-clean       run nothing: exit status 1 if a notebook (default: every notebooks/*.ipynb)
                      carries outputs or execution counts; takes notebooks but no other option
  -h, --help          print this text
Options take their value as --out DIR or --out=DIR. A bad option, a notebook that is missing, not
a file or not an nbformat 4 notebook, or an --out that cannot be written, stops before anything
runs (exit status 2). A line says when each notebook starts and each cell finishes, and one every
--progress-seconds while a cell runs; Ctrl-C or SIGTERM stops the run and its kernel (exit status
130 or 143).`;

/** Stops with one line naming the bad option or value and status 2 (no stack: not a bug). */
function usageError(message: string): never {
  console.error(`run_notebooks: ${message}; see --help`);
  Deno.exit(2);
}

interface Options {
  quick: boolean;
  html: boolean;
  /** Also render `<name>.report.html`, without code (`--no-input`). */
  report: boolean;
  installKernelOnly: boolean;
  checkClean: boolean;
  outDir: string;
  quietMs: number;
  progressSeconds: number;
  notebooks: string[];
}

/** The options of {@linkcode USAGE}; `--help` prints it and exits, a bad option stops. */
function parseArguments(args: string[]): Options {
  let parsed;
  try {
    parsed = parseOptions(args, {
      quick: { type: "boolean", default: false },
      "no-html": { type: "boolean", default: false },
      "no-input": { type: "boolean", default: false },
      "install-kernel": { type: "boolean", default: false },
      "check-clean": { type: "boolean", default: false },
      out: { type: "string" },
      "quiet-ms": { type: "string" },
      "progress-seconds": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    }, { allowPositionals: true });
  } catch (error) {
    usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  // Digits only: Number() would take "" as 0 and "1e308" or "0x10" as numbers.
  const quietText = values["quiet-ms"];
  if (
    quietText !== undefined && (!/^[0-9]+$/.test(quietText) || Number(quietText) > MAX_QUIET_MS)
  ) {
    usageError(
      `--quiet-ms ${
        JSON.stringify(quietText)
      }: must be an integer from 0 to ${MAX_QUIET_MS} (milliseconds)`,
    );
  }
  const progressText = values["progress-seconds"];
  const progress = Number(progressText);
  if (
    progressText !== undefined &&
    (!/^[0-9]+$/.test(progressText) || progress < PROGRESS_SECONDS_RANGE.min ||
      progress > PROGRESS_SECONDS_RANGE.max)
  ) {
    usageError(
      `--progress-seconds ${JSON.stringify(progressText)}: must be an integer from ` +
        `${PROGRESS_SECONDS_RANGE.min} to ${PROGRESS_SECONDS_RANGE.max} (seconds)`,
    );
  }
  // An option the mode does not use would be ignored silently: refuse it instead.
  const executionOnly = [
    values.quick ? "--quick" : "",
    values["no-html"] ? "--no-html" : "",
    values["no-input"] ? "--no-input" : "",
    values.out !== undefined ? "--out" : "",
    quietText !== undefined ? "--quiet-ms" : "",
    progressText !== undefined ? "--progress-seconds" : "",
  ].filter((name) => name !== "");
  if (values["install-kernel"]) {
    const unused = [
      ...executionOnly,
      values["check-clean"] ? "--check-clean" : "",
      positionals.length > 0 ? `notebook (${positionals[0]})` : "",
    ].filter((name) => name !== "");
    if (unused.length > 0) usageError(`--install-kernel takes no ${unused.join(", ")}`);
  }
  if (values["check-clean"] && executionOnly.length > 0) {
    usageError(`--check-clean takes no ${executionOnly.join(", ")} (it runs nothing)`);
  }
  if (values["no-html"] && values["no-input"]) {
    usageError("--no-input renders a page and --no-html renders none: give one of them");
  }
  const outDir = values.out ?? `${projectRoot}/${DEFAULT_OUT}`;
  if (values.out !== undefined) {
    if (Deno.permissions.querySync({ name: "write", path: outDir }).state !== "granted") {
      usageError(
        `--out ${values.out}: outside the task's --allow-write (deno.json: ./build/notebooks; ` +
          "add the folder: docs/permissions.md)",
      );
    }
  }
  return {
    quick: values.quick,
    html: !values["no-html"],
    report: values["no-input"],
    installKernelOnly: values["install-kernel"],
    checkClean: values["check-clean"],
    outDir,
    quietMs: quietText === undefined ? DEFAULT_QUIET_MS : Number(quietText),
    progressSeconds: progressText === undefined ? DEFAULT_PROGRESS_SECONDS : progress,
    notebooks: positionals,
  };
}

interface NotebookJson {
  nbformat: 4;
  cells: Array<{ cell_type: string; outputs?: unknown[]; execution_count?: number | null }>;
}

/** The notebook at `path`, or why it is not one (missing, not a file, not notebook JSON). */
function readNotebook(path: string): NotebookJson | string {
  if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") {
    return "outside the task's --allow-read (add its folder: docs/permissions.md)";
  }
  let text: string;
  try {
    if (!Deno.statSync(path).isFile) return "not a file";
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "no such file";
    return `cannot be read (${(error as Error).message})`;
  }
  let notebook: unknown;
  try {
    notebook = JSON.parse(text);
  } catch (error) {
    return `not a notebook (not JSON: ${(error as Error).message})`;
  }
  const cells = (notebook as { cells?: unknown } | null)?.cells;
  const isCell = (cell: unknown) =>
    typeof cell === "object" && cell !== null &&
    typeof (cell as { cell_type?: unknown }).cell_type === "string";
  if (!Array.isArray(cells) || !cells.every(isCell)) {
    return "not a notebook (no list of cells with a cell_type each)";
  }
  // Without it nbformat reads the file as version 1 and drops every cell's code: nothing would run.
  const version = (notebook as { nbformat?: unknown }).nbformat;
  if (version !== 4) {
    const found = version === undefined ? "no nbformat" : `nbformat ${JSON.stringify(version)}`;
    return `not a notebook (nbformat 4 expected, found ${found})`;
  }
  return notebook as NotebookJson;
}

/** Names the cells of committed notebooks that carry outputs (they must be committed clean). */
function dirtyCells(notebook: NotebookJson): number[] {
  return notebook.cells.flatMap((cell, index) =>
    cell.cell_type === "code" &&
      ((cell.outputs?.length ?? 0) > 0 ||
        (cell.execution_count !== null && cell.execution_count !== undefined))
      ? [index]
      : []
  );
}

/** The file name of `source` without `.ipynb`: the name of its outputs. */
function outputName(source: string): string {
  return source.slice(source.lastIndexOf("/") + 1).replace(/\.ipynb$/, "");
}

/** The files a run writes for the notebook `name`: executed copy, page, page without code. */
function outputsOf(name: string, options: Options): string[] {
  const base = `${options.outDir}/${name}`;
  return [
    `${base}.ipynb`,
    ...(options.html ? [`${base}.html`] : []),
    ...(options.report ? [`${base}.report.html`] : []),
  ];
}

/** Every file a run can leave for the notebook `name`, whatever its options. */
function anyOutputsOf(name: string, outDir: string): string[] {
  return [`${outDir}/${name}.ipynb`, `${outDir}/${name}.html`, `${outDir}/${name}.report.html`];
}

/**
 * Why the folder `dir` cannot take the run's files (a probe file is written and removed, and so
 * are the folders made for it: a run refused after the probe, a bad kernel flag or no Jupyter,
 * left an empty `--out` behind; {@linkcode main} makes it when the first notebook runs).
 */
function unwritableReason(dir: string): string | undefined {
  const probe = `${dir}/.run_notebooks.${Deno.pid}.probe`;
  let removeMade = () => {};
  try {
    removeMade = makeFolders(dir);
    Deno.writeTextFileSync(probe, "");
    Deno.removeSync(probe);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    removeMade();
  }
}

/**
 * Each notebook of `paths` (default: every notebooks/*.ipynb), read and checked before anything
 * runs. One that is missing, not a file, not a notebook or named twice stops here with one line
 * naming it: exit status 2 when it was named on the command line, 1 for a notebook of the folder.
 */
async function readNotebooks(paths: string[]): Promise<Map<string, NotebookJson>> {
  const given = paths.length > 0;
  const notebooks = new Map<string, NotebookJson>();
  for (const path of given ? paths : await listNotebooks(`${projectRoot}/notebooks`)) {
    // A Map keeps one of a path named twice: say so rather than drop it silently.
    const notebook = notebooks.has(path) ? "named twice" : readNotebook(path);
    if (typeof notebook === "string") {
      console.error(`run_notebooks: ${path}: ${notebook}`);
      Deno.exit(given ? 2 : 1);
    }
    notebooks.set(path, notebook);
  }
  return notebooks;
}

/** The signals that stop a run, and the exit status each gives (128 + the signal's number). */
const STOP_STATUS = { SIGINT: STOP_SIGNAL_STATUS.SIGINT, SIGTERM: STOP_SIGNAL_STATUS.SIGTERM };
type StopSignal = keyof typeof STOP_STATUS;

/** A run's stop: SIGINT and SIGTERM abort `signal` (and no longer end the process at once). */
interface RunStop {
  /** Aborted by the first SIGINT or SIGTERM; the runner hears of it through its config. */
  signal: AbortSignal;
  /** The signal that stopped the run, if one did. */
  stoppedBy(): StopSignal | undefined;
}

/** Listens for SIGINT/SIGTERM, so that a stop reaches the runner, which shuts its kernel down. */
function listenForStop(): RunStop {
  const controller = new AbortController();
  let first: StopSignal | undefined;
  for (const signal of Object.keys(STOP_STATUS) as StopSignal[]) {
    Deno.addSignalListener(signal, () => {
      first ??= signal;
      controller.abort();
    });
  }
  return { signal: controller.signal, stoppedBy: () => first };
}

/**
 * The line of a run that `signal` stopped at the notebook `source`, `left` later notebooks not run
 * (exported for tests/notebook_runner/run_notebooks_gaps_test.ts).
 */
export function stoppedLine(signal: StopSignal, source: string, left: number): string {
  return `run_notebooks: stopped by ${signal} at ${source}` +
    (left > 0 ? `; ${left} later notebooks not run` : "");
}

/**
 * The run, its exit status returned (exported for tests/notebook_runner/_listed_missing_notebook.ts,
 * which runs it with a listing of notebooks/ that names a notebook not there).
 */
export async function main(): Promise<number> {
  const options = parseArguments(Deno.args);
  if (options.installKernelOnly) {
    await installKernel();
    return 0;
  }
  const read = await readNotebooks(options.notebooks);
  if (options.checkClean) return reportClean(read);
  const notebooks = [...read.keys()];
  const writers = outputWriters(notebooks, options);
  // Found now rather than when the first notebook's outputs are written, after it ran.
  const unwritable = unwritableReason(options.outDir);
  if (unwritable !== undefined) usageError(`--out ${options.outDir}: not writable (${unwritable})`);
  const kernelEnv: Record<string, string> = options.quick ? { DEMURE_QUICK: "1" } : {};
  // Before any kernel starts: each notebook's first cell would fail on it, one after another.
  const badFlag = kernelFlagsProblem(kernelEnv);
  if (badFlag !== undefined) {
    console.error(`run_notebooks: ${badFlag}`);
    return 2;
  }
  await installKernel();
  const stop = listenForStop();
  const config: NotebookRunnerConfig = {
    projectRoot,
    quietMs: options.quietMs,
    progressSeconds: options.progressSeconds,
    kernelEnv,
    signal: stop.signal,
  };
  const problem = await jupyterProblem(config);
  if (problem) {
    console.error(problem);
    return 1;
  }
  // Made only now, when a notebook runs: the probe above removed what it made.
  Deno.mkdirSync(options.outDir, { recursive: true });
  const failures: string[] = [];
  for (const [position, source] of notebooks.entries()) {
    if (stop.stoppedBy() === undefined) {
      console.log(`running ${outputName(source)} (${position + 1}/${notebooks.length}: ${source})`);
      const ok = await runNotebook(source, options, config, writers);
      if (!ok && stop.stoppedBy() === undefined) failures.push(source);
    }
    const stoppedBy = stop.stoppedBy();
    if (stoppedBy !== undefined) {
      console.error(stoppedLine(stoppedBy, source, notebooks.length - position - 1));
      return STOP_STATUS[stoppedBy];
    }
  }
  console.log(`${notebooks.length - failures.length} notebooks ok, ${failures.length} failed`);
  for (const failure of failures) console.error(`  failed: ${failure}`);
  return failures.length === 0 ? 0 : 1;
}

/** Registers the project's Deno kernel (`.jupyter/`), and says where and whether it changed. */
async function installKernel(): Promise<void> {
  const spec = await ensureDenoKernelspec({ projectRoot });
  console.log(`kernelspec ${spec.kernelJsonPath} (${spec.changed ? "written" : "up to date"})`);
}

/** `--check-clean`: names each notebook whose cells carry outputs; 0 when none does. */
function reportClean(read: Map<string, NotebookJson>): number {
  let dirty = 0;
  for (const [path, notebook] of read) {
    const cells = dirtyCells(notebook);
    if (cells.length > 0) {
      dirty += 1;
      console.error(`${path}: cells ${cells.join(", ")} carry outputs; clear them before commit`);
    }
  }
  console.log(`${read.size - dirty} clean, ${dirty} with outputs`);
  return dirty === 0 ? 0 : 1;
}

/**
 * Which notebook writes each output of the run: a usage error unless every notebook writes outputs
 * of its own, none over its source.
 */
function outputWriters(notebooks: string[], options: Options): Map<string, string> {
  // Two notebooks of one name would write the same outputs (with --no-input, so would a.ipynb's
  // report and a.report.ipynb's page); the sources are never written.
  const writerOf = new Map<string, string>();
  for (const source of notebooks) {
    const name = outputName(source);
    const executed = `${options.outDir}/${name}.ipynb`;
    if (resolve(executed) === resolve(source)) {
      usageError(`--out ${options.outDir}: ${executed} would overwrite its source`);
    }
    for (const output of outputsOf(name, options)) {
      const other = writerOf.get(output);
      if (other !== undefined) usageError(`${other} and ${source} would both write ${output}`);
      writerOf.set(output, source);
    }
  }
  return writerOf;
}

/**
 * Removes what an earlier run left for the notebook `source` in `--out` (its executed copy and
 * both pages, whatever this run renders), so that no page outlives a failed run or is older than
 * its executed copy. A file another notebook of this run writes is not the notebook's: it stays.
 * The reason, when one could not be removed (exported for
 * tests/notebook_runner/run_notebooks_gaps_test.ts).
 */
export function removeEarlierOutputs(
  source: string,
  outDir: string,
  writers: Map<string, string>,
): string | undefined {
  for (const path of anyOutputsOf(outputName(source), outDir)) {
    if ((writers.get(path) ?? source) !== source) continue;
    try {
      Deno.removeSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        return `cannot remove the earlier ${path} (${(error as Error).message})`;
      }
    }
  }
  return undefined;
}

/** The progress line of one finished cell. */
function cellLine(cell: CellProgress): string {
  const seconds = cell.seconds.toFixed(1);
  return `  cell ${cell.index} done in ${seconds} s (${cell.position}/${cell.count})`;
}

/**
 * The progress line of a cell still running: `name`'s cell, its place, its seconds so far and the
 * last line of text it showed (exported for tests/notebook_runner/running_line_nr52_test.ts).
 */
export function runningLine(name: string, cell: CellRunning): string {
  const line = `  ${name}: cell ${cell.index} running for ${cell.seconds} s ` +
    `(${cell.position}/${cell.count})`;
  return cell.lastLine === undefined ? line : `${line}: ${cell.lastLine}`;
}

/**
 * Executes one notebook into `--out`, renders the pages asked for, and prints its line (or what
 * failed); a line per cell as it finishes and every --progress-seconds while one runs. False when the run or a rendering failed, or the run
 * was stopped (`config.signal`).
 */
async function runNotebook(
  source: string,
  options: Options,
  config: NotebookRunnerConfig,
  writers: Map<string, string>,
): Promise<boolean> {
  const name = outputName(source);
  const executed = `${options.outDir}/${name}.ipynb`;
  const notRemoved = removeEarlierOutputs(source, options.outDir, writers);
  if (notRemoved !== undefined) {
    console.error(`FAILED ${source}: ${notRemoved}`);
    return false;
  }
  const started = performance.now();
  const result = await executeNotebook(source, executed, config, {
    onCell: (cell) => console.log(cellLine(cell)),
    onRunning: (cell) => console.log(runningLine(name, cell)),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (config.signal?.aborted) {
    // The runner's own line: that it stopped and shut its kernel down.
    if (result.message) console.error(result.message);
    return false;
  }
  if (!result.ok) {
    console.error(`FAILED ${source} after ${seconds} s\n${result.message}`);
    return false;
  }
  let line = `ok ${name}: executed in ${seconds} s -> ${executed}`;
  const pages = [
    ...(options.html ? [{ path: `${options.outDir}/${name}.html`, noInput: false }] : []),
    ...(options.report ? [{ path: `${options.outDir}/${name}.report.html`, noInput: true }] : []),
  ];
  for (const page of pages) {
    const rendered = await renderNotebookHtml(executed, page.path, config, {
      noInput: page.noInput,
    });
    if (config.signal?.aborted) return false;
    if (!rendered.ok) {
      const what = page.noInput ? `${executed} without code` : executed;
      console.error(`FAILED rendering ${what}\n${rendered.message}`);
      return false;
    }
    line += `, ${page.path}`;
  }
  console.log(line);
  // A successful run can still have retried the session (Invalid Signature): say so.
  if (result.message) console.log(result.message.replace(/^/gm, "  note: "));
  return true;
}

if (import.meta.main) Deno.exit(await main());
