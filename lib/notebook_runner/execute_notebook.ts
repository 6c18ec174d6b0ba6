/**
 * Deno side of notebook execution: runs `scripts/notebook_runner.py` (Debian's Python, where
 * Jupyter lives) against the project-local Deno kernelspec. See that file for why it exists.
 */
import { ensureDenoKernelspec } from "./kernelspec.ts";

/** Configuration shared by {@linkcode executeNotebook} and {@linkcode renderNotebookHtml}. */
export interface NotebookRunnerConfig {
  /** Project root (holds `scripts/notebook_runner.py` and `.jupyter/`). */
  projectRoot: string;
  /** Python with jupyter_client, nbformat, nbconvert. Default: `$DEMURE_JUPYTER_PYTHON` or `/usr/bin/python3`. */
  python?: string;
  /** Silence (ms) on iopub after a cell's idle before the cell counts as finished. Default: 300. */
  quietMs?: number;
  /** Longest a single cell may run, in seconds. Default: 3600. */
  cellTimeoutS?: number;
  /** Extra environment variables for the kernel (e.g. `{ DEMURE_QUICK: "1" }`). */
  kernelEnv?: Record<string, string>;
}

/** Outcome of one runner invocation; `message` holds the runner's stderr (cell index, traceback). */
export interface NotebookRunResult {
  /** True when every cell ran without error (and the HTML was written, for rendering). */
  ok: boolean;
  /** The runner's exit status. */
  exitCode: number;
  /** The runner's output: on failure the cell index and traceback. */
  message: string;
}

function pythonOf(config: NotebookRunnerConfig): string {
  return config.python ?? Deno.env.get("DEMURE_JUPYTER_PYTHON") ?? "/usr/bin/python3";
}

async function runRunner(
  args: string[],
  config: NotebookRunnerConfig,
): Promise<NotebookRunResult> {
  const spec = await ensureDenoKernelspec({ projectRoot: config.projectRoot });
  const inherited = Deno.env.get("JUPYTER_PATH");
  const output = await new Deno.Command(pythonOf(config), {
    args: [`${config.projectRoot}/scripts/notebook_runner.py`, ...args],
    env: { JUPYTER_PATH: inherited ? `${spec.jupyterPath}:${inherited}` : spec.jupyterPath },
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  const message = (decoder.decode(output.stdout) + decoder.decode(output.stderr))
    // The kernel prints this on every start; it is noise, not a diagnosis.
    .replace(/^.*"deno jupyter" is unstable and might change in the future\.\s*$/gm, "")
    .trim();
  return { ok: output.code === 0, exitCode: output.code, message };
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
    return `cannot run ${python} (${(error as Error).message}); install Debian's python3 and ` +
      `jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel`;
  }
}

/**
 * Execute `sourcePath` on the Deno kernel (cwd = the notebook's folder) and write the executed
 * notebook to `outputPath`; the source is never modified. A raising cell gives `ok: false` and a
 * message naming the cell index with the traceback (partial outputs are still written).
 *
 * @example
 * ```ts
 * const result = await executeNotebook("notebooks/00_smoke.ipynb", "build/notebooks/00_smoke.ipynb", {
 *   projectRoot: Deno.cwd(),
 *   kernelEnv: { DEMURE_QUICK: "1" },
 * });
 * if (!result.ok) throw new Error(result.message);
 * ```
 */
export function executeNotebook(
  sourcePath: string,
  outputPath: string,
  config: NotebookRunnerConfig,
): Promise<NotebookRunResult> {
  const args = [
    "execute",
    sourcePath,
    outputPath,
    "--quiet-ms",
    String(config.quietMs ?? 300),
    "--cell-timeout",
    String(config.cellTimeoutS ?? 3600),
  ];
  for (const [key, value] of Object.entries(config.kernelEnv ?? {})) {
    args.push("--env", `${key}=${value}`);
  }
  return runRunner(args, config);
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
export function renderNotebookHtml(
  executedPath: string,
  htmlPath: string,
  config: NotebookRunnerConfig,
  options: RenderHtmlOptions = {},
): Promise<NotebookRunResult> {
  return runRunner(
    ["html", executedPath, htmlPath, ...(options.noInput ? ["--no-input"] : [])],
    config,
  );
}
