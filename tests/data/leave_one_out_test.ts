/** The split's protocol card: every line the records and the notebooks print, as written. */
import { assertEquals } from "@std/assert";
import { datasetFingerprint } from "../../lib/data/fingerprint.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { tinyDataset } from "./_tiny_dataset.ts";

Deno.test("leaveOneOutSplit's protocol names the fingerprint, the tie-break and the window", () => {
  const dataset = tinyDataset([[3, 1, 4, 1, 5], [2, 6, 5]], 7);
  dataset.metadata.preprocessing.push("ratings >= 4 kept", "5-core filtering");
  dataset.metadata.tieBreak = "by item id";
  const fingerprint = datasetFingerprint(dataset);
  assertEquals(dataset.metadata.fingerprint, fingerprint);
  assertEquals(leaveOneOutSplit(dataset, { maxLength: 2 }).protocol, [
    `dataset tiny (fingerprint ${fingerprint})`,
    "source: test",
    "ratings >= 4 kept",
    "5-core filtering",
    "tie-break for equal timestamps: by item id",
    "leave-one-out by time: last item test, second-to-last validation, rest training",
    "model input: the most recent 2 items; training reads every 2-item window of the training " +
    "history",
  ]);
  // Without a stated tie-break the card says the source's order decided.
  delete dataset.metadata.tieBreak;
  assertEquals(
    leaveOneOutSplit(dataset).protocol[4],
    "tie-break for equal timestamps: order given by the source",
  );
});

Deno.test("leaveOneOutSplit: the default window is 50 items; train is each user's own copy", () => {
  // The records were made with the default: a changed one would silently read them as another run.
  const dataset = tinyDataset([[3, 1, 4, 1, 5], [2, 6, 5]], 7);
  const split = leaveOneOutSplit(dataset);
  assertEquals(split.maxLength, 50);
  assertEquals(split.protocol.at(-1)?.startsWith("model input: the most recent 50 items"), true);
  // Writing into the training history (as a noise injection might) leaves the dataset, and so
  // its fingerprint and the targets, as they were.
  split.train[0][0] = 6;
  assertEquals([...dataset.sequences[0]], [3, 1, 4, 1, 5]);
});
