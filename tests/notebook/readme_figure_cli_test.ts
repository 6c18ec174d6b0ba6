/**
 * `deno task readme-figure --from DIR` with DIR outside what the task may read: one line that says
 * how to run it, status 2. It read as "no kept model" (every read refused looks like a missing
 * file), and with the model's sidecar there it stopped with a NotCapable stack. With DIR readable
 * but holding no kept model: status 1 (nothing is drawn), and the one line says where the model
 * was looked for and how to make it (`reproduce --quick` in quick mode).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { cellModelDir, planExperiments } from "../../lib/experiments/mod.ts";
import { explainedCell, notebookPlan } from "../../lib/notebook/mod.ts";
import { FIGURE, noKeptModel, toCommit } from "../../scripts/readme_figure.ts";
import { taskPermissions } from "../../scripts/task_permissions.ts";
import { denoTask } from "../_deno_task.ts";

const root = new URL("../../", import.meta.url).pathname;

/** The readme-figure task's command line (deno.json). */
function readmeFigureTask(): string {
  return denoTask("readme-figure");
}

Deno.test("readme-figure --from a folder outside the task's reads is one line naming the flag to add", async () => {
  const outside = await Deno.makeTempDir({ prefix: "readme_figure_from_" });
  try {
    const words = readmeFigureTask().split(/\s+/);
    const output = await new Deno.Command(Deno.execPath(), {
      args: [...words.slice(words.indexOf("run")), "--from", outside],
      cwd: root,
      stdin: "null",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 2, stderr);
    assertStringIncludes(
      stderr,
      `readme_figure: --from ${outside}: outside the task's --allow-read; deno run ` +
        `scripts/readme_figure.ts with the task's flags plus --allow-read=${outside}`,
    );
    assertEquals(stderr.trim().split("\n").length, 1, stderr);
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("readme-figure --from a folder without the kept model: status 1, the paths looked at and how to make the model", async () => {
  const empty = await Deno.makeTempDir({ prefix: "readme_figure_no_model_" });
  try {
    const task = readmeFigureTask();
    // The full plan is the committed records' (its cell waits for no selection); the model is
    // looked for in the empty folder, which the run may read (docs/permissions.md).
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...taskPermissions(task, [], [empty]),
        task.split(/\s+/).at(-1)!,
        ...["--from", empty],
      ],
      cwd: root,
      stdin: "null",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 1, stderr);
    const cell = explainedCell(notebookPlan("full"));
    assertStringIncludes(
      stderr,
      `readme_figure: no kept model of ${cell.key} (looked for ${
        cellModelDir(empty, cell)
      }/best.json`,
    );
    // Full mode: the records' cell, made without --quick.
    assertStringIncludes(stderr, `(\`deno task reproduce --cell ${cell.sameAs ?? cell.key}\`)`);
    assertEquals(stderr.trim().split("\n").length, 1, stderr);
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

Deno.test("readme-figure in quick mode says to make the model with reproduce --quick", () => {
  const cell = explainedCell(planExperiments("quick"));
  const hint = noKeptModel(cell, "results/quick", "quick");
  assertStringIncludes(
    hint,
    `(\`deno task reproduce --quick --cell ${cell.sameAs ?? cell.key}\`)`,
  );
  assertStringIncludes(hint, `(looked for ${cellModelDir("results/quick", cell)}/best.json`);
});

Deno.test("readme-figure --from a file, a path through one or a missing folder is one line, status 2", async () => {
  const folder = await Deno.makeTempDir({ prefix: "readme_figure_from_file_" });
  try {
    const file = `${folder}/results.txt`;
    await Deno.writeTextFile(file, "not a results folder");
    const task = readmeFigureTask();
    const cases: [string, string][] = [
      [file, "not a folder"],
      [`${file}/full`, "cannot be read (Not a directory"],
      [`${folder}/missing`, "no such folder"],
    ];
    for (const [from, why] of cases) {
      const output = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          ...taskPermissions(task, [], [folder]),
          task.split(/\s+/).at(-1)!,
          "--from",
          from,
        ],
        cwd: root,
        stdin: "null",
      }).output();
      const stderr = new TextDecoder().decode(output.stderr);
      // Before: a NotADirectory stack from the model lookup (status 1), or "no kept model".
      assertEquals(output.code, 2, stderr);
      assertStringIncludes(stderr, `readme_figure: --from ${from}: ${why}`);
      assertEquals(stderr.trim().split("\n").length, 1, stderr);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("readme-figure's hint for a cell that reuses its selected trial's run looks for both models and names the trial's reproduce", () => {
  // The cell's own model, then its trial's (the cell keeps the trial's model under its own name).
  const trial = "quick/MovieLens/Demure-SASRec/trial=1/seed=0";
  const cell = { ...explainedCell(planExperiments("quick")), sameAs: trial };
  const hint = noKeptModel(cell, "/r", "full");
  assertStringIncludes(
    hint,
    `(looked for ${cellModelDir("/r", cell)}/best.json, ${
      cellModelDir("/r", { key: trial })
    }/best.json). `,
  );
  assertStringIncludes(hint, `(\`deno task reproduce --cell ${trial}\`)`);
});

Deno.test("readme-figure waits for the PNG where notebook 05 writes it in each mode", () => {
  const notebook = JSON.parse(
    Deno.readTextFileSync(`${root}notebooks/05_explanations.ipynb`),
  ) as { cells: { source: string[] }[] };
  const sources = notebook.cells.map((cell) => cell.source.join(""));
  // Swapped, it would wait for the quick PNG in full mode: "did not write" after a good run.
  const choice = `plan.mode === "full"\n  ? "../${FIGURE.full}"\n  : "../${FIGURE.quick}";`;
  assertEquals(sources.filter((source) => source.includes(choice)).length, 1, choice);
});

Deno.test("readme-figure's line of what to commit names the kept model and the figure from the project's root", () => {
  assertEquals(
    toCommit(`${root}results-of-record/full/models/full__MovieLens__Demure-SASRec__seed=0`),
    "to commit: git add results-of-record/full/models/full__MovieLens__Demure-SASRec__seed=0 " +
      "docs/figures/contribution_heatmap.png",
  );
});
