/**
 * The plan's cells, built one experiment at a time: {@linkcode PlanCells} knows how a cell is
 * configured (selected, inherited from a backbone, a trial, the defaults, or waiting for a
 * selection) and keys it; `plan.ts` decides which cells the grid has and in what order. A cell
 * asked for twice (the multi-modal SASRec of the main table, the ablation and the noise level) is
 * one cell carrying each experiment's tag.
 */
import type { Cl4SRecConfig } from "../baselines/cl4srec.ts";
import {
  DEFAULT_DEMURE_CONFIG,
  type DemureConfig,
  resolveDemureConfig,
  warmupRefusal,
} from "../demure/config.ts";
import { DEFAULT_SYNTHETIC, type SyntheticConfig } from "../data/synthetic.ts";
import { type ModelConfigInput, resolveModelConfig } from "../models/sequential_recommender.ts";
import { resolveTrainerConfig, type TrainerConfig } from "../train/config.ts";
import { DEFAULT_ADAM_CONFIG } from "../train/adam.ts";
import { SettingError, withDefaults } from "../util/settings.ts";
import { datasetLabel, type DatasetSpec } from "./datasets.ts";
import { LATER_SWEEP_PARAMETERS, type ModeSettings } from "./_plan_settings.ts";
import type {
  DatasetPlan,
  DesignChoice,
  Experiment,
  ExperimentMode,
  PlannedCell,
  SweepParameter,
  Sweeps,
} from "./plan_types.ts";
import {
  inheritedConfig,
  maxTrialsOf,
  mergeTrialConfig,
  type SelectedConfigurations,
  SELECTION_SPECS,
  selectionId,
  type TrialConfig,
  type TrialRuns,
  trialsOf,
} from "./selection.ts";
import {
  NOISE_LEVEL_SYSTEMS,
  systemByName,
  type SystemName,
  SYSTEMS,
  type SystemSpec,
} from "./systems.ts";

/** How a cell's hyper-parameters were set, and what it waits for or reuses. */
type Configured = Pick<PlannedCell, "config" | "configuredBy" | "waitsFor" | "sameAs">;

/** What sets one cell apart from the system's main-table cell at its seed. */
interface CellExtra {
  /** Row label (default the system's name). */
  label?: string;
  /** The key's system part (default the system's name). */
  keyPart?: string;
  /** The configuration (default the system's on this dataset: {@linkcode PlanCells.configOf}). */
  configured?: Configured;
  trial?: PlannedCell["trial"];
  sweep?: PlannedCell["sweep"];
  designChoice?: DesignChoice;
  noiseFraction?: number;
}

/** What the cells of one plan share. */
export interface PlanContext {
  mode: ExperimentMode;
  /** The mode's settings (with the ranking, when it is not the default, in `training`). */
  settings: ModeSettings;
  /** What the plan does on each dataset kind (the mode's, with the seeds and budget asked). */
  datasets: Record<DatasetSpec["kind"], DatasetPlan>;
  selected: SelectedConfigurations;
  /** Demure settings asked over the mode's and the dataset's (`PlanOptions.demure`). */
  demure?: Partial<DemureConfig>;
  /** An imported dataset's own trainer settings (`PlanOptions.datasetTraining`). */
  fileTraining?: Partial<TrainerConfig>;
  /** The trials asked instead of the mode's (`PlanOptions.trialBudget`), already in `datasets`. */
  trialBudget?: number;
}

/** The cells of one plan in the order they were added (the run order). */
export class PlanCells {
  readonly #cells = new Map<string, PlannedCell>();
  readonly #context: PlanContext;
  /** The sensitivity sweeps added, by dataset label. */
  readonly sweeps: Record<string, Sweeps> = {};

  constructor(context: PlanContext) {
    this.#context = context;
  }

  /** The configuration of `name` on `dataset`: selected, inherited or defaults (or waiting). */
  configOf(dataset: string, kind: DatasetSpec["kind"], name: SystemName): Configured {
    const { datasets, selected } = this.#context;
    const source = configSourceOf(name);
    if (source) {
      const from = this.configOf(dataset, kind, source);
      const { waitsFor } = from;
      return {
        config: from.config,
        configuredBy: from.configuredBy,
        ...(waitsFor ? { waitsFor } : {}),
      };
    }
    const isSelected = datasets[kind].selected.includes(name);
    if (isSelected) {
      const id = selectionId(dataset, name);
      const chosen = selected[dataset]?.[name];
      if (chosen === undefined) return { config: {}, configuredBy: "selection", waitsFor: [id] };
      return { config: chosen.config, configuredBy: "selection" };
    }
    // Not selected: the defaults, on top of the backbone's selected optimiser settings.
    const backbone = SELECTION_SPECS[name]?.inheritsFrom;
    if (backbone && datasets[kind].selected.includes(backbone)) {
      const chosen = selected[dataset]?.[backbone];
      if (chosen === undefined) {
        return {
          config: {},
          configuredBy: "backbone selection",
          waitsFor: [selectionId(dataset, backbone)],
        };
      }
      return { config: inheritedConfig(chosen), configuredBy: "backbone selection" };
    }
    return { config: {}, configuredBy: "defaults" };
  }

  /** Adds the cell of `name` at `seed` to `experiment`, or tags the identical cell already there. */
  add(
    experiment: Experiment,
    dataset: DatasetSpec,
    name: SystemName,
    seed: number,
    extra: CellExtra = {},
  ): void {
    const { mode, settings, datasets, selected } = this.#context;
    const label = datasetLabel(dataset);
    const keyPart = extra.keyPart ?? name;
    const key = `${mode}/${label}/${keyPart}/seed=${seed}`;
    const existing = this.#cells.get(key);
    if (existing) {
      // A shared cell: one run, several experiments.
      if (!existing.experiments.includes(experiment)) existing.experiments.push(experiment);
      if (extra.noiseFraction !== undefined) existing.noiseFraction = extra.noiseFraction;
      return;
    }
    const configured = extra.configured ?? this.configOf(label, dataset.kind, name);
    const extraDemure = extra.sweep
      ? { [extra.sweep.parameter]: extra.sweep.value }
      : extra.designChoice?.demure;
    const config = extraDemure
      ? mergeTrialConfig(configured.config, { demure: extraDemure })
      : configured.config;
    const { system, training } = this.#runOf(dataset, name, config);
    const stopping = datasets[dataset.kind];
    const backbone = system.kind === "neural" ? system.backbone : undefined;
    // A selected dropout overrides that one key of the backbone's settings: it replaced them
    // whole, so a plan's other backbone settings (e.g. sasrec.blocks) were dropped without a word.
    const model: ModelConfigInput = config.dropout !== undefined && backbone
      ? { ...settings.model, [backbone]: { ...settings.model[backbone], dropout: config.dropout } }
      : settings.model;
    // The first seed's main cell of a selected system is the chosen trial: same settings, reused.
    const chosen = selected[label]?.[name];
    const sameAs = configured.sameAs ??
      (configured.configuredBy === "selection" && !configSourceOf(name) &&
          experiment !== "selection" && chosen !== undefined && seed === stopping.seeds[0] &&
          !extraDemure
        ? trialKey(mode, label, name, chosen.trial, seed)
        : undefined);
    const scoreAttribution = dataset.kind === "synthetic" && sameAs === undefined &&
      experiment === "main" && (name === "SASRec-MM" || name === "Demure-SASRec") &&
      extra.noiseFraction === undefined;
    this.#cells.set(key, {
      key,
      dataset,
      datasetLabel: label,
      systemKey: name,
      systemName: extra.label ?? name,
      system,
      seed,
      model,
      training,
      scoreAttribution,
      experiments: [experiment],
      configuredBy: configured.configuredBy,
      config,
      ...(configured.waitsFor ? { waitsFor: configured.waitsFor } : {}),
      ...(sameAs ? { sameAs } : {}),
      ...(extra.trial ? { trial: extra.trial } : {}),
      ...(extra.sweep ? { sweep: extra.sweep } : {}),
      ...(extra.designChoice ? { designChoice: extra.designChoice } : {}),
      ...(extra.noiseFraction !== undefined ? { noiseFraction: extra.noiseFraction } : {}),
    });
  }

  /** The main-table cells of `names` at `seeds`; a non-neural system runs at the first only. */
  addMain(dataset: DatasetSpec, names: SystemName[], seeds: number[]): void {
    for (const seed of seeds) {
      for (const name of names) {
        if (SYSTEMS[name].kind !== "neural" && seed !== seeds[0]) continue;
        this.add("main", dataset, name, seed);
      }
    }
  }

  /** The selection trials of `names` on `dataset` (first seed). */
  addTrials(dataset: DatasetSpec, names: SystemName[]): void {
    const { mode, datasets, selected } = this.#context;
    const label = datasetLabel(dataset);
    const plan = datasets[dataset.kind];
    for (const name of names.filter((n) => plan.selected.includes(n))) {
      const backbone = SELECTION_SPECS[name]?.inheritsFrom;
      const id = selectionId(label, name);
      let base: TrialConfig = {};
      let waitsFor: string[] | undefined;
      if (backbone && plan.selected.includes(backbone)) {
        const chosen = selected[label]?.[backbone];
        if (chosen === undefined) waitsFor = [selectionId(label, backbone)];
        else base = inheritedConfig(chosen);
      }
      // A point whose cell the plan would refuse (a warm-up the mode's epoch cap or patience
      // always ends first) is never drawn: it would stop the whole plan, or, before the refusal
      // covered it, train the backbone alone under the method's name.
      const runs: TrialRuns = (trial) => {
        const { system, training } = this.#runOf(dataset, name, mergeTrialConfig(base, trial));
        const trainer = resolveTrainerConfig({ ...training, seed: plan.seeds[0] });
        return cellWarmupRefusal(system, trainer) === undefined;
      };
      this.#checkTrialBudget(name, label, plan.trials, runs);
      for (const trial of trialsOf(name, plan.trials, runs)) {
        // Trial 0 is the defaults: when the system ran unselected at the first seed, that record is
        // this run (the store reuses it only if its settings are identical, so a system selected
        // after it ran at its defaults does not train the same run twice).
        const sameAs = trial.index === 0 && !waitsFor
          ? `${mode}/${label}/${name}/seed=${plan.seeds[0]}`
          : undefined;
        this.add("selection", dataset, name, plan.seeds[0], {
          label: `${name} (trial ${trial.index})`,
          keyPart: trialKeyPart(name, trial.index),
          configured: {
            config: mergeTrialConfig(base, trial.config),
            configuredBy: "trial",
            ...(waitsFor ? { waitsFor } : {}),
            ...(sameAs ? { sameAs } : {}),
          },
          trial: {
            selection: id,
            index: trial.index,
            ...(trial.point ? { point: trial.point } : {}),
          },
        });
      }
    }
  }

  /** Demure-SASRec's design choices on `dataset` at its `seedIndex`-th ablation seed. */
  addDesignChoices(dataset: DatasetSpec, seedIndex = 0): void {
    const { designChoices, ablationSeeds, designChoiceSeedCount } =
      this.#context.datasets[dataset.kind];
    if (!designChoices || seedIndex >= Math.min(designChoiceSeedCount, ablationSeeds.length)) {
      return;
    }
    const configured = this.#selectedDemure(dataset);
    for (const choice of designChoicesOf(configured.config.demure ?? {})) {
      this.add("design_choice", dataset, "Demure-SASRec", ablationSeeds[seedIndex], {
        label: `Demure-SASRec [${choice.name}]`,
        keyPart: `Demure-SASRec[${choice.key}]`,
        configured,
        designChoice: choice,
      });
    }
  }

  /**
   * SASRec-MM and Demure-SASRec at each planted noise share. The default share's cells are the
   * main table's synthetic cells (same key); other shares run the configuration selected at the
   * default share, at the mode's noise seeds.
   */
  addNoiseLevels(synthetic: DatasetSpec): void {
    const { settings, datasets } = this.#context;
    const defaultFraction = settings.synthetic.noiseFraction ?? DEFAULT_SYNTHETIC.noiseFraction;
    for (const noiseFraction of [...new Set([defaultFraction, ...settings.noiseFractions])]) {
      const noisy = noiseLevelDataset(settings.synthetic, noiseFraction);
      const noiseSeeds = noiseFraction === defaultFraction
        ? datasets.synthetic.seeds
        : settings.noiseSeeds.filter((s) => datasets.synthetic.seeds.includes(s));
      for (const seed of noiseSeeds) {
        for (const name of NOISE_LEVEL_SYSTEMS) {
          const configured = this.configOf(datasetLabel(synthetic), "synthetic", name);
          this.add("noise_level", noisy, name, seed, {
            noiseFraction,
            ...(noiseFraction === defaultFraction ? {} : { configured }),
          });
        }
      }
    }
  }

  /**
   * A dataset's sensitivity sweep around its selected configuration, at its `seedIndex`-th seed.
   * The reference is the selected configuration's own cell: the main table's at that seed.
   * `later`: only the parameters of `LATER_SWEEP_PARAMETERS`, whose cells come last; else the
   * others.
   */
  addSweep(dataset: DatasetSpec, seedIndex: number, later = false): void {
    const { mode, datasets } = this.#context;
    const { seeds: mainSeeds, sweeps: declared, sweepSeedCount } = datasets[dataset.kind];
    const swept = Object.entries(declared) as [SweepParameter, number[]][];
    if (swept.length === 0 || seedIndex >= Math.min(sweepSeedCount, mainSeeds.length)) return;
    const seed = mainSeeds[seedIndex];
    const label = datasetLabel(dataset);
    this.sweeps[label] = declared;
    const reference = this.#selectedDemure(dataset);
    // What the reference cell runs: the selection over the plan's settings, as `add` merges them
    // (the mode's alone left out a value asked in PlanOptions.demure, so the sweep cell at the
    // default value was called the reference's run, and the one at the value asked trained again).
    const referenceDemure = { ...this.#planDemure(dataset.kind), ...reference.config.demure };
    const selectedValue: Record<SweepParameter, number> = {
      rho: referenceDemure.rho ?? DEFAULT_DEMURE_CONFIG.rho,
      lambda: referenceDemure.lambda ?? DEFAULT_DEMURE_CONFIG.lambda,
      temperature: referenceDemure.temperature ?? DEFAULT_DEMURE_CONFIG.temperature,
      warmupEpochs: referenceDemure.warmupEpochs ?? DEFAULT_DEMURE_CONFIG.warmupEpochs,
    };
    if (!later) this.add("sensitivity", dataset, "Demure-SASRec", seed);
    const referenceKey = `${mode}/${label}/Demure-SASRec/seed=${seed}`;
    // The selected configuration's run again, under the first swept parameter's key: later
    // parameters' selected values name it (the main cell itself differs where it scores the
    // attribution, as on the synthetic data, so that only this one trains).
    let selectedRunKey: string | undefined;
    for (const [parameter, values] of swept) {
      const inThisPass = LATER_SWEEP_PARAMETERS.includes(parameter) === later;
      // Every value has its cell, so the plan's cells (and their indices) do not depend on the
      // selection; the selected value's cell is the reference cell again (same settings: reused).
      for (const value of values) {
        const keyPart = `Demure-SASRec[${parameter}=${value}]`;
        const isSelected = value === selectedValue[parameter] && !reference.waitsFor;
        if (inThisPass) {
          this.add("sensitivity", dataset, "Demure-SASRec", seed, {
            label: `Demure-SASRec [${parameter} = ${value}]`,
            keyPart,
            configured: {
              ...reference,
              ...(isSelected ? { sameAs: selectedRunKey ?? referenceKey } : {}),
            },
            sweep: { parameter, value },
          });
        }
        if (isSelected) selectedRunKey ??= `${mode}/${label}/${keyPart}/seed=${seed}`;
      }
    }
  }

  /**
   * Every cell, in the order added, each cell's settings checked now, not when the cell's turn
   * comes hours later.
   */
  checked(): PlannedCell[] {
    for (const cell of this.#cells.values()) {
      const trainer = resolveTrainerConfig({ ...cell.training, seed: cell.seed });
      resolveModelConfig(cell.model);
      const refusal = cellWarmupRefusal(cell.system, trainer);
      if (refusal) {
        throw new SettingError(
          refusal.setting,
          refusal.value,
          `${refusal.allowed}; cell ${cell.key}`,
        );
      }
    }
    return [...this.#cells.values()];
  }

  /**
   * The system and the trainer settings of `name`'s cell on `dataset` with `config`: the plan's
   * settings, the dataset's stopping and the cell's own (the one home of how a cell's run is set,
   * for `add` and for the trials the selection may draw).
   */
  #runOf(
    dataset: DatasetSpec,
    name: SystemName,
    config: TrialConfig,
  ): { system: SystemSpec; training: Partial<TrainerConfig> } {
    const { settings, datasets } = this.#context;
    const stopping = datasets[dataset.kind];
    // A setting the caller gives as undefined is left out (`withDefaults`): it keeps the mode's.
    const training: Partial<TrainerConfig> = {
      ...withDefaults(settings.training, dataset.kind === "file" ? this.#context.fileTraining : {}),
      maxEpochs: stopping.maxEpochs,
      patience: stopping.patience,
      ...(config.learningRate !== undefined
        ? {
          optimizer: {
            ...DEFAULT_ADAM_CONFIG,
            ...settings.training.optimizer,
            learningRate: config.learningRate,
          },
        }
        : {}),
    };
    return { system: systemWith(name, config, this.#planDemure(dataset.kind)), training };
  }

  /**
   * Throws a `SettingError` naming `PlanOptions.trialBudget` when the budget asked is more than the
   * trials `name` can draw once the points its runs refuse are left out. `planExperiments` caps
   * the budget at the smallest full grid; a Demure grid under a short run (a warm-up the epoch cap
   * or patience always ends first) can hold fewer, which ended in the draw's plain Error.
   */
  #checkTrialBudget(name: SystemName, label: string, trials: number, runs: TrialRuns): void {
    const budget = this.#context.trialBudget;
    // The mode's own trials: a settings defect the draw reports, not an option to name.
    if (budget === undefined || trials !== budget) return;
    const most = maxTrialsOf(name, runs);
    if (budget <= most) return;
    throw new SettingError(
      "PlanOptions.trialBudget",
      budget,
      `an integer >= 1 and <= ${most} (the points of ${name}'s grid on ${label} that its runs ` +
        `accept, of ${maxTrialsOf(name)}: the others are warm-ups the plan's epoch cap or ` +
        "patience always ends first)",
    );
  }

  /** The Demure settings of every cell on `kind`: the mode's, the dataset's, then those asked. */
  #planDemure(kind: DatasetSpec["kind"]): Partial<DemureConfig> {
    const { settings, datasets, demure } = this.#context;
    // A setting asked as undefined is left out (`withDefaults`): it keeps the mode's or dataset's.
    return withDefaults({ ...settings.demure, ...datasets[kind].demure }, demure);
  }

  #selectedDemure(dataset: DatasetSpec): Configured {
    return this.configOf(datasetLabel(dataset), dataset.kind, "Demure-SASRec");
  }
}

/** The design choices measured, each against the selected configuration (which flips it). */
function designChoicesOf(selected: Partial<DemureConfig>): DesignChoice[] {
  const denoised = selected.denoiseInput ?? true;
  return [
    {
      name: denoised ? "L_rec on the full history" : "L_rec on the denoised history",
      key: "denoiseInput=flipped",
      demure: { denoiseInput: !denoised },
    },
    {
      name: "noise per (position, modality)",
      key: "granularity=pair",
      demure: { attribution: { granularity: "pair" } as DemureConfig["attribution"] },
    },
    {
      name: "no noise-only negative",
      key: "noiseViewAsNegative=false",
      demure: { noiseViewAsNegative: false },
    },
  ];
}

/**
 * The synthetic dataset at a planted noise share; the default share is the main table's dataset
 * itself, so its cells are shared rather than run twice.
 */
function noiseLevelDataset(
  synthetic: Partial<SyntheticConfig>,
  noiseFraction: number,
): DatasetSpec {
  const defaultFraction = synthetic.noiseFraction ?? DEFAULT_SYNTHETIC.noiseFraction;
  return {
    kind: "synthetic",
    config: noiseFraction === defaultFraction ? synthetic : { ...synthetic, noiseFraction },
  };
}

/**
 * Why a cell of `system` under `trainer` could never leave Demure's warm-up (`warmupRefusal`; the
 * steps case waits for the data: `cells_fit_check.ts`), or undefined (also for a non-Demure cell).
 */
function cellWarmupRefusal(system: SystemSpec, trainer: TrainerConfig): SettingError | undefined {
  if (system.kind !== "neural" || !system.demure) return undefined;
  return warmupRefusal(resolveDemureConfig(system.demure), trainer);
}

/** The system a configuration is inherited from (its backbone, or Demure-SASRec for ablations). */
function configSourceOf(name: SystemName): SystemName | undefined {
  if (
    name === "AttributionOnly-SASRec" || name === "ContrastiveOnly-SASRec" ||
    name === "RandomInputMasks-SASRec"
  ) {
    return "Demure-SASRec";
  }
  return undefined;
}

/** The system's spec with the cell's hyper-parameters applied. */
function systemWith(
  name: SystemName,
  config: TrialConfig,
  planDemure: Partial<DemureConfig>,
): SystemSpec {
  const base: SystemSpec = systemByName(name);
  if (base.kind !== "neural") return base;
  if (base.demure) {
    // The variant is the system's own (the ablations take Demure-SASRec's settings otherwise).
    return {
      ...base,
      // A selected setting given as undefined is left out (`withDefaults`): the plan's stays.
      demure: { ...withDefaults(planDemure, config.demure), variant: base.demure.variant },
    };
  }
  if (base.cl4srec) {
    const cl4srec: Partial<Cl4SRecConfig> = withDefaults({ ...base.cl4srec }, config.cl4srec);
    return { ...base, cl4srec };
  }
  return base;
}

function trialKeyPart(name: SystemName, index: number): string {
  return `${name}/trial=${index}`;
}

function trialKey(
  mode: ExperimentMode,
  dataset: string,
  name: SystemName,
  index: number,
  seed: number,
): string {
  return `${mode}/${dataset}/${trialKeyPart(name, index)}/seed=${seed}`;
}
