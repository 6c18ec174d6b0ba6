import {
  assert,
  assertEquals,
  assertGreater,
  assertNotEquals,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import {
  DEFAULT_SYNTHETIC,
  generateSynthetic,
  type SyntheticConfig,
} from "../../lib/data/synthetic.ts";
import { SettingError } from "../../lib/util/settings.ts";

const small = { numUsers: 120, numItems: 200, historyLength: 20 };

Deno.test("generateSynthetic is deterministic per seed and differs across seeds", () => {
  const a = generateSynthetic({ ...small, seed: 5 });
  const b = generateSynthetic({ ...small, seed: 5 });
  const c = generateSynthetic({ ...small, seed: 6 });
  assertEquals(a.dataset.metadata.fingerprint, b.dataset.metadata.fingerprint);
  assertEquals(a.dataset.sequences, b.dataset.sequences);
  assertEquals(a.truth.pointsOfInterest, b.truth.pointsOfInterest);
  assertNotEquals(a.dataset.metadata.fingerprint, c.dataset.metadata.fingerprint);
});

Deno.test("truth has one row per user with round((1 - noiseFraction) * M) points of interest", () => {
  const { dataset, truth } = generateSynthetic({ ...small, noiseFraction: 0.75 });
  const M = truth.modalityNames.length;
  assertEquals(truth.modalityNames, ["image", "text", "audio", "tags"]);
  assertEquals(dataset.modalities.map((m) => m.name), ["id", ...truth.modalityNames]);
  assertEquals(truth.pointsOfInterest.length, dataset.numUsers * M);
  const perModality = new Array(M).fill(0);
  for (let u = 0; u < dataset.numUsers; u++) {
    const row = truth.pointsOfInterest.subarray(u * M, (u + 1) * M);
    assertEquals(row.reduce((n, x) => n + x, 0), 1);
    row.forEach((x, m) => (perModality[m] += x));
  }
  for (const count of perModality) assertGreater(count, 10); // every modality drives some users
});

Deno.test("histories have the configured length, no repeated item, and missing rows are zero", () => {
  const { dataset } = generateSynthetic({ ...small, missingRate: 0.2 });
  for (const sequence of dataset.sequences) {
    assertEquals(sequence.length, 20);
    assertEquals(new Set(sequence).size, 20);
  }
  let missing = 0;
  for (const modality of dataset.modalities.slice(1)) {
    for (let i = 0; i < dataset.numItems; i++) {
      const row = modality.values.subarray(i * modality.dim, (i + 1) * modality.dim);
      if (!modality.present[i]) {
        missing++;
        assert(row.every((v) => v === 0));
      } else {
        assert(Math.abs(Math.hypot(...row) - 1) < 1e-5, "present rows are unit vectors");
      }
    }
  }
  const rate = missing / (4 * dataset.numItems);
  assert(rate > 0.15 && rate < 0.25, `missing rate ${rate}`);
});

/** Mean cosine between consecutive items of each user, split by planted POI vs noise. */
function consecutiveSimilarity(
  overrides: Partial<SyntheticConfig>,
): { poi: number; noise: number } {
  const { dataset, truth } = generateSynthetic({ ...small, seed: 11, ...overrides });
  const M = truth.modalityNames.length;
  const sums = { poi: 0, noise: 0 };
  const counts = { poi: 0, noise: 0 };
  dataset.sequences.forEach((s, u) => {
    for (let t = 1; t < s.length; t++) {
      for (let m = 0; m < M; m++) {
        const f = dataset.modalities[m + 1];
        if (!f.present[s[t]] || !f.present[s[t - 1]]) continue;
        let dot = 0;
        for (let d = 0; d < f.dim; d++) {
          dot += f.values[s[t] * f.dim + d] * f.values[s[t - 1] * f.dim + d];
        }
        const kind = truth.pointsOfInterest[u * M + m] ? "poi" : "noise";
        sums[kind] += dot;
        counts[kind]++;
      }
    }
  });
  return { poi: sums.poi / counts.poi, noise: sums.noise / counts.noise };
}

Deno.test("next items are similar to the previous item in POI modalities, not in noise ones", () => {
  const similarity = consecutiveSimilarity({ noiseStrength: 0.3 });
  // random unit 16-d vectors have mean cosine 0 (sd 0.25); drifted preferences give ~0.25
  assertGreater(similarity.poi, 0.15);
  assert(Math.abs(similarity.noise) < 0.03, `noise similarity ${similarity.noise}`);
});

Deno.test("noise modalities follow a fresh direction at every step, even as strong as the interests", () => {
  // A direction kept across steps (a second, static preference) would make consecutive items
  // alike in the noise modalities once the noise weighs as much as the interests.
  const similarity = consecutiveSimilarity({ noiseStrength: 1 });
  assert(Math.abs(similarity.noise) < 0.03, `noise similarity ${similarity.noise}`);
});

Deno.test("drift: consecutive POI items are more alike at drift 1 (the last item) than at 0 (static)", () => {
  // drift 1 moves the preference onto the item just taken, drift 0 keeps the first preference.
  const static_ = consecutiveSimilarity({ drift: 0 }).poi;
  const follows = consecutiveSimilarity({ drift: 1 }).poi;
  assertGreater(follows, static_ + 0.1, `drift 1: ${follows}, drift 0: ${static_}`);
});

Deno.test("popularitySkew s: interactions follow Zipf's law (1 + rank)^-s over the shuffled ranks", () => {
  // Content made irrelevant (a huge temperature), one interaction per user: each draw is the
  // popularity prior alone, so the most frequent item takes 1 / H_50 = 22 % (reversed ranks: 4 %).
  const numItems = 50;
  const { dataset } = generateSynthetic({
    numUsers: 4000,
    numItems,
    historyLength: 1,
    temperature: 1e9,
    popularitySkew: 1,
    seed: 5,
  });
  const counts = new Array(numItems).fill(0);
  for (const [item] of dataset.sequences) counts[item]++;
  counts.sort((a, b) => b - a);
  const harmonic = Array.from({ length: numItems }, (_, r) => 1 / (1 + r));
  const total = harmonic.reduce((a, b) => a + b, 0);
  for (const rank of [0, 1, 4]) {
    const share = counts[rank] / 4000;
    const expected = harmonic[rank] / total;
    assert(Math.abs(share - expected) < 0.02, `rank ${rank}: ${share} vs ${expected}`);
  }
});

Deno.test("generateSynthetic rejects invalid knobs with SettingErrors named SyntheticConfig.<field>", () => {
  const bad: [Record<string, unknown>, string, string][] = [
    [{ historyLength: 600 }, "SyntheticConfig.historyLength", "SyntheticConfig.numItems (500)"],
    [{ missingRate: 1.5 }, "SyntheticConfig.missingRate", ">= 0 and <= 1"],
    [{ temperature: 0 }, "SyntheticConfig.temperature", "> 0"],
    [{ noiseFraction: 2 }, "SyntheticConfig.noiseFraction", "is 2;"],
    [{ numUsers: 0 }, "SyntheticConfig.numUsers", "is 0;"],
    [{ noiseStrength: -1 }, "SyntheticConfig.noiseStrength", ">= 0"],
    [{ drift: 1.5 }, "SyntheticConfig.drift", ">= 0 and <= 1"],
    [{ popularitySkew: -1 }, "SyntheticConfig.popularitySkew", ">= 0"],
    [{ historyLength: 0 }, "SyntheticConfig.historyLength", "is 0;"],
    // One more than the catalogue: a user's history cannot hold numItems + 1 distinct items.
    [{ numItems: 5, historyLength: 6 }, "SyntheticConfig.historyLength", "numItems (5)"],
    // A seed typed as text: the message says it is a string (it was "got 1" from createRng).
    [{ seed: "1" }, "SyntheticConfig.seed", 'is "1" (a string);'],
    [{ seed: 0.5 }, "SyntheticConfig.seed", "an integer"],
    [{ seed: 2 ** 31 }, "SyntheticConfig.seed", "is 2147483648;"],
    [{ numUser: 10 }, "SyntheticConfig.numUser", "one of the settings seed, numUsers"],
    [{ modalities: [] }, "SyntheticConfig.modalities", "non-empty"],
    [{ modalities: [{ name: "id", dim: 4 }] }, "SyntheticConfig.modalities[0].name", '"id"'],
    [{ modalities: [{ name: "text", dim: 0 }] }, "SyntheticConfig.modalities[0].dim", "is 0;"],
    [
      { modalities: [{ name: "text", dims: 4 }] },
      "SyntheticConfig.modalities[0].dims",
      "name, dim",
    ],
  ];
  for (const [overrides, setting, text] of bad) {
    const error = assertThrows(() => generateSynthetic(overrides), SettingError) as SettingError;
    assertEquals(error.setting, setting, error.message);
    assertStringIncludes(error.message, text);
  }
  // The edges themselves are allowed: a history of every item, drift 1, no popularity skew.
  const edge = generateSynthetic({
    numUsers: 3,
    numItems: 5,
    historyLength: 5,
    drift: 1,
    popularitySkew: 0,
  });
  assertEquals(edge.dataset.sequences.map((s) => s.length), [5, 5, 5]);
});

Deno.test("generateSynthetic: sizes past what int32 ids and arrays hold are SettingErrors", () => {
  // numItems 2^33 failed with "Array buffer allocation failed", naming no setting. The first case
  // fails fast without the bound; the later ones would try to generate for minutes.
  const bad: [Record<string, unknown>, string, string][] = [
    [
      { numItems: 2 ** 33, numUsers: 1, historyLength: 2 },
      "SyntheticConfig.numItems",
      "is 8589934592; allowed: an integer >= 1 and <= 134217728 (2^27: one JS array element per " +
      "item)",
    ],
    [
      { numUsers: 2 ** 31, numItems: 2, historyLength: 1 },
      "SyntheticConfig.numUsers",
      "<= 134217728 (2^27: one JS array element per user)",
    ],
    [
      { numUsers: 2 ** 27, numItems: 32, historyLength: 16 },
      "SyntheticConfig.historyLength",
      "<= 15 (numUsers (134217728) * historyLength interactions at most 2^31 - 1)",
    ],
    [
      { numItems: 2 ** 27, numUsers: 1, historyLength: 1, modalities: [{ name: "a", dim: 16 }] },
      "SyntheticConfig.modalities[0].dim",
      "is 16; allowed: an integer >= 1 and <= 15 (numItems (134217728) * dim feature values",
    ],
  ];
  for (const [overrides, setting, text] of bad) {
    const error = assertThrows(() => generateSynthetic(overrides), SettingError) as SettingError;
    assertEquals(error.setting, setting, error.message);
    assertStringIncludes(error.message, text);
  }
});

Deno.test("generateSynthetic: a count past V8's array limit is refused before anything is drawn", () => {
  // 2^27 + 1 items passed the checks (then 2^31 - 1): generation allocated 0.5 GB of features,
  // drew them for minutes, and the process aborted on the ranks' array ("Fatal JavaScript out of
  // memory: invalid array length"; past 2^27 a plain array throws "Invalid array length").
  const tooMany = 2 ** 27 + 1;
  const oneOfEach = { numUsers: 1, historyLength: 1, modalities: [{ name: "a", dim: 1 }] };
  for (
    const [overrides, setting] of [
      [{ ...oneOfEach, numItems: tooMany }, "SyntheticConfig.numItems"],
      [{ ...oneOfEach, numItems: 2, numUsers: tooMany }, "SyntheticConfig.numUsers"],
    ] as const
  ) {
    const error = assertThrows(() => generateSynthetic(overrides), SettingError) as SettingError;
    assertEquals([error.setting, error.value], [setting, tooMany]);
    assertStringIncludes(error.message, "<= 134217728 (2^27: one JS array element per");
  }
});

Deno.test("points of interest per user: round((1 - noiseFraction) * M), at least one", () => {
  // 0.6 of 4 modalities noise: round(1.6) = 2 interests (floor would give 1); all noise still
  // leaves one point of interest per user, none leaves every modality one.
  const tiny = { numUsers: 12, numItems: 20, historyLength: 2 };
  for (const [noiseFraction, perUser] of [[0.6, 2], [1, 1], [0, 4]]) {
    const { truth } = generateSynthetic({ ...tiny, noiseFraction });
    const M = truth.modalityNames.length;
    for (let u = 0; u < tiny.numUsers; u++) {
      const row = truth.pointsOfInterest.subarray(u * M, (u + 1) * M);
      assertEquals(row.reduce((n, x) => n + x, 0), perUser, `noiseFraction ${noiseFraction}`);
    }
  }
});

Deno.test("generateSynthetic: a history of exactly the interaction bound passes that check", () => {
  // 2^27 users * 15 = 2^31 - 2^27 interactions, within 2^31 - 1: the next check (an empty
  // modality list) is the one that fails, so nothing is generated.
  const error = assertThrows(
    () => generateSynthetic({ numUsers: 2 ** 27, numItems: 32, historyLength: 15, modalities: [] }),
    SettingError,
  ) as SettingError;
  assertEquals(error.setting, "SyntheticConfig.modalities");
});

Deno.test("the dataset is named by its seed; its metadata and config say what made it", () => {
  const { dataset, config } = generateSynthetic({
    ...small,
    seed: 7,
    missingRate: 0.2,
    drift: 0.4,
  });
  assertEquals(config, { ...DEFAULT_SYNTHETIC, ...small, seed: 7, missingRate: 0.2, drift: 0.4 });
  assert(
    dataset.metadata.preprocessing.some((line) =>
      line.startsWith("synthetic: {") &&
      line.includes('"modalities":["image:16","text:16","audio:16","tags:16"]')
    ),
    dataset.metadata.preprocessing.join("\n"),
  );
  // The records' protocol line starts with this name ("synthetic-seed0: 600 users, ...").
  assertEquals(dataset.name, "synthetic-seed7");
  for (const modality of dataset.modalities.slice(1)) {
    assertEquals(modality.provenance.notes, "missing with probability 0.2");
  }
});

Deno.test("drift 1 after an item missing a point of interest keeps the last present item's direction", () => {
  // A missing modality is zeros: drifting onto it at drift 1 would zero the preference, and that
  // modality would attract the user no more for the rest of the history.
  const { dataset } = generateSynthetic({
    ...small,
    seed: 3,
    modalities: [{ name: "image", dim: 16 }],
    noiseFraction: 0,
    drift: 1,
    missingRate: 0.5,
  });
  const f = dataset.modalities[1];
  let sum = 0;
  let count = 0;
  for (const s of dataset.sequences) {
    // A present item right after a missing one, against the last present item before that (the
    // preference at drift 1 when a missing item does not move it).
    let last = -1;
    for (let t = 1; t < s.length; t++) {
      if (f.present[s[t - 1]]) last = s[t - 1];
      if (f.present[s[t - 1]] || !f.present[s[t]] || last < 0) continue;
      for (let d = 0; d < f.dim; d++) {
        sum += f.values[s[t] * f.dim + d] * f.values[last * f.dim + d];
      }
      count++;
    }
  }
  assertGreater(sum / count, 0.3, `mean cosine ${sum / count}`);
});

Deno.test("what a seed draws is fixed: the small config's data, with and without noise weight", () => {
  // Stored results name their data by fingerprint; a change in the order or number of draws
  // (e.g. drawing the unused noise directions at noiseStrength 0) would silently change the data.
  const plain = generateSynthetic(small);
  const noNoise = generateSynthetic({ ...small, noiseStrength: 0 });
  assertEquals(
    [plain.dataset.metadata.fingerprint, noNoise.dataset.metadata.fingerprint],
    ["016ea1ecb15d0302", "4d9e6508d4f16583"],
  );
});

Deno.test("generateSynthetic: a negative share, a repeated name, a bad later modality are refused by name", () => {
  // Mutation round KD (KD01, KD05, KD06): noiseFraction -0.5 ran (round(1.5 * M) interests, all
  // of them); a second "image" made two modalities of one name; the index named is the bad one's.
  const tiny = { numUsers: 3, numItems: 10, historyLength: 2 };
  const bad: [Record<string, unknown>, string, string][] = [
    [
      { noiseFraction: -0.5 },
      "SyntheticConfig.noiseFraction",
      "is -0.5; allowed: a finite number >= 0 and <= 1",
    ],
    [
      { modalities: [{ name: "image", dim: 2 }, { name: "image", dim: 3 }] },
      "SyntheticConfig.modalities[1].name",
      'is "image"; allowed: a non-empty name, not "id" (added for every dataset) and not used twice',
    ],
    [
      {
        modalities: [{ name: "image", dim: 2 }, { name: "text", dim: 0 }, { name: "tags", dim: 2 }],
      },
      "SyntheticConfig.modalities[1].dim",
      "is 0;",
    ],
  ];
  for (const [overrides, setting, text] of bad) {
    const error = assertThrows(
      () => generateSynthetic({ ...tiny, ...overrides }),
      SettingError,
    ) as SettingError;
    assertEquals(error.setting, setting, error.message);
    assertStringIncludes(error.message, text);
  }
  // noiseStrength has no upper bound (docs/configuration.md: >= 0): noise may outweigh interests.
  assertEquals(generateSynthetic({ ...tiny, noiseStrength: 2 }).config.noiseStrength, 2);
});

Deno.test("generateSynthetic: the record says what made it: every setting, the seed, the truth's names", () => {
  // Mutation round KD (KD08, KD09, KD13, KD22's twin): the preprocessing line must carry this
  // config's settings (not the defaults'), the provenance this seed, the truth these modalities.
  const modalities = [{ name: "photo", dim: 3 }, { name: "words", dim: 2 }];
  const { dataset, truth, config } = generateSynthetic({
    numUsers: 4,
    numItems: 12,
    historyLength: 3,
    seed: 9,
    drift: 0.4,
    temperature: 0.2,
    modalities,
  });
  assertEquals(dataset.metadata.preprocessing, [
    `synthetic: ${JSON.stringify({ ...config, modalities: ["photo:3", "words:2"] })}`,
  ]);
  assertStringIncludes(dataset.metadata.preprocessing[0], '"seed":9,"numUsers":4,"numItems":12');
  assertStringIncludes(dataset.metadata.preprocessing[0], '"temperature":0.2,"drift":0.4');
  assertEquals(truth.modalityNames, ["photo", "words"]);
  assertEquals(truth.pointsOfInterest.length, 4 * 2);
  for (const modality of dataset.modalities.slice(1)) {
    assertEquals(
      modality.provenance.source,
      "synthetic latent factor (seed 9), Gaussian direction",
    );
    assertEquals(modality.provenance.normalisation, "unit L2 norm");
  }
});

Deno.test("what a seed draws is fixed with modalities of different widths", () => {
  // Mutation round KD (KD45): each noise direction has its own modality's width; one of another
  // width drew a different number of values (and a wrong dot product) under the same seed.
  const { dataset } = generateSynthetic({
    numUsers: 30,
    numItems: 40,
    historyLength: 6,
    seed: 2,
    modalities: [{ name: "wide", dim: 6 }, { name: "narrow", dim: 2 }, { name: "mid", dim: 3 }],
    noiseFraction: 0.67,
  });
  assertEquals(dataset.metadata.fingerprint, "1db98b205ed27bcd");
});

Deno.test("a tiny temperature picks the untaken items in order of affinity (no underflow to the last)", () => {
  // Mutation round KD (KD47): the softmax is shifted by the largest logit of the untaken items.
  // Shifted by a taken item's (the one just chosen, at a static preference), every untaken item's
  // weight underflowed to 0 and the draw fell through to the last untaken item.
  const { dataset } = generateSynthetic({
    numUsers: 3,
    numItems: 16,
    historyLength: 16,
    seed: 4,
    modalities: [{ name: "plane", dim: 2 }],
    noiseFraction: 0,
    drift: 0,
    missingRate: 0,
    popularitySkew: 0,
    temperature: 1e-6,
  });
  const x = dataset.modalities[1].values;
  for (const s of dataset.sequences) {
    // Some static direction (angle phi) orders the whole history by decreasing affinity.
    let ordered = false;
    for (let k = 0; k < 20000 && !ordered; k++) {
      const phi = (2 * Math.PI * k) / 20000;
      const dots = Array.from(s, (i) => Math.cos(phi) * x[2 * i] + Math.sin(phi) * x[2 * i + 1]);
      ordered = dots.every((d, t) => t === 0 || d < dots[t - 1]);
    }
    assert(ordered, `history ${s} is not ordered by affinity to any direction`);
  }
});
