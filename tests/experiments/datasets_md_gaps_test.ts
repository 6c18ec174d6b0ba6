/**
 * prepareDataset and readDatasetFile (lib/experiments/datasets.ts) where mutation round MD found
 * behaviour no test pinned: the no-content note is added to the reader's own preprocessing lines
 * (never replaces them), and only an imported file's k-core failure becomes the file's DataError.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { prepareDataset, readDatasetFile } from "../../lib/experiments/datasets.ts";
import { SettingError } from "../../lib/util/settings.ts";

const FIXTURES = new URL("../fixtures/byo/", import.meta.url).pathname;

Deno.test("readDatasetFile: the no-content note follows the reader's own preprocessing lines", () => {
  // Found by mutation round MD (MD33): the note replacing the reader's lines dropped how the file
  // was read (the statistics card's preprocessing rows) without a word.
  const dataset = readDatasetFile({
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
  });
  assertEquals(dataset.metadata.preprocessing, [
    "one user per line, items in the given (chronological) order",
    "no feature file: no content modality, only the learned item id (every multi-modal system " +
    "sees the id alone)",
  ]);
});

Deno.test("prepareDataset: a synthetic config the k-core filter empties stays a setting's error", async () => {
  // Found by mutation round MD (MD34): only an imported file's failure is the file's fault; a
  // synthetic config's names the setting (and the generated data), not a file path it has none of.
  const error = await assertRejects(
    () =>
      prepareDataset({
        kind: "synthetic",
        config: { historyLength: 3, numUsers: 20, numItems: 30 },
      }),
    SettingError,
  ) as SettingError;
  assertEquals(error.setting, "KCoreConfig.k");
});
