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
 * --no-input the same execution also renders <name>.report.html, the page without code.
 * A bad option or value, or a notebook path that is missing, not a file or not a notebook, is one
 * line naming it and exit status 2, before anything runs or is written.
 * Exit status 1 when any notebook fails (all are attempted; failures are listed at the end).
 */
import { parseOptions } from "./cli/options.ts";
import { resolve } from "node:path";
import {
  ensureDenoKernelspec,
  executeNotebook,
  jupyterProblem,
  listNotebooks,
  type NotebookRunnerConfig,
  renderNotebookHtml,
} from "../lib/notebook_runner/mod.ts";

const projectRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * The longest --quiet-ms: every cell waits this long after its last output, so 10 minutes is
 * already far beyond any output burst (the default is 300 ms); a larger number is a typo.
 */
const MAX_QUIET_MS = 600_000;

/** The usage of `deno task notebooks` (printed by `--help`; the one home of this text). */
export const USAGE = `Usage: deno task notebooks [options] [NOTEBOOK.ipynb ...]

Executes notebooks (default: every notebooks/*.ipynb) headless on the project's Deno kernel and
renders each to one self-contained HTML file: build/notebooks/<name>.ipynb and <name>.html (the
sources are never written). All are attempted; exit status 1 when any fails.

  --quick             DEMURE_QUICK=1 in the kernel: small/cached runs (CI)
  --no-html           execute only, render no HTML
  --no-input          also render <name>.report.html from the same execution: the page for readers,
                      without code cells or In/Out prompts (prose and outputs only)
  --out DIR           where the executed notebooks and HTML go (default build/notebooks; a
                      folder outside the task's --allow-write needs adding: docs/permissions.md)
  --quiet-ms N        iopub silence, in ms, after a cell's idle before the cell counts as
                      finished: an integer from 0 to ${MAX_QUIET_MS} (default 300)
  --install-kernel    only (re)write the kernelspec .jupyter/kernels/deno/kernel.json; takes no
                      other option and no notebook
  --check-clean       run nothing: exit status 1 if a notebook (default: every notebooks/*.ipynb)
                      carries outputs or execution counts; takes notebooks but no other option
  -h, --help          print this text
Options take their value as --out DIR or --out=DIR. A bad option, or a notebook that is missing,
not a file or not a notebook, stops before anything runs (exit status 2).`;

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
  // An option the mode does not use would be ignored silently: refuse it instead.
  const executionOnly = [
    values.quick ? "--quick" : "",
    values["no-html"] ? "--no-html" : "",
    values["no-input"] ? "--no-input" : "",
    values.out !== undefined ? "--out" : "",
    quietText !== undefined ? "--quiet-ms" : "",
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
  const outDir = values.out ?? `${projectRoot}/build/notebooks`;
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
    quietMs: quietText === undefined ? 300 : Number(quietText),
    notebooks: positionals,
  };
}

interface NotebookJson {
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

async function main(): Promise<number> {
  const options = parseArguments(Deno.args);
  if (options.installKernelOnly) {
    await installKernel();
    return 0;
  }
  const read = await readNotebooks(options.notebooks);
  if (options.checkClean) return reportClean(read);
  const notebooks = [...read.keys()];
  checkOutputsApart(notebooks, options);
  await installKernel();
  const config: NotebookRunnerConfig = {
    projectRoot,
    quietMs: options.quietMs,
    kernelEnv: options.quick ? { DEMURE_QUICK: "1" } : {},
  };
  const problem = await jupyterProblem(config);
  if (problem) {
    console.error(problem);
    return 1;
  }
  const failures: string[] = [];
  for (const source of notebooks) {
    if (!await runNotebook(source, options, config)) failures.push(source);
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

/** A usage error unless every notebook writes outputs of its own, none over its source. */
function checkOutputsApart(notebooks: string[], options: Options): void {
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
}

/**
 * Executes one notebook into `--out`, renders the pages asked for, and prints its line (or what
 * failed). False when the run or a rendering failed.
 */
async function runNotebook(
  source: string,
  options: Options,
  config: NotebookRunnerConfig,
): Promise<boolean> {
  const name = outputName(source);
  const executed = `${options.outDir}/${name}.ipynb`;
  const started = performance.now();
  const result = await executeNotebook(source, executed, config);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
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
