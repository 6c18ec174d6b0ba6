/**
 * The workload generator finishes or refuses (session 49). It takes items without repeats by
 * drawing again while the item is taken; with a steep popularity the draws of all but a few items
 * fall below one of `rng.next()`'s 2^32 values of the total, and generation hung (popularitySkew
 * 10 at the Beauty shape). Now a step that no draw reaches, or one that expects too many draws,
 * is refused with a SettingError, and every dataset that finished is drawn as before: the
 * fingerprints below were taken before the change.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { generateWorkloadDataset } from "../../lib/data/workload_shape.ts";
import { settingError } from "../_setting_error.ts";

const small = { numUsers: 300, numItems: 400, modalities: [{ name: "image", dim: 4 }] };

Deno.test("workload: the datasets that finished are drawn as before the draw checks", () => {
  // Fingerprints of int49 (before the checks), histories and features.
  const before: [Parameters<typeof generateWorkloadDataset>[0], string][] = [
    [{}, "6d34ffca555e7f63"],
    [small, "e57e75e555b0b56b"],
    [{ ...small, popularitySkew: 0 }, "e5420447cb601271"],
    [{ ...small, popularitySkew: 3 }, "e74a3543a8ef0d09"],
    [{ ...small, clusterAffinity: 0 }, "c378c13f1c2ceda4"],
    [{ ...small, clusterAffinity: 1, clusters: 4, maxHistory: 100 }, "6772231a74d836b0"],
    [{ ...small, clusters: 400, clusterAffinity: 0.5 }, "8b93aa2871033898"],
    [
      { ...small, maxHistory: 400, medianHistory: 200, minHistory: 1, historySpread: 2 },
      "9ab63c67e1bfd103",
    ],
    [
      {
        ...small,
        popularitySkew: 3,
        clusterAffinity: 1,
        clusters: 2,
        maxHistory: 30,
        medianHistory: 10,
      },
      "023369423ac64fb2",
    ],
  ];
  for (const [config, fingerprint] of before) {
    assertEquals(generateWorkloadDataset(config).metadata.fingerprint, fingerprint);
  }
});

/** Two items, every draw from all of them: the second by rank has weight 2^-skew of the first. */
const twoItems = {
  numUsers: 3,
  numItems: 2,
  clusters: 1,
  clusterAffinity: 0,
  minHistory: 2,
  medianHistory: 2,
  maxHistory: 2,
  modalities: [],
};

Deno.test("workload: an item whose weight underflows to 0 is never drawn: refused", () => {
  // 2^-1100 is 0 in float64: the second item of a history was never drawn (it hung).
  const error = settingError(() => generateWorkloadDataset({ ...twoItems, popularitySkew: 1100 }));
  assertEquals(error.setting, "workload.popularitySkew");
  assertEquals(error.value, 1100);
  assertStringIncludes(error.message, "user 0's draws reach only 1 distinct items");
  assertStringIncludes(error.message, "its history has 2, so its draw never finished");
  assertStringIncludes(error.message, "Histories of at most 1 items always finish");
});

Deno.test("workload: an item of one draw value in 2^32 is refused as too slow", () => {
  // Skew 32: the second item holds one of the 2^32 values (about 2^32 draws for it); so does one
  // of width 2^-40 drawn first in the order (j = 0 lands on it).
  const error = settingError(() => generateWorkloadDataset({ ...twoItems, popularitySkew: 32 }));
  assertEquals(error.setting, "workload.popularitySkew");
  assertStringIncludes(error.message, "user 0's history of 2 hold 2.33e-10 of its draws");
  assertStringIncludes(error.message, "more than 2^26 draws for an item");
  const narrow = settingError(() => generateWorkloadDataset({ ...twoItems, popularitySkew: 40 }));
  assertStringIncludes(narrow.message, "about 4.29e+9 draws for its next item");
  // Skew 6: 1 / 65 of the draws (1.6 % of the values), and the dataset finishes.
  const finished = generateWorkloadDataset({ ...twoItems, popularitySkew: 6 });
  assertEquals(finished.sequences.map((s) => s.length), [2, 2, 2]);
});

Deno.test("workload: a steep skew names what would finish, and that finishes", () => {
  // At skew 1100 every weight past the top rank underflows to 0: a cluster without the top item
  // draws its last item alone, and the top item's cluster the top item.
  const steep = { ...small, modalities: [], popularitySkew: 1100, minHistory: 2 };
  const error = settingError(() => generateWorkloadDataset(steep));
  assertEquals(error.setting, "workload.popularitySkew");
  assertEquals(error.value, 1100);
  const most = Number(/Histories of at most (\d+) items/.exec(error.message)?.[1]);
  assert(most >= 1, error.message);
  const atMost = { ...steep, minHistory: most, medianHistory: most, maxHistory: most };
  assertEquals(generateWorkloadDataset(atMost).sequences.length, 300);
});

Deno.test("workload: an affinity a hair below 1 draws from the cluster alone: refused", () => {
  // 1 - 2^-40 is not 1 (the clusterAffinity 1 bound did not apply), but every j / 2^32 is below
  // it: no draw came from all items, and a history longer than its cluster (5 items) hung.
  const config = {
    numUsers: 4,
    numItems: 20,
    clusters: 4,
    clusterAffinity: 1 - 2 ** -40,
    popularitySkew: 0,
    minHistory: 6,
    medianHistory: 6,
    maxHistory: 6,
    modalities: [],
  };
  const error = settingError(() => generateWorkloadDataset(config));
  assertEquals(error.setting, "workload.clusterAffinity");
  assertEquals(error.value, 1 - 2 ** -40);
  assertStringIncludes(error.message, "reach only 5 distinct items");
  // At 1 - 2^-32 one value in 2^32 draws from all items: too slow, and the affinity is named.
  const slow = settingError(() =>
    generateWorkloadDataset({ ...config, clusterAffinity: 1 - 2 ** -32 })
  );
  assertEquals(slow.setting, "workload.clusterAffinity");
  assertStringIncludes(slow.message, "draws finish in bounded time");
});

Deno.test("workload: numUsers * minHistory past 2^31 - 1 interactions is refused before drawing", () => {
  const error = settingError(() =>
    generateWorkloadDataset({ numUsers: 2 ** 27, minHistory: 16, medianHistory: 16 })
  );
  assertEquals(error.setting, "workload.numUsers");
  assertEquals(error.value, 2 ** 27);
  assertStringIncludes(error.message, "<= 134217727");
  assertStringIncludes(error.message, "interactions at most 2^31 - 1");
});
