/**
 * scripts/snapshot_running_cell.ts: an unfinished cell's history from its epoch checkpoint, and
 * one line naming the file and the field for a folder that holds no usable `last.json`.
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

Deno.test("snapshot_running_cell: the checkpoint's history, best epoch and noise rates", async () => {
  const folder = await Deno.makeTempDir({ prefix: "snapshot_cell_" });
  try {
    const checkpoint = `${folder}/cell-abc123`;
    Deno.mkdirSync(checkpoint);
    Deno.writeTextFileSync(
      `${checkpoint}/last.json`,
      JSON.stringify({
        created: "2026-12-01T00:00:00.000Z",
        modelConfig: { modalities: ["id", "text", "image"] },
        trainerState: {
          epochsDone: 2,
          bestEpoch: 1,
          bestValidation: 0.2,
          history: [epoch(1, 0.2), epoch(2, 0.1)],
          hookState: { noiseCount: [1, 3, 0], validCount: [4, 3, 0] },
        },
      }),
    );
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

Deno.test("snapshot_running_cell: no checkpoint, not JSON or a missing field is one line; nothing is written", async () => {
  const folder = await Deno.makeTempDir({ prefix: "snapshot_cell_bad_" });
  try {
    const notJson = `${folder}/not_json`;
    Deno.mkdirSync(notJson);
    Deno.writeTextFileSync(`${notJson}/last.json`, "{ half");
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
      [[`${folder}/nope`, out], 2, `${folder}/nope/last.json: no such file`],
      [[notJson, out], 1, `${notJson}/last.json: not JSON (`],
      [[noHistory, out], 1, `${noHistory}/last.json: field "trainerState.history": expected`],
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
