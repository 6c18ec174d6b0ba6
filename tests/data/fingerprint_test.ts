/**
 * The dataset fingerprint tells apart two datasets that differ in any part a model sees: where
 * the histories split, which items have a modality, the item ids, a modality's kind and its
 * values. Before these, only one pinned hash (recbole_stream_test) noticed when one of these parts
 * left the hash; the cases here are the pairs that would then share a fingerprint.
 */
import { assertEquals, assertNotEquals } from "@std/assert";
import { datasetFingerprint } from "../../lib/data/fingerprint.ts";
import type { InteractionDataset } from "../../lib/data/types.ts";
import { tinyDataset } from "./_tiny_dataset.ts";

/** tinyDataset over [[0, 1], [2, 3]] (4 items), changed by `change`. */
function changed(change: (dataset: InteractionDataset) => void): InteractionDataset {
  const dataset = tinyDataset([[0, 1], [2, 3]], 4);
  change(dataset);
  return dataset;
}

Deno.test("fingerprint: equal content, equal fingerprint; names, titles and timestamps left out", () => {
  const base = datasetFingerprint(changed(() => {}));
  assertEquals(
    datasetFingerprint(changed((d) => {
      d.name = "other";
      d.userIds = ["a", "b"];
      d.itemTitles = ["w", "x", "y", "z"];
      d.timestamps = undefined;
      d.metadata.source = "elsewhere";
    })),
    base,
  );
});

Deno.test("fingerprint: datasets that differ in one part a model sees never share one", () => {
  const base = datasetFingerprint(changed(() => {}));
  const variants: Record<string, (dataset: InteractionDataset) => void> = {
    // Same items in the same order, split between the users elsewhere.
    "history boundaries": (d) => {
      d.sequences = [Int32Array.of(0), Int32Array.of(1, 2, 3)];
    },
    // Item 1 lacks "value" (its row is 0); marked present with the same 0 row.
    "presence only": (d) => {
      d.modalities[1].present[1] = 1;
    },
    "item ids": (d) => {
      d.itemIds = ["i0", "i1", "i2", "j3"];
    },
    // The same characters split between the ids elsewhere (mutation round GB, GB30: ids joined
    // without a separator shared one).
    "item id boundaries": (d) => {
      d.itemIds = ["i0i", "1", "i2", "i3"];
    },
    // The same values read as a multi-hot bag instead of a dense vector.
    "modality kind": (d) => {
      d.modalities[1].kind = "multi_hot";
    },
    "modality name": (d) => {
      d.modalities[1].name = "price";
    },
    "a feature value": (d) => {
      d.modalities[1].values[2] = 2.5;
    },
  };
  const seen = new Map<string, string>([[base, "unchanged"]]);
  for (const [part, change] of Object.entries(variants)) {
    const fingerprint = datasetFingerprint(changed(change));
    assertNotEquals(fingerprint, base, part);
    assertEquals(
      seen.get(fingerprint),
      undefined,
      `${part} shares one with ${seen.get(fingerprint)}`,
    );
    seen.set(fingerprint, part);
  }
});

Deno.test("fingerprint: arrays that are views into a larger buffer hash as their own elements", () => {
  // Mutation round KD (KD24): hashing each view's whole buffer gave data read in one buffer (a
  // stream's chunk, a subarray) a fingerprint of its own, and one that moved when the bytes
  // around a view changed.
  const base = datasetFingerprint(changed(() => {}));
  const viewed = changed((d) => {
    const ids = Int32Array.of(7, 0, 1, 2, 3, 7);
    d.sequences = [ids.subarray(1, 3), ids.subarray(3, 5)];
    const values = Float32Array.of(5, ...d.modalities[1].values, 5);
    d.modalities[1].values = values.subarray(1, 5);
    const present = Uint8Array.of(1, ...d.modalities[1].present, 1);
    d.modalities[1].present = present.subarray(1, 5);
  });
  assertEquals(datasetFingerprint(viewed), base);
});
