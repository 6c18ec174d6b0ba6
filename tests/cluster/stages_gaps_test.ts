/**
 * The stages and requests of scripts/cluster/stages.ts at the edges the first tests left open:
 * minutes rounded up (never to the nearest), each batch's keys in the plan's order (task i runs
 * keys[i]), the CPUs and the whole override reaching every stage, and a re-submission that
 * starts at stage 1 still asking for (and saying) its selection wait. Found by mutation round KG
 * (KG01-KG05, KG07).
 */
import { assertEquals } from "@std/assert";
import {
  type ListedCell,
  requestSource,
  SELECTION_WAIT_SECONDS,
  stageArrays,
  STARTUP_SECONDS,
  taskResources,
  TIME_SAFETY_FACTOR,
} from "../../scripts/cluster/stages.ts";

const cell = (key: string, seconds: number, stage?: number): ListedCell => ({
  index: 0,
  key,
  estimatedSeconds: seconds,
  status: "pending",
  ...(stage === undefined ? {} : { stage }),
});

Deno.test("taskResources: minutes are rounded up, never to the nearest (a task must not be cut short)", () => {
  // 645 s x 3 + 120 s = 2055 s = 34.25 min: the request is 35 min, not 34.
  assertEquals((645 * TIME_SAFETY_FACTOR + STARTUP_SECONDS) / 60, 34.25);
  assertEquals(taskResources([cell("k", 645)], "full", 2, 0).minutes, 35);
});

Deno.test("stageArrays: a stage's keys keep the plan's order (task i runs keys[i]), not the names' order", () => {
  const arrays = stageArrays([cell("zeta", 10), cell("alpha", 10), cell("mid", 10)], "quick", 2);
  assertEquals(arrays.map((a) => a.keys), [["zeta", "alpha", "mid"]]);
});

Deno.test("stageArrays: every stage asks for the CPUs and the --minutes given", () => {
  const arrays = stageArrays([cell("a", 1300, 1), cell("b", 650)], "full", 4, { minutes: 90 });
  assertEquals(arrays.map((a) => [a.stage, a.resources.cpus, a.resources.minutes]), [
    [0, 4, 90],
    [1, 4, 90],
  ]);
});

Deno.test("stageArrays: a re-submission starting at stage 1 still waits for its selection, and says so", () => {
  // Its first batch is stage 1, not stage 0: the wait follows the stage, not the batch's place.
  const [first] = stageArrays([cell("seed", 1300, 1)], "full", 2);
  assertEquals(
    first.resources.minutes,
    Math.ceil((1300 * TIME_SAFETY_FACTOR + STARTUP_SECONDS + SELECTION_WAIT_SECONDS) / 60),
  );
  assertEquals(
    requestSource(1),
    "3 x the stage's slowest cell's estimate + start-up + 10 min for its selection; " +
      "see scripts/cluster/stages.ts",
  );
});
