/**
 * Notebook 08's path for a researcher's own RecBole files, walked on copies of the test fixture
 * in a folder of their own: each malformed file is refused naming the file, the line and the
 * field, before anything is written; what the protocol drops or keeps is said in the dataset's
 * preprocessing lines; good files go through training (a plain SASRec and Demure), evaluation and
 * the explanation of one user.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { DataError } from "../../lib/data/errors.ts";
import { type FileDatasetSpec, prepareDataset } from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { runCell } from "../../lib/experiments/run_cell.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { SYSTEMS, withDemure } from "../../lib/experiments/systems.ts";
import { describeRecommendation, explainRecommendations } from "../../lib/explain/mod.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainModel } from "../../lib/train/trainer.ts";

await initBackend({ verbose: false });

const FIXTURES = new URL("../fixtures/byo/", import.meta.url).pathname;
const INTER = Deno.readTextFileSync(`${FIXTURES}tiny.inter`);
const ITEM = Deno.readTextFileSync(`${FIXTURES}tiny.item`);
const INTER_LINES = INTER.trimEnd().split("\n");

/** `mine.inter` and `mine.item` in a new folder; `use` gets their spec and the folder. */
async function withFiles(
  inter: string,
  item: string,
  use: (spec: FileDatasetSpec, folder: string) => Promise<void>,
): Promise<void> {
  const folder = Deno.makeTempDirSync({ prefix: "byo_walk_byo50_" });
  try {
    Deno.writeTextFileSync(`${folder}/mine.inter`, inter);
    Deno.writeTextFileSync(`${folder}/mine.item`, item);
    await use({ kind: "file", path: `${folder}/mine`, format: "recbole" }, folder);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
}

/** The fixture's `.inter` with its 1-based line `line` replaced by `edit(line's text)`. */
function interEditedAt(line: number, edit: (text: string) => string): string {
  return INTER_LINES.map((text, k) => k === line - 1 ? edit(text) : text).join("\n") + "\n";
}

/** Refused by `prepareDataset` with a DataError; the folder keeps only the two input files. */
async function refusal(inter: string, item: string): Promise<[string, number, string, string]> {
  let found: [string, number, string, string] | undefined;
  await withFiles(inter, item, async (spec, folder) => {
    const error = await assertRejects(() => prepareDataset(spec), DataError) as DataError;
    const shown = (text: string) => text.replaceAll(folder, "<folder>");
    found = [shown(error.file), error.line, error.field, shown(error.detail)];
    const left = [...Deno.readDirSync(folder)].map((entry) => entry.name).sort();
    assertEquals(left, ["mine.inter", "mine.item"], "nothing written next to the data");
  });
  return found!;
}

Deno.test("own RecBole files: a wrong header names the file, its header line and the field it lacks", async () => {
  const [file, line, field, detail] = await refusal(
    INTER.replace("user_id:token", "user:token"),
    ITEM,
  );
  assertEquals([file, line, field], ["<folder>/mine.inter", 1, "user_id:token"]);
  assert(detail.startsWith("missing column (the header has user:token, item_id:token, "), detail);
});

Deno.test("own RecBole files: a row missing a field names its line and the field", async () => {
  const cut = interEditedAt(4, (text) => text.split("\t").slice(0, 2).join("\t"));
  assertEquals(await refusal(cut, ITEM), [
    "<folder>/mine.inter",
    4,
    "timestamp:float",
    "2 fields, header has 3",
  ]);
});

Deno.test("own RecBole files: an item id never in the .item file names the .inter line and the .item file", async () => {
  const [file, line, field, detail] = await refusal(`${INTER}u01\tzz99\t1600000001\n`, ITEM);
  assertEquals([file, line, field], [
    "<folder>/mine.inter",
    INTER_LINES.length + 1,
    "item_id:token",
  ]);
  assertStringIncludes(
    detail,
    'unknown item id "zz99" (not in <folder>/mine.item); 1 line names 1 item without a row there',
  );
});

Deno.test("own RecBole files: a list of numbers in a float column says the column's type is float_seq", async () => {
  // The user wrote the header's type by hand: `vector:float` for the fixture's 4-d vectors.
  const [file, line, field, detail] = await refusal(
    INTER,
    ITEM.replace("vector:float_seq", "vector:float"),
  );
  assertEquals([file, line, field], ["<folder>/mine.item", 2, "vector:float"]);
  assertEquals(
    detail,
    'not a number: "1.254 0.353 0.334 0.163" (decimal notation expected, e.g. 12, -0.5, 1e-3; ' +
      "several numbers in one cell: a column of number lists is of type float_seq " +
      "(vector:float_seq in the header))",
  );
  // Words are not a list of numbers: no such hint.
  const [, , , words] = await refusal(INTER, ITEM.replace("1.254 0.353 0.334 0.163", "big red"));
  assertStringIncludes(words, 'not a number: "big"');
  assert(!words.includes("float_seq in the header"), words);
});

Deno.test("own RecBole files: a float_seq cell written with commas says its values are separated by spaces", async () => {
  const [file, line, field, detail] = await refusal(
    INTER,
    ITEM.replace("1.254 0.353 0.334 0.163", "1.254,0.353,0.334,0.163"),
  );
  assertEquals([file, line, field], ["<folder>/mine.item", 2, "vector:float_seq[0]"]);
  assertEquals(
    detail,
    'not a number: "1.254,0.353,0.334,0.163" (decimal notation expected, e.g. 12, -0.5, 1e-3; ' +
      "a comma-separated list? the values of a float_seq cell are separated by spaces: " +
      "1.254 0.353 0.334 0.163)",
  );
  // One comma between digits is still read as a decimal comma, and thousands as thousands.
  for (const written of ["0,353", "1,234,567"]) {
    const [, , , comma] = await refusal(INTER, ITEM.replace("1.254 0.353", `1.254 ${written}`));
    assertStringIncludes(comma, "a decimal comma or a thousands separator?");
  }
});

Deno.test("own RecBole files: a refused file leaves no results folder behind in runPlan", async () => {
  const results = Deno.makeTempDirSync({ prefix: "byo_walk_results_byo50_" });
  try {
    await withFiles(INTER.replace("item_id:token", "item:token"), ITEM, async (spec) => {
      const plan = planExperiments("quick", [0], { dataset: spec });
      const error = await assertRejects(
        () => runPlan(plan, { resultsDir: `${results}/mine`, log: () => {}, onEpoch: () => {} }),
        DataError,
      ) as DataError;
      assertEquals([error.line, error.field], [1, "item_id:token"]);
    });
    assertEquals([...Deno.readDirSync(results)], [], "no results folder made");
  } finally {
    Deno.removeSync(results, { recursive: true });
  }
});

Deno.test("own RecBole files: a repeated line and a user of one interaction are kept or dropped, and said so", async () => {
  const repeated = [...INTER_LINES.slice(0, 5), INTER_LINES[3], ...INTER_LINES.slice(5)];
  const inter = [...repeated, "lonely\ti01\t1600000000"].join("\n") + "\n";
  await withFiles(inter, ITEM, async (spec, folder) => {
    const data = await prepareDataset(spec);
    const lines = data.split.dataset.metadata.preprocessing.join("\n").replaceAll(
      folder,
      "<folder>",
    );
    assertStringIncludes(
      lines,
      "1 row repeats an earlier row's user, item and timestamp (first: line 6 repeats line 4 " +
        "of <folder>/mine.inter): kept as repeated interactions",
    );
    assertStringIncludes(lines, "kept 48 of 49 users, 30 of 30 items, 477 of 478 interactions");
    assert(!data.split.dataset.userIds.includes("lonely"));
  });
});

Deno.test("own RecBole files: import, a plain SASRec and a Demure run, their test metrics, one user explained", async () => {
  await withFiles(INTER, ITEM, async (spec) => {
    const data = await prepareDataset(spec);
    assertEquals(data.label, "mine");
    // Demure's warm-up of 2 steps ends within the first of 3 epochs of 3 steps: it denoises.
    const systems = [
      ["SASRec-MM", SYSTEMS["SASRec-MM"]],
      ["Demure-SASRec", withDemure("Demure-SASRec", { warmupSteps: 2 })],
    ] as const;
    for (const [name, system] of systems) {
      const cell = await runCell(data, system, name, {
        seed: 0,
        model: { dim: 8 },
        training: { maxEpochs: 3, batchSize: 16 },
        onProgress: () => {},
      });
      assert(Number.isFinite(cell.test["NDCG@10"]), `${name}: ${JSON.stringify(cell.test)}`);
      if (name === "Demure-SASRec") assert((cell.demure?.attributed ?? 0) > 0, "it denoised");
    }
    const model = new SequentialRecommender(data.split.dataset, {
      seed: 0,
      dim: 8,
      maxLength: data.split.maxLength,
    });
    try {
      await trainModel(model, data.split, { seed: 0, maxEpochs: 1, batchSize: 16 }, {
        onProgress: () => {},
      });
      const { recommendations } = await explainRecommendations(model, data.split, {
        users: [0],
        reasons: 3,
      });
      assertEquals(recommendations.length, 1);
      const said = describeRecommendation(recommendations[0]);
      assert(said.startsWith(`user ${recommendations[0].user}: "`), said);
      assert(/the (genre|vector|id) of "i\d\d"/.test(said), said);
    } finally {
      model.dispose();
    }
  });
});
