/**
 * scripts/rerun_cell.ts reads its command line as every script does: `--help` prints the usage,
 * and a missing cell file is one line ending "; see --help" with exit 2, before anything runs.
 */
import { assert, assertEquals } from "@std/assert";
import { runScript } from "./_run_script.ts";

const rerunCell = (args: readonly string[]) => runScript("scripts/rerun_cell.ts", args);

/** A record's settings with every field the rerun reads present and of its type. */
const WHOLE_SETTINGS = {
  dataset: {},
  system: {},
  model: {},
  training: {},
  seed: 0,
  scoreAttribution: false,
} as const;

Deno.test("rerun_cell: --help prints the usage; no cell file is exit 2 pointing at --help", async () => {
  const help = await rerunCell(["--help"]);
  assertEquals([help.code, help.stderr], [0, ""]);
  assert(help.stdout.startsWith("usage: rerun_cell.ts [--write] <cell result file>"), help.stdout);
  const missing = await rerunCell([]);
  assertEquals(missing.code, 2);
  assert(missing.stderr.trimEnd().endsWith("; see --help"), missing.stderr);
  // Two files: the second would not be rerun, without a word.
  const two = await rerunCell(["a.json", "b.json"]);
  assertEquals(two.code, 2);
  assert(two.stderr.startsWith("rerun_cell: name one cell result file"), two.stderr);
});

Deno.test("rerun_cell: a missing, non-JSON or incomplete cell file is one line naming the file and the field", async () => {
  // Each used to end in a stack (NotFound, SyntaxError, a TypeError in the data loader).
  const folder = await Deno.makeTempDir({ prefix: "rerun_cell_bad_" });
  try {
    const notJson = `${folder}/notes.json`;
    Deno.writeTextFileSync(notJson, "# not a cell\n");
    const noDataset = `${folder}/no_dataset.json`;
    Deno.writeTextFileSync(noDataset, JSON.stringify({ key: "k", settings: {}, result: {} }));
    const cases: [string, number, string][] = [
      [`${folder}/missing.json`, 2, `${folder}/missing.json: no such file; see --help`],
      [notJson, 1, `${notJson}: not JSON (`],
      [noDataset, 1, `${noDataset}: field "settings.dataset": expected an object`],
    ];
    // Each field the rerun reads, wrong in a file that is otherwise whole.
    const settings = WHOLE_SETTINGS;
    const wrong: [string, Record<string, unknown>, string][] = [
      ["key", { settings, result: {} }, "a string"],
      [
        "settings.training",
        { key: "k", settings: { ...settings, training: 1 }, result: {} },
        "an object",
      ],
      [
        "settings.seed",
        { key: "k", settings: { ...settings, seed: 1.5 }, result: {} },
        "an integer",
      ],
      [
        "settings.scoreAttribution",
        { key: "k", settings: { ...settings, scoreAttribution: "yes" }, result: {} },
        "true or false",
      ],
    ];
    for (const [field, content, expected] of wrong) {
      const path = `${folder}/${field}.json`;
      Deno.writeTextFileSync(path, JSON.stringify(content));
      cases.push([path, 1, `${path}: field "${field}": expected ${expected}`]);
    }
    for (const [path, code, start] of cases) {
      const run = await rerunCell([path]);
      assertEquals(run.code, code, run.stderr);
      assert(run.stderr.startsWith(`rerun_cell: ${start}`), run.stderr);
      assertEquals(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("rerun_cell: no settings, a settings.system or settings.model that is not an object, or a bad result is one line", async () => {
  // Mutation round FA (FA25, FA26, FA30, FA55, FA56): the checks of these fields were each read by
  // no test; without them the rerun ended in a TypeError with a stack, or loaded the data before
  // failing.
  const folder = await Deno.makeTempDir({ prefix: "rerun_cell_bad_fields_" });
  try {
    const settings = WHOLE_SETTINGS;
    const cases: [string, Record<string, unknown>, string][] = [
      ["no_settings", { key: "k", result: {} }, 'field "settings": expected an object'],
      [
        "system",
        { key: "k", settings: { ...settings, system: "sasrec" }, result: {} },
        'field "settings.system": expected an object',
      ],
      [
        "model",
        { key: "k", settings: { ...settings, model: null }, result: {} },
        'field "settings.model": expected an object',
      ],
      ["result", { key: "k", settings, result: {} }, 'result: field "system" is undefined'],
      // An array is not the object a field names (FA55); a list is not a cell file (FA56).
      [
        "dataset_list",
        { key: "k", settings: { ...settings, dataset: [] }, result: {} },
        'field "settings.dataset": expected an object',
      ],
    ];
    const list = `${folder}/list.json`;
    Deno.writeTextFileSync(list, JSON.stringify([{ key: "k", settings, result: {} }]));
    const listRun = await rerunCell([list]);
    assertEquals(listRun.code, 1, listRun.stderr);
    assertEquals(
      listRun.stderr,
      `rerun_cell: ${list}: field "(top level)": expected an object { key, settings, result } ` +
        "(a cell result file)\n",
    );
    for (const [name, content, expected] of cases) {
      const path = `${folder}/${name}.json`;
      Deno.writeTextFileSync(path, JSON.stringify(content));
      const run = await rerunCell([path]);
      assertEquals(run.code, 1, run.stderr);
      assert(run.stderr.startsWith(`rerun_cell: ${path}: ${expected}`), run.stderr);
      assertEquals(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
