/**
 * The systems compared by the experiments, by name: non-neural baselines, the neural baselines and
 * Demure with its ablations. Each is a plain description, so a result file records exactly what
 * ran and a notebook can print it.
 *
 * @example
 * ```ts
 * const demure = SYSTEMS["Demure-SASRec"]; // { kind: "neural", backbone: "sasrec", ... }
 * ```
 */
import { checkOneOf, checkSettingNames, SettingError } from "../util/settings.ts";
import type { Cl4SRecConfig } from "../baselines/cl4srec.ts";
import type { DemureConfig } from "../demure/config.ts";
import { BACKBONE_KINDS, type ModelConfig } from "../models/sequential_recommender.ts";

/** A system of the comparison. */
export type SystemSpec =
  | { kind: "popularity"; description: string }
  | { kind: "item_knn"; description: string }
  | {
    kind: "neural";
    description: string;
    backbone: ModelConfig["backbone"];
    /** `id`: the learned item embedding only; `all`: every modality of the dataset, fused. */
    modalities: "id" | "all";
    /** CL4SRec-style random crop/mask/reorder views with InfoNCE. */
    cl4srec?: Partial<Cl4SRecConfig>;
    /** Demure's objective (variant, lambda, tau, rho, warm-up). */
    demure?: Partial<DemureConfig>;
  };

/** Every named system. */
export const SYSTEMS = {
  "Pop": { kind: "popularity", description: "training-set popularity" },
  "ItemKNN": {
    kind: "item_knn",
    description: "item-to-item transition co-occurrence (cosine), last 3 items vote",
  },
  "SASRec-ID": {
    kind: "neural",
    description: "SASRec on learned item ids only",
    backbone: "sasrec",
    modalities: "id",
  },
  "GRU4Rec-ID": {
    kind: "neural",
    description: "GRU4Rec on learned item ids only",
    backbone: "gru4rec",
    modalities: "id",
  },
  "SASRec-MM": {
    kind: "neural",
    description: "SASRec, all modalities fused (masked mean), no denoising",
    backbone: "sasrec",
    modalities: "all",
  },
  "GRU4Rec-MM": {
    kind: "neural",
    description: "GRU4Rec, all modalities fused, no denoising",
    backbone: "gru4rec",
    modalities: "all",
  },
  "CL4SRec-MM": {
    kind: "neural",
    description: "multi-modal SASRec + CL4SRec views (crop/mask/reorder), NT-Xent",
    backbone: "sasrec",
    modalities: "all",
    // Named, not left to the default, so that a cell records which loss it was trained with (the
    // cells before 2026-12-03 were made with "one_way" and read as stale against this one).
    cl4srec: { loss: "nt_xent" },
  },
  "Demure-SASRec": {
    kind: "neural",
    description: "multi-modal SASRec + Demure (attribution + contrastive)",
    backbone: "sasrec",
    modalities: "all",
    demure: { variant: "full" },
  },
  "Demure-GRU4Rec": {
    kind: "neural",
    description: "multi-modal GRU4Rec + Demure (attribution + contrastive)",
    backbone: "gru4rec",
    modalities: "all",
    demure: { variant: "full" },
  },
  "AttributionOnly-SASRec": {
    kind: "neural",
    description: "ablation: identified noise masked in the input, no contrastive loss",
    backbone: "sasrec",
    modalities: "all",
    demure: { variant: "attribution_only" },
  },
  "ContrastiveOnly-SASRec": {
    kind: "neural",
    description: "ablation: random modality masks instead of attribution, contrastive loss",
    backbone: "sasrec",
    modalities: "all",
    demure: { variant: "contrastive_only" },
  },
  "RandomInputMasks-SASRec": {
    kind: "neural",
    description: "control of AttributionOnly-SASRec: random modality masks (the same share rho) " +
      "in the input, no contrastive loss",
    backbone: "sasrec",
    modalities: "all",
    demure: { variant: "random_input" },
  },
} as const satisfies Record<string, SystemSpec>;

/** Name of a system in {@linkcode SYSTEMS}. */
export type SystemName = keyof typeof SYSTEMS;

/**
 * The systems of the noise-level experiment, baseline first: the plan runs both at every planted
 * noise share and seed, and `noiseLevelGains` measures the second against the first by default.
 */
export const NOISE_LEVEL_SYSTEMS = [
  "SASRec-MM",
  "Demure-SASRec",
] as const satisfies readonly SystemName[];

/**
 * Throws a `SettingError` for a system spec written by hand that the runner would misread: a kind
 * that is none of the three, a backbone or modalities out of range, or a name the kind does not
 * have (`demre` trained the plain backbone, reported under the system's name). The contents of
 * `demure` and `cl4srec` are checked where they are read (`resolveDemureConfig`,
 * `cl4srecAuxiliaryLoss`).
 */
export function checkSystemSpec(system: SystemSpec): void {
  checkOneOf("SystemSpec.kind", (system as { kind?: unknown })?.kind, [
    "popularity",
    "item_knn",
    "neural",
  ]);
  if (system.kind !== "neural") {
    checkSettingNames("SystemSpec", system, { kind: true, description: true });
    return;
  }
  checkSettingNames("SystemSpec", system, {
    kind: true,
    description: true,
    backbone: true,
    modalities: true,
    cl4srec: true,
    demure: true,
  });
  checkOneOf("SystemSpec.backbone", system.backbone, BACKBONE_KINDS);
  checkOneOf("SystemSpec.modalities", system.modalities, ["id", "all"]);
}

/** The named system; throws a `SettingError` listing the known names for an unknown one. */
export function systemByName(name: string): SystemSpec {
  if (!Object.hasOwn(SYSTEMS, name)) {
    throw new SettingError("system name", name, `one of ${Object.keys(SYSTEMS).join(", ")}`);
  }
  return SYSTEMS[name as SystemName];
}

/** The system with some Demure settings changed (sensitivity sweeps). */
export function withDemure(name: SystemName, demure: Partial<DemureConfig>): SystemSpec {
  const base: SystemSpec = systemByName(name);
  if (base.kind !== "neural" || base.demure === undefined) {
    throw new Error(`withDemure: ${name} is not a Demure system`);
  }
  return { ...base, demure: { ...base.demure, ...demure } };
}
