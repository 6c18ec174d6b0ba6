/**
 * The numbers of a run on imported data carry their data: the protocol card and the report name
 * the files and what the filter kept, a dataset without content modalities says so, and cells
 * stored from files that have changed since are neither reused nor reported.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  type FileDatasetSpec,
  prepareDataset,
  readDatasetFile,
} from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { summarise } from "../../lib/experiments/summary.ts";
import { summaryMarkdown } from "../../lib/experiments/markdown_report.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { runOneCell } from "../../lib/experiments/cell_command.ts";
import { StaleCellError } from "../../lib/experiments/stored_data_check.ts";

await initBackend({ verbose: false });

const FIXTURES = new URL("../fixtures/byo/", import.meta.url).pathname;

/** A copy of the RecBole fixture (tiny.inter, and tiny.item unless `withItem` is false). */
function copyOfFixture(withItem = true): { dir: string; spec: FileDatasetSpec } {
  const dir = Deno.makeTempDirSync({ prefix: "imported_data_protocol_test_" });
  Deno.copyFileSync(`${FIXTURES}tiny.inter`, `${dir}/tiny.inter`);
  if (withItem) Deno.copyFileSync(`${FIXTURES}tiny.item`, `${dir}/tiny.item`);
  return { dir, spec: { kind: "file", path: `${dir}/tiny`, format: "recbole" } };
}

Deno.test("the card and the report name the imported files and what the filter kept", async () => {
  const spec: FileDatasetSpec = {
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
    features: [{ name: "image", path: `${FIXTURES}tiny_image.txt` }],
  };
  const data = await prepareDataset(spec);
  const source = `source: sequence file ${FIXTURES}tiny.txt + image from ${FIXTURES}tiny_image.txt`;
  assertEquals(data.split.protocol[1], source);
  const filtering = data.split.protocol.find((line) => line.startsWith("5-core"));
  assertStringIncludes(filtering ?? "", "kept 48 of 48 users, 30 of 30 items");
  const plan = planExperiments("quick", [0], { dataset: spec });
  const markdown = summaryMarkdown(summarise({
    plan,
    cells: [],
    byKey: new Map(),
    datasets: new Map([[data.label, data]]),
    pending: [],
    failed: [],
    handedOver: [],
  }));
  assertStringIncludes(markdown, `- ${source}\n`);
  assertStringIncludes(markdown, `- ${filtering}\n`);
  // A user with one interaction: the filter drops it, and the card says so.
  const { dir, spec: single } = copyOfFixture();
  Deno.writeTextFileSync(`${dir}/tiny.inter`, "u98\ti00\t9\n", { append: true });
  const filtered = await prepareDataset(single);
  Deno.removeSync(dir, { recursive: true });
  assert(
    filtered.split.protocol.some((line) =>
      line.endsWith("kept 48 of 49 users, 30 of 30 items, 476 of 477 interactions")
    ),
    filtered.split.protocol.join("\n"),
  );
});

Deno.test("an imported dataset without a content modality says so on its card", async () => {
  const { dir, spec } = copyOfFixture(false);
  const data = await prepareDataset(spec);
  Deno.removeSync(dir, { recursive: true });
  assertEquals(data.split.dataset.modalities.map((m) => m.name), ["id"]);
  assert(
    data.split.protocol.some((line) =>
      line.startsWith(`no ${dir}/tiny.item file and no feature file: no content modality`)
    ),
    data.split.protocol.join("\n"),
  );
  // An .item file that is there but holds only the id column: not "no .item file".
  const idOnly = copyOfFixture(false);
  const ids = Deno.readTextFileSync(`${FIXTURES}tiny.item`).split("\n").map((row) =>
    row.split("\t")[0]
  );
  Deno.writeTextFileSync(`${idOnly.dir}/tiny.item`, ids.join("\n"));
  const bare = await prepareDataset(idOnly.spec);
  Deno.removeSync(idOnly.dir, { recursive: true });
  assert(
    bare.split.protocol.some((line) =>
      line.startsWith(
        `${idOnly.dir}/tiny.item has no feature column (only item_id:token) and no feature ` +
          "file: no content modality",
      )
    ),
    bare.split.protocol.join("\n"),
  );
  const withItem = copyOfFixture();
  const full = await prepareDataset(withItem.spec);
  Deno.removeSync(withItem.dir, { recursive: true });
  assert(!full.split.protocol.some((line) => line.includes("no content modality")));
});

Deno.test("an imported .inter without a timestamp column: the card says its row order is the history", async () => {
  // The card said only "tie-break for equal timestamps: line order of the .inter file" (session
  // 45), of a file without timestamps.
  const note = (dir: string) =>
    `each user's history is in the row order of ${dir}/tiny.inter, which has no timestamp column`;
  const untimed = copyOfFixture();
  const rows = Deno.readTextFileSync(`${untimed.dir}/tiny.inter`).split("\n");
  Deno.writeTextFileSync(
    `${untimed.dir}/tiny.inter`,
    rows.map((row) => row.split("\t").slice(0, 2).join("\t")).join("\n"),
  );
  const data = await prepareDataset(untimed.spec);
  Deno.removeSync(untimed.dir, { recursive: true });
  assertEquals(data.split.dataset.timestamps, undefined);
  assert(data.split.protocol.includes(note(untimed.dir)), data.split.protocol.join("\n"));
  // With timestamps: no note.
  const timed = copyOfFixture();
  const full = await prepareDataset(timed.spec);
  Deno.removeSync(timed.dir, { recursive: true });
  assert(!full.split.protocol.includes(note(timed.dir)), full.split.protocol.join("\n"));
  assert(!full.split.protocol.some((line) => line.includes("row order")));
});

Deno.test("cells stored from imported files that changed since stop the run and the report", async () => {
  const { dir, spec } = copyOfFixture();
  const plan = planExperiments("quick", [0], { dataset: spec });
  const small = { ...plan, cells: plan.cells.filter((c) => c.systemName === "Pop") };
  const resultsDir = `${dir}/results`;
  const quiet = { resultsDir, log: () => {}, onEpoch: () => {} };
  const first = await runPlan(small, quiet);
  assertEquals(first.cells.length, 1);
  // The same files: the stored cell is reused.
  assertEquals((await runPlan(small, quiet)).cells, first.cells);
  // One more user: other data under the same path.
  const more = ["u99\ti00\t1", "u99\ti01\t2", "u99\ti02\t3", "u99\ti03\t4", "u99\ti04\t5"];
  Deno.writeTextFileSync(`${dir}/tiny.inter`, more.join("\n") + "\n", { append: true });
  const cellFile = `${resultsDir}/cells/${small.cells[0].key.replaceAll("/", "__")}.json`;
  for (const runPending of [true, false]) {
    const error = await assertRejects(
      () => runPlan(small, { ...quiet, runPending }),
      StaleCellError,
    );
    assertStringIncludes(error.message, `${cellFile} was computed on tiny: 48 users`);
    assertStringIncludes(error.message, "49 users");
    assertStringIncludes(error.message, `delete ${resultsDir}`);
  }
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("a batch task (runOneCell) stops on cells of imported files that changed since", async () => {
  // A Slurm or Kubernetes task runs `reproduce --cell`: it returned such a cell as "already
  // finished", reused it for a cell that is the same run, and ran trials next to it.
  const { dir, spec } = copyOfFixture();
  const plan = planExperiments("quick", [0], { dataset: spec });
  const [pop, knn] = ["Pop", "ItemKNN"].map((name) =>
    plan.cells.find((cell) => cell.systemName === name)!
  );
  const resultsDir = `${dir}/results`;
  const quiet = { resultsDir, log: () => {} };
  assertEquals((await runOneCell(plan, pop, quiet)).ranNow, true);
  assertEquals((await runOneCell(plan, pop, quiet)).ranNow, false); // the same files: reused
  const more = ["u99\ti00\t1", "u99\ti01\t2", "u99\ti02\t3", "u99\ti03\t4", "u99\ti04\t5"];
  Deno.writeTextFileSync(`${dir}/tiny.inter`, more.join("\n") + "\n", { append: true });
  for (const cell of [pop, knn]) {
    const error = await assertRejects(() => runOneCell(plan, cell, quiet), StaleCellError);
    assertStringIncludes(error.message, "was computed on tiny: 48 users");
    assertStringIncludes(error.message, "49 users");
  }
  // Nothing was written for the other cell.
  assertEquals(
    [...Deno.readDirSync(`${resultsDir}/cells`)].filter((entry) => entry.name.includes("ItemKNN")),
    [],
  );
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("an imported dataset whose only content is a token column has a content modality", () => {
  // A genre column is a multi-hot modality, content as much as a dense one: the card must not say
  // "no content modality" of it.
  const { dir, spec } = copyOfFixture(false);
  const rows = Deno.readTextFileSync(`${FIXTURES}tiny.item`).split("\n").map((row) =>
    row.split("\t").slice(0, 2).join("\t")
  );
  Deno.writeTextFileSync(`${dir}/tiny.item`, rows.join("\n"));
  try {
    const data = readDatasetFile(spec);
    assertEquals(data.modalities.map((m) => m.kind), ["id", "multi_hot"]);
    assert(
      !data.metadata.preprocessing.some((line) => line.includes("no content modality")),
      data.metadata.preprocessing.join("\n"),
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
