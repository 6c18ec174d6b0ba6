/**
 * An epoch's validation shows its progress while it runs (TrainerHooks.onValidationProgress): a
 * full ranking of a large dataset's users runs for minutes before the epoch's line. Throttled to
 * every 5 s at most (none for a validation done sooner), so the child here runs on a clock that
 * moves 6 s at each reading: no test waits or is timed. The trainer's own printing puts the line
 * on stderr; a caller with its own `onProgress` hears nothing it did not ask for. The numbers are
 * the same with and without a listener.
 */
import { assertEquals } from "@std/assert";
import { validationProgressLine } from "../../lib/train/progress.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

interface Heard {
  validations: [number, number, number, number][];
  stdout: string[];
  stderr: string[];
  epochs: unknown[];
}

/** Trains 2 epochs on the tiny dataset in a child on a clock of 6 s a reading, with `hooks`. */
function trainInChild(hooks: string): Promise<Heard> {
  return evalInSubprocess(`
    import { initBackend } from ${projectModule("lib/backend/init_backend.ts")};
    import { SequentialRecommender } from ${projectModule("lib/models/sequential_recommender.ts")};
    import { trainModel } from ${projectModule("lib/train/trainer.ts")};
    import { leaveOneOut, tinyDataset } from ${projectModule("tests/models/_fixtures.ts")};
    await initBackend({ verbose: false });
    const split = leaveOneOut(tinyDataset(), 6);
    const model = new SequentialRecommender(split.dataset, { dim: 8, seed: 1 });
    const heard = { validations: [], stdout: [], stderr: [], epochs: [] };
    const log = console.log, error = console.error;
    let now = 0;
    performance.now = () => (now += 6000);
    console.log = (...a) => heard.stdout.push(a.join(" "));
    console.error = (...a) => heard.stderr.push(a.join(" "));
    await trainModel(model, split, { maxEpochs: 2, batchSize: 2, seed: 4 }, ${hooks});
    console.log = log; console.error = error;
    console.log(JSON.stringify(heard));
  `);
}

Deno.test("trainer: onValidationProgress hears each epoch's validation, the last with every user", async () => {
  const heard = await trainInChild(`{
    onProgress: (p) => heard.epochs.push([p.epoch, p.validation]),
    onValidationProgress: (place, p) => heard.validations.push([place.epoch, place.maxEpochs, p.done, p.total]),
  }`);
  const users = leaveOneOut(tinyDataset(), 6).train.length;
  assertEquals(heard.validations, [[1, 2, users, users], [2, 2, users, users]]);
  assertEquals([heard.stdout, heard.stderr], [[], []]);
  // A caller with its own onProgress and no listener hears nothing else; the same validations.
  const quiet = await trainInChild(
    `{ onProgress: (p) => heard.epochs.push([p.epoch, p.validation]) }`,
  );
  assertEquals([quiet.stdout, quiet.stderr, quiet.validations], [[], [], []]);
  assertEquals(heard.epochs, quiet.epochs);
});

Deno.test("trainer: with its own epoch lines, the validation's progress goes to stderr", async () => {
  const heard = await trainInChild("{}");
  assertEquals(heard.stdout.length, 2); // the epoch lines, as before
  assertEquals(heard.stderr.length, 2);
  for (const [i, line] of heard.stderr.entries()) {
    assertEquals(line.startsWith(`    validation of epoch ${i + 1}/2: `), true, line);
  }
});

Deno.test("validationProgressLine: epoch of all, users scored of all, rate, time so far and left", () => {
  assertEquals(
    validationProgressLine({ epoch: 3, maxEpochs: 20 }, { done: 512, total: 2048, seconds: 4 }),
    "    validation of epoch 3/20: 512/2048 users, 128 users/s, 4.0 s, about 12 s of it left",
  );
});
