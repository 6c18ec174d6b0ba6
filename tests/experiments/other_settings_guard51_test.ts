/**
 * runPlan refuses to replace the finished cells of other settings in its results folder unless
 * asked (`replaceOtherSettings: true`). Notebook 08 run again with `{ ranking: "history_kept" }`
 * into the same resultsDir retrained and overwrote all 11 cells stored under the default ranking
 * (session 51's first-hour check); the command line guards its folders with plan.json, a notebook
 * had no guard.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { OtherSettingsStoredError } from "../../lib/experiments/mod.ts";
import { differingSettings } from "../../lib/experiments/other_settings_guard.ts";
import { tree } from "../_tree.ts";
import { twoCells } from "./_fixture_quick_plan.ts";

await initBackend({ verbose: false });

/** Every file under `dir` with its bytes. */
function snapshot(dir: string): Map<string, string> {
  return new Map(
    tree(dir).filter((entry) => !entry.endsWith("/")).map((
      entry,
    ) => [entry, Deno.readTextFileSync(`${dir}/${entry}`)]),
  );
}

async function inTempDir(body: (resultsDir: string) => Promise<void>): Promise<void> {
  const resultsDir = Deno.makeTempDirSync({ prefix: "other_settings_guard51_" });
  try {
    await body(resultsDir);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
}

Deno.test("runPlan refuses a plan that would replace cells of other settings, writing nothing", async () => {
  await inTempDir(async (resultsDir) => {
    await runPlan(twoCells("history_excluded"), { resultsDir, log: () => {} });
    const before = snapshot(resultsDir);
    assertEquals([...before.keys()].filter((path) => path.startsWith("cells/")).length, 2);
    const lines: string[] = [];
    const error = await assertRejects(
      () => runPlan(twoCells("history_kept"), { resultsDir, log: (line) => lines.push(line) }),
      OtherSettingsStoredError,
    );
    assertStringIncludes(error.message, `${resultsDir}: 2 of the cells this plan would train`);
    assertStringIncludes(error.message, "quick/tiny/Pop/seed=0");
    assertStringIncludes(error.message, "quick/tiny/ItemKNN/seed=0");
    // What differs, as the stored file and the plan say it.
    assertStringIncludes(
      error.message,
      'training.ranking: not set stored, "history_kept" planned',
    );
    assertStringIncludes(error.message, "a resultsDir of its own");
    assertStringIncludes(error.message, "replaceOtherSettings: true");
    assertEquals((error as OtherSettingsStoredError).keys.length, 2);
    // Nothing trained (no opening line) and every stored file keeps its bytes.
    assertEquals(
      lines.some((line) => line.startsWith("quick reproduction: ")),
      false,
      lines.join("\n"),
    );
    assertEquals(snapshot(resultsDir), before);
  });
});

Deno.test("runPlan with replaceOtherSettings: true trains them again and replaces them", async () => {
  await inTempDir(async (resultsDir) => {
    await runPlan(twoCells("history_excluded"), { resultsDir, log: () => {} });
    const before = snapshot(resultsDir);
    const outcome = await runPlan(twoCells("history_kept"), {
      resultsDir,
      log: () => {},
      replaceOtherSettings: true,
    });
    assertEquals(outcome.cells.length, 2);
    assertEquals(outcome.pending, []);
    const after = snapshot(resultsDir);
    for (const [path, text] of before) {
      if (path.startsWith("cells/")) assertEquals(after.get(path) === text, false, path);
    }
    assertStringIncludes(after.get("cells/quick__tiny__Pop__seed=0.json") ?? "", "history_kept");
  });
});

Deno.test("runPlan run again with the same settings resumes: nothing refused or trained", async () => {
  await inTempDir(async (resultsDir) => {
    await runPlan(twoCells("history_kept"), { resultsDir, log: () => {} });
    const before = snapshot(resultsDir);
    const lines: string[] = [];
    const outcome = await runPlan(twoCells("history_kept"), {
      resultsDir,
      log: (line) => lines.push(line),
    });
    assertEquals(outcome.cells.length, 2);
    assertStringIncludes(lines.join("\n"), "all 2 finished");
    assertStringIncludes(lines.join("\n"), "this process ran 0 cells");
    assertEquals(snapshot(resultsDir), before);
  });
});

Deno.test("runPlan's report of a folder of other settings (runPending: false) is not refused", async () => {
  await inTempDir(async (resultsDir) => {
    await runPlan(twoCells("history_excluded"), { resultsDir, log: () => {} });
    const outcome = await runPlan(twoCells("history_kept"), {
      resultsDir,
      log: () => {},
      runPending: false,
    });
    assertEquals(outcome.cells.length, 0);
    assertEquals(outcome.pending.length, 2);
  });
});

Deno.test("one cell of other settings is named in the singular", async () => {
  await inTempDir(async (resultsDir) => {
    const plan = twoCells("history_excluded");
    await runPlan(plan, { resultsDir, log: () => {} });
    const kept = twoCells("history_kept");
    const error = await assertRejects(
      () => runPlan({ ...kept, cells: kept.cells.slice(0, 1) }, { resultsDir, log: () => {} }),
      OtherSettingsStoredError,
    );
    assertStringIncludes(error.message, `${resultsDir}: 1 cell this plan would train is stored`);
  });
});

Deno.test("differingSettings names each differing leaf, and none for equal settings", () => {
  assertEquals(differingSettings({ a: 1, b: { c: "x" } }, { a: 1, b: { c: "x" } }), []);
  assertEquals(differingSettings({ a: 1, b: { c: "x" } }, { a: 2, b: { d: [1] } }), [
    "a: 1 stored, 2 planned",
    'b.c: "x" stored, not set planned',
    "b.d: not set stored, [1] planned",
  ]);
});
