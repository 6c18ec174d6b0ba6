import { assertEquals, assertThrows } from "@std/assert";
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

Deno.test("ensureCells runs nothing, and says nothing, when no missing cell is chosen", async () => {
  const plan = planExperiments("quick");
  const cells = plan.cells.filter((c) => c.system.kind !== "neural").slice(0, 2);
  const resultsDir = Deno.makeTempDirSync();
  try {
    await ensureCells(plan, cells.slice(0, 1), { resultsDir, log: () => {} });
    // The stored cell is no candidate: the predicate is asked about the missing one only.
    const asked: string[] = [];
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const some = await ensureCells(plan, cells, {
      resultsDir,
      compute: (cell) => (asked.push(cell.key), false),
      log,
    });
    assertEquals([asked, some.missing], [[cells[1].key], [cells[1]]]);
    // Nothing to compute: no run is opened (a run's opening and closing lines, its folder sweep).
    const stored = await ensureCells(plan, cells.slice(0, 1), { resultsDir, log });
    assertEquals(stored.found.map(({ cell }) => cell.key), [cells[0].key]);
    assertEquals(lines, []);
    // A run's lines go to the log given.
    await ensureCells(plan, cells, { resultsDir, log });
    assertEquals(lines.some((line) => line.includes("this process ran 1 cells")), true);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("ensureCells that computes nothing creates no folder where nothing is stored", async () => {
  // What a notebook does in full mode, or with quickCompute declining: it only reads.
  const plan = planExperiments("quick");
  const cells = plan.cells.filter((c) => c.system.kind !== "neural").slice(0, 2);
  const dir = Deno.makeTempDirSync();
  try {
    const resultsDir = `${dir}/results`;
    const none = await ensureCells(plan, cells, { resultsDir, compute: false, log: () => {} });
    assertEquals(none.missing, cells);
    assertThrows(() => Deno.statSync(resultsDir), Deno.errors.NotFound);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("ensureCells hands each computed epoch to onEpoch, not to the log, and the cell to onCellDone", async () => {
  const plan = planExperiments("quick");
  const cell = plan.cells.find((c) =>
    c.dataset.kind === "synthetic" && c.systemName === "SASRec-ID" && !c.trial && !c.waitsFor
  )!;
  const resultsDir = Deno.makeTempDirSync();
  try {
    const epochs: string[] = [];
    const lines: string[] = [];
    const done: string[] = [];
    const { found } = await ensureCells(plan, [cell], {
      resultsDir,
      log: (line) => lines.push(line),
      onEpoch: (ran, progress) => epochs.push(`${ran.key} ${progress.epoch}`),
      onCellDone: (ran, outcome) => done.push(`${ran.key} ${outcome.kind}`),
    });
    assertEquals(done, [`${cell.key} finished`]);
    assertEquals(found.map(({ cell }) => cell.key), [cell.key]);
    const epochsRun = found[0].result.epochsRun;
    assertEquals(epochs, Array.from({ length: epochsRun }, (_, i) => `${cell.key} ${i + 1}`));
    assertEquals(lines.filter((line) => line.includes("    epoch ")), []);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("ensureCells: a cell not stored is missing (and a candidate to compute) though the run it reuses is stored", async () => {
  const plan = planExperiments("quick");
  const [done, next] = plan.cells.filter((c) => c.system.kind !== "neural").slice(0, 2);
  const reusing = { ...next, sameAs: done.key };
  const resultsDir = Deno.makeTempDirSync();
  try {
    await ensureCells(plan, [done], { resultsDir, log: () => {} });
    const asked: string[] = [];
    const got = await ensureCells(plan, [done, reusing], {
      resultsDir,
      compute: (cell) => (asked.push(cell.key), false),
      log: () => {},
    });
    assertEquals(asked, [reusing.key]);
    assertEquals(got.found.map(({ cell }) => cell.key), [done.key]);
    assertEquals(got.missing, [reusing]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
