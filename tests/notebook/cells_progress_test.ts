/**
 * The progress of plan cells computed in a notebook: live in one output while they train, a short
 * summary on the page once they are done. The kernel's display is replaced by a recorder that
 * keeps outputs as the executed notebook does (a display appends an output, an update with its
 * display_id replaces that output's text; printed lines append stream text).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { type CellsProgress, cellsProgress, MAX_LISTED_CELLS } from "../../lib/notebook/mod.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { cellsDirectory } from "../../lib/experiments/stored_cells.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";

/** A notebook cell's outputs as the runner saves them, and every state a live output showed. */
class RecordedOutputs {
  readonly saved: Array<{ id?: string; text: string }> = [];
  readonly states: string[] = [];
  readonly display = (
    bundle: unknown,
    options?: { raw?: boolean; update?: boolean; display_id?: string },
  ): Promise<void> => {
    const text = String((bundle as Record<string, unknown>)["text/plain"]);
    this.states.push(text);
    const target = options?.update
      ? this.saved.find((output) => output.id === options.display_id)
      : undefined;
    if (target) target.text = text;
    else this.saved.push({ id: options?.display_id, text });
    return Promise.resolve();
  };
  lines(): string[] {
    return this.saved.flatMap((output) => output.text.split("\n"));
  }
}

function epoch(epoch: number, maxEpochs: number): EpochProgress {
  const ndcg = 0.05 + epoch / 1000;
  return {
    epoch,
    maxEpochs,
    loss: 8 - epoch / 10,
    recommendationLoss: 8 - epoch / 10,
    auxiliaryLoss: 0,
    validation: { "NDCG@10": ndcg },
    bestValidation: ndcg,
    bestEpoch: epoch,
    improved: true,
    steps: 10,
    epochSeconds: 2,
    stepSeconds: 0.2,
    secondsLeftAtMost: (maxEpochs - epoch) * 2,
  };
}

await initBackend({ verbose: false });

/** The line of a cell whose claim another process took over (ClaimLostError's, shortened). */
const HANDED_OVER = "quick/Synthetic/ItemKNN/seed=0: its claim was taken over, held by process " +
  "7; this process hands the cell over: it stops training it at the next epoch end";

/** What runPlan reports for `cells` cells of `epochs` epochs, then a hand-over and a failure. */
async function runCells(
  progress: CellsProgress,
  cells: number,
  epochs: number,
  outputs?: RecordedOutputs,
): Promise<string[]> {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => {
    printed.push(parts.join(" "));
    outputs?.saved.push({ text: parts.join(" ") });
  };
  try {
    progress.log(`quick reproduction: ${cells + 1} cells planned, 0 already finished`);
    progress.log("dataset Synthetic\nusers 160\nitems 120");
    for (let index = 1; index <= cells; index++) {
      const cell = { key: `quick/Synthetic/SASRec-MM/seed=${index}` } as PlannedCell;
      for (let step = 1; step <= epochs; step++) progress.onEpoch(cell, epoch(step, epochs));
      const result = `valid NDCG@10 0.0700, best epoch ${epochs}/${epochs} (cap bound)`;
      progress.log(`[${index}] ${cell.key}: ${result} (2 s; about 4 s of the planned cells left)`);
      progress.onCellDone(cell, { kind: "finished", result });
    }
    // As runPlan reports them: the claim's heartbeat logs the hand-over, then runPlan reports it.
    progress.log(HANDED_OVER);
    const handedOver = { key: "quick/Synthetic/ItemKNN/seed=0" } as PlannedCell;
    progress.onCellDone(handedOver, { kind: "handedOver", line: HANDED_OVER });
    const failed = "FAILED quick/Synthetic/Pop/seed=0: Error: boom";
    progress.log(`${failed}\n    at somewhere (file.ts:1:1)`);
    progress.onCellDone({ key: "quick/Synthetic/Pop/seed=0" } as PlannedCell, {
      kind: "failed",
      line: failed,
    });
    await progress.done();
  } finally {
    console.log = log;
  }
  return printed;
}

Deno.test("cellsProgress in a kernel: live epochs in one output, a short summary on the page", async () => {
  const cells = MAX_LISTED_CELLS + 2;
  const epochs = 20;
  const outputs = new RecordedOutputs();
  await runCells(cellsProgress(outputs), cells, epochs, outputs);

  // Live: every epoch of every cell was shown, in place, with its cap, loss and time left.
  // Each state opens with the cell's number, key and epoch: "[3] quick/... epoch 5 of at most 20".
  const shown = new Set(outputs.states.map((state) => state.split(" loss=")[0]));
  for (let index = 1; index <= cells; index++) {
    for (let step = 1; step <= epochs; step++) {
      const key = `[${index}] quick/Synthetic/SASRec-MM/seed=${index}`;
      assert(
        shown.has(`${key} epoch ${step} of at most ${epochs}`),
        `${key} epoch ${step} was never shown`,
      );
    }
  }
  assertStringIncludes(
    outputs.states.find((state) =>
      state.startsWith("[3] quick/Synthetic/SASRec-MM/seed=3 epoch 5 of at most 20 ")
    )!,
    "loss=7.500 valid NDCG@10=0.05500 best=0.05500 (best @5, improved; 0 of 4 validations of " +
      "patience without a better NDCG@10; <= 0.5 min left)",
  );
  // Saved: the live output became the summary, and the failure was printed for good (display
  // updates travel asynchronously, so the two may reach the page in either order).
  const lines = outputs.lines();
  assertEquals(outputs.saved.filter((output) => output.id === undefined), [
    { text: HANDED_OVER },
    { text: "FAILED quick/Synthetic/Pop/seed=0: Error: boom" },
  ]);
  assertEquals(outputs.saved.find((output) => output.id !== undefined)!.text.split("\n"), [
    `computed ${cells} cells now (${cells * epochs * 2} s of training):`,
    ...Array.from(
      { length: MAX_LISTED_CELLS },
      (_, index) =>
        `  quick/Synthetic/SASRec-MM/seed=${index + 1}: valid NDCG@10 0.0700, best epoch 20/20 ` +
        "(cap bound)",
    ),
    "  ... and 2 more (their results are in the results folder)",
  ]);
  assert(
    !lines.some((line) => line.includes(" of at most ")),
    "no live epoch line is left on the page",
  );
});

Deno.test("cellsProgress in a kernel: the page keeps the same few lines however many epochs", async () => {
  // Before, each computed cell left its final progress line and runPlan's line for it: two lines
  // per cell, hundreds with DEMURE_RERUN=1 in full mode.
  const short = new RecordedOutputs();
  await runCells(cellsProgress(short), 3, 2, short);
  const long = new RecordedOutputs();
  await runCells(cellsProgress(long), 3, 200, long);
  assertEquals(short.lines().length, 6);
  assertEquals(long.lines().length, 6);
  assertEquals(long.saved.length, 3, "one live output, the hand-over and the failure lines");
});

Deno.test("cellsProgress in a kernel: nothing shown when runPlan reported nothing", async () => {
  const outputs = new RecordedOutputs();
  await cellsProgress(outputs).done();
  assertEquals(outputs.saved, []);
});

Deno.test("cellsProgress outside a kernel: runPlan's first lines and one line per epoch, printed", async () => {
  const printed = await runCells(cellsProgress(null), 2, 3);
  assertEquals(printed.length, 2 + 2 * (3 + 1) + 2);
  assertStringIncludes(printed[5], "[1] quick/Synthetic/SASRec-MM/seed=1: valid NDCG@10 0.0700");
  assertEquals(printed[1], "dataset Synthetic");
  assertStringIncludes(printed[2], "quick/Synthetic/SASRec-MM/seed=1 epoch 1 of at most 3 loss=");
  // Each cell's epochs under its own key.
  assertEquals(
    printed[6].startsWith("quick/Synthetic/SASRec-MM/seed=2 epoch 1 of at most 3 "),
    true,
  );
  assertEquals(printed.at(-1), "FAILED quick/Synthetic/Pop/seed=0: Error: boom");
});

Deno.test("cellsProgress with runPlan: a failed and a held cell stay on the page, whatever their logged words", async () => {
  // Before, the page kept runPlan's lines by their words (`FAILED `, `skip `): a reworded line
  // dropped a failed or held cell from every page, every test passing. Here the log reaching the
  // progress is reworded; the page keeps runPlan's lines for those cells, as the terminal shows.
  // The quick plan's cells that train no model (Pop and ItemKNN on synthetic data and MovieLens).
  const quick = planExperiments("quick");
  const plan = { ...quick, cells: quick.cells.filter((c) => c.system.kind !== "neural") };
  const resultsDir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(cellsDirectory(resultsDir));
    const [held, bad, ...rest] = plan.cells;
    assert(rest.length > 0);
    // pid 1 is always alive on Linux: the claim belongs to a running process.
    Deno.writeTextFileSync(
      store.claimPathOf(held.key),
      JSON.stringify({ pid: 1, hostname: Deno.hostname(), since: "now" }),
    );
    // An empty claim cannot be read: its cell fails.
    Deno.writeTextFileSync(store.claimPathOf(bad.key), "");
    const outputs = new RecordedOutputs();
    const progress = cellsProgress(outputs);
    const logged: string[] = [];
    const printed = console.log;
    console.log = (...parts: unknown[]) => outputs.saved.push({ text: parts.join(" ") });
    try {
      await runPlan(plan, {
        resultsDir,
        continueOnFailure: true,
        log: (line) => {
          logged.push(line.split("\n")[0]);
          progress.log(`reworded: ${line}`);
        },
        onEpoch: progress.onEpoch,
        onCellDone: progress.onCellDone,
      });
      await progress.done();
    } finally {
      console.log = printed;
    }
    const kept = outputs.saved.filter((output) => output.id === undefined).map((o) => o.text);
    assertEquals(kept, [
      logged.find((line) => line.startsWith(`skip ${held.key}: held by process 1`)),
      logged.find((line) => line.startsWith(`FAILED ${bad.key}: `)),
    ]);
    const summary = outputs.saved.find((output) => output.id !== undefined)!.text.split("\n");
    assertEquals(summary.slice(1).map((line) => line.split(":")[0].trim()), rest.map((c) => c.key));
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("cellsProgress in a kernel: one cell of 10 s in words; live, a message's first line only", async () => {
  const outputs = new RecordedOutputs();
  const progress = cellsProgress(outputs);
  const cell = { key: "quick/Synthetic/SASRec-MM/seed=0" } as PlannedCell;
  progress.log("dataset Synthetic\nusers 160\nitems 120");
  // Five epochs of 2 s: 10 s, shown in whole seconds (a tenth only below 10 s).
  for (let step = 1; step <= 5; step++) progress.onEpoch(cell, epoch(step, 5));
  progress.onCellDone(cell, { kind: "finished", result: "valid NDCG@10 0.0700" });
  await progress.done();
  // The dataset's table lines stay out of the live output: it is one line of runPlan's.
  assert(outputs.states.every((state) => !state.includes("users 160")), outputs.states.join("|"));
  assertEquals(outputs.states[0], "dataset Synthetic");
  assertEquals(outputs.saved.map((output) => output.text), [
    "computed 1 cell now (10 s of training):\n  quick/Synthetic/SASRec-MM/seed=0: valid NDCG@10 0.0700",
  ]);
});

Deno.test("cellsProgress in a kernel: no cell computed keeps runPlan's last line on the page", async () => {
  // Every cell already there (or held elsewhere): the page says so in runPlan's words.
  const outputs = new RecordedOutputs();
  const progress = cellsProgress(outputs);
  progress.log("quick reproduction: 3 cells planned, 3 already finished");
  await progress.done();
  assertEquals(outputs.saved.map((output) => output.text), [
    "computed 0 cells now (0.0 s of training); quick reproduction: 3 cells planned, 3 already " +
    "finished",
  ]);
});

Deno.test("cellsProgress in a kernel: the live number is the finished line's; a failed cell's goes to the next", async () => {
  // Session 51: the live line numbered models trained and runPlan's line under it finished cells,
  // so one cell trained as [5] and finished as [7]. Now a cell carries the number its finished
  // line will have: a failed cell finishes no line, and the next cell trains under its number.
  const outputs = new RecordedOutputs();
  const progress = cellsProgress(outputs);
  const failed = { key: "quick/Synthetic/SASRec-MM/seed=0" } as PlannedCell;
  const next = { key: "quick/Synthetic/SASRec-MM/seed=1" } as PlannedCell;
  const log = console.log;
  console.log = () => {};
  try {
    progress.onEpoch(failed, epoch(1, 5));
    progress.onCellDone(failed, { kind: "failed", line: `FAILED ${failed.key}: Error: boom` });
    progress.onEpoch(next, epoch(1, 5));
    await progress.done();
  } finally {
    console.log = log;
  }
  assertEquals(outputs.states.map((state) => state.split(" loss=")[0]), [
    `[1] ${failed.key} epoch 1 of at most 5`,
    `[1] ${next.key} epoch 1 of at most 5`,
    "computed 0 cells now (4.0 s of training)",
  ]);
});

Deno.test("cellsProgress in a kernel: thirty cells computed leave a dozen summary lines, the rest counted", async () => {
  // The summary is what a page keeps: with DEMURE_RERUN=1 in full mode a run computes hundreds.
  const outputs = new RecordedOutputs();
  await runCells(cellsProgress(outputs), 30, 1, outputs);
  const summary = outputs.saved.find((output) => output.id !== undefined)!.text.split("\n");
  assertEquals(summary.length, 12);
  assertEquals(summary[0], "computed 30 cells now (60 s of training):");
  assertEquals(summary.at(-1), "  ... and 20 more (their results are in the results folder)");
});
