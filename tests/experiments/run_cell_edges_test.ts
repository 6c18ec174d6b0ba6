/**
 * runCell's edges that the earlier rounds left (lib/experiments/run_cell.ts): every field of the
 * recorded environment (the BLAS thread count read from DEMURE_BLAS_THREADS, in a subprocess), the
 * seed and ranking protocol a cell that trains nothing evaluates with, and lastWarmupEpoch's edges
 * (a warm-up of 0 epochs, more rates than epochs, a history that does not start at epoch 1),
 * the per-user arrays of each metric and the other ranking's metrics. Found by mutation round LB
 * (LB17-LB19, LB21-LB25, LB43, LB44).
 */
import { assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { type CellResult, lastWarmupEpoch, runCell } from "../../lib/experiments/run_cell.ts";
import { SYSTEMS } from "../../lib/experiments/systems.ts";
import { storedCellResult } from "./_cell_result.ts";

await initBackend({ verbose: false });

const FIXTURES = new URL("../fixtures/byo/", import.meta.url).pathname;
const RUN_CELL = new URL("../../lib/experiments/run_cell.ts", import.meta.url).href;
const INIT_BACKEND = new URL("../../lib/backend/init_backend.ts", import.meta.url).href;

Deno.test("cellEnvironment records this process's BLAS threads (DEMURE_BLAS_THREADS), os, arch and Deno", async () => {
  // A thread count other than the core count, so that the core count cannot pass for it.
  const threads = navigator.hardwareConcurrency === 3 ? 2 : 3;
  const code = `import { initBackend } from "${INIT_BACKEND}";
import { cellEnvironment } from "${RUN_CELL}";
await initBackend({ verbose: false });
console.log(JSON.stringify(cellEnvironment()));`;
  const { code: exit, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", code],
    env: { DEMURE_BLAS_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout);
  assertEquals(exit, 0, new TextDecoder().decode(stderr));
  const environment = JSON.parse(text.trim().split("\n").at(-1)!);
  assertEquals(
    [environment.blasThreads, environment.os, environment.arch, environment.deno],
    [threads, Deno.build.os, Deno.build.arch, Deno.version.deno],
  );
});

Deno.test("runCell: a cell that trains nothing evaluates with the cell's seed and the ranking its training names", async () => {
  const data = await prepareDataset({
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
  });
  const cell = await runCell(data, SYSTEMS.Pop, "Pop", {
    seed: 3,
    training: { ranking: "history_kept" },
  });
  assertEquals(cell.protocol.seed, 3);
  assertEquals(cell.seed, 3);
  assertEquals(cell.testOtherRanking?.ranking, "history_excluded");
  assertEquals(
    cell.protocol.ranking.includes("history items excluded"),
    false,
    cell.protocol.ranking,
  );
  const otherWay = await runCell(data, SYSTEMS.Pop, "Pop", { seed: 3 });
  assertEquals(otherWay.testOtherRanking?.ranking, "history_kept");
});

/** A Demure record of `epochs` (history epoch numbers) and per-epoch noise rates. */
function record(epochs: number[], rates: number[], warmupEndedAfterEpoch?: number): CellResult {
  return {
    ...storedCellResult(),
    history: epochs.map((epoch) => ({ epoch })),
    noiseRateByEpoch: rates.map((rate) => ({ text: rate })),
    demure: {
      attributed: 1,
      reused: 0,
      random: 0,
      ...(warmupEndedAfterEpoch === undefined ? {} : { warmupEndedAfterEpoch }),
    },
  } as unknown as CellResult;
}

Deno.test("lastWarmupEpoch: a recorded warm-up end of 0 is taken as it is, not read from the rates", () => {
  assertEquals(lastWarmupEpoch(record([1, 2, 3], [0, 0, 0.1], 0)), 0);
  assertEquals(lastWarmupEpoch(record([1, 2, 3], [0, 0, 0.1])), 2);
});

Deno.test("lastWarmupEpoch: rates for more epochs than the history holds cannot tell", () => {
  assertEquals(lastWarmupEpoch(record([1, 2], [0, 0, 0.1])), undefined);
  assertEquals(lastWarmupEpoch(record([1, 2, 3], [0, 0])), undefined);
});

Deno.test("lastWarmupEpoch: the last warm-up epoch is named by its number in the history, not counted", () => {
  assertEquals(lastWarmupEpoch(record([4, 5, 6], [0, 0, 0.2])), 5);
  assertEquals(lastWarmupEpoch(record([4, 5, 6], [0.1, 0, 0.2])), 0);
});

Deno.test("runCell: per-user HR@10 and NDCG@10 average to the test metrics; the other ranking's metrics are that ranking's test", async () => {
  const data = await prepareDataset({
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
  });
  const excluded = await runCell(data, SYSTEMS.Pop, "Pop", { seed: 0 });
  const kept = await runCell(data, SYSTEMS.Pop, "Pop", {
    seed: 0,
    training: { ranking: "history_kept" },
  });
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  for (const metric of ["NDCG@10", "HR@10"] as const) {
    const perUser = mean(excluded.perUserTest[metric]);
    assertEquals(Math.abs(perUser - excluded.test[metric]) < 1e-6, true, `${metric} ${perUser}`);
  }
  assertEquals(excluded.testOtherRanking?.metrics, kept.test);
  assertEquals(kept.testOtherRanking?.metrics, excluded.test);
  // What makes the checks above tell the fields apart on this data.
  assertEquals(excluded.test["NDCG@10"] !== excluded.test["HR@10"], true);
  assertEquals(JSON.stringify(excluded.test) !== JSON.stringify(kept.test), true);
});
