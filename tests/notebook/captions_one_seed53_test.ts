/**
 * Captions of results at one seed (quick mode's pages) say "one seed, no spread" instead of a
 * mean ± std over that seed: until 2026-12-07 they read "each a system's mean ± std over its seeds
 * (Pop seed 0; ...) (none for a single run: no std)" and "Seed 0: each number a mean ± std over
 * them". Captions where some rows have more seeds keep the mean ± std wording.
 */
import { assert, assertStringIncludes } from "@std/assert";
import {
  attributionBarsCaption,
  attributionTableCaption,
  sensitivityCaption,
  systemsBarsCaption,
  systemsTableCaption,
} from "../../lib/notebook/mod.ts";
import { captionProtocolOf, protocolCaption } from "../../lib/experiments/protocol_caption.ts";
import { finishedRun } from "../experiments/_finished_run.ts";
import { attributionRow, lambdaCurve, seedsRow, sensitivityPoint } from "./_summary_rows.ts";

const row = (system: string, seeds: number[]) => seedsRow(system, seeds, ["NDCG@10", "HR@10"]);
const ONE_SEED_PROTOCOL = "Seed 0: one run per number, no mean ± std (one seed, no spread).";

/** No wording of a spread over seeds that one seed cannot have. */
function assertNoSpreadWording(caption: string): void {
  for (const wrong of ["mean ± std over", "none for", "standard deviation", "each number a mean"]) {
    assert(!caption.includes(wrong), `"${wrong}" in: ${caption}`);
  }
}

Deno.test("protocolCaption: a mean ± std of one seed is said as its one run", () => {
  const one = protocolCaption(captionProtocolOf([finishedRun("SASRec-MM", 0)], "test"));
  assert(one.endsWith(ONE_SEED_PROTOCOL), one);
  const two = protocolCaption(
    captionProtocolOf([finishedRun("SASRec-MM", 0), finishedRun("SASRec-MM", 1)], "test"),
  );
  assertStringIncludes(two, "Seeds 0, 1: each number a mean ± std over them");
});

Deno.test("systems table and bars of one seed each: one run, no spread", () => {
  const rows = [row("Pop", [0]), row("SASRec-MM", [0])];
  const results = [finishedRun("Pop", 0), finishedRun("SASRec-MM", 0)];
  const table = systemsTableCaption(rows, results, "The baselines");
  assertStringIncludes(
    table,
    "The baselines. Test metrics on MovieLens, each a system's one run (one seed, no spread: " +
      "Pop seed 0; SASRec-MM seed 0). Protocol.",
  );
  assertNoSpreadWording(table);
  assert(table.endsWith(ONE_SEED_PROTOCOL), table);
  const bars = systemsBarsCaption(rows, results, ["NDCG@10"]);
  assertStringIncludes(
    bars,
    "Test NDCG@10 on MovieLens: each bar is a system's one run (one seed, no spread, no error " +
      "bar: Pop seed 0; SASRec-MM seed 0). Protocol.",
  );
  assertNoSpreadWording(bars);
  // One row of several seeds: the mean ± std wording, the single run named.
  const mixed = systemsTableCaption([row("Pop", [0]), row("SASRec-MM", [0, 1])], [
    ...results,
    finishedRun("SASRec-MM", 1),
  ]);
  assertStringIncludes(mixed, "each a system's mean ± std over its seeds (Pop seed 0; SASRec-MM");
  assertStringIncludes(mixed, "(none for a single run: no std)");
});

Deno.test("sensitivity and attribution captions of one seed: one run, no spread", () => {
  const curve = lambdaCurve([
    sensitivityPoint(0.005, [0], false),
    sensitivityPoint(0.02, [0], true),
  ]);
  const sensitivity = sensitivityCaption(curve);
  assertStringIncludes(
    sensitivity,
    "each point is the one run at that value (one seed, no spread, no error bar: 0.005: seed 0; " +
      "0.02: seed 0). The ring",
  );
  assertNoSpreadWording(sensitivity);
  const rows = [attributionRow("gradient_x_input", [1]), attributionRow("occlusion", [1])];
  const runs = [finishedRun("SASRec-MM", 1, { dataset: "Synthetic" })];
  const bars = attributionBarsCaption(rows, "Synthetic", runs);
  assertStringIncludes(
    bars,
    "Each bar is the one run whose attribution was scored (one seed, no spread, no error bar: " +
      "seed 1); 0.5 is chance.",
  );
  assertNoSpreadWording(bars);
  const table = attributionTableCaption(rows, "Synthetic", runs);
  assertStringIncludes(
    table,
    "each from the one run whose attribution was scored (one seed, no spread: seed 1); seconds: " +
      "the wall time of attributing. Protocol.",
  );
  assertNoSpreadWording(table);
  assert(!table.includes("mean wall time"), table);
});
