/**
 * The audit of the training, model and Demure settings against docs/configuration.md (session 48):
 * for every row of the Ranges tables of TrainerConfig, AdamConfig, RecommendationLossConfig,
 * ModelConfig, DemureConfig and AttributionConfig, the resolver a notebook calls accepts both ends
 * of the documented range and refuses, with a `SettingError` naming the setting, the value and
 * the documented range, the values just outside it, a fraction where an integer is needed, NaN,
 * the infinities, the number as text, null and values of another kind; a misspelt name of every
 * setting is refused too. A row whose range this audit cannot read is listed, so that a new one
 * is seen.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { validateNoiseSelection } from "../../lib/attribution/types.ts";
import { DEFAULT_CL4SREC_CONFIG, validateCl4SRecConfig } from "../../lib/baselines/cl4srec.ts";
import { DEFAULT_ITEM_KNN_CONFIG, validateItemKnnConfig } from "../../lib/baselines/item_knn.ts";
import { DEFAULT_BATCHER, validateBatcherConfig } from "../../lib/data/protocol/batcher.ts";
import { kCoreFilter } from "../../lib/data/protocol/k_core.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { generateSynthetic } from "../../lib/data/synthetic.ts";
import { generateWorkloadDataset } from "../../lib/data/workload_shape.ts";
import { resolveDemureConfig } from "../../lib/demure/config.ts";
import {
  DEFAULT_ENCODER_CONFIG,
  validateEncoderConfig,
} from "../../lib/encoders/modality_encoders.ts";
import { validateEvaluationConfig } from "../../lib/eval/evaluate.ts";
import {
  DEFAULT_SAMPLED_NEGATIVES,
  sampleEvaluationNegatives,
} from "../../lib/eval/sampled_negatives.ts";
import { DEFAULT_INFO_NCE_CONFIG, validateInfoNceConfig } from "../../lib/losses/info_nce.ts";
import {
  DEFAULT_MODEL_CONFIG,
  resolveModelConfig,
} from "../../lib/models/sequential_recommender.ts";
import { DEFAULT_TRAINER_CONFIG, resolveTrainerConfig } from "../../lib/train/config.ts";
import {
  assertRefusedAsDocumented,
  boundaryCases,
  documentedSettings,
  nested,
  typoOf,
} from "../_configuration_ranges.ts";
import { tinyDataset } from "../data/_tiny_dataset.ts";
import { settingError } from "../_setting_error.ts";

/** How the settings of one documented object reach its resolver. */
interface Audited {
  /** The setting names' prefix in errors. */
  where: string;
  /** Resolves the settings given (an object of the documented fields, nested ones nested). */
  resolve: (input: Record<string, unknown>) => unknown;
  /** Fields whose Allowed text is not a range this audit reads (checked by their own tests). */
  unparsed: string[];
  /** The top of an open range where another setting bounds it. */
  largest?: Record<string, number>;
  /** Settings given alongside a field, where its values need them. */
  context?: Record<string, Record<string, unknown>>;
  /**
   * False where the validator takes a whole config (its defaults merged in by the caller, whose
   * own check of the names the audit does not reach): a misspelt name is not tried.
   */
  names?: false;
  /**
   * False where accepting a value builds the data it describes (a synthetic benchmark of 2^27
   * users): only the refusals, which come before any work, are tried.
   */
  accepts?: false;
}

// deno-lint-ignore no-explicit-any
const loose = (f: (input: any) => unknown) => f;

/** A dataset and its split for the checks that read data: 2 users, 9 items. */
const DATASET = tinyDataset([[3, 1, 4, 1, 5], [2, 6, 5, 8]], 9);
const SPLIT = leaveOneOutSplit(DATASET, { maxLength: 3 });

const AUDITED: Record<string, Audited> = {
  TrainerConfig: {
    where: "TrainerConfig",
    resolve: loose(resolveTrainerConfig),
    unparsed: ["optimizer", "loss", "checkpointDir"],
  },
  AdamConfig: {
    where: "TrainerConfig.optimizer",
    resolve: (input) => resolveTrainerConfig({ optimizer: input } as never),
    unparsed: [],
  },
  RecommendationLossConfig: {
    where: "TrainerConfig.loss",
    resolve: (input) => resolveTrainerConfig({ loss: input } as never),
    unparsed: [],
  },
  ModelConfig: {
    where: "ModelConfig",
    resolve: loose(resolveModelConfig),
    unparsed: ["modalities"],
    // The heads divide dim (64 by default).
    largest: { "sasrec.heads": 64 },
  },
  DemureConfig: {
    where: "DemureConfig",
    resolve: loose(resolveDemureConfig),
    unparsed: [],
    // The training pass is refused with the default denoiseInput (documented below the table).
    context: { attributionSource: { denoiseInput: false } },
  },
  AttributionConfig: {
    where: "DemureConfig.attribution",
    resolve: (input) => resolveDemureConfig({ attribution: input } as never),
    // Demure has no selection of its own (rho is): its refusal is in tests/demure; a bare
    // attribution's selection is audited below.
    unparsed: ["selection"],
  },
  EncoderConfig: {
    where: "EncoderConfig",
    resolve: (input) => validateEncoderConfig({ ...DEFAULT_ENCODER_CONFIG, ...input }),
    unparsed: ["modalities"],
  },
  InfoNceConfig: {
    where: "InfoNceConfig",
    resolve: (input) => validateInfoNceConfig({ ...DEFAULT_INFO_NCE_CONFIG, ...input }),
    unparsed: [],
    names: false,
  },
  Cl4SRecConfig: {
    where: "Cl4SRecConfig",
    resolve: (input) => validateCl4SRecConfig({ ...DEFAULT_CL4SREC_CONFIG, ...input }),
    unparsed: ["augmentations"],
    names: false,
  },
  ItemKnnConfig: {
    where: "ItemKnnConfig",
    resolve: (input) => validateItemKnnConfig({ ...DEFAULT_ITEM_KNN_CONFIG, ...input }),
    unparsed: [],
    names: false,
  },
  EvaluationConfig: {
    where: "EvaluationConfig",
    resolve: (input) => validateEvaluationConfig(input as never, SPLIT),
    unparsed: ["cutoffs", "sampled", "loss", "users"],
  },
  SyntheticConfig: {
    where: "SyntheticConfig",
    resolve: (input) => generateSynthetic(input),
    // noiseStrength, temperature and popularitySkew share one bound on the logits.
    unparsed: ["modalities", "historyLength", "noiseStrength", "temperature", "popularitySkew"],
    accepts: false,
  },
  WorkloadShapeConfig: {
    // Its errors name the settings `workload.<field>` (docs/configuration.md says so).
    where: "workload",
    resolve: (input) => generateWorkloadDataset(input),
    unparsed: ["medianHistory", "maxHistory", "modalities", "clusters"],
    accepts: false,
  },
  KCoreConfig: {
    where: "KCoreConfig",
    resolve: (input) => kCoreFilter(DATASET, input as never),
    unparsed: [],
    accepts: false,
  },
  SplitConfig: {
    where: "SplitConfig",
    resolve: (input) => leaveOneOutSplit(DATASET, input as never),
    unparsed: [],
    // The split pads every history to maxLength.
    largest: { maxLength: 1000 },
  },
  SampledNegativesConfig: {
    where: "SampledNegativesConfig",
    resolve: (input) =>
      sampleEvaluationNegatives(SPLIT, { ...DEFAULT_SAMPLED_NEGATIVES, ...input }),
    unparsed: [],
    names: false,
    accepts: false,
  },
  BatcherConfig: {
    where: "BatcherConfig",
    resolve: (input) => validateBatcherConfig({ ...DEFAULT_BATCHER, ...input }, 0),
    unparsed: [],
  },
};

for (const [object, audited] of Object.entries(AUDITED)) {
  const rows = documentedSettings(object);

  Deno.test(`${object}: the page's ranges are read, every unread one is known`, () => {
    assert(rows.length > 0);
    const unparsed = rows.filter((row) => row.allowed.kind === "unparsed").map((r) => r.field);
    assertEquals(unparsed, audited.unparsed);
  });

  if (audited.accepts !== false) {
    Deno.test(`${object}: both ends of every documented range are accepted`, () => {
      for (const { field, allowed } of rows) {
        const context = audited.context?.[field] ?? {};
        for (const value of boundaryCases(allowed, audited.largest?.[field]).accepted) {
          try {
            audited.resolve({ ...context, ...nested(field, value) });
          } catch (error) {
            throw new Error(`${object}.${field} = ${String(value)} refused: ${error}`);
          }
        }
        if ((allowed.kind === "number" || allowed.kind === "oneOf") && allowed.optional) {
          audited.resolve({ ...context, ...nested(field, undefined) });
        }
      }
    });
  }

  Deno.test(`${object}: values outside a range or of another kind are refused, naming the range`, () => {
    let refusals = 0;
    for (const { field, allowed } of rows) {
      const context = audited.context?.[field] ?? {};
      for (const value of boundaryCases(allowed).refused) {
        const error = assertThrows(() => audited.resolve({ ...context, ...nested(field, value) }));
        assertRefusedAsDocumented(error, `${audited.where}.${field}`, value, allowed);
        refusals++;
      }
    }
    assert(refusals >= rows.length, `${refusals} refusals for ${rows.length} rows`);
  });

  if (audited.names === false) continue;
  Deno.test(`${object}: a misspelt name of every setting is refused, not trained at its default`, () => {
    for (const { field } of rows) {
      const path = field.split(".");
      const typo = [...path.slice(0, -1), typoOf(path.at(-1)!)].join(".");
      const error = settingError(() => audited.resolve(nested(typo, 1)));
      assertEquals(error.setting, `${audited.where}.${typo}`);
      assert(error.allowed.includes("one of the settings"), error.message);
    }
  });
}

Deno.test("ModelConfig: null is no way to ask for a default (it read as dim 64, every modality)", () => {
  for (const field of ["backbone", "dim", "maxLength", "seed", "modalities"]) {
    const error = settingError(() => resolveModelConfig({ [field]: null } as never));
    assertEquals(error.setting, `ModelConfig.${field}`);
    assertEquals(error.value, null);
  }
});

Deno.test("ModelConfig: modalities given as one string or an empty one are refused, not spread or ignored", () => {
  for (const modalities of ["image", "", 0, false]) {
    const error = settingError(() => resolveModelConfig({ modalities } as never));
    assertEquals(error.setting, "ModelConfig.modalities");
    assertEquals(error.value, modalities);
  }
  assertEquals(resolveModelConfig({ modalities: ["image"] }).modalities, ["image"]);
  assertEquals(resolveModelConfig({}).modalities, undefined);
});

Deno.test("NoiseSelection: rho at both ends of (0, 1) and any finite threshold pass; the rest is refused", () => {
  for (const rho of [Number.MIN_VALUE, 1 - 2 ** -53, 0.3]) {
    validateNoiseSelection({ kind: "bottom_fraction", rho });
  }
  for (const threshold of [-Number.MAX_VALUE, 0, Number.MAX_VALUE]) {
    validateNoiseSelection({ kind: "threshold", threshold });
  }
  for (const rho of [0, 1, -0.1, NaN, Infinity, "0.3", null, undefined]) {
    const error = settingError(() =>
      validateNoiseSelection(
        { kind: "bottom_fraction", rho } as never,
        "AttributionConfig.selection",
      )
    );
    assertEquals(error.setting, "AttributionConfig.selection.rho");
    assert(Object.is(error.value, rho));
    assertEquals(error.allowed, "a finite number > 0 and < 1");
  }
  for (const threshold of [NaN, Infinity, -Infinity, "0", null, undefined]) {
    const error = settingError(() =>
      validateNoiseSelection({ kind: "threshold", threshold } as never)
    );
    assertEquals(error.setting, "NoiseSelection.threshold");
    assert(Object.is(error.value, threshold));
  }
  for (const kind of ["bottom", "Threshold", null]) {
    const error = settingError(() => validateNoiseSelection({ kind, rho: 0.3 } as never));
    assertEquals(error.setting, "NoiseSelection.kind");
  }
});

/** The paths under `value` of objects that can still be written. */
function writable(value: unknown, path = "."): string[] {
  if (value === null || typeof value !== "object") return [];
  const own = Object.isFrozen(value) ? [] : [path];
  return [...own, ...Object.entries(value).flatMap(([k, v]) => writable(v, `${path}${k}.`))];
}

Deno.test("the trainer's and the model's defaults are frozen at every level", () => {
  // A write to a shared default changes every later run of the kernel without a word: the
  // trainer's loss and the model's backbone settings could be written until session 48.
  assertEquals(writable(DEFAULT_TRAINER_CONFIG), []);
  assertEquals(writable(DEFAULT_MODEL_CONFIG), []);
  assertThrows(() => {
    (DEFAULT_TRAINER_CONFIG.loss as { kind: string }).kind = "bce";
  }, TypeError);
  assertEquals(resolveTrainerConfig().loss.kind, "cross_entropy");
  assertEquals(resolveModelConfig().sasrec.dropout, 0.2);
});
