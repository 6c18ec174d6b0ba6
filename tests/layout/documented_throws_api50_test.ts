/**
 * The error classes the doc comments promise ("Throws a `SettingError` ...", "throws a
 * {@linkcode NonFiniteScoreError}") are the ones thrown, so that a notebook's `catch (e) { if (e
 * instanceof SettingError) ... }` written from the editor's hover text catches what it was told.
 * The comments are read from `deno doc --json` of the root and every folder's `mod.ts`: each
 * symbol whose comment names an error class it throws is called here with an input its comment
 * says it refuses (and, where the comment states a range, with the value just inside it, which
 * must pass), or is listed among those not called, with the reason. A comment that names another
 * class later, or a new such comment, is seen.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { tinyDataset } from "../data/_tiny_dataset.ts";
import { docJson, folderExports, folderModules } from "./_doc_examples.ts";

/** Every export of every folder's `mod.ts`, by name. */
const exported = await folderExports();
const modules = ["mod.ts", ...folderModules()];

/** The error classes a comment may name: the library's and the built-in ones. */
const classes: Record<string, unknown> = { RangeError, TypeError, ...exported };

// deno-lint-ignore no-explicit-any
const fn = (name: string) => exported[name] as (...args: any[]) => unknown;
const value = (name: string) => exported[name] as Record<string, unknown>;

/** Each exported symbol's comment and its members' comments, joined. */
const comments = new Map<string, string>();
function collect(node: unknown, into: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, into);
  } else if (node !== null && typeof node === "object") {
    const record = node as Record<string, unknown>;
    const doc = (record.jsDoc as { doc?: string } | undefined)?.doc;
    if (doc !== undefined) into.push(doc.replace(/\s+/g, " "));
    for (const [key, inner] of Object.entries(record)) if (key !== "jsDoc") collect(inner, into);
  }
}
for (const module of Object.values(await docJson(modules))) {
  for (const symbol of (module as { symbols: { name: string }[] }).symbols) {
    // The root's re-export and the folder's own entry may carry different parts (a class's
    // constructor comment): both are read.
    const texts: string[] = [comments.get(symbol.name) ?? ""];
    collect(symbol, texts);
    comments.set(symbol.name, texts.join("\n"));
  }
}

/** The error classes a comment says are thrown: a `XError` in a sentence that says "throw". */
function promisedErrors(comment: string): Set<string> {
  const promised = new Set<string>();
  for (const sentence of comment.split(/(?<=[.;])\s/)) {
    if (!/\bthrow(s|n)?\b/i.test(sentence)) continue;
    for (const [, name] of sentence.matchAll(/(?:`|\{@linkcode )(\w+Error)\b/g)) {
      if (name in classes) promised.add(name);
    }
  }
  return promised;
}

const DATASET = tinyDataset([[3, 1, 4, 1, 5], [2, 6, 5, 8]], 9);
const SPLIT = (fn("leaveOneOutSplit"))(DATASET, { maxLength: 3 });

/** One documented refusal: the class the comment names, and a call it says is refused. */
interface Probe {
  error: string;
  refused: () => unknown;
  /** The setting the `SettingError` names, where another refusal could come first. */
  setting?: string;
  /** A call just inside the documented range, which must not throw. */
  accepted?: () => unknown;
}

const withField = (defaults: string, field: string, v: unknown) => ({
  ...value(defaults),
  [field]: v,
});

/** Demure-SASRec's system with one Demure setting changed. */
const withDemureField = (field: string, v: unknown) => {
  const system = value("SYSTEMS")["Demure-SASRec"] as { demure: object };
  return { ...system, demure: { ...system.demure, [field]: v } };
};

const PROBES: Readonly<Record<string, Probe[]>> = {
  recentHistory: [
    {
      error: "SettingError",
      refused: () => fn("recentHistory")(DATASET, 2, 1),
      accepted: () => fn("recentHistory")(DATASET, 1, 0),
    },
    { error: "SettingError", refused: () => fn("recentHistory")(DATASET, 0, -1) },
  ],
  topItemsInteractionShare: [
    {
      error: "SettingError",
      refused: () => fn("topItemsInteractionShare")(DATASET, 0),
      accepted: () => fn("topItemsInteractionShare")(DATASET, 100),
    },
    { error: "SettingError", refused: () => fn("topItemsInteractionShare")(DATASET, 100.5) },
  ],
  trainingBatches: [{
    error: "SettingError",
    refused: () => fn("trainingBatches")(SPLIT, 0, withField("DEFAULT_BATCHER", "batchSize", 0)),
    accepted: () => fn("trainingBatches")(SPLIT, 0, withField("DEFAULT_BATCHER", "batchSize", 1)),
  }],
  objectiveAdditionText: [{
    error: "SettingError",
    refused: () => fn("objectiveAdditionText")(withDemureField("lambda", -1)),
    setting: "DemureConfig.lambda",
    accepted: () => fn("objectiveAdditionText")(withDemureField("lambda", 0)),
  }],
  validateAttributionConfig: [{
    error: "SettingError",
    refused: () =>
      fn("validateAttributionConfig")(
        withField("DEFAULT_ATTRIBUTION_CONFIG", "integratedGradientsSteps", 0),
      ),
    accepted: () =>
      fn("validateAttributionConfig")(
        withField("DEFAULT_ATTRIBUTION_CONFIG", "integratedGradientsSteps", 1),
      ),
  }],
  validateNoiseSelection: [{
    error: "SettingError",
    refused: () => fn("validateNoiseSelection")({ kind: "bottom_fraction", rho: 1 }),
    accepted: () => fn("validateNoiseSelection")({ kind: "bottom_fraction", rho: 0.999 }),
  }],
  validateItemKnnConfig: [{
    error: "SettingError",
    refused: () => fn("validateItemKnnConfig")(withField("DEFAULT_ITEM_KNN_CONFIG", "decay", -1)),
    accepted: () => fn("validateItemKnnConfig")(withField("DEFAULT_ITEM_KNN_CONFIG", "decay", 0)),
  }],
  validateCl4SRecConfig: [{
    error: "SettingError",
    refused: () =>
      fn("validateCl4SRecConfig")(withField("DEFAULT_CL4SREC_CONFIG", "cropRatio", 1.01)),
    accepted: () =>
      fn("validateCl4SRecConfig")(withField("DEFAULT_CL4SREC_CONFIG", "cropRatio", 1)),
  }],
  validateDemureConfig: [{
    error: "SettingError",
    refused: () => fn("validateDemureConfig")(withField("DEFAULT_DEMURE_CONFIG", "lambda", -0.01)),
    accepted: () => fn("validateDemureConfig")(withField("DEFAULT_DEMURE_CONFIG", "lambda", 0)),
  }],
  validateEncoderConfig: [{
    error: "SettingError",
    refused: () => fn("validateEncoderConfig")(withField("DEFAULT_ENCODER_CONFIG", "dim", 0)),
    accepted: () => fn("validateEncoderConfig")(withField("DEFAULT_ENCODER_CONFIG", "dim", 1)),
  }],
  validateFusionConfig: [{
    error: "SettingError",
    refused: () => fn("validateFusionConfig")(withField("DEFAULT_FUSION_CONFIG", "kind", "max")),
    accepted: () => fn("validateFusionConfig")(withField("DEFAULT_FUSION_CONFIG", "kind", "sum")),
  }],
  validateEvaluationConfig: [{
    error: "SettingError",
    refused: () => fn("validateEvaluationConfig")({ chunkSize: 0 }, SPLIT),
    accepted: () => fn("validateEvaluationConfig")({ chunkSize: 1 }, SPLIT),
  }],
  validateRecommendationLossConfig: [{
    error: "SettingError",
    refused: () =>
      fn("validateRecommendationLossConfig")(
        withField("DEFAULT_RECOMMENDATION_LOSS", "kind", "mse"),
      ),
    accepted: () =>
      fn("validateRecommendationLossConfig")(
        withField("DEFAULT_RECOMMENDATION_LOSS", "kind", "bce"),
      ),
  }],
  validateInfoNceConfig: [{
    error: "SettingError",
    refused: () =>
      fn("validateInfoNceConfig")(withField("DEFAULT_INFO_NCE_CONFIG", "temperature", 1e-7)),
    accepted: () =>
      fn("validateInfoNceConfig")(withField("DEFAULT_INFO_NCE_CONFIG", "temperature", 1e-6)),
  }],
  validateModelConfig: [{
    error: "SettingError",
    refused: () => fn("validateModelConfig")(withField("DEFAULT_MODEL_CONFIG", "dim", 0)),
    accepted: () => fn("validateModelConfig")(withField("DEFAULT_MODEL_CONFIG", "dim", 1)),
  }],
  SequentialRecommender: [{
    error: "SettingError",
    refused: () =>
      new (exported.SequentialRecommender as new (...a: unknown[]) => unknown)(
        DATASET,
        { dim: 0 },
      ),
  }],
  validateTrainerConfig: [{
    error: "SettingError",
    refused: () =>
      fn("validateTrainerConfig")(withField("DEFAULT_TRAINER_CONFIG", "divergenceFactor", 1)),
    accepted: () =>
      fn("validateTrainerConfig")(withField("DEFAULT_TRAINER_CONFIG", "divergenceFactor", 1.001)),
  }],
  validateAdamConfig: [{
    error: "SettingError",
    refused: () => fn("validateAdamConfig")(withField("DEFAULT_ADAM_CONFIG", "beta1", 1)),
    accepted: () => fn("validateAdamConfig")(withField("DEFAULT_ADAM_CONFIG", "beta1", 0)),
  }],
  validateTrainerHooks: [{
    error: "SettingError",
    refused: () => fn("validateTrainerHooks")({ auxilaryLoss: () => undefined }),
    accepted: () => fn("validateTrainerHooks")({ auxiliaryLoss: () => undefined }),
  }],
  sampleEvaluationNegatives: [{
    // Each user of the tiny split has at most 9 - 2 unseen items.
    error: "SettingError",
    refused: () => fn("sampleEvaluationNegatives")(SPLIT, { count: 8, seed: 0 }),
    accepted: () => fn("sampleEvaluationNegatives")(SPLIT, { count: 1, seed: 0 }),
  }],
  pessimisticRank: [{
    error: "NonFiniteScoreError",
    refused: () => fn("pessimisticRank")([0.5, NaN, 0.1], 0, new Uint8Array(3)),
    accepted: () => fn("pessimisticRank")([0.5, 0.2, 0.1], 0, new Uint8Array(3)),
  }],
  pessimisticRankAmong: [{
    error: "NonFiniteScoreError",
    refused: () => fn("pessimisticRankAmong")(0.5, [0.2, Infinity]),
    accepted: () => fn("pessimisticRankAmong")(0.5, [0.2, 0.7]),
  }],
  checkSystemSpec: [{
    error: "SettingError",
    refused: () =>
      fn("checkSystemSpec")({ kind: "neural", backbone: "bert4rec", modalities: "id" }),
  }],
  systemByName: [{
    error: "SettingError",
    refused: () => fn("systemByName")("SASRec-mm"),
    accepted: () => fn("systemByName")("SASRec-MM"),
  }],
  validateSeeds: [
    {
      error: "SettingError",
      refused: () => fn("validateSeeds")([2 ** 31]),
      accepted: () => fn("validateSeeds")([0, 2 ** 31 - 1]),
    },
    { error: "SettingError", refused: () => fn("validateSeeds")([-1]) },
  ],
  readDenseFeatures: [{
    // Refused before the file is read: the path does not exist.
    error: "SettingError",
    refused: () =>
      fn("readDenseFeatures")("/nonexistent/features.txt", DATASET.itemIds, {
        name: "image",
        dim: 1.5,
        provenance: { source: "a test", normalisation: "none" },
      }),
    setting: "DenseFeatureConfig.dim",
  }],
  throttledWorkProgress: [{
    error: "RangeError",
    refused: () => fn("throttledWorkProgress")(() => undefined, -1),
    accepted: () => fn("throttledWorkProgress")(() => undefined, 0),
  }],
};

/**
 * Symbols whose comment names a thrown class that this file does not call, and why: each such
 * refusal needs a running backend, a second process, a signal or files of a results folder, and
 * is tested where it lives.
 */
const NOT_CALLED: Readonly<Record<string, string>> = {
  loadOpenBlas: "reads DEMURE_OPENBLAS (tests/backend, in a subprocess)",
  registerBlasKernels: "reads DEMURE_OPENBLAS and DEMURE_BLAS_THREADS (tests/backend)",
  checkStoredData: "a results folder with a stale cell (tests/experiments)",
  checkStoredCellData: "a results folder with a stale cell (tests/experiments)",
  runOneCell: "a second process holding the claim (tests/experiments)",
  HeldClaim: "a claim lock another process holds (tests/experiments)",
  checkCellsFitData: "a prepared dataset and plan (tests/experiments)",
  cl4srecRunRefusal:
    "returns the SettingError its hooks throw (tests/experiments/cells_fit_data_byo50, via the plan)",
  demureRunRefusal:
    "returns the SettingError its hooks throw (tests/experiments/cells_fit_data_byo50, via the plan)",
  infoNce: "tensors on a backend (tests/losses)",
  ntXent: "tensors on a backend (tests/losses)",
  TrainerHooks: "an interface: its hook is called by trainModel (tests/demure, tests/train)",
  trainModel: "a training run (tests/train: settings, divergence, interrupt)",
  EventLoopTurns: "Jupyter's interrupt signal (tests/util)",
  throwIfInterrupted: "Jupyter's interrupt signal (tests/util)",
};

Deno.test("every symbol whose comment names a thrown error class is called here or listed", () => {
  const promising = [...comments].filter(([, comment]) => promisedErrors(comment).size > 0)
    .map(([name]) => name);
  const unknown = promising.filter((name) => !(name in PROBES) && !(name in NOT_CALLED));
  assertEquals(unknown, []);
  // A listed symbol whose comment no longer names a class is seen too.
  const stale = [...Object.keys(PROBES), ...Object.keys(NOT_CALLED)].filter(
    (name) => !promising.includes(name),
  );
  assertEquals(stale, []);
});

Deno.test("each probed symbol throws the class its comment names, and takes the value just inside", () => {
  for (const [name, probes] of Object.entries(PROBES)) {
    const promised = promisedErrors(comments.get(name) ?? "");
    for (const { error, refused, accepted, setting } of probes) {
      assert(promised.has(error), `${name}: its comment names ${[...promised]}, not ${error}`);
      const thrown = assertThrows(refused);
      const errorClass = classes[error] as new (...args: never[]) => Error;
      assert(thrown instanceof errorClass, `${name}: threw ${thrown}, its comment says ${error}`);
      if (error === "RangeError") {
        // The library's own SettingError is a RangeError too: a comment that says RangeError
        // where a SettingError is thrown would hide the class to catch.
        assertEquals(thrown.constructor, RangeError, `${name}: threw ${thrown.name}`);
      }
      if (setting !== undefined) assertEquals((thrown as { setting?: string }).setting, setting);
      accepted?.();
    }
  }
});
