/**
 * A cell's evaluation shows its progress while it runs (runCell's onEvaluationProgress): a full
 * ranking over every user of a large dataset ran for minutes with nothing after the last epoch
 * line. The events are throttled (every 5 s at most, none for an evaluation done sooner), so the
 * child here runs on a clock that moves 6 s at each reading: no test waits or is timed. By
 * default the lines go to stderr, stdout keeping only what a tool reads; runPlan's cell runner (and
 * reproduce --cell, the same two lines) logs them with its other lines.
 */
import { assertEquals } from "@std/assert";
import { runningEvaluationLine } from "../../lib/experiments/evaluation_progress.ts";
import { validationProgressLine } from "../../lib/train/progress.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";
import { linesOfStandInCell } from "./_stand_in_claimed_cell.ts";

/**
 * A child that runs a cell (Pop unless `system` says) of 40 users on a clock of 6 s a reading;
 * `settings` its extra.
 */
function popCellChild(settings: string, report: string, system = "Pop"): string {
  return `
    import { initBackend } from ${projectModule("lib/backend/init_backend.ts")};
    import { prepareDataset } from ${projectModule("lib/experiments/datasets.ts")};
    import { runCell } from ${projectModule("lib/experiments/run_cell.ts")};
    import { SYSTEMS } from ${projectModule("lib/experiments/systems.ts")};
    await initBackend({ verbose: false });
    const data = await prepareDataset({
      kind: "synthetic",
      config: { numUsers: 40, numItems: 30, historyLength: 8 },
    });
    const heard = [];
    const lines = { stdout: "", stderr: "" };
    const log = console.log, error = console.error;
    let now = 0;
    performance.now = () => (now += 6000);
    console.log = (...a) => { lines.stdout += a.join(" ") + "\\n"; };
    console.error = (...a) => { lines.stderr += a.join(" ") + "\\n"; };
    await runCell(data, SYSTEMS[${JSON.stringify(system)}], ${JSON.stringify(system)}, {
      seed: 0,
      onEvaluation: () => {},
      ${settings}
    });
    console.log = log; console.error = error;
    console.log(JSON.stringify(${report}));
  `;
}

Deno.test("runCell: onEvaluationProgress hears each evaluation's users scored, its place and the last with all", async () => {
  const heard = await evalInSubprocess<unknown[]>(popCellChild(
    "onEvaluationProgress: (place, p) => heard.push([place, p.done, p.total])",
    "heard",
  ));
  assertEquals(heard, [
    [{ stage: "valid", ranking: "history_excluded", index: 1, evaluations: 3 }, 40, 40],
    [{ stage: "test", ranking: "history_excluded", index: 2, evaluations: 3 }, 40, 40],
    [{ stage: "test", ranking: "history_kept", index: 3, evaluations: 3 }, 40, 40],
  ]);
});

Deno.test("runCell: by default a slow evaluation's progress goes to stderr, stdout stays empty", async () => {
  const lines = await evalInSubprocess<{ stdout: string; stderr: string }>(
    popCellChild("", "lines"),
  );
  assertEquals(lines.stdout, "");
  const stderr = lines.stderr.trimEnd().split("\n");
  assertEquals(stderr.length, 3);
  assertEquals(
    stderr.map((line) => line.split(":")[0]),
    [
      "    evaluation 1/3 valid (history excluded)",
      "    evaluation 2/3 test (history excluded)",
      "    evaluation 3/3 test (history kept)",
    ],
  );
  for (const line of stderr) assertEquals(line.includes(": 40/40 users, "), true, line);
});

Deno.test("runningEvaluationLine: place, stage, protocol, users scored of all, rate and time left", () => {
  assertEquals(
    runningEvaluationLine(
      { stage: "test", ranking: "history_excluded", index: 2, evaluations: 3 },
      { done: 512, total: 2048, seconds: 4 },
    ),
    "    evaluation 2/3 test (history excluded): 512/2048 users, 128 users/s, 4.0 s, " +
      "about 12 s of it left",
  );
});

Deno.test("runPlan's cell runner logs an evaluation's progress with its other lines", async () => {
  const place = { stage: "valid", ranking: "history_excluded", index: 1, evaluations: 3 } as const;
  const progress = [{ done: 256, total: 671, seconds: 5.1 }, { done: 671, total: 671, seconds: 9 }];
  const lines = await linesOfStandInCell((callbacks) => {
    for (const p of progress) callbacks.onEvaluationProgress!(place, p);
  });
  assertEquals(lines, progress.map((p) => runningEvaluationLine(place, p)));
});

Deno.test("runCell: a neural cell's validations show their progress on stderr by default, or to onValidationProgress", async () => {
  const training = `model: { dim: 8 },
      training: { maxEpochs: 2, batchSize: 16, maxBatchesPerEpoch: 1 },
      onProgress: () => {},`;
  const lines = await evalInSubprocess<{ stdout: string; stderr: string }>(
    popCellChild(training, "lines", "SASRec-MM"),
  );
  assertEquals(lines.stdout, "");
  const stderr = lines.stderr.trimEnd().split("\n").map((line) => line.split(":")[0]);
  assertEquals(stderr, [
    "    validation of epoch 1/2",
    "    validation of epoch 2/2",
    "    evaluation 1/3 valid (history excluded)",
    "    evaluation 2/3 test (history excluded)",
    "    evaluation 3/3 test (history kept)",
  ]);
  const heard = await evalInSubprocess<unknown[]>(popCellChild(
    `${training}
      onEvaluationProgress: () => {},
      onValidationProgress: (place, p) => heard.push([place, p.done, p.total]),`,
    "heard",
    "SASRec-MM",
  ));
  assertEquals(heard, [[{ epoch: 1, maxEpochs: 2 }, 40, 40], [{ epoch: 2, maxEpochs: 2 }, 40, 40]]);
});

Deno.test("runPlan's cell runner logs an epoch's validation progress with its other lines", async () => {
  const place = { epoch: 2, maxEpochs: 20 };
  const progress = { done: 256, total: 671, seconds: 5.1 };
  const lines = await linesOfStandInCell((callbacks) => {
    callbacks.onValidationProgress!(place, progress);
  });
  assertEquals(lines, [validationProgressLine(place, progress)]);
});
