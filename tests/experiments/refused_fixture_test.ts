/**
 * Notebook 08 shows a refused file with tests/fixtures/byo_refused/date_timestamp.inter: the
 * fixture must stay refused at the line and field the notebook's prose points to, and reading it
 * must leave nothing beside it.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { DataError } from "../../lib/data/errors.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";

const FOLDER = new URL("../fixtures/byo_refused/", import.meta.url);

Deno.test("notebook 08's refused fixture: a date where a timestamp belongs, named by line and field", async () => {
  const before = [...Deno.readDirSync(FOLDER)].map((entry) => entry.name).sort();
  const error = await assertRejects(
    () =>
      prepareDataset({
        kind: "file",
        path: new URL("date_timestamp", FOLDER).pathname,
        format: "recbole",
      }),
    DataError,
  ) as DataError;
  assertEquals(error.file, new URL("date_timestamp.inter", FOLDER).pathname);
  assertEquals(error.line, 4);
  assertEquals(error.field, "timestamp:float");
  assertStringIncludes(error.detail, '"2020-09-13"');
  assertEquals([...Deno.readDirSync(FOLDER)].map((entry) => entry.name).sort(), before);
});
