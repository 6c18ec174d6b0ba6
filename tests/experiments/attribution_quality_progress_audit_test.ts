/**
 * The attribution a scored cell runs after its training (attributionQuality: up to a minute of
 * occlusion on the full synthetic cells of record) shows its progress: one report per chunk of
 * users and method, with the method, its place, users done of all and its time; the runners log
 * its line (runPlan's log is what a notebook's cellsProgress shows live). Before, nothing was
 * printed between a cell's last epoch line and its result line. The scores stay the same.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  attributionLine,
  type AttributionProgress,
  attributionQuality,
} from "../../lib/experiments/mod.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { runPlannedCell } from "../../lib/experiments/run_plan.ts";
import { runOneCell } from "../../lib/experiments/cell_command.ts";
import { runCell } from "../../lib/experiments/run_cell.ts";
import { SYSTEMS } from "../../lib/experiments/systems.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { linesOfStandInCell } from "./_stand_in_claimed_cell.ts";
import { SMALL_SYNTHETIC, smallScoredCell } from "./_small_scored_cell.ts";

await initBackend({ verbose: false });

Deno.test("attributionQuality reports each chunk of each method: method n of N, users done of all, time; the scores unchanged", async () => {
  const { split, truth } = await prepareDataset({ kind: "synthetic", config: SMALL_SYNTHETIC });
  assert(truth !== undefined);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: split.maxLength });
  try {
    const methods = ["gradient_x_input", "occlusion"] as const;
    const heard: AttributionProgress[] = [];
    // 30 users in chunks of 8: four chunks, 32 users (the last chunk is whole).
    const rows = await attributionQuality(
      model,
      split,
      truth,
      methods,
      30,
      8,
      (p) => heard.push(p),
    );
    assertEquals(
      heard.map((p) => [p.method, p.methodIndex, p.methods, p.usersDone, p.users]),
      methods.flatMap((method, index) =>
        [8, 16, 24, 32].map((done) => [method, index + 1, 2, done, 32])
      ),
    );
    for (const [index, method] of methods.entries()) {
      const times = heard.filter((p) => p.method === method).map((p) => p.seconds);
      assert(times.every((s, i) => s >= 0 && (i === 0 || s >= times[i - 1])), `${times}`);
      // The method's last report is within its recorded time.
      assert(times[times.length - 1] <= rows[index].seconds);
    }
    const silent = await attributionQuality(model, split, truth, methods, 30, 8);
    assertEquals(
      rows.map(({ seconds: _, ...scores }) => scores),
      silent.map(({ seconds: _, ...scores }) => scores),
    );
  } finally {
    model.dispose();
  }
});

Deno.test("attributionLine: method and its place, users done of all, time so far and time left", () => {
  const progress = {
    method: "occlusion",
    methodIndex: 5,
    methods: 5,
    usersDone: 128,
    users: 256,
    seconds: 20.04,
  } as const;
  assertEquals(
    attributionLine(progress),
    "    attribution occlusion (method 5/5): 128/256 users, 20.0 s, about 21 s of it left",
  );
  // Time left extrapolates from the users done, rounded up: 3 of 4 chunks in 10 s leave 3.33 s.
  assertStringIncludes(
    attributionLine({ ...progress, usersDone: 96, users: 128, seconds: 10 }),
    "96/128 users, 10.0 s, about 4 s of it left",
  );
  // The last chunk has no time left to tell.
  assertEquals(
    attributionLine({ ...progress, usersDone: 256, seconds: 40 }),
    "    attribution occlusion (method 5/5): 256/256 users, 40.0 s",
  );
});

Deno.test("runCell: a scored cell's attribution goes to onAttribution, and by default prints one line per chunk and method", async () => {
  const data = await prepareDataset({ kind: "synthetic", config: SMALL_SYNTHETIC });
  const settings = {
    seed: 0,
    model: { dim: 8 },
    training: { maxEpochs: 1, batchSize: 16, maxBatchesPerEpoch: 1 },
    scoreAttribution: true,
    onProgress: () => {},
  };
  const heard: AttributionProgress[] = [];
  const result = await runCell(data, SYSTEMS["SASRec-MM"], "SASRec-MM", {
    ...settings,
    onAttribution: (p) => heard.push(p),
  });
  const methods = result.attribution!.map((row) => row.method);
  // 40 users in one chunk of 128: one report per method, in the recorded rows' order.
  assertEquals(
    heard.map((p) => [p.method, p.methodIndex, p.methods, p.usersDone, p.users]),
    methods.map((method, index) => [method, index + 1, methods.length, 40, 40]),
  );
  const printed: string[] = [];
  const log = console.log;
  console.log = (line: string) => printed.push(line);
  try {
    await runCell(data, SYSTEMS["SASRec-MM"], "SASRec-MM", settings);
  } finally {
    console.log = log;
  }
  const lines = printed.filter((line) => line.startsWith("    attribution "));
  assertEquals(lines.length, methods.length);
  assertStringIncludes(lines[lines.length - 1], `(method ${methods.length}/${methods.length})`);
});

Deno.test("runPlannedCell passes the cell's onAttribution to its run", async () => {
  const { plan, cell } = smallScoredCell();
  const data = await prepareDataset(cell.dataset);
  const heard: string[] = [];
  const result = await runPlannedCell(plan, cell, data, {
    onProgress: () => {},
    onAttribution: (p) => heard.push(p.method),
  });
  assertEquals(heard, result.attribution!.map((row) => row.method));
});

Deno.test("runPlan's cell runner logs each attribution report as its line, in the order heard", async () => {
  const reports: AttributionProgress[] = [
    { method: "gradient_x_input", methodIndex: 1, methods: 2, usersDone: 8, users: 16, seconds: 1 },
    { method: "occlusion", methodIndex: 2, methods: 2, usersDone: 16, users: 16, seconds: 3 },
  ];
  const lines = await linesOfStandInCell((callbacks) => {
    for (const report of reports) callbacks.onAttribution!(report);
  });
  assertEquals(lines, reports.map(attributionLine));
});

Deno.test("reproduce --cell (runOneCell) logs a scored cell's attribution lines after its epochs", async () => {
  // The small synthetic dataset, one step, and no selection to wait for: only the lines matter.
  const { plan, cell: scored } = smallScoredCell();
  const cell = { ...scored, waitsFor: undefined, sameAs: undefined };
  const resultsDir = Deno.makeTempDirSync();
  try {
    const lines: string[] = [];
    const { result } = await runOneCell(plan, cell, { resultsDir, log: (l) => lines.push(l) });
    const methods = result.attribution!.map((row) => row.method);
    const attribution = lines.filter((line) => line.startsWith("    attribution "));
    assertEquals(attribution.length, methods.length);
    for (const [index, method] of methods.entries()) {
      assertStringIncludes(
        attribution[index],
        `attribution ${method} (method ${index + 1}/${methods.length}): 40/40 users, `,
      );
    }
    const first = lines.indexOf(attribution[0]);
    assert(lines.slice(0, first).some((line) => line.startsWith("    epoch 1/1")));
    assert(lines.slice(first).some((line) => line.startsWith(`${cell.key}: test NDCG@10`)));
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
