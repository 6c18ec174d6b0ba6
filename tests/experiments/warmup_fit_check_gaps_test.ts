/**
 * checkWarmupsFitData (lib/experiments/warmup_fit_check.ts) reads only imported datasets: the
 * embedded ones' steps per epoch are fixed and far above the plan's warm-ups, and reading them
 * (MovieLens: parsing and hashing its files) for every run would be wasted. Found by mutation
 * round AC (AC38).
 */
import { planExperiments } from "../../lib/experiments/plan.ts";
import { checkWarmupsFitData } from "../../lib/experiments/warmup_fit_check.ts";
import { assert } from "@std/assert";

Deno.test("checkWarmupsFitData reads no embedded dataset (only imported files can be too small)", async () => {
  const { cells } = planExperiments("quick");
  assert(cells.some((cell) => cell.system.kind === "neural" && cell.system.demure !== undefined));
  await checkWarmupsFitData(cells, (cell) => {
    throw new Error(`read ${cell.key}'s dataset`);
  });
});
