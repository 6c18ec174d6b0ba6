/**
 * prepareDataset, called from a notebook or a library, says which file it is about to read when
 * asked: reading a RecBole file of two million interactions took 21 s (2 busy cores) with nothing
 * shown. `options.log` hears `reading dataset <path> (<format>)` (reproduce --dataset's line, one
 * home: readingDatasetLine) before the file is read, so also before a bad file's error. By
 * default nothing is printed, as before; embedded datasets (MovieLens, synthetic) say nothing.
 * The prepared data is the same with and without it.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { prepareDataset, readingDatasetLine } from "../../lib/experiments/datasets.ts";
import { DataError } from "../../lib/data/errors.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { assertBitIdentical } from "../_bit_identical.ts";

const FIXTURES = new URL("../fixtures/byo/", import.meta.url).pathname;

Deno.test("prepareDataset: options.log hears the reading line of a file dataset; the data is the same", async () => {
  const spec = { kind: "file", path: `${FIXTURES}tiny.txt`, format: "sequence" } as const;
  const lines: string[] = [];
  const heard = await prepareDataset(spec, { log: (line) => lines.push(line) });
  assertEquals(lines, [`reading dataset ${FIXTURES}tiny.txt (sequence)`]);
  assertEquals(lines, [readingDatasetLine(spec)]);
  const quiet = await prepareDataset(spec);
  assertBitIdentical(heard, quiet);
});

Deno.test("prepareDataset: by default it prints nothing", async () => {
  const printed: unknown[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(args);
  try {
    await prepareDataset({ kind: "file", path: `${FIXTURES}tiny.txt`, format: "sequence" });
  } finally {
    console.log = log;
  }
  assertEquals(printed, []);
});

Deno.test("prepareDataset: the line comes before a bad file's error (it is said before reading)", async () => {
  const folder = await Deno.makeTempDir({ prefix: "prepare_reading_line_" });
  try {
    Deno.writeTextFileSync(
      `${folder}/bad.inter`,
      "user_id:token\titem_id:token\ttimestamp:float\nu1\ti1\t1\nu1\ti2\tsoon\n",
    );
    const lines: string[] = [];
    await assertRejects(
      () =>
        prepareDataset({ kind: "file", path: `${folder}/bad`, format: "recbole" }, {
          log: (line) => lines.push(line),
        }),
      DataError,
    );
    assertEquals(lines, [`reading dataset ${folder}/bad (recbole)`]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("prepareDataset: an embedded dataset says nothing; a misspelt option or a log that is not a function is refused", async () => {
  const lines: string[] = [];
  await prepareDataset({
    kind: "synthetic",
    config: { numUsers: 40, numItems: 30, historyLength: 8 },
  }, {
    log: (line) => lines.push(line),
  });
  assertEquals(lines, []);
  const spec = { kind: "file", path: `${FIXTURES}tiny.txt`, format: "sequence" } as const;
  const misspelt = await assertRejects(
    () => prepareDataset(spec, { lgo: console.log } as never),
    SettingError,
  );
  assertEquals((misspelt as SettingError).setting.startsWith("PrepareDatasetOptions"), true);
  const notFunction = await assertRejects(
    () => prepareDataset(spec, { log: "console" } as never),
    SettingError,
  );
  assertEquals((notFunction as SettingError).setting, "PrepareDatasetOptions.log");
});
