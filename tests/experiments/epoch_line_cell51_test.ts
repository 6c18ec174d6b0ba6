/**
 * runPlan's per-epoch lines (what `./run.sh reproduce` and `--dataset` print) name their cell and
 * the most time it has left: they were `    epoch 2/3 loss ... (0.5 s)`, and with two processes
 * interleaving their lines the cell an epoch belonged to came only with the cell's last line
 * (found in session 51's first-hour check, on a quick run of a researcher's own files).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import type { FileDatasetSpec } from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { epochLine, runPlan } from "../../lib/experiments/run_plan.ts";

await initBackend({ verbose: false });

const PROGRESS = {
  epoch: 2,
  maxEpochs: 5,
  loss: 0.123456,
  recommendationLoss: 0.1,
  auxiliaryLoss: 0,
  validation: { "NDCG@10": 0.25 },
  bestValidation: 0.25,
  bestEpoch: 2,
  improved: true,
  steps: 3,
  epochSeconds: 1.26,
  stepSeconds: 0.4,
  secondsLeftAtMost: 150,
};

Deno.test("epochLine with a cell's key names the cell and the most time it has left", () => {
  assertEquals(
    epochLine(PROGRESS, "quick/tiny/SASRec-ID/seed=0"),
    "    epoch 2/5 of quick/tiny/SASRec-ID/seed=0: loss 0.1235 valid NDCG@10 0.2500 " +
      "(1.3 s; at most 2.5 min of it left)",
  );
  // Without a key (reproduce --cell, one cell named already) the line is as it was.
  assertEquals(epochLine(PROGRESS), "    epoch 2/5 loss 0.1235 valid NDCG@10 0.2500 (1.3 s)");
});

Deno.test("runPlan's default epoch lines name the cell they belong to", async () => {
  const fixtures = new URL("../fixtures/byo/", import.meta.url).pathname;
  const recbole: FileDatasetSpec = { kind: "file", path: `${fixtures}tiny`, format: "recbole" };
  const plan = planExperiments("quick", [0], { dataset: recbole });
  const small = { ...plan, cells: plan.cells.filter((c) => c.systemName === "SASRec-ID") };
  const resultsDir = Deno.makeTempDirSync({ prefix: "epoch_line_cell51_" });
  try {
    const lines: string[] = [];
    await runPlan(small, { resultsDir, log: (line) => lines.push(line) });
    const epochs = lines.filter((line) => line.startsWith("    epoch "));
    const key = small.cells[0].key;
    assertEquals(epochs.length, small.cells[0].training.maxEpochs);
    for (const [index, line] of epochs.entries()) {
      assertStringIncludes(line, `    epoch ${index + 1}/${epochs.length} of ${key}: loss `);
      assertStringIncludes(line, " of it left)");
    }
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
