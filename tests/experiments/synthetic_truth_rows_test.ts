/**
 * prepareDataset keeps the synthetic benchmark's planted truth on its users when the protocol's
 * 5-core filter drops some: row k of the prepared truth is the generated row of the user the split
 * numbers k. A row read at the new index instead would score every attribution past the first
 * dropped user against another user's points of interest, silently (the attribution ROC-AUC).
 */
import { assert, assertEquals, assertNotEquals, assertRejects } from "@std/assert";
import { SettingError } from "../../lib/util/settings.ts";
import { generateSynthetic } from "../../lib/data/synthetic.ts";
import { datasetStatistics, formatStatistics } from "../../lib/data/protocol/statistics.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";

Deno.test("prepareDataset: the planted truth's rows follow their users through the 5-core filter", async () => {
  // 40 users of 6 interactions over 30 items: the filter drops 2 users (u11 the first).
  const config = { numUsers: 40, numItems: 30, historyLength: 6 };
  const generated = generateSynthetic(config);
  const { split, truth } = await prepareDataset({ kind: "synthetic", config });
  assert(truth !== undefined, "the synthetic benchmark plants a truth");
  const users = split.dataset.userIds;
  assert(users.length < generated.dataset.numUsers, "the fixture must drop users");
  const width = generated.truth.modalityNames.length;
  const generatedRow = (id: string) => {
    const row = generated.dataset.userIds.indexOf(id);
    return Array.from(generated.truth.pointsOfInterest.subarray(row * width, (row + 1) * width));
  };
  const expected = users.flatMap(generatedRow);
  assertEquals(truth.modalityNames, generated.truth.modalityNames);
  assertEquals(Array.from(truth.pointsOfInterest), expected);
  // The fixture tells aligned rows from the first rows of the generated truth.
  const unaligned = generated.truth.pointsOfInterest.subarray(0, users.length * width);
  assertNotEquals(Array.from(unaligned), expected);
});

Deno.test("prepareDataset: the statistics are the filtered data's, and histories are cut at 50", async () => {
  const config = { numUsers: 40, numItems: 30, historyLength: 6 };
  const { split, statistics } = await prepareDataset({ kind: "synthetic", config });
  assert(split.dataset.numUsers < config.numUsers, "the fixture must drop users");
  assertEquals(statistics, formatStatistics(datasetStatistics(split.dataset)));
  // The paper's protocol: the models read the last 50 items of a history.
  assertEquals(split.maxLength, 50);
});

Deno.test("prepareDataset: a spec with a setting it does not have is a SettingError, not ignored", async () => {
  // A seed given beside the config instead of in it must not prepare the seed-0 data silently.
  const config = { numUsers: 40, numItems: 30, historyLength: 6 };
  const error = await assertRejects(
    () => prepareDataset({ kind: "synthetic", config, seed: 3 } as never),
    SettingError,
  ) as SettingError;
  assertEquals(error.setting, "DatasetSpec.seed");
});

Deno.test("prepareDataset: the label is the spec's table label, not the generated data's name", async () => {
  // Tables and stored cells group rows by this label ("synthetic-seed0" would merge every noise
  // level of the grid into one row).
  const config = { numUsers: 40, numItems: 30, historyLength: 6 };
  const { label } = await prepareDataset({ kind: "synthetic", config });
  assertEquals(label, "Synthetic(historyLength=6,numItems=30,numUsers=40)");
});
