/**
 * The time left that a run prints after each cell: the estimate of the cells pending at the start,
 * scaled by how long the finished ones really took, and the estimate itself while no estimated
 * cost has finished (never "Infinity" or "NaN" minutes).
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { StartEstimate } from "../../lib/experiments/_start_estimate.ts";
import { estimatedCellSeconds } from "../../lib/experiments/cell_seconds.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { settingsOf } from "../../lib/experiments/stored_cells.ts";
import { storedCellResult } from "./_cell_result.ts";
import { withStore } from "./_in_temp_dir.ts";

Deno.test(
  "StartEstimate: the estimate as it was until an estimated cell finishes, then scaled by the time it took",
  withStore((store) => {
    const plan = planExperiments("quick");
    const estimate = new StartEstimate(plan, store);
    assertEquals(estimate.pending.length, plan.cells.length, "nothing stored: every cell pending");
    assert(estimate.expectedSeconds > 0);
    for (const elapsed of [0, 30]) {
      assertEquals(estimate.secondsLeft(plan, store, elapsed), estimate.expectedSeconds);
    }

    const first = plan.cells.find((cell) => !cell.waitsFor && cell.sameAs === undefined)!;
    store.put(first.key, settingsOf(plan, first), storedCellResult());
    const cost = estimatedCellSeconds(plan, first);
    assert(cost > 0 && cost < estimate.expectedSeconds);
    // It took twice its estimate: the rest will too.
    assertAlmostEquals(
      estimate.secondsLeft(plan, store, 2 * cost),
      2 * (estimate.expectedSeconds - cost),
      1e-9,
    );
  }),
);

Deno.test(
  "StartEstimate: a cell stored at the start is not pending; one that is the same run as a stored cell costs nothing",
  withStore((store) => {
    const plan = planExperiments("quick");
    const reused = plan.cells.find((cell) => cell.sameAs !== undefined && !cell.waitsFor)!;
    const first = plan.cells.find((cell) =>
      !cell.waitsFor && cell.sameAs === undefined && cell.key !== reused.sameAs
    )!;
    store.put(first.key, settingsOf(plan, first), storedCellResult());
    // The run that `reused` repeats, stored under its own key with `reused`'s settings.
    store.put(reused.sameAs!, settingsOf(plan, reused), storedCellResult());
    const estimate = new StartEstimate(plan, store);
    const pending = plan.cells.filter((cell) => cell.key !== first.key);
    assertEquals(estimate.pending.map((cell) => cell.key), pending.map((cell) => cell.key));
    const expected = pending.filter((cell) => cell.key !== reused.key)
      .reduce((sum, cell) => sum + estimatedCellSeconds(plan, cell), 0);
    assertEquals(estimate.expectedSeconds, expected);
  }),
);

Deno.test(
  "StartEstimate: a finished cell that cost nothing (reused) leaves the estimate as it was",
  withStore((store) => {
    // Only free cells finished: no rate to scale by. Dividing by their zero cost printed
    // "Infinity" (or "NaN" at 0 s) minutes left.
    const plan = planExperiments("quick");
    const reused = plan.cells.find((cell) => cell.sameAs !== undefined && !cell.waitsFor)!;
    store.put(reused.sameAs!, settingsOf(plan, reused), storedCellResult());
    const estimate = new StartEstimate(plan, store);
    assert(estimate.pending.some((cell) => cell.key === reused.key));
    store.put(reused.key, settingsOf(plan, reused), storedCellResult());
    for (const elapsed of [0, 30]) {
      assertEquals(estimate.secondsLeft(plan, store, elapsed), estimate.expectedSeconds);
    }
  }),
);

Deno.test(
  "StartEstimate: a cell still waiting for its selection does not count as finished",
  withStore((store) => {
    // Its configuration is not chosen yet: a record under its key and its present settings is not
    // the run it will be, so it is no evidence of the rate.
    const plan = planExperiments("quick");
    const waiting = plan.cells.find((cell) => cell.waitsFor !== undefined)!;
    const estimate = new StartEstimate(plan, store);
    store.put(waiting.key, settingsOf(plan, waiting), storedCellResult());
    assert(estimatedCellSeconds(plan, waiting) > 0);
    assertEquals(estimate.secondsLeft(plan, store, 30), estimate.expectedSeconds);
  }),
);

Deno.test(
  "StartEstimate: a pending cell gone from the current plan is skipped; the rest still scale the estimate",
  withStore((store) => {
    // Found by mutation round NF (NF20): the plan is re-derived as selections finish, and a cell of
    // the start may no longer be in it: that is no finished cost, and no TypeError.
    const plan = planExperiments("quick");
    const estimate = new StartEstimate(plan, store);
    const runnable = plan.cells.filter((cell) => !cell.waitsFor && cell.sameAs === undefined);
    const [first, gone] = runnable;
    const current = { ...plan, cells: plan.cells.filter((cell) => cell.key !== gone.key) };
    store.put(first.key, settingsOf(current, first), storedCellResult());
    const cost = estimatedCellSeconds(plan, first);
    assertAlmostEquals(
      estimate.secondsLeft(current, store, 2 * cost),
      2 * (estimate.expectedSeconds - cost),
      1e-9,
    );
  }),
);

Deno.test(
  "StartEstimate: a cell that waited at the start counts once its selection is made and it finished",
  withStore((store) => {
    // Found by mutation round NF (NF21, NF22): whether it waits and whether it finished are read from
    // the current plan's cell (selected since, with the chosen settings), not the start's.
    const plan = planExperiments("quick");
    const estimate = new StartEstimate(plan, store);
    const waiting = plan.cells.find((cell) => cell.waitsFor !== undefined)!;
    const selected = {
      ...waiting,
      waitsFor: undefined,
      training: { ...waiting.training, maxEpochs: (waiting.training.maxEpochs ?? 3) + 1 },
    };
    const current = {
      ...plan,
      cells: plan.cells.map((cell) => cell.key === waiting.key ? selected : cell),
    };
    store.put(waiting.key, settingsOf(current, selected), storedCellResult());
    const cost = estimatedCellSeconds(plan, waiting);
    assert(cost > 0);
    assertAlmostEquals(
      estimate.secondsLeft(current, store, 2 * cost),
      2 * (estimate.expectedSeconds - cost),
      1e-9,
    );
  }),
);
