/** The stages and resource requests every cluster route shares (scripts/cluster/stages.ts). */
import { assert, assertEquals } from "@std/assert";
import {
  type ListedCell,
  MEMORY_SAFETY_FACTOR,
  MINIMUM_MINUTES,
  PEAK_MEMORY_MB,
  requestSource,
  SELECTION_WAIT_SECONDS,
  stageArrays,
  STARTUP_SECONDS,
  taskResources,
  TIME_SAFETY_FACTOR,
} from "../../scripts/cluster/stages.ts";

Deno.test("taskResources: the slowest cell's estimate x the safety factor, plus start-up", () => {
  const cell = (seconds: number): ListedCell => ({
    index: 0,
    key: "k",
    estimatedSeconds: seconds,
    status: "pending",
  });
  const resources = taskResources([cell(10), cell(1440), cell(90)], "full", 2, 0);
  assertEquals(
    resources.minutes,
    Math.ceil((1440 * TIME_SAFETY_FACTOR + STARTUP_SECONDS) / 60),
  );
  assertEquals(resources.cpus, 2);
  // The measured peak x the safety factor, rounded up (never down) to whole 256 MB: 1002 MB x 1.5
  // = 1503 MB asks for 1536 MB (1280 MB would be below the peak x 1.5).
  assertEquals(resources.memoryMb, 1536);
  assert(resources.memoryMb >= PEAK_MEMORY_MB.full * MEMORY_SAFETY_FACTOR);
  assertEquals(taskResources([cell(1)], "quick", 1, 0).memoryMb, 1536);
  assertEquals(taskResources([cell(1)], "quick", 1, 0).minutes, MINIMUM_MINUTES);
  // After the first stage, a task may wait a little for its selection.
  assertEquals(
    taskResources([cell(1440)], "full", 2, 1).minutes,
    Math.ceil((1440 * TIME_SAFETY_FACTOR + STARTUP_SECONDS + SELECTION_WAIT_SECONDS) / 60),
  );
});

Deno.test("stageArrays: one array per stage, each asking for its own slowest cell, no waits", () => {
  // The full plan from scratch: a backbone trial (stage 0), a Demure trial after the backbone's
  // selection (1), a Demure seed after both (2). One array for all three used to ask every task
  // for the seed's wait plus its training (1950 + 1300 s).
  const cell = (key: string, seconds: number, stage?: number): ListedCell => ({
    index: 0,
    key,
    estimatedSeconds: seconds,
    status: "pending",
    ...(stage === undefined ? {} : { stage }),
  });
  const arrays = stageArrays(
    [
      cell("seed", 1300, 2),
      cell("backbone-trial", 650),
      cell("demure-trial", 1300, 1),
      cell("pop", 10),
    ],
    "full",
    2,
  );
  assertEquals(arrays.map((a) => [a.stage, a.keys]), [
    [0, ["backbone-trial", "pop"]],
    [1, ["demure-trial"]],
    [2, ["seed"]],
  ]);
  const minutes = (seconds: number) => Math.ceil(seconds / 60);
  assertEquals(arrays.map((a) => a.resources.minutes), [
    minutes(650 * TIME_SAFETY_FACTOR + STARTUP_SECONDS),
    minutes(1300 * TIME_SAFETY_FACTOR + STARTUP_SECONDS + SELECTION_WAIT_SECONDS),
    minutes(1300 * TIME_SAFETY_FACTOR + STARTUP_SECONDS + SELECTION_WAIT_SECONDS),
  ]);
  // A re-submission whose trials have all finished starts at stage 1.
  assertEquals(stageArrays([cell("seed", 1300, 1)], "full", 2).map((a) => a.stage), [1]);
  // Stages go in numeric order (a sort of their text would run stage 10 before stage 2).
  assertEquals(
    stageArrays([cell("late", 10, 10), cell("early", 10, 2)], "full", 2).map((a) => a.stage),
    [2, 10],
  );
});

Deno.test("taskResources: --minutes and --memory-mb replace the estimates, as given", () => {
  const cell: ListedCell = { index: 0, key: "k", estimatedSeconds: 1440, status: "pending" };
  const given = taskResources([cell], "full", 2, 1, { minutes: 600, memoryMb: 4096 });
  assertEquals(given, { cpus: 2, minutes: 600, memoryMb: 4096 });
  const minutesOnly = taskResources([cell], "full", 2, 0, { minutes: 5 });
  assertEquals(minutesOnly.minutes, 5, "a measured request is not raised to the minimum");
  assertEquals(minutesOnly.memoryMb, taskResources([cell], "full", 2, 0).memoryMb);
  assertEquals(
    stageArrays([cell], "full", 2, { memoryMb: 3000 }).map((a) => a.resources.memoryMb),
    [3000],
  );
});

Deno.test("requestSource: the estimate's rule, or the --minutes and --memory-mb given", () => {
  const rule = "3 x the stage's slowest cell's estimate + start-up";
  assertEquals(requestSource(0), `${rule}; see scripts/cluster/stages.ts`);
  assertEquals(
    requestSource(2),
    `${rule} + 10 min for its selection; see scripts/cluster/stages.ts`,
  );
  assertEquals(
    requestSource(1, { minutes: 45 }),
    "--minutes as given; see scripts/cluster/stages.ts",
  );
  assertEquals(
    requestSource(0, { minutes: 45, memoryMb: 3000 }),
    "--minutes as given; --memory-mb as given; see scripts/cluster/stages.ts",
  );
  assertEquals(
    requestSource(0, { memoryMb: 3000 }),
    `${rule}; --memory-mb as given; see scripts/cluster/stages.ts`,
  );
});
