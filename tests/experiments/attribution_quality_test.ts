/**
 * attributionQuality scores each method's noise sets against the synthetic benchmark's planted
 * truth on the test histories of the first `maxUsers` users: its fields are the pair-level score's
 * (ROC-AUC, precision, recall, units) and the user-modality level's ROC-AUC, over every chunk that
 * holds one of those users. Checked against the attribution and the scoring called directly on the
 * same batches (the benchmark's cells record these fields; before this test only a GPU test
 * reached the function, so a field read from the wrong score passed every CPU test).
 */
import { assert, assertEquals, assertNotEquals, assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { attributeBatch } from "../../lib/attribution/attribute_batch.ts";
import { DEFAULT_ATTRIBUTION_CONFIG } from "../../lib/attribution/types.ts";
import { resolveDemureConfig } from "../../lib/demure/config.ts";
import {
  type AttributedBatch,
  scoreAgainstTruth,
} from "../../lib/attribution/score_against_truth.ts";
import { withNextItemTargets } from "../../lib/attribution/sequence_loss.ts";
import { evaluationBatches } from "../../lib/data/protocol/batcher.ts";
import {
  attributionQuality,
  SCORED_METHODS,
  SCORED_NOISE_FRACTION,
} from "../../lib/experiments/mod.ts";
import { prepareDataset, type PreparedDataset } from "../../lib/experiments/datasets.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import type { SyntheticConfig } from "../../lib/data/synthetic.ts";
import type { PlantedTruth } from "../../lib/data/types.ts";

await initBackend({ verbose: false });

/** A synthetic benchmark (its planted truth) and an untrained model on it. */
interface UntrainedModel {
  split: PreparedDataset["split"];
  truth: PlantedTruth;
  model: SequentialRecommender;
}

/**
 * The synthetic benchmark of `config` and an untrained model of width `dim` on it, given to
 * `body`; the model is disposed after it, whatever happened.
 */
async function withUntrainedModel(
  config: Partial<SyntheticConfig>,
  dim: number,
  body: (setup: UntrainedModel) => Promise<void>,
): Promise<void> {
  const { split, truth } = await prepareDataset({ kind: "synthetic", config });
  assert(truth !== undefined, "the synthetic benchmark plants a truth");
  const model = new SequentialRecommender(split.dataset, { dim, maxLength: split.maxLength });
  try {
    await body({ split, truth, model });
  } finally {
    model.dispose();
  }
}

Deno.test("attributionQuality: the pair-level score's fields and the user-modality ROC-AUC, over the chunks holding the first maxUsers users", async () => {
  await withUntrainedModel(
    { numUsers: 40, numItems: 30, historyLength: 8 },
    8,
    async ({ split, truth, model }) => {
      // 30 users in chunks of 8: four chunks (32 users), the last one partly past maxUsers.
      const [row] = await attributionQuality(model, split, truth, ["gradient_x_input"], 30, 8);
      const attributed: AttributedBatch[] = [];
      for (const { batch, targets } of evaluationBatches(split, "test", 8).slice(0, 4)) {
        const result = await attributeBatch(model, withNextItemTargets(batch, targets), {
          method: "gradient_x_input",
          selection: { kind: "bottom_fraction", rho: SCORED_NOISE_FRACTION },
          granularity: "user_modality",
        });
        attributed.push({ result, users: batch.users });
      }
      const scoreAt = (level: "pair" | "user_modality") =>
        scoreAgainstTruth(attributed, truth, { resultModalityNames: model.modalityNames, level });
      const pair = scoreAt("pair");
      const userModality = scoreAt("user_modality");
      // The fixture tells the fields apart: each would pass read from another.
      assertNotEquals(pair.precision, pair.recall);
      assertNotEquals(pair.rocAuc, userModality.rocAuc);
      assertEquals(row.method, "gradient_x_input");
      assertEquals(
        [row.rocAuc, row.precision, row.recall, row.userModalityRocAuc, row.units],
        [pair.rocAuc, pair.precision, pair.recall, userModality.rocAuc, pair.units],
      );
      assert(row.seconds >= 0);
    },
  );
});

Deno.test("attributionQuality: by default the first 256 users in chunks of 128, as the records were scored", async () => {
  // run_cell.ts calls it with the defaults, so they decide every recorded attribution row: 300
  // users tell 256 apart from all of them (a larger chunk size) and from fewer.
  await withUntrainedModel(
    { numUsers: 300, numItems: 30, historyLength: 5 },
    4,
    async ({ split, truth, model }) => {
      const unitsOf = async (...size: number[]) =>
        (await attributionQuality(model, split, truth, ["gradient_x_input"], ...size))[0].units;
      const first256 = await unitsOf(256, 256);
      assertNotEquals(first256, await unitsOf(300, 300));
      assertNotEquals(first256, await unitsOf(255, 255));
      assertEquals(await unitsOf(), first256);
    },
  );
});

Deno.test("SCORED_METHODS: every attribution row of the results of record, in their order", () => {
  // The records were scored with the default methods; one dropped or reordered here would make
  // new cells disagree with them (the exact reference, occlusion, was the one easiest to drop).
  let checked = 0;
  for (const mode of ["full", "quick"]) {
    const dir = `results-of-record/${mode}/cells`;
    for (const entry of Deno.readDirSync(dir)) {
      const { result } = JSON.parse(Deno.readTextFileSync(`${dir}/${entry.name}`));
      if (!result.attribution) continue;
      assertEquals(result.attribution.map((row: { method: string }) => row.method), [
        ...SCORED_METHODS,
      ], entry.name);
      checked++;
    }
  }
  assert(checked > 0, "some record scores the attribution");
});

Deno.test("SCORED_NOISE_FRACTION: the attribution's default rho, Demure's default rho, 0.3", () => {
  // The scored noise sets are the ones Demure's default configuration masks: a scoring fraction
  // apart from them would score sets that no default run uses (and the records' rows at 0.3).
  assertEquals(SCORED_NOISE_FRACTION, 0.3);
  assertEquals(SCORED_NOISE_FRACTION, resolveDemureConfig({}).rho);
  assertEquals(DEFAULT_ATTRIBUTION_CONFIG.selection, {
    kind: "bottom_fraction",
    rho: SCORED_NOISE_FRACTION,
  });
});

Deno.test("attributionQuality: a maxUsers or chunkSize that is not a positive integer is refused by name", async () => {
  // -200 users in chunks of 8 used to score every chunk but the last (slice(0, -25)), and 0 or
  // NaN no chunk at all: rows of NaN under each method's name instead of an error.
  await withUntrainedModel(
    { numUsers: 40, numItems: 30, historyLength: 8 },
    4,
    async ({ split, truth, model }) => {
      const refused: [number, number, string][] = [
        [-200, 8, "attributionQuality: maxUsers is -200; allowed: an integer >= 1"],
        [0, 8, "attributionQuality: maxUsers is 0; allowed: an integer >= 1"],
        [Number.NaN, 8, "attributionQuality: maxUsers is NaN; allowed: an integer >= 1"],
        [30, 0, "attributionQuality: chunkSize is 0; allowed: an integer >= 1"],
      ];
      for (const [maxUsers, chunkSize, message] of refused) {
        const error = await assertRejects(() =>
          attributionQuality(model, split, truth, ["gradient_x_input"], maxUsers, chunkSize)
        );
        assertEquals(error.message, message);
      }
    },
  );
});

Deno.test("attributionQuality: one row per method asked, in that order, each scored on its own attributions", async () => {
  // Found by mutation round NF (NF08, NF09): the methods given (not always SCORED_METHODS), and a
  // later method's score holds none of an earlier method's batches.
  await withUntrainedModel(
    { numUsers: 40, numItems: 30, historyLength: 8 },
    4,
    async ({ split, truth, model }) => {
      const both = await attributionQuality(
        model,
        split,
        truth,
        ["gradient_norm", "gradient_x_input"],
        16,
        8,
      );
      assertEquals(both.map((row) => row.method), ["gradient_norm", "gradient_x_input"]);
      const [alone] = await attributionQuality(model, split, truth, ["gradient_x_input"], 16, 8);
      const fields = (
        row: typeof alone,
      ) => [row.rocAuc, row.precision, row.recall, row.userModalityRocAuc, row.units];
      assertEquals(fields(both[1]), fields(alone));
    },
  );
});

Deno.test("attributionQuality: one user in chunks of one is accepted; a fractional maxUsers is refused", async () => {
  // Found by mutation round NF (NF10, NF11, NF12): the lower bound of both sizes is 1, inclusive,
  // and 2.5 users is no count (it was scored as 3).
  await withUntrainedModel(
    { numUsers: 40, numItems: 30, historyLength: 8 },
    4,
    async ({ split, truth, model }) => {
      const [one] = await attributionQuality(model, split, truth, ["gradient_x_input"], 1, 1);
      const [eight] = await attributionQuality(model, split, truth, ["gradient_x_input"], 8, 8);
      assert(one.units > 0 && one.units < eight.units, `${one.units} of ${eight.units}`);
      const error = await assertRejects(() =>
        attributionQuality(model, split, truth, ["gradient_x_input"], 2.5, 8)
      );
      assertEquals(error.message, "attributionQuality: maxUsers is 2.5; allowed: an integer >= 1");
    },
  );
});
