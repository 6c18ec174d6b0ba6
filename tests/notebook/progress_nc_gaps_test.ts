/**
 * The notebook progress parts' second branches and error paths (found by mutation round NC): a
 * NaN auxiliary loss on the training line, the time left never cut below its bound, whole
 * seconds of training rounded, a line logged mid-training shown at once, a display failure
 * reaching cellsProgress's done(), a live output that keeps sending after a failed update, and a
 * display rejected with null or undefined.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { epochProgressEvent } from "../../lib/notebook/training_progress.ts";
import { formatProgressLine } from "../../lib/notebook/progress.ts";
import { type DisplayApi, liveOutput } from "../../lib/notebook/_live_output.ts";
import { cellsProgress } from "../../lib/notebook/mod.ts";
import type { PlannedCell } from "../../lib/experiments/plan_types.ts";
import { epochOf } from "./_epoch_progress.ts";
import { shownTexts } from "./_shown_texts.ts";

Deno.test("training progress: a NaN auxiliary loss is shown, not hidden as 'no auxiliary term'", () => {
  // The line is where a diverging auxiliary term is first seen. Found by mutation round NC (NC26:
  // a truthiness test hid NaN as it hides 0).
  const event = epochProgressEvent(epochOf({ auxiliaryLoss: NaN }));
  assertEquals(Object.keys(event.metrics ?? {}), ["loss", "aux", "best"]);
  assertStringIncludes(formatProgressLine("m", event), "aux=NaN");
});

Deno.test("training progress: the time left is in tenths of a minute, never cut below the bound", () => {
  // An upper bound: 209 s (3.48 min) is not "3.4", 3 s (0.05 min) not "0.0", as if no time were
  // left. Found by mutation round NC (NC28: floored to the tenth).
  assertEquals(
    epochProgressEvent(epochOf({ secondsLeftAtMost: 209 })).note,
    "(best @0; <= 3.5 min left)",
  );
  assertEquals(
    epochProgressEvent(epochOf({ secondsLeftAtMost: 3 })).note,
    "(best @0; <= 0.1 min left)",
  );
  assertEquals(
    epochProgressEvent(epochOf({ secondsLeftAtMost: 120 })).note,
    "(best @0; <= 2.0 min left)",
  );
});

Deno.test("cellsProgress: done() rethrows a display that failed", async () => {
  // A kernel that lost the output must not leave the page without its summary, unsaid.
  // Found by mutation round NC (NC18: done() did not wait for the live output).
  const api = { display: () => Promise.reject(new Error("kernel gone")) } as unknown as DisplayApi;
  const progress = cellsProgress(api);
  progress.onEpoch({ key: "quick/Synthetic/Pop/seed=0" } as PlannedCell, epochOf({}));
  await assertRejects(() => progress.done(), Error, "kernel gone");
});

Deno.test("liveOutput: a show after a failed one is still sent; done() reports the failure", async () => {
  // The kernel's display can fail once (its intermittent "Invalid Signature") and work again:
  // the later lines, the summary among them, must still reach the page.
  // Found by mutation round NC (NC34: nothing more was sent after a failure).
  const sent: string[] = [];
  let calls = 0;
  const display = (bundle: unknown) => {
    calls += 1;
    if (calls === 1) return Promise.reject(new Error("Invalid Signature"));
    sent.push(String((bundle as Record<string, string>)["text/plain"]));
    return Promise.resolve();
  };
  const output = liveOutput({ display } as unknown as DisplayApi);
  output.show("epoch 1/2");
  await assertRejects(() => output.done(), Error, "Invalid Signature");
  output.show("epoch 2/2");
  await assertRejects(() => output.done(), Error, "Invalid Signature");
  assertEquals(sent, ["epoch 2/2"]);
});

Deno.test("cellsProgress: ten seconds or more of training are whole seconds, rounded", async () => {
  // Two epochs of 5.3 s: 10.6 s reads "11 s", not "10 s". Found by mutation round NC (NC41).
  const { shown, api } = shownTexts();
  const progress = cellsProgress(api);
  const cell = { key: "quick/Synthetic/SASRec-MM/seed=0" } as PlannedCell;
  progress.onEpoch(cell, epochOf({ epoch: 1, epochSeconds: 5.3 }));
  progress.onEpoch(cell, epochOf({ epoch: 2, epochSeconds: 5.3 }));
  await progress.done();
  assertEquals(shown.at(-1), "computed 0 cells now (11 s of training)");
});

Deno.test("cellsProgress: a line logged while a model trains is shown at once, under its training line", async () => {
  // runPlan's line for a cell comes after its last epoch: it must not wait for the next cell's
  // first epoch (or never show, after the last cell). Found by mutation round NC (NC22).
  const { shown, api } = shownTexts();
  const progress = cellsProgress(api);
  const cell = { key: "quick/Synthetic/SASRec-MM/seed=0" } as PlannedCell;
  progress.onEpoch(cell, epochOf({ epoch: 3, secondsLeftAtMost: 0 }));
  progress.log("[1] quick/Synthetic/SASRec-MM/seed=0: valid NDCG@10 0.0700\nmore");
  await progress.done();
  assertEquals(shown.length, 3);
  assertEquals(shown[1].split("\n"), [
    "[1] quick/Synthetic/SASRec-MM/seed=0 epoch 3 of at most 3 loss=2 best=0 " +
    "(best @0; 3 of 4 validations of patience without a better NDCG@10; <= 0.0 min left)",
    "[1] quick/Synthetic/SASRec-MM/seed=0: valid NDCG@10 0.0700",
  ]);
});

Deno.test("liveOutput: done() rethrows a display that failed with undefined or null", async () => {
  // A rejection is a failure whatever its value: one with null was taken for "no failure" (the
  // failure's own empty value), and done() reported success. Found by mutation round NC (NC31:
  // a truthiness test dropped an undefined rejection too).
  for (const reason of [undefined, null]) {
    const api = { display: () => Promise.reject(reason) } as unknown as DisplayApi;
    const output = liveOutput(api);
    output.show("epoch 1/3");
    let thrown: { value: unknown } | null = null;
    try {
      await output.done();
    } catch (error) {
      thrown = { value: error };
    }
    assertEquals(thrown, { value: reason }, String(reason));
  }
});
