/** A stored cell result as the analyses read it (analyse.ts): per-user test values, a seed, a system. */
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { storedCellResult } from "./_cell_result.ts";

/**
 * A stored result of `system` at `seed` on `dataset` with these per-user test NDCG@10 values (HR@10
 * 1 where NDCG@10 > 0) and validation NDCG@10 `valid`; no per-user value, a run that scored no user
 * (diverged).
 */
export function analysedCell(
  system: string,
  seed: number,
  valid: number,
  perUser: number[],
  dataset = "D",
): CellResult {
  const mean = perUser.length === 0 ? 0 : perUser.reduce((s, v) => s + v, 0) / perUser.length;
  return {
    ...storedCellResult(valid, mean),
    system,
    dataset,
    seed,
    users: perUser.map((_, u) => u),
    perUserTest: { "NDCG@10": perUser, "HR@10": perUser.map((v) => (v > 0 ? 1 : 0)) },
    protocol: {
      model: system,
      dataset,
      split: [],
      loss: "none",
      ranking: "full",
      stage: "test",
      seed,
    },
    environment: { backend: "cpu", blasThreads: 1, os: "linux", arch: "x86_64", deno: "2" },
  };
}
