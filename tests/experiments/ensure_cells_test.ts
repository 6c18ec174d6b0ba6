import { assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ensureCells } from "../../lib/experiments/ensure_cells.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";

await initBackend({ verbose: false });

Deno.test("ensureCells loads stored cells, computes only the chosen missing ones", async () => {
  const plan = planExperiments("quick");
  // Non-neural cells (cheap): the plan runs them once per dataset.
  const cells = plan.cells.filter((c) => c.system.kind !== "neural").slice(0, 4);
  assertEquals(cells.length >= 3, true);
  const resultsDir = Deno.makeTempDirSync();
  const log = () => {};
  try {
    const none = await ensureCells(plan, cells, { resultsDir, compute: false, log });
    assertEquals(none.found, []);
    assertEquals(none.missing, cells);
    const first = cells[0];
    const some = await ensureCells(plan, cells, {
      resultsDir,
      compute: (cell) => cell.key === first.key,
      log,
    });
    assertEquals(some.found.map(({ cell }) => cell.key), [first.key]);
    assertEquals(some.found[0].result.system, first.systemName);
    assertEquals(some.missing, cells.slice(1));
    const all = await ensureCells(plan, [...cells].reverse(), { resultsDir, log });
    assertEquals(all.found.map(({ cell }) => cell.key), [...cells].reverse().map((c) => c.key));
    assertEquals(all.missing, []);
    // The stored cell is reused, not recomputed.
    assertEquals(all.found.at(-1)!.result.trainSeconds, some.found[0].result.trainSeconds);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
