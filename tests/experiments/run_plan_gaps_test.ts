/**
 * Behaviour of lib/experiments/run_plan.ts that no other test pinned (mutation round LA): a report
 * (`runPending: false`) removes nothing a killed process left, and `waitForOthers` polls only
 * while another process still holds an unfinished cell, and runs here a cell whose holder gave
 * it up unfinished.
 */
import { assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import {
  type CellOutcome,
  epochLine,
  runPlan,
  runPlannedCell,
} from "../../lib/experiments/run_plan.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { storedCellResult } from "./_cell_result.ts";
import { quickPlanWithoutTraining } from "./_quick_plan_without_training.ts";

await initBackend({ verbose: false });

/** A poll interval no other timer of runPlan uses, so its timers can be counted. */
const POLL_SECONDS = 0.007;

/**
 * Runs `body` counting the poll timers of `waitForOthers` (`setTimeout` of POLL_SECONDS); the
 * 20th poll throws, so that a run that would poll forever ends in an error, not a hung test.
 */
async function countingPolls(body: () => Promise<void>): Promise<number> {
  const original = globalThis.setTimeout;
  let polls = 0;
  globalThis.setTimeout = ((handler: () => void, delay?: number) => {
    if (delay === POLL_SECONDS * 1000) {
      polls++;
      if (polls > 20) throw new Error("polled 20 times: the run would wait forever");
    }
    return original(handler, delay);
  }) as typeof setTimeout;
  try {
    await body();
  } finally {
    globalThis.setTimeout = original;
  }
  return polls;
}

Deno.test("runPlan with runPending false leaves a killed process's unfinished model copy in place", async () => {
  const plan = quickPlanWithoutTraining();
  const resultsDir = Deno.makeTempDirSync();
  try {
    const staging = `${resultsDir}/models/quick__Synthetic__SASRec__seed=0.staging`;
    Deno.mkdirSync(staging, { recursive: true });
    Deno.writeTextFileSync(`${staging}/weights.bin`, "x");
    // Written long ago: a run (runPending true) removes it as abandoned.
    Deno.utimeSync(`${staging}/weights.bin`, 0, 0);
    Deno.utimeSync(staging, 0, 0);
    await runPlan(plan, { resultsDir, runPending: false, log: () => {} });
    assertEquals(pathExists(staging), true, "a report removed the model copy");
    await runPlan(plan, { resultsDir, log: () => {} });
    assertEquals(pathExists(staging), false, "a run keeps an abandoned copy");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

/**
 * Runs the quick plan (no training) with `waitForOthers` while another process holds its first
 * cell; `onSkipped` is what that process does once this one skipped the cell. The outcome and the
 * polls it waited.
 */
async function runBesideHolder(
  onSkipped: (store: ResultStore, held: PlannedCell, plan: ExperimentPlan) => void,
): Promise<{ outcome: Awaited<ReturnType<typeof runPlan>>; polls: number; plan: ExperimentPlan }> {
  const plan = quickPlanWithoutTraining();
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    const held = plan.cells[0];
    Deno.writeTextFileSync(
      store.claimPathOf(held.key),
      JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" }),
    );
    let outcome: Awaited<ReturnType<typeof runPlan>> | undefined;
    const polls = await countingPolls(async () => {
      outcome = await runPlan(plan, {
        resultsDir,
        waitForOthers: true,
        waitSeconds: POLL_SECONDS,
        log: (line) => {
          if (line.startsWith(`skip ${held.key}`)) onSkipped(store, held, plan);
        },
      });
    });
    return { outcome: outcome!, polls, plan };
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
}

Deno.test("runPlan waitForOthers: a cell its holder gives up unfinished is tried again and run here", async () => {
  // The holder stops without storing the cell (its claim given up) once this one skipped it.
  const { outcome, polls, plan } = await runBesideHolder((store, held) =>
    Deno.removeSync(store.claimPathOf(held.key))
  );
  assertEquals(polls, 1);
  assertEquals(outcome.pending, []);
  assertEquals(outcome.cells.length, plan.cells.length);
});

Deno.test("runPlan waitForOthers: a held cell the other process stored meanwhile is not waited for", async () => {
  // The holder stores the cell (and gives its claim up) right after this one skipped it.
  const { outcome, polls } = await runBesideHolder((store, held, plan) => {
    store.put(held.key, settingsOf(plan, held), storedCellResult());
    Deno.removeSync(store.claimPathOf(held.key));
  });
  assertEquals(polls, 0, "waited a poll for a cell already stored");
  assertEquals(outcome.pending, []);
});

Deno.test("runPlan: onCellDone's result of a Demure cell that never left its warm-up says its run is its backbone's, its best epoch out of the cap", async () => {
  // As bring_your_own_data_test's warm-up case: early stopping ends the run before the warm-up.
  const plan = planExperiments("quick", [0], {
    dataset: {
      kind: "file",
      path: new URL("../fixtures/byo/tiny", import.meta.url).pathname,
      format: "recbole",
    },
    datasetTraining: { maxEpochs: 40, patience: 1 },
    demure: { warmupSteps: 39 },
  });
  const demure = { ...plan, cells: plan.cells.filter((c) => c.systemName === "Demure-SASRec") };
  assertEquals(demure.cells.length, 1);
  const resultsDir = Deno.makeTempDirSync();
  try {
    const lines: string[] = [];
    const outcomes: CellOutcome[] = [];
    await runPlan(demure, {
      resultsDir,
      log: (line) => lines.push(line),
      onEpoch: () => {},
      onCellDone: (_, outcome) => outcomes.push(outcome),
    });
    assertEquals(outcomes.map((outcome) => outcome.kind), ["finished"]);
    const { result } = outcomes[0] as Extract<CellOutcome, { kind: "finished" }>;
    assertStringIncludes(result, "; denoising never started");
    // Out of the cap (40), not of the epochs run (early stopping ended it well before).
    assertMatch(result, /, best epoch \d+\/40;/);
    // The notebook's line is the terminal's, less the counter and the times.
    const logged = lines.find((line) => line.startsWith("[1/1] "))!;
    assertStringIncludes(logged, result.slice(result.indexOf(";")));
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("epochLine: an epoch without a validation says so with a dash, not a zero", () => {
  const progress = {
    epoch: 2,
    maxEpochs: 5,
    loss: 0.123456,
    recommendationLoss: 0.1,
    auxiliaryLoss: 0,
    bestValidation: 0,
    bestEpoch: 0,
    improved: false,
    steps: 3,
    epochSeconds: 1.26,
    stepSeconds: 0.4,
    secondsLeftAtMost: 4,
  };
  assertEquals(epochLine(progress), "    epoch 2/5 loss 0.1235 valid NDCG@10 - (1.3 s)");
  assertEquals(
    epochLine({ ...progress, validation: { "NDCG@10": 0.25 } }),
    "    epoch 2/5 loss 0.1235 valid NDCG@10 0.2500 (1.3 s)",
  );
});

Deno.test("runPlannedCell runs a cell at its own seed, not the plan's first", async () => {
  const plan = planExperiments("quick", [0, 4]);
  // Popularity trains nothing, but its result records the seed it ran at.
  const pop = { ...plan.cells.find((c) => c.system.kind === "popularity")!, seed: 4 };
  const data = await prepareDataset(pop.dataset);
  const result = await runPlannedCell(plan, pop, data, {});
  assertEquals(result.seed, 4);
});
