/**
 * What names an experiment's dataset: the {@linkcode DatasetSpec} (MovieLens, the synthetic
 * benchmark, or imported files) and its stable label. No data is read here, so the command line
 * (`scripts/reproduce_options.ts`) checks `--dataset` and `--format` without loading the data or
 * model code; `datasets.ts` prepares the data a spec names.
 *
 * @example
 * ```ts
 * const spec: DatasetSpec = { kind: "file", path: "data/beauty/beauty", format: "recbole" };
 * console.log(datasetLabel(spec)); // "beauty"
 * ```
 */
import type { SyntheticConfig } from "../data/synthetic.ts";
import {
  checkOneOf,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";

/** Every {@linkcode DatasetFileFormat}. */
export const DATASET_FILE_FORMATS: readonly DatasetFileFormat[] = ["sequence", "recbole"];

/** A dense feature file (`item_id v1 ... vd` per line) added to an imported dataset as a modality. */
export interface FeatureFileSpec {
  /** Modality name, e.g. "image". */
  name: string;
  /** The feature file. */
  path: string;
}

/** An imported dataset. */
export interface FileDatasetSpec {
  /** Imported from files. */
  kind: "file";
  /**
   * `sequence`: the file (`user item1 item2 ...` per line, chronological). `recbole`: the atomic
   * files' base path (`<path>.inter`, and `<path>.item` whose feature columns become modalities
   * when it exists); a path ending in `.inter` is read as its base.
   */
  path: string;
  /** How `path` is read (see `docs/data.md`, "Bring your own data"). */
  format: "sequence" | "recbole";
  /** Extra dense modalities, attached after reading. Default none. */
  features?: FeatureFileSpec[];
  /** Label in tables and result keys. Default the file name without its extension. */
  label?: string;
}

/** Formats of an imported dataset: {@linkcode FileDatasetSpec.format}. */
export type DatasetFileFormat = FileDatasetSpec["format"];

/** Which data an experiment runs on. */
export type DatasetSpec =
  | { kind: "movielens" }
  | { kind: "synthetic"; config: Partial<SyntheticConfig> }
  | FileDatasetSpec;

/** Every {@linkcode DatasetSpec} kind (as a record, so that the compiler flags one the list lacks). */
export const DATASET_KINDS = Object.keys(
  { movielens: true, synthetic: true, file: true } satisfies Record<DatasetSpec["kind"], true>,
) as DatasetSpec["kind"][];

/**
 * What a feature name may be, in words. The command line takes features as `name=path,...` (the
 * name ends at the first "="), so a name with "," or "=" could not be given there, nor its run's
 * results folder named again by a command; an empty name is no modality name.
 */
export const FEATURE_NAME_ALLOWED = 'a non-empty name without "," or "=" (e.g. "image")';

/** Whether `name` can name a feature file's modality: {@linkcode FEATURE_NAME_ALLOWED}. */
export function isFeatureName(name: string): boolean {
  return name !== "" && !/[,=]/.test(name);
}

const FEATURE_FILE_SPEC_NAMES: SettingNames<FeatureFileSpec> = { name: true, path: true };

/**
 * Throws a `SettingError` for a feature file without a usable name or path, or with a name the
 * entry does not have, where a spec enters the library (the command line applies
 * {@linkcode isFeatureName} to `--features` itself).
 *
 * @example
 * ```ts
 * checkFeatureFiles([{ name: "image", path: "img.txt" }]); // passes
 * ```
 */
export function checkFeatureFiles(features: readonly FeatureFileSpec[] | undefined): void {
  (features ?? []).forEach((feature, k) => {
    // A name the entry does not have (`dim`, readDenseFeatures' setting) was dropped without a
    // word; an entry that is not an object failed on a TypeError.
    checkSettingNames(`FileDatasetSpec.features[${k}]`, feature, FEATURE_FILE_SPEC_NAMES);
    if (typeof feature.name !== "string" || !isFeatureName(feature.name)) {
      throw new SettingError(
        `FileDatasetSpec.features[${k}].name`,
        feature.name,
        FEATURE_NAME_ALLOWED,
      );
    }
    if (typeof feature.path !== "string" || feature.path === "") {
      throw new SettingError(`FileDatasetSpec.features[${k}].path`, feature.path, "a file path");
    }
  });
}

const FILE_DATASET_SPEC_NAMES: SettingNames<FileDatasetSpec> = {
  kind: true,
  path: true,
  format: true,
  features: true,
  label: true,
};

/**
 * Throws a `SettingError` for a spec the library would misread, where a spec enters the library
 * (`prepareDataset`, `planExperiments`): a kind that is none of the three (`"MovieLens"` fell
 * through to the synthetic generator), a name the kind does not have (`featurs` dropped the
 * features without a word), a synthetic spec whose config is not an object, a file spec without a
 * path or with an unknown format, a bad feature file or an empty label.
 *
 * @example
 * ```ts
 * checkDatasetSpec({ kind: "file", path: "data/mine.txt", format: "sequence" }); // passes
 * ```
 */
export function checkDatasetSpec(spec: DatasetSpec): void {
  checkOneOf("DatasetSpec.kind", (spec as { kind?: unknown })?.kind, DATASET_KINDS);
  if (spec.kind === "movielens") checkSettingNames("DatasetSpec", spec, { kind: true });
  if (spec.kind === "synthetic") {
    checkSettingNames("DatasetSpec", spec, { kind: true, config: true });
    // Without an object the label (and so the plan) failed on a TypeError naming nothing, and a
    // string or a list was labelled by its characters or entries.
    const config: unknown = spec.config;
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
      throw new SettingError(
        "DatasetSpec.config",
        config,
        "an object of SyntheticConfig settings ({} for the defaults)",
      );
    }
  }
  if (spec.kind !== "file") return;
  checkSettingNames("FileDatasetSpec", spec, FILE_DATASET_SPEC_NAMES);
  if (typeof spec.path !== "string" || spec.path === "") {
    throw new SettingError("FileDatasetSpec.path", spec.path, "a file path");
  }
  checkOneOf("FileDatasetSpec.format", spec.format, DATASET_FILE_FORMATS);
  if (spec.features !== undefined && !Array.isArray(spec.features)) {
    throw new SettingError("FileDatasetSpec.features", spec.features, "a list of feature files");
  }
  checkFeatureFiles(spec.features);
  if (spec.label !== undefined && (typeof spec.label !== "string" || spec.label === "")) {
    throw new SettingError("FileDatasetSpec.label", spec.label, "a non-empty name");
  }
}

/**
 * The spec as a plan records it: a RecBole path ending in `.inter` becomes its base (`mine.inter`
 * and `mine` name the same files), so a results folder made with either form is found with the
 * other; any other spec (and a base path) is returned as given, the same object.
 */
export function canonicalDatasetSpec<T extends DatasetSpec>(spec: T): T {
  if (spec.kind !== "file" || spec.format !== "recbole") return spec;
  const path = recboleBasePath(spec.path);
  return path === spec.path ? spec : { ...spec, path };
}

/** The base path of RecBole atomic files: `<base>` for `<base>.inter` and for `<base>`. */
export function recboleBasePath(path: string): string {
  return path.replace(/\.inter$/, "");
}

/** A stable label of a dataset spec. */
export function datasetLabel(spec: DatasetSpec): string {
  if (spec.kind === "movielens") return "MovieLens";
  if (spec.kind === "file") {
    // A trailing "/" (a folder, which the reader then refuses with what to give) is not a name.
    const name = spec.path.replace(/\/+$/, "").split("/").pop()!;
    return spec.label ?? name.replace(/\.(inter|txt|tsv|csv)$/, "");
  }
  const entries = Object.entries(spec.config).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0
    ? "Synthetic"
    : `Synthetic(${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")})`;
}
