/**
 * Execute notebooks headless on the Deno kernel and render each to a self-contained HTML file.
 *
 *   deno run -A scripts/run_notebooks.ts                 # every notebooks/*.ipynb
 *   deno run -A scripts/run_notebooks.ts --quick         # DEMURE_QUICK=1 in the kernel (CI)
 *   deno run -A scripts/run_notebooks.ts notebooks/00_smoke.ipynb --no-html
 *   deno run -A scripts/run_notebooks.ts --install-kernel   # only (re)write .jupyter/kernels/deno
 *   deno run -A scripts/run_notebooks.ts --check-clean      # fail if a source notebook has outputs
 *
 * Outputs go to build/notebooks/<name>.ipynb and <name>.html (never over the sources).
 * Options: --out DIR, --quiet-ms N (iopub silence after idle, default 300).
 * Exit status 1 when any notebook fails (all are attempted; failures are listed at the end).
 */
import {
  ensureDenoKernelspec,
  executeNotebook,
  jupyterProblem,
  listNotebooks,
  type NotebookRunnerConfig,
  renderNotebookHtml,
} from "../lib/notebook_runner/mod.ts";

interface Options {
  quick: boolean;
  html: boolean;
  installKernelOnly: boolean;
  checkClean: boolean;
  outDir: string;
  quietMs: number;
  notebooks: string[];
}

const projectRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

function parseOptions(args: string[]): Options {
  const options: Options = {
    quick: false,
    html: true,
    installKernelOnly: false,
    checkClean: false,
    outDir: `${projectRoot}/build/notebooks`,
    quietMs: 300,
    notebooks: [],
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const valueOf = (): string => {
      const value = args[++index];
      if (value === undefined) throw new Error(`run_notebooks: ${arg} needs a value`);
      return value;
    };
    if (arg === "--quick") options.quick = true;
    else if (arg === "--no-html") options.html = false;
    else if (arg === "--install-kernel") options.installKernelOnly = true;
    else if (arg === "--check-clean") options.checkClean = true;
    else if (arg === "--out") options.outDir = valueOf();
    else if (arg === "--quiet-ms") options.quietMs = Number(valueOf());
    else if (arg.startsWith("--")) throw new Error(`run_notebooks: unknown option ${arg}`);
    else options.notebooks.push(arg);
  }
  if (!Number.isFinite(options.quietMs) || options.quietMs < 0) {
    throw new Error(`run_notebooks: --quiet-ms must be a non-negative number`);
  }
  return options;
}

interface NotebookJson {
  cells: Array<{ cell_type: string; outputs?: unknown[]; execution_count?: number | null }>;
}

/** Names the cells of committed notebooks that carry outputs (they must be committed clean). */
async function dirtyCells(path: string): Promise<number[]> {
  const notebook = JSON.parse(await Deno.readTextFile(path)) as NotebookJson;
  return notebook.cells.flatMap((cell, index) =>
    cell.cell_type === "code" &&
      ((cell.outputs?.length ?? 0) > 0 ||
        (cell.execution_count !== null && cell.execution_count !== undefined))
      ? [index]
      : []
  );
}

async function main(): Promise<number> {
  const options = parseOptions(Deno.args);
  const notebooks = options.notebooks.length > 0
    ? options.notebooks
    : await listNotebooks(`${projectRoot}/notebooks`);
  if (options.checkClean) {
    let dirty = 0;
    for (const path of notebooks) {
      const cells = await dirtyCells(path);
      if (cells.length > 0) {
        dirty += 1;
        console.error(`${path}: cells ${cells.join(", ")} carry outputs; clear them before commit`);
      }
    }
    console.log(`${notebooks.length - dirty} clean, ${dirty} with outputs`);
    return dirty === 0 ? 0 : 1;
  }
  const spec = await ensureDenoKernelspec({ projectRoot });
  console.log(`kernelspec ${spec.kernelJsonPath} (${spec.changed ? "written" : "up to date"})`);
  if (options.installKernelOnly) return 0;
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
    const name = source.slice(source.lastIndexOf("/") + 1).replace(/\.ipynb$/, "");
    const executed = `${options.outDir}/${name}.ipynb`;
    const started = performance.now();
    const result = await executeNotebook(source, executed, config);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (!result.ok) {
      console.error(`FAILED ${source} after ${seconds} s\n${result.message}`);
      failures.push(source);
      continue;
    }
    let line = `ok ${name}: executed in ${seconds} s -> ${executed}`;
    if (options.html) {
      const html = `${options.outDir}/${name}.html`;
      const rendered = await renderNotebookHtml(executed, html, config);
      if (!rendered.ok) {
        console.error(`FAILED rendering ${executed}\n${rendered.message}`);
        failures.push(source);
        continue;
      }
      line += `, ${html}`;
    }
    console.log(line);
    // A successful run can still have retried the session (Invalid Signature): say so.
    if (result.message) console.log(result.message.replace(/^/gm, "  note: "));
  }
  console.log(`${notebooks.length - failures.length} notebooks ok, ${failures.length} failed`);
  for (const failure of failures) console.error(`  failed: ${failure}`);
  return failures.length === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
