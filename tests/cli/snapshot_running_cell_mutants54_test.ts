/**
 * scripts/snapshot_running_cell.ts, cases mutation round mu54c found unpinned: a `hookState` of
 * null, counts with one non-number among numbers, more valid counts than noise counts (each is
 * refused with one line, nothing written), and the snapshot file ending in a newline.
 */
import { assertEquals } from "@std/assert";
import { runScript } from "./_run_script.ts";

const snapshot = (args: readonly string[]) => runScript("scripts/snapshot_running_cell.ts", args);

/** A checkpoint folder `name` in `folder` whose `last.json` has Demure's `hookState`; its path. */
function checkpointWith(folder: string, name: string, hookState: unknown): string {
  Deno.mkdirSync(`${folder}/${name}`);
  const trainerState = { epochsDone: 1, bestEpoch: 1, bestValidation: 0, history: [], hookState };
  Deno.writeTextFileSync(
    `${folder}/${name}/last.json`,
    JSON.stringify({ created: "x", modelConfig: {}, trainerState }),
  );
  return `${folder}/${name}`;
}

Deno.test("snapshot_running_cell: a null hookState, one count not a number, or extra valid counts are one line", async () => {
  const folder = await Deno.makeTempDir({ prefix: "snapshot_cell_mu54c_" });
  try {
    const cases: [string, unknown, string][] = [
      // null is not "no Demure" (an absent field): the checkpoint is not one the trainer writes.
      ["hook_null", null, 'field "trainerState.hookState": expected an object'],
      [
        "noise_mixed",
        { noiseCount: [1, "2"], validCount: [4, 4] },
        'field "trainerState.hookState.noiseCount": expected an array of numbers',
      ],
      [
        "valid_longer",
        { noiseCount: [1, 2], validCount: [4, 4, 4] },
        'field "trainerState.hookState.validCount": expected 2 counts (one per modality of ' +
        "noiseCount), found 3",
      ],
    ];
    for (const [name, hookState, expected] of cases) {
      const checkpoint = checkpointWith(folder, name, hookState);
      const run = await snapshot([checkpoint, `${folder}/out.json`]);
      assertEquals(
        [run.code, run.stderr],
        [1, `snapshot_running_cell: ${checkpoint}/last.json: ${expected}\n`],
        name,
      );
    }
    assertEquals([...Deno.readDirSync(folder)].some((entry) => entry.name === "out.json"), false);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("snapshot_running_cell: the snapshot file ends with a newline", async () => {
  const folder = await Deno.makeTempDir({ prefix: "snapshot_cell_newline_mu54c_" });
  try {
    const checkpoint = checkpointWith(folder, "cell", { noiseCount: [1], validCount: [4] });
    const run = await snapshot([checkpoint, `${folder}/out.json`]);
    assertEquals([run.code, run.stderr], [0, ""]);
    const text = Deno.readTextFileSync(`${folder}/out.json`);
    assertEquals(text.endsWith("}\n"), true, JSON.stringify(text.slice(-5)));
    assertEquals(JSON.parse(text).noiseRateByModality, [0.25]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
