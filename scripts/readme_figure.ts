/**
 * The README's explanation figure from the model the reproduction trained:
 *
 *   deno task readme-figure            # full mode -> docs/figures/contribution_heatmap.png
 *   deno task readme-figure --quick    # the same path on the quick grid's model (a check; the
 *                                      # figure goes to results/quick/figures/, README untouched)
 *   deno task readme-figure --from results/elsewhere/full
 *                                      # take the model from another results folder of the same
 *                                      # plan and selection (outside the project: the task's
 *                                      # flags plus --allow-read=DIR, docs/permissions.md)
 *
 * 1. Finds the kept model of the cell notebook 05 explains (`explainedCell`: the main table's
 *    MovieLens Demure-SASRec at the first seed) under `<results>/models/` of the mode
 *    (`results-of-record/full`, `results/quick`). When the cell reuses its selected trial's run,
 *    copies that trial's model under the cell's own name: the one folder `.gitignore` lets be
 *    committed (`--from DIR`: the model is copied from DIR's `models/`). Nothing is trained:
 *    without a kept model it stops and says how to make one.
 * 2. Executes `notebooks/05_explanations.ipynb` in that mode (`build/notebooks/05_explanations.ipynb`
 *    and `.html`); the notebook draws the first user's heatmap into the PNG.
 * 3. Fails unless the PNG was rewritten; prints what to commit.
 */
import { fileURLToPath } from "node:url";
import { dirname } from "node:path";
import { parseOptions, runScript, UsageError } from "./cli/options.ts";
import { readProblem } from "./cli/read_problem.ts";
import {
  cellModelDir,
  keepCellModelUnderOwnName,
  keptCellModelDir,
  type PlannedCell,
} from "../lib/experiments/mod.ts";
import {
  explainedCell,
  notebookPlan,
  notebookResultsDir,
  notebookResultsDirOf,
} from "../lib/notebook/mod.ts";
import { taskPermissions } from "./task_permissions.ts";

const projectRoot = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
const NOTEBOOK = "notebooks/05_explanations.ipynb";

/** Where notebook 05 writes its PNG in each mode (see its last cell; exported for its test). */
export const FIGURE = {
  full: "docs/figures/contribution_heatmap.png",
  quick: "results/quick/figures/contribution_heatmap.png",
} as const;

function modifiedAt(path: string): number | undefined {
  try {
    return Deno.statSync(path).mtime?.getTime();
  } catch {
    return undefined;
  }
}

/**
 * The `--help` text. `--from`'s default is the folder the parser falls back to, the notebook's
 * results folder of each mode (`notebookResultsDir`), named here from the same function
 * (`notebookResultsDirOf`: it plans nothing, so --help prints no notebook banner).
 */
export function usage(): string {
  const [full, quick] = (["full", "quick"] as const).map((mode) =>
    notebookResultsDirOf(mode).replace(`${projectRoot}/`, "")
  );
  return `usage: deno task readme-figure [--quick] [--from DIR]
  --quick     the same path on the quick grid's model (a check: ${dirname(FIGURE.quick)}/)
  --from DIR  take the kept model from DIR's models/ (the results folder that trained it;
              default ${full}, with --quick ${quick})
  -h, --help  print this text`;
}

async function main(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    quick: { type: "boolean", default: false },
    from: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(usage());
    return 0;
  }
  const mode = values.quick ? "quick" : "full";
  const plan = notebookPlan(mode);
  const cell = explainedCell(plan);
  if (cell.waitsFor) {
    console.error(
      `readme_figure: ${cell.key} waits for the selection of ${cell.waitsFor.join(", ")}: ` +
        `its trials are not all recorded in ${notebookResultsDir(plan)}`,
    );
    return 1;
  }
  const resultsDir = notebookResultsDir(plan);
  const from = values.from ?? resultsDir;
  // A folder outside the task's reads (another clone's) read as "no kept model", then stopped on
  // the model's first file with a NotCapable stack.
  if (Deno.permissions.querySync({ name: "read", path: from }).state !== "granted") {
    throw new UsageError(
      `--from ${from}: outside the task's --allow-read; deno run scripts/readme_figure.ts with ` +
        `the task's flags plus --allow-read=${from} (docs/permissions.md)`,
    );
  }
  // A file, or a path through one, stopped with a NotADirectory stack from the model lookup; a
  // missing folder read as "no kept model" under it. (The default folder may be missing: a fresh
  // checkout's results/quick, which the "no kept model" line is for.)
  const fromProblem = values.from === undefined ? undefined : readProblem(from, "folder");
  if (fromProblem !== undefined) throw new UsageError(`--from ${from}: ${fromProblem}`);
  if (keptCellModelDir(from, cell) === undefined) {
    console.error(noKeptModel(cell, from, mode));
    return 1;
  }
  const kept = keepCellModelUnderOwnName(resultsDir, cell, from);
  console.log(
    kept.copiedFrom
      ? `model of ${cell.key}: copied from ${kept.copiedFrom} to ${kept.dir}`
      : `model of ${cell.key}: ${kept.dir}`,
  );
  if (!await drawFigure(mode)) return 1;
  console.log(`wrote ${FIGURE[mode]} from ${kept.dir}`);
  if (mode === "full") console.log(toCommit(kept.dir));
  return 0;
}

/**
 * Where the kept model was looked for, and the three ways to make one (exported for its test: a
 * quick-mode run reaches it only on a checkout whose results/quick holds the cell's selection).
 */
export function noKeptModel(cell: PlannedCell, from: string, mode: "quick" | "full"): string {
  const looked = [cell.key, ...(cell.sameAs ? [cell.sameAs] : [])]
    .map((key) => `${cellModelDir(from, { key })}/best.json`);
  return `readme_figure: no kept model of ${cell.key} (looked for ${looked.join(", ")}). The ` +
    `reproduction keeps it when the cell finishes (\`deno task reproduce${
      mode === "quick" ? " --quick" : ""
    } --cell ${cell.sameAs ?? cell.key}\`); a cell that finished before models were kept: ` +
    "run the notebook once with DEMURE_RERUN=1 in the kernel (it trains the model with the " +
    "cell's settings and keeps it), or name the results folder of a run that kept it " +
    "(--from DIR)";
}

/**
 * What to commit after a full-mode run: the kept model's folder `keptDir` (absolute, under the
 * project) and the figure, as paths from the project's root (exported for its test).
 */
export function toCommit(keptDir: string): string {
  return `to commit: git add ${keptDir.slice(projectRoot.length + 1)} ${FIGURE.full}`;
}

/**
 * Executes the explanations notebook in `mode`, which draws the figure; false (with the reason
 * printed) when the notebook failed or did not rewrite the figure.
 */
async function drawFigure(mode: "quick" | "full"): Promise<boolean> {
  const figure = `${projectRoot}/${FIGURE[mode]}`;
  const before = modifiedAt(figure);
  // The notebooks task's permissions (deno.json), as `deno task notebooks` would give it.
  const tasks = (JSON.parse(Deno.readTextFileSync(`${projectRoot}/deno.json`)) as {
    tasks: Record<string, string>;
  }).tasks;
  const run = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...taskPermissions(tasks.notebooks, []),
      `${projectRoot}/scripts/run_notebooks.ts`,
      `${projectRoot}/${NOTEBOOK}`,
    ].concat(mode === "quick" ? ["--quick"] : []),
    cwd: projectRoot,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!run.success) {
    console.error(`readme_figure: ${NOTEBOOK} failed (see above)`);
    return false;
  }
  const after = modifiedAt(figure);
  if (after === undefined || after === before) {
    console.error(
      `readme_figure: ${NOTEBOOK} ran but did not write ${FIGURE[mode]} (is Chromium installed? ` +
        "see build/notebooks/05_explanations.html)",
    );
    return false;
  }
  return true;
}

if (import.meta.main) await runScript("readme_figure", () => main(Deno.args));
