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

/** A stable label of a dataset spec. */
export function datasetLabel(spec: DatasetSpec): string {
  if (spec.kind === "movielens") return "MovieLens";
  if (spec.kind === "file") {
    return spec.label ?? spec.path.split("/").pop()!.replace(/\.(inter|txt|tsv|csv)$/, "");
  }
  const entries = Object.entries(spec.config).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0
    ? "Synthetic"
    : `Synthetic(${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")})`;
}
