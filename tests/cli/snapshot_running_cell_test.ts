/**
 * scripts/snapshot_running_cell.ts: an unfinished cell's history from its epoch checkpoint, written
 * as a new file renamed over the output (never rewritten in place), and one line naming the file
 * and the field for a folder that holds no usable `last.json`.
 */
import { assert, assertEquals } from "@std/assert";
import { runScript } from "./_run_script.ts";

const snapshot = (args: readonly string[]) => runScript("scripts/snapshot_running_cell.ts", args);

const epoch = (n: number, ndcg: number) => ({
  epoch: n,
  maxEpochs: 10,
  loss: 1 / n,
  validation: { "NDCG@10": ndcg },
});

/** A checkpoint folder `name` in `folder` whose `last.json` holds `fields`; its path. */
function checkpointIn(folder: string, name: string, fields: unknown): string {
  Deno.mkdirSync(`${folder}/${name}`);
  Deno.writeTextFileSync(`${folder}/${name}/last.json`, JSON.stringify(fields));
  return `${folder}/${name}`;
}

Deno.test("snapshot_running_cell: the checkpoint's history, best epoch and noise rates", async () => {
  const folder = await Deno.makeTempDir({ prefix: "snapshot_cell_" });
  try {
    const checkpoint = checkpointIn(folder, "cell-abc123", {
      created: "2026-12-01T00:00:00.000Z",
      modelConfig: { modalities: ["id", "text", "image"] },
      trainerState: {
        epochsDone: 2,
        bestEpoch: 1,
        bestValidation: 0.2,
        history: [epoch(1, 0.2), epoch(2, 0.1)],
        hookState: { noiseCount: [1, 3, 0], validCount: [4, 3, 0] },
      },
    });
    const out = `${folder}/snapshot.json`;
    const run = await snapshot([`${checkpoint}/`, out]);
    assertEquals([run.code, run.stderr], [0, ""]);
    assertEquals(run.stdout.trim(), `wrote ${out}: 2 epochs, best 1`);
    const written = JSON.parse(Deno.readTextFileSync(out));
    assertEquals(written.checkpoint, "cell-abc123");
    assertEquals([written.epochsDone, written.bestEpoch, written.bestValidation], [2, 1, 0.2]);
    assertEquals(written.history, [epoch(1, 0.2), epoch(2, 0.1)]);
    assertEquals(written.modalities, ["id", "text", "image"]);
    // A modality without a pair has no rate (NaN, written as null), not 0.
    assertEquals(written.noiseRateByModality, [0.25, 1, null]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("snapshot_running_cell: the output is replaced whole, not rewritten in place; no counts, no rates", async () => {
  const folder = await Deno.makeTempDir({ prefix: "snapshot_cell_replace_" });
  try {
    // Noise counts without the valid counts they divide by: no rates rather than a crash.
    const checkpoint = checkpointIn(folder, "cell-def456", {
      created: "2026-12-02T00:00:00.000Z",
      modelConfig: {},
      trainerState: {
        epochsDone: 1,
        bestEpoch: 1,
        bestValidation: 0.3,
        history: [epoch(1, 0.3)],
        hookState: { noiseCount: [2] },
      },
    });
    const out = `${folder}/snapshot.json`;
    Deno.writeTextFileSync(out, "an earlier snapshot\n");
    // A second name of the earlier file: written in place, it would show the new text too (and a
    // reader of the output could see it half-written).
    Deno.linkSync(out, `${folder}/earlier.json`);
    const run = await snapshot([checkpoint, out]);
    assertEquals([run.code, run.stderr], [0, ""]);
    assertEquals(Deno.readTextFileSync(`${folder}/earlier.json`), "an earlier snapshot\n");
    const written = JSON.parse(Deno.readTextFileSync(out));
    assertEquals([written.checkpoint, written.epochsDone, written.bestValidation], [
      "cell-def456",
      1,
      0.3,
    ]);
    assertEquals([written.modalities, written.noiseRateByModality], [undefined, undefined]);
    // Nothing else left beside it (no temporary).
    assertEquals([...Deno.readDirSync(folder)].map((entry) => entry.name).sort(), [
      "cell-def456",
      "earlier.json",
      "snapshot.json",
    ]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("snapshot_running_cell: no checkpoint, not JSON or a missing field is one line; nothing is written", async () => {
  const folder = await Deno.makeTempDir({ prefix: "snapshot_cell_bad_" });
  try {
    const notJson = `${folder}/not_json`;
    Deno.mkdirSync(notJson);
    // JSON.parse's message quotes the text, its line breaks included.
    Deno.writeTextFileSync(`${notJson}/last.json`, '{\n"epochsDone": one\n}');
    const unreadable = `${folder}/unreadable`;
    Deno.mkdirSync(`${unreadable}/last.json`, { recursive: true });
    const state = { epochsDone: 1, bestEpoch: 1, bestValidation: 0, history: [] };
    const list = checkpointIn(folder, "list", [state]);
    const noCreated = checkpointIn(folder, "no_created", { modelConfig: {}, trainerState: state });
    const noConfig = checkpointIn(folder, "no_config", { created: "x", trainerState: state });
    const noEpochs = checkpointIn(folder, "no_epochs", {
      created: "x",
      modelConfig: {},
      trainerState: { ...state, epochsDone: undefined },
    });
    const noHistory = `${folder}/no_history`;
    Deno.mkdirSync(noHistory);
    Deno.writeTextFileSync(
      `${noHistory}/last.json`,
      JSON.stringify({
        created: "x",
        modelConfig: {},
        trainerState: { epochsDone: 1, bestEpoch: 1, bestValidation: 0 },
      }),
    );
    const out = `${folder}/out.json`;
    const cases: [string[], number, string][] = [
      [[], 2, "name a checkpoint folder and an output file"],
      [[noHistory, out, "extra"], 2, "name a checkpoint folder and an output file"],
      [
        [`${folder}/nope`, out],
        2,
        `${folder}/nope/last.json: no such file (is the folder an epoch checkpoint?)`,
      ],
      [[unreadable, out], 1, `${unreadable}/last.json: cannot read (`],
      [[notJson, out], 1, `${notJson}/last.json: not JSON (`],
      [[noHistory, out], 1, `${noHistory}/last.json: field "trainerState.history": expected`],
      [[list, out], 1, `${list}/last.json: field "(top level)": expected an object`],
      [[noCreated, out], 1, `${noCreated}/last.json: field "created": expected a string`],
      [[noConfig, out], 1, `${noConfig}/last.json: field "modelConfig": expected an object`],
      [
        [noEpochs, out],
        1,
        `${noEpochs}/last.json: field "trainerState.epochsDone": expected a number`,
      ],
    ];
    for (const [args, code, start] of cases) {
      const run = await snapshot(args);
      assertEquals(run.code, code, run.stderr);
      assert(run.stderr.startsWith(`snapshot_running_cell: ${start}`), run.stderr);
      assertEquals(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
    }
    assertEquals([...Deno.readDirSync(folder)].some((entry) => entry.name === "out.json"), false);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("snapshot_running_cell: when it was saved, and the dataset's modalities when the config names none", async () => {
  // Mutation round FA (FA17, FA18): neither the save time nor the fallback for a config without
  // modalities was read by any test.
  const folder = await Deno.makeTempDir({ prefix: "snapshot_cell_default_modalities_" });
  try {
    const checkpoint = checkpointIn(folder, "cell-0a1b2c", {
      created: "2026-12-03T04:05:06.000Z",
      modelConfig: {},
      trainerState: {
        epochsDone: 1,
        bestEpoch: 1,
        bestValidation: 0.4,
        history: [epoch(1, 0.4)],
        hookState: { noiseCount: [1, 1], validCount: [2, 4] },
      },
    });
    const out = `${folder}/snapshot.json`;
    const run = await snapshot([checkpoint, out]);
    assertEquals([run.code, run.stderr], [0, ""]);
    const written = JSON.parse(Deno.readTextFileSync(out));
    assertEquals(written.savedAt, "2026-12-03T04:05:06.000Z");
    assertEquals(written.modalities, "the dataset's, in order");
    assertEquals(written.noiseRateByModality, [0.5, 0.25]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("snapshot_running_cell: a best epoch or best validation that is not a number is one line naming it", async () => {
  // Mutation round FA (FA19): only trainerState.epochsDone was checked by a test.
  const folder = await Deno.makeTempDir({ prefix: "snapshot_cell_bad_best_" });
  try {
    const state = { epochsDone: 1, bestEpoch: 1, bestValidation: 0, history: [] };
    for (const name of ["bestEpoch", "bestValidation"]) {
      const checkpoint = checkpointIn(folder, name, {
        created: "x",
        modelConfig: {},
        trainerState: { ...state, [name]: "1" },
      });
      const run = await snapshot([checkpoint, `${folder}/out.json`]);
      assertEquals(run.code, 1, run.stderr);
      assertEquals(
        run.stderr,
        `snapshot_running_cell: ${checkpoint}/last.json: field "trainerState.${name}": ` +
          "expected a number\n",
      );
    }
    assertEquals([...Deno.readDirSync(folder)].some((entry) => entry.name === "out.json"), false);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("snapshot_running_cell: noise counts that are not arrays of numbers, or count other modalities than the valid counts, are one line", async () => {
  // Found in mutation round FA (reading FA16/FA21): the counts were not checked, so a non-array
  // ended in a TypeError with a stack, and counts of unequal length gave a null rate for the
  // modalities past the shorter one, without a word.
  const folder = await Deno.makeTempDir({ prefix: "snapshot_cell_bad_counts_" });
  try {
    const state = { epochsDone: 1, bestEpoch: 1, bestValidation: 0, history: [] };
    const cases: [string, unknown, string][] = [
      ["hook_list", [1], 'field "trainerState.hookState": expected an object'],
      [
        "noise_number",
        { noiseCount: 3, validCount: [4] },
        'field "trainerState.hookState.noiseCount": expected an array of numbers',
      ],
      [
        "valid_text",
        { noiseCount: [1], validCount: ["4"] },
        'field "trainerState.hookState.validCount": expected an array of numbers',
      ],
      [
        "unequal",
        { noiseCount: [1, 2], validCount: [4] },
        'field "trainerState.hookState.validCount": expected 2 counts (one per modality of ' +
        "noiseCount), found 1",
      ],
    ];
    for (const [name, hookState, expected] of cases) {
      const checkpoint = checkpointIn(folder, name, {
        created: "x",
        modelConfig: {},
        trainerState: { ...state, hookState },
      });
      const run = await snapshot([checkpoint, `${folder}/out.json`]);
      assertEquals(run.code, 1, run.stderr);
      assertEquals(
        run.stderr,
        `snapshot_running_cell: ${checkpoint}/last.json: ${expected}\n`,
      );
    }
    assertEquals([...Deno.readDirSync(folder)].some((entry) => entry.name === "out.json"), false);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
