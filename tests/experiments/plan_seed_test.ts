/**
 * Determinism of the experiment plan: its cells, their order, seeds and drawn trials are the same
 * every time it is built, whatever was drawn before (each system's trials come from a generator
 * seeded by its name alone), and the seeds given are the cells' seeds.
 */
import { assert, assertEquals } from "@std/assert";
import { generateSynthetic } from "../../lib/data/synthetic.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { maxTrialsOf, trialsOf } from "../../lib/experiments/selection.ts";
import { type SystemName, SYSTEMS } from "../../lib/experiments/systems.ts";
import { assertBitIdentical } from "../_bit_identical.ts";

/** The systems that search a space (the others have no trials). */
const SEARCHED = (Object.keys(SYSTEMS) as SystemName[]).filter((system) => {
  try {
    return maxTrialsOf(system) > 1;
  } catch {
    return false;
  }
});

Deno.test("planExperiments: the same plan every time, whatever was drawn or planned before", () => {
  const quick = planExperiments("quick");
  const full = planExperiments("full");
  // Other plans, other trials and a seeded draw in between.
  planExperiments("full", [7, 8]);
  for (const system of [...SEARCHED].reverse()) trialsOf(system, 2);
  generateSynthetic({ numUsers: 20, numItems: 30, historyLength: 8, seed: 9 });
  assertBitIdentical(planExperiments("quick"), quick);
  assertBitIdentical(planExperiments("full"), full);
  assert(full.cells.some((cell) => cell.trial !== undefined), "the full plan draws trials");
});

Deno.test("trialsOf: a system's trials do not depend on which systems drew theirs before", () => {
  assert(SEARCHED.length >= 3, `${SEARCHED}`);
  const alone = Object.fromEntries(SEARCHED.map((s) => [s, trialsOf(s, maxTrialsOf(s))]));
  // Drawn again in the reverse order, each after all the others.
  for (const system of [...SEARCHED].reverse()) {
    for (const other of SEARCHED) if (other !== system) trialsOf(other, maxTrialsOf(other));
    assertBitIdentical(trialsOf(system, maxTrialsOf(system)), alone[system], system);
  }
});

Deno.test("planExperiments: the seeds given are the cells' seeds, and only they change", () => {
  const plan = planExperiments("quick", [3, 4]);
  assertEquals([...new Set(plan.cells.map((cell) => cell.seed))].sort(), [3, 4]);
  // Another seed list plans the same cells, each at its own seed (the names, which say the
  // seed, aside).
  const other = planExperiments("quick", [5, 6]);
  const without = (p: typeof plan) =>
    p.cells.map(({ key: _, seed: __, waitsFor: ___, sameAs: ____, trial, ...rest }) => ({
      ...rest,
      trial: trial && { index: trial.index, point: trial.point },
    }));
  assertEquals(other.cells.length, plan.cells.length);
  assertEquals(without(other), without(plan));
});
