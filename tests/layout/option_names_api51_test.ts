/**
 * The spellings session 51 retired stay retired: `NotebookRunnerConfig.cellTimeoutS` and
 * `LabServerConfig.startTimeoutS` are `...TimeoutSeconds` (seconds are `Seconds` in every other
 * setting: `maxWallSeconds`, `waitSeconds`), and `RunPlanOptions.processes` is `workers` (as
 * `reproduce --workers N`). A caller still passing an old name is refused with the new one, not
 * run with the default (an hour a cell, a minute's wait, one process's estimate); and no file of
 * the project spells them the old way, except the refusals themselves. option_names_api50_test.ts
 * keeps a new field from taking such a spelling.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import {
  DEFAULT_CELL_TIMEOUT_SECONDS,
  DEFAULT_LAB_SERVER_CONFIG,
  executeNotebook,
  jupyterProblem,
  renderNotebookHtml,
  startLabServer,
} from "../../lib/notebook_runner/mod.ts";
import { planExperiments, runPlan } from "../../lib/experiments/mod.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { root } from "./_doc_examples.ts";

/** The error of a call refused for `setting`, whose allowed text names `renamed`. */
async function assertRenamed(call: () => Promise<unknown>, setting: string, renamed: string) {
  const error = await assertRejects(call);
  assert(error instanceof SettingError, `${error}`);
  assertEquals(error.setting, setting);
  assert(error.allowed.startsWith(`none: renamed ${renamed} `), error.message);
}

Deno.test("the old duration names of the runner and the lab are refused with their new names", async () => {
  const projectRoot = await Deno.makeTempDir({ prefix: "option_names_api51_" });
  try {
    const old = { projectRoot, cellTimeoutS: 10 } as never;
    const named = ["NotebookRunnerConfig.cellTimeoutS", "cellTimeoutSeconds"] as const;
    await assertRenamed(() => executeNotebook("a.ipynb", "b.ipynb", old), ...named);
    await assertRenamed(() => renderNotebookHtml("a.ipynb", "b.html", old), ...named);
    await assertRenamed(() => jupyterProblem(old), ...named);
    await assertRenamed(
      () => startLabServer({ projectRoot, startTimeoutS: 5 } as never),
      "LabServerConfig.startTimeoutS",
      "startTimeoutSeconds",
    );
  } finally {
    await Deno.remove(projectRoot, { recursive: true });
  }
  // The defaults keep their values under the new names.
  assertEquals(DEFAULT_CELL_TIMEOUT_SECONDS, 3600);
  assertEquals(DEFAULT_LAB_SERVER_CONFIG.startTimeoutSeconds, 60);
});

Deno.test("RunPlanOptions.processes is refused with its new name, workers, before anything is written", async () => {
  const parent = await Deno.makeTempDir({ prefix: "option_names_api51_" });
  const resultsDir = `${parent}/results`;
  try {
    const plan = { ...planExperiments("quick"), cells: [] };
    await assertRenamed(
      () => runPlan(plan, { resultsDir, processes: 2 } as never),
      "RunPlanOptions.processes",
      "workers",
    );
    assertEquals([...Deno.readDirSync(parent)], []);
    // The new name is taken.
    const lines: string[] = [];
    await runPlan(plan, { resultsDir, workers: 2, log: (line) => lines.push(line) });
    assert(lines.length > 0);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

/** Where an old spelling may stay: the refusals that name it, and this test. */
const OLD_NAME_HOMES: Readonly<Record<string, readonly string[]>> = {
  cellTimeoutS: ["lib/notebook_runner/execute_notebook.ts"],
  startTimeoutS: ["lib/notebook_runner/lab_server.ts"],
  DEFAULT_CELL_TIMEOUT_S: [],
};

Deno.test("no file of the project spells a retired setting name, but its refusal", () => {
  const listed = new Deno.Command("git", {
    args: ["ls-files", "lib", "scripts", "notebooks", "docs", "tests", "bench", "README.md"],
    cwd: root,
    stdout: "piped",
  }).outputSync();
  const files = new TextDecoder().decode(listed.stdout).split("\n").filter((path) =>
    /\.(ts|md|ipynb|py|sh)$/.test(path) && path !== "tests/layout/option_names_api51_test.ts"
  );
  assert(files.includes("lib/experiments/run_plan.ts"), "git ls-files listed the project");
  const found: string[] = [];
  for (const path of files) {
    const text = Deno.readTextFileSync(`${root}${path}`);
    for (const [name, homes] of Object.entries(OLD_NAME_HOMES)) {
      if (new RegExp(`\\b${name}\\b`).test(text) && !homes.includes(path)) {
        found.push(`${path}: ${name}`);
      }
    }
    // `processes` is a common word: only its use as the plan runner's option is retired.
    if (/\bprocesses(\?: number|: workers\b)|RunPlanOptions\.processes/.test(text)) {
      found.push(`${path}: processes (RunPlanOptions)`);
    }
  }
  assertEquals(found, []);
});
