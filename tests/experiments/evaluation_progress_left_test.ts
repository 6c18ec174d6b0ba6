/**
 * A cell's evaluations after its training (valid, test, test under the other ranking protocol,
 * each over every user) report each finished evaluation: on MovieLens they took 5.6, 2.9 and 3.3 s
 * (about 12 s after the last epoch line with nothing printed). runCell's onEvaluation hears all
 * three; by default, and in runPlan's and reproduce --cell's logs, a line shows only an
 * evaluation that took SLOW_EVALUATION_SECONDS or more, so a small cell's output is unchanged.
 * The metrics are the same bits with and without a listener.
 */
import { assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  evaluationLine,
  type EvaluationProgress,
  SLOW_EVALUATION_SECONDS,
  slowEvaluationLine,
} from "../../lib/experiments/mod.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { runPlannedCell } from "../../lib/experiments/run_plan.ts";
import { runCell } from "../../lib/experiments/run_cell.ts";
import { SYSTEMS } from "../../lib/experiments/systems.ts";
import { assertBitIdentical } from "../_bit_identical.ts";
import { linesOfStandInCell } from "./_stand_in_claimed_cell.ts";

await initBackend({ verbose: false });

const SMALL_SYNTHETIC = { numUsers: 40, numItems: 30, historyLength: 8 } as const;

/** `value` without its wall times (keys naming seconds), which differ run to run. */
function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value)) return value;
  return Object.fromEntries(
    Object.entries(value).filter(([key]) => !/seconds/i.test(key)).map((
      [key, v],
    ) => [key, withoutTimes(v)]),
  );
}

/** What a result's numbers are, for the bit comparison. */
function metricsOf(result: Awaited<ReturnType<typeof runCell>>) {
  const { valid, test, testOtherRanking, perUserTest, users, protocol, history } = result;
  return withoutTimes({ valid, test, testOtherRanking, perUserTest, users, protocol, history });
}

Deno.test("runCell: onEvaluation hears valid, test and test under the other ranking; the metrics are the same bits", async () => {
  const data = await prepareDataset({ kind: "synthetic", config: SMALL_SYNTHETIC });
  const settings = {
    seed: 3,
    model: { dim: 8 },
    training: { maxEpochs: 1, batchSize: 16, maxBatchesPerEpoch: 2 },
    onProgress: () => {},
  };
  for (
    const [name, ranking, other] of [
      ["SASRec-MM", "history_excluded", "history_kept"],
      ["Pop", "history_excluded", "history_kept"],
    ] as const
  ) {
    const heard: EvaluationProgress[] = [];
    const withListener = await runCell(data, SYSTEMS[name], name, {
      ...settings,
      onEvaluation: (p) => heard.push(p),
    });
    const users = withListener.users.length;
    assertEquals(
      heard.map(({ stage, ranking, index, evaluations, users }) => ({
        stage,
        ranking,
        index,
        evaluations,
        users,
      })),
      [
        { stage: "valid", ranking, index: 1, evaluations: 3, users },
        { stage: "test", ranking, index: 2, evaluations: 3, users },
        { stage: "test", ranking: other, index: 3, evaluations: 3, users },
      ],
    );
    assertEquals(users, 40);
    for (const { seconds } of heard) assertEquals(seconds >= 0, true, `${seconds}`);
    const without = await runCell(data, SYSTEMS[name], name, settings);
    assertBitIdentical(metricsOf(withListener), metricsOf(without), name);
  }
});

Deno.test("runCell: the other ranking is history_excluded when the cell ranks with history_kept", async () => {
  const data = await prepareDataset({ kind: "synthetic", config: SMALL_SYNTHETIC });
  const heard: string[] = [];
  await runCell(data, SYSTEMS["Pop"], "Pop", {
    seed: 0,
    training: { ranking: "history_kept" },
    onEvaluation: (p) => heard.push(`${p.stage} ${p.ranking}`),
  });
  assertEquals(heard, ["valid history_kept", "test history_kept", "test history_excluded"]);
});

Deno.test("evaluationLine and slowEvaluationLine: place, stage, protocol, users, time; only slow ones by default", () => {
  const progress: EvaluationProgress = {
    stage: "test",
    ranking: "history_kept",
    index: 3,
    evaluations: 3,
    users: 671,
    seconds: 3.27,
  };
  assertEquals(
    evaluationLine(progress),
    "    evaluation 3/3 test (history kept): 671 users, 3.3 s",
  );
  assertEquals(
    evaluationLine({ ...progress, stage: "valid", ranking: "history_excluded", index: 1 }),
    "    evaluation 1/3 valid (history excluded): 671 users, 3.3 s",
  );
  assertEquals(slowEvaluationLine(progress), evaluationLine(progress));
  assertEquals(
    slowEvaluationLine({ ...progress, seconds: SLOW_EVALUATION_SECONDS }),
    evaluationLine({ ...progress, seconds: SLOW_EVALUATION_SECONDS }),
  );
  assertEquals(
    slowEvaluationLine({ ...progress, seconds: SLOW_EVALUATION_SECONDS - 0.01 }),
    undefined,
  );
});

Deno.test("runPlannedCell passes the cell's onEvaluation to its run", async () => {
  const plan = planExperiments("quick", [0]);
  const planned = plan.cells.find((c) => c.systemName === "SASRec-MM")!;
  const cell = {
    ...planned,
    dataset: { kind: "synthetic", config: SMALL_SYNTHETIC },
    training: { ...planned.training, maxEpochs: 1, maxBatchesPerEpoch: 1 },
    scoreAttribution: false,
  } as const;
  const data = await prepareDataset(cell.dataset);
  const heard: number[] = [];
  await runPlannedCell(plan, cell, data, {
    onProgress: () => {},
    onEvaluation: (p) => heard.push(p.index),
  });
  assertEquals(heard, [1, 2, 3]);
});

Deno.test("runPlan's cell runner logs a slow evaluation's line and leaves a fast one out", async () => {
  const base = { stage: "valid", ranking: "history_excluded", evaluations: 3, users: 671 } as const;
  const reports: EvaluationProgress[] = [
    { ...base, index: 1, seconds: 5.6 },
    { ...base, stage: "test", index: 2, seconds: 0.2 },
    { ...base, stage: "test", ranking: "history_kept", index: 3, seconds: 3.3 },
  ];
  const lines = await linesOfStandInCell((callbacks) => {
    for (const report of reports) callbacks.onEvaluation!(report);
  });
  assertEquals(lines, [evaluationLine(reports[0]), evaluationLine(reports[2])]);
});
