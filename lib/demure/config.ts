/**
 * Demure's settings ({@linkcode DemureConfig}): their defaults, their ranges (refused with a
 * `SettingError` naming the setting, the value and the allowed range), the warm-up a run could
 * never leave, and the resolved attribution route. What each setting does is told in
 * `objective.ts`, which trains with them; the ranges are listed in `docs/configuration.md`.
 *
 * @example
 * ```ts
 * const config = resolveDemureConfig({ lambda: 0.1, rho: 0.3 });
 * console.log(config.attributionSource); // "training_pass" or "separate_pass", resolved
 * ```
 */
import {
  type AttributionConfig,
  DEFAULT_ATTRIBUTION_CONFIG,
  DEFAULT_NOISE_FRACTION,
  NOISE_FRACTION_RANGE,
  validateAttributionConfig,
} from "../attribution/types.ts";
import { CONTRASTIVE_TEMPERATURE_RANGE } from "../losses/info_nce.ts";
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
  checkSettingNames,
  SettingError,
  withDefaults,
} from "../util/settings.ts";
import type { TrainerConfig } from "../train/config.ts";
import { DEFAULT_WARMUP_STEPS } from "./warmup_steps.ts";

/**
 * Configuration of {@linkcode demureHooks}; defaults in {@linkcode DEFAULT_DEMURE_CONFIG}. The
 * allowed values of each choice are written in its field (one home; {@linkcode DemureVariant},
 * {@linkcode DemureWarmupBy} and {@linkcode DemureAttributionSource} read them from here).
 */
export interface DemureConfig {
  /** Which parts of Demure are on. Default `"full"`. */
  variant: "full" | "attribution_only" | "contrastive_only" | "random_input";
  /** Weight of the contrastive loss. Default 0.1. */
  lambda: number;
  /** InfoNCE temperature, in `CONTRASTIVE_TEMPERATURE_RANGE` (>= 1e-6). Default 0.2. */
  temperature: number;
  /**
   * Fraction of each user's valid (position, modality) pairs, or of its present modalities under
   * `user_modality` granularity, taken as noise; in (0, 1). Default
   * {@linkcode DEFAULT_NOISE_FRACTION} (0.3). The one home of rho in Demure: the attribution's
   * noise selection is derived from it ({@linkcode noiseAttributionConfig}). The count is rounded
   * down, at least one and never all (`bottomFractionCount`): under the default `user_modality`
   * granularity with 5 modalities, rho below 0.4 masks 1 modality, 0.4 to 0.59 masks 2, 0.6 to
   * 0.79 masks 3; with 3 modalities the default 0.3 masks 1; a user with one present modality has
   * none. (Before 2026-12-03 a rho below 1 / modalities masked none: an empty noise set.)
   */
  rho: number;
  /**
   * What ends the warm-up of plain training. Default `"steps"`.
   * - `steps`: `warmupSteps` training steps (a fixed count: on a larger dataset it is a smaller
   *   part of an epoch, so it does not scale with the data);
   * - `epochs`: `warmupEpochs` passes over the training data (scales with the data);
   * - `plateau`: validation NDCG@10 has not improved for `warmupEpochs` evaluations in a row (the
   *   plain model has converged; scales with how fast the model learns). The trainer's progress
   *   reaches it through the hooks' `afterEpoch`.
   */
  warmupBy: "steps" | "epochs" | "plateau";
  /** `warmupBy: "steps"`: plain training steps before the first noise mask. Default 30. */
  warmupSteps: number;
  /**
   * `warmupBy: "epochs"`: epochs of plain training; `"plateau"`: evaluations without a better
   * validation NDCG@10 that end the warm-up. Default 3.
   */
  warmupEpochs: number;
  /**
   * Separate-pass route: how many visits of a user's window one computed noise mask serves (the
   * visit that computed it included) before it is recomputed; 1 = every visit. A window comes
   * back once per epoch, so 2 attributes each window every second epoch and reuses its mask in
   * between. Default 2: the schedule of the synthetic benchmark's results of record (attribution
   * ROC-AUC 0.990), and the one at which the separate pass costs at most 2 plain epochs
   * (docs/performance.md, "the mask schedule in visits"). Not read by the training-pass route,
   * which replaces a window's mask at every visit from the step's own gradient.
   */
  everyVisits: number;
  /**
   * How contributions are measured and normalised, and at which granularity the noise is chosen:
   * everything of {@linkcode AttributionConfig} except the noise selection, which Demure derives
   * from its `rho`. Default: gradient x input, z-score, noise chosen per (user, modality) over the
   * whole history.
   */
  attribution: Omit<AttributionConfig, "selection">;
  /** Use the noise-only view as an explicit negative besides the in-batch ones. Default true. */
  noiseViewAsNegative: boolean;
  /**
   * `full` only: the recommendation loss reads the denoised history (identified noise masked).
   * Default true; false keeps the full history in L_rec and denoises through L_cl alone.
   */
  denoiseInput: boolean;
  /**
   * Where the contributions behind the noise masks come from: `"separate_pass"` (an attribution
   * pass before the step), `"training_pass"` (dL_rec/dE of the step's own backward pass; needs
   * `variant` full, `denoiseInput` false and a gradient attribution method) or `"auto"` (default:
   * the training pass where supported, else the separate pass; {@linkcode resolveDemureConfig}
   * replaces it with the route taken). See the module documentation.
   */
  attributionSource: "auto" | "separate_pass" | "training_pass";
  /**
   * Training-pass route only: weight of the newest visit in an exponential moving average of a
   * window's normalised contributions over its visits (the mask is selected from the average).
   * In (0, 1]; default 0.3, the value validated against the separate pass (docs/performance.md;
   * 1 = the newest visit alone, whose masks scored 0.04 lower ROC-AUC). Averaging damps the noise
   * that training-mode dropout puts into one visit's gradient.
   */
  trainingPassSmoothing: number;
}

/** The attribution settings Demure takes: {@linkcode DemureConfig.attribution}. */
export type DemureAttributionConfig = DemureConfig["attribution"];

/** Which parts of Demure are on: {@linkcode DemureConfig.variant}. */
export type DemureVariant = DemureConfig["variant"];

/**
 * True for the variants whose noise masks are drawn at random (`contrastive_only`,
 * `random_input`): nothing is attributed and no mask is cached.
 */
export function masksAreRandom(variant: DemureVariant): boolean {
  return variant === "contrastive_only" || variant === "random_input";
}

/** What ends the warm-up: {@linkcode DemureConfig.warmupBy}. */
export type DemureWarmupBy = DemureConfig["warmupBy"];

/** Where the contributions come from: {@linkcode DemureConfig.attributionSource}. */
export type DemureAttributionSource = DemureConfig["attributionSource"];

/** The values of {@linkcode DemureAttributionSource}. */
export const DEMURE_ATTRIBUTION_SOURCES: readonly DemureAttributionSource[] = [
  "auto",
  "separate_pass",
  "training_pass",
];

/** The documented defaults. */
export const DEFAULT_DEMURE_CONFIG: Readonly<DemureConfig> = Object.freeze({
  variant: "full",
  lambda: 0.1,
  temperature: 0.2,
  rho: DEFAULT_NOISE_FRACTION,
  warmupBy: "steps",
  warmupSteps: DEFAULT_WARMUP_STEPS,
  warmupEpochs: 3,
  everyVisits: 2,
  attribution: Object.freeze({
    method: DEFAULT_ATTRIBUTION_CONFIG.method,
    integratedGradientsSteps: DEFAULT_ATTRIBUTION_CONFIG.integratedGradientsSteps,
    integratedGradientsBaseline: DEFAULT_ATTRIBUTION_CONFIG.integratedGradientsBaseline,
    normalisation: DEFAULT_ATTRIBUTION_CONFIG.normalisation,
    granularity: "user_modality" as const,
  }),
  noiseViewAsNegative: true,
  denoiseInput: true,
  attributionSource: "auto",
  trainingPassSmoothing: 0.3,
});

/**
 * Throws a `SettingError` (setting, value, allowed range) for the first field of `config` out of
 * range; ranges in `docs/configuration.md`.
 */
export function validateDemureConfig(config: DemureConfig): void {
  checkOneOf("DemureConfig.variant", config.variant, [
    "full",
    "attribution_only",
    "contrastive_only",
    "random_input",
  ]);
  checkNumber("DemureConfig.lambda", config.lambda, { min: 0 });
  // Checked here, not only by InfoNCE after the warm-up: a bad temperature fails before training.
  checkNumber("DemureConfig.temperature", config.temperature, CONTRASTIVE_TEMPERATURE_RANGE);
  checkNumber("DemureConfig.rho", config.rho, NOISE_FRACTION_RANGE);
  checkOneOf("DemureConfig.warmupBy", config.warmupBy, ["steps", "epochs", "plateau"]);
  checkInteger("DemureConfig.warmupSteps", config.warmupSteps, { min: 0 });
  checkInteger("DemureConfig.warmupEpochs", config.warmupEpochs, { min: 0 });
  checkInteger("DemureConfig.everyVisits", config.everyVisits, { min: 1 });
  checkBoolean("DemureConfig.noiseViewAsNegative", config.noiseViewAsNegative);
  checkBoolean("DemureConfig.denoiseInput", config.denoiseInput);
  validateAttributionConfig(config.attribution, "DemureConfig.attribution");
  checkOneOf(
    "DemureConfig.attributionSource",
    config.attributionSource,
    DEMURE_ATTRIBUTION_SOURCES,
  );
  checkNumber("DemureConfig.trainingPassSmoothing", config.trainingPassSmoothing, {
    above: 0,
    max: 1,
  });
  if (config.attributionSource === "training_pass") {
    const refusal = trainingPassRefusal(config);
    if (refusal) throw refusal;
  }
}

/**
 * Why a run with `trainer`'s early stopping and epoch cap could never leave `config`'s warm-up (a
 * `SettingError` naming `DemureConfig.warmupEpochs` or `DemureConfig.warmupSteps`), or undefined
 * when it can. A plateau warm-up of `warmupEpochs` evaluations without a gain ends on the
 * evaluation that exhausts a patience of as many or fewer, so training stops before the first
 * masked step; nor can it end before the run's last evaluation when the epoch cap leaves too few
 * (`plateauWarmupLimit`); a warm-up of `warmupEpochs` epochs outlasts a cap of as many
 * or fewer; a warm-up of
 * `warmupSteps` steps outlasts a run of `maxEpochs` epochs of `stepsPerEpoch` steps when it is as
 * long or longer (masks start at step `warmupSteps`, 0-based). Any of these runs would train its
 * backbone alone and be reported as Demure. The step case is checked only when `stepsPerEpoch` is
 * given (the trainer knows it from the split; a plan, before its data is loaded, does not). A run
 * that early stopping or a time limit may end within its warm-up is not refused: it may denoise.
 */
export function warmupRefusal(
  config: Pick<DemureConfig, "warmupBy" | "warmupEpochs" | "warmupSteps">,
  trainer: Pick<TrainerConfig, "patience" | "maxEpochs" | "evalEvery">,
  stepsPerEpoch?: number,
): SettingError | undefined {
  const { warmupBy, warmupEpochs, warmupSteps } = config;
  if (warmupBy === "plateau" && warmupEpochs >= trainer.patience) {
    return new SettingError(
      "DemureConfig.warmupEpochs",
      warmupEpochs,
      `an integer below TrainerConfig.patience (${trainer.patience}) with warmupBy "plateau": ` +
        "early stopping would end the run on the evaluation that ends the warm-up, so it would " +
        "never denoise (raise patience or shorten the warm-up)",
    );
  }
  if (warmupBy === "plateau") {
    const limit = plateauWarmupLimit(trainer);
    if (limit === undefined || warmupEpochs > limit) {
      const { maxEpochs, evalEvery } = trainer;
      const evaluations = Math.ceil(maxEpochs / evalEvery);
      const run = `TrainerConfig.maxEpochs ${maxEpochs} with evalEvery ${evalEvery}: ` +
        `${evaluations} ${evaluations === 1 ? "evaluation" : "evaluations"}, the last after ` +
        `epoch ${maxEpochs}`;
      return new SettingError(
        "DemureConfig.warmupEpochs",
        warmupEpochs,
        `${limit === undefined ? "none" : `an integer from 0 to ${limit}`} with warmupBy ` +
          `"plateau" under ${run} (the first evaluation is always a gain, so a plateau of n ` +
          "evaluations without one ends on evaluation n + 1 at the earliest, and 0 after epoch " +
          "1; ending on the last evaluation or later, the run would never denoise: lengthen the " +
          "run or shorten the warm-up)",
      );
    }
  }
  if (warmupBy === "epochs" && warmupEpochs >= trainer.maxEpochs) {
    return new SettingError(
      "DemureConfig.warmupEpochs",
      warmupEpochs,
      `an integer below TrainerConfig.maxEpochs (${trainer.maxEpochs}) with warmupBy "epochs": ` +
        "the run would end in its warm-up and never denoise",
    );
  }
  if (warmupBy === "steps" && stepsPerEpoch !== undefined) {
    const runSteps = trainer.maxEpochs * stepsPerEpoch;
    if (warmupSteps >= runSteps) {
      return new SettingError(
        "DemureConfig.warmupSteps",
        warmupSteps,
        `an integer below the run's ${runSteps} training steps (TrainerConfig.maxEpochs ` +
          `${trainer.maxEpochs} x ${stepsPerEpoch} ${stepsPerEpoch === 1 ? "batch" : "batches"} ` +
          `an epoch) with warmupBy "steps": ` +
          "the run would end in its warm-up and never denoise (shorten the warm-up or train " +
          "longer)",
      );
    }
  }
  return undefined;
}

/**
 * The longest plateau warm-up (`DemureConfig.warmupEpochs` with warmupBy "plateau") that a run of
 * `trainer`'s epoch cap can leave before its last epoch, or undefined when none can (a one-epoch
 * run). Derived from the trainer and `Warmup`: validation runs after every `evalEvery`-th epoch and
 * after the last; the first evaluation always beats the start (-Infinity), so it resets the count
 * of evaluations without a gain, and a plateau of n >= 1 ends on evaluation n + 1 at the earliest,
 * after epoch (n + 1) x evalEvery; a plateau of 0 is over after epoch 1, evaluated or not. It can
 * denoise only if that epoch comes before `maxEpochs`, so n + 1 < maxEpochs / evalEvery: n is at
 * most ceil(maxEpochs / evalEvery) - 2 (0 where that is below 0 and the run has a second epoch).
 */
function plateauWarmupLimit(
  trainer: Pick<TrainerConfig, "maxEpochs" | "evalEvery">,
): number | undefined {
  if (trainer.maxEpochs < 2) return undefined;
  return Math.max(0, Math.ceil(trainer.maxEpochs / trainer.evalEvery) - 2);
}

/**
 * Why `config` cannot take its contributions from the training pass (a `SettingError` naming the
 * first setting in the way), or undefined when it can (module documentation).
 */
function trainingPassRefusal(config: DemureConfig): SettingError | undefined {
  const why = "with DemureConfig.attributionSource training_pass";
  if (config.variant !== "full") {
    return new SettingError(
      "DemureConfig.variant",
      config.variant,
      `"full" ${why} (attribution_only has no contrastive term and a denoised L_rec, ` +
        `contrastive_only and random_input no attribution; use attributionSource ` +
        `"separate_pass" or "auto")`,
    );
  }
  if (config.denoiseInput) {
    return new SettingError(
      "DemureConfig.denoiseInput",
      config.denoiseInput,
      `false ${why} (a denoised L_rec has zero gradient at the masked pairs, which could ` +
        `then never leave the noise set)`,
    );
  }
  const method = config.attribution.method;
  if (method !== "gradient_x_input" && method !== "gradient_norm") {
    return new SettingError(
      "DemureConfig.attribution.method",
      method,
      `"gradient_x_input" or "gradient_norm" ${why} (the training pass gives dL_rec/dE only)`,
    );
  }
  return undefined;
}

/**
 * Fills in the defaults of {@linkcode DemureConfig}, validates the result and resolves
 * `attributionSource: "auto"` to the route taken (the training pass where the configuration
 * supports it). An attribution `selection` is refused: Demure's noise set is always the bottom
 * fraction `rho`.
 *
 * @example
 * ```ts
 * resolveDemureConfig().attributionSource; // "separate_pass": denoiseInput defaults to true
 * resolveDemureConfig({ denoiseInput: false }).attributionSource; // "training_pass"
 * ```
 */
export function resolveDemureConfig(input: Partial<DemureConfig> = {}): DemureConfig {
  checkSettingNames("DemureConfig", input, DEFAULT_DEMURE_CONFIG, {
    everySteps: "none: replaced by everyVisits on 2026-12-02 (how many visits of a user's window " +
      "one computed mask serves; everySteps 10 was every second visit at 5 steps an epoch and " +
      "every visit at 10 or more)",
  });
  const attribution: unknown = input.attribution;
  if (attribution !== undefined) {
    if (typeof attribution === "object" && attribution !== null && "selection" in attribution) {
      throw new SettingError(
        "DemureConfig.attribution.selection",
        attribution.selection,
        "none (Demure's noise set is the bottom fraction DemureConfig.rho; set rho instead)",
      );
    }
    checkSettingNames("DemureConfig.attribution", attribution, DEFAULT_DEMURE_CONFIG.attribution);
  }
  // A setting given as undefined is its default, as if left out (`withDefaults`).
  const config: DemureConfig = {
    ...withDefaults(DEFAULT_DEMURE_CONFIG, input),
    attribution: withDefaults(DEFAULT_DEMURE_CONFIG.attribution, input.attribution),
  };
  validateDemureConfig(config);
  if (config.attributionSource === "auto") {
    config.attributionSource = trainingPassRefusal(config) ? "separate_pass" : "training_pass";
  }
  return config;
}

/**
 * The attribution configuration Demure's noise masks use: `config.attribution` with the bottom
 * fraction `config.rho` as the selection.
 *
 * @example
 * ```ts
 * const config = resolveDemureConfig({ rho: 0.5 });
 * await attributeBatch(model, batch, noiseAttributionConfig(config)); // the noise set Demure would use
 * ```
 */
export function noiseAttributionConfig(config: DemureConfig): AttributionConfig {
  return { ...config.attribution, selection: { kind: "bottom_fraction", rho: config.rho } };
}
