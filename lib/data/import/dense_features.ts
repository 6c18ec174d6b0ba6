/** Dense feature matrices for any modality: one `item_id v1 ... vd` line per item. */
import { DataError } from "../errors.ts";
import { datasetFingerprint } from "../fingerprint.ts";
import type { FeatureProvenance, InteractionDataset, ModalityFeatures } from "../types.ts";
import {
  finiteNumber,
  foreignSeparator,
  type NumberedLine,
  oneValueRefusal,
  readLines,
  RECBOLE_CELL,
  requireNewModalityName,
  splitValues,
} from "./_fields.ts";
import {
  checkBoolean,
  checkInteger,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../../util/settings.ts";

/** Options of `readDenseFeatures`. */
export interface DenseFeatureConfig {
  /** Modality name (e.g. "image"). */
  name: string;
  /** Expected width; when omitted the first line decides (default: undefined). */
  dim?: number;
  /** Require a row for every item of the dataset (default false: absent items are missing). */
  requireAllItems?: boolean;
  /** Where the features come from and how they were made. */
  provenance: FeatureProvenance;
}

/** Every setting of {@linkcode DenseFeatureConfig}, for the check of names. */
export const DENSE_FEATURE_CONFIG_SETTINGS: SettingNames<DenseFeatureConfig> = Object.freeze({
  name: true,
  dim: true,
  requireAllItems: true,
  provenance: true,
});

/**
 * Throws a `SettingError` for a {@linkcode DenseFeatureConfig} setting that is unknown or out of
 * range. Unchecked, a misspelt `dimm` went unread (the first row set the width), a `dim` of 1.5
 * was reported as the file's "feature width 1.5 is not positive", a `requireAllItems` of "no"
 * required every item, and an empty name made a modality "" that the tables show as nothing.
 */
function validateDenseFeatureConfig(config: DenseFeatureConfig): void {
  checkSettingNames("DenseFeatureConfig", config, DENSE_FEATURE_CONFIG_SETTINGS);
  if (typeof config.name !== "string" || config.name === "") {
    throw new SettingError(
      "DenseFeatureConfig.name",
      config.name,
      'a non-empty name (e.g. "image")',
    );
  }
  if (config.dim !== undefined) checkInteger("DenseFeatureConfig.dim", config.dim, { min: 1 });
  if (config.requireAllItems !== undefined) {
    checkBoolean("DenseFeatureConfig.requireAllItems", config.requireAllItems);
  }
  // The dataset card shows where the features came from: null left the card without a source.
  const provenance: unknown = config.provenance;
  if (provenance === null || typeof provenance !== "object" || Array.isArray(provenance)) {
    throw new SettingError(
      "DenseFeatureConfig.provenance",
      provenance,
      "an object with source and normalisation",
    );
  }
}

/**
 * Refuses a first row that is a header: RecBole `name:type` cells (an `.item` given as a feature
 * file), or an id the interactions do not name followed by a word (`item_id v1 v2`). Read as a
 * row, the header set the width (then "6 values, but line 1 ... has 2" at line 2) or was an
 * unknown item id.
 */
function refuseHeaderLine(
  path: string,
  row: NumberedLine,
  values: readonly string[],
  index: ReadonlyMap<string, number>,
): void {
  const [id, ...rest] = values;
  const typed = values.some((value) => RECBOLE_CELL.test(value));
  // A word, not a number nor a value the row's own check refuses as one (`nan`, `inf`).
  const isWord = (value: string) =>
    Number.isNaN(Number(value)) && !/^[+-]?(nan|inf|infinity)$/i.test(value);
  const named = !index.has(id) && rest.some(isWord);
  if (!typed && !named) return;
  const advice = typed
    ? "RecBole's typed columns (name:type): a .item file is read with its .inter (format " +
      '"recbole"), and each of its feature columns becomes a modality'
    : "a feature file has no header (remove the line)";
  throw new DataError(
    path,
    row.line,
    "item_id",
    `"${row.content.trim().slice(0, 60)}" looks like a header line; ${advice}`,
  );
}

/** The refusal of a feature file without a row, with no width given. */
const EMPTY_FEATURE_FILE = "the feature file is empty (no rows, or blank lines only): write one " +
  'row per item, "item_id v1 v2 ...", the first of which sets the width (only readDenseFeatures ' +
  "can be given a width instead, as its DenseFeatureConfig.dim setting)";

/**
 * Reads a whitespace-separated matrix keyed by external item id. A header line, unknown or
 * duplicate ids, rows of the wrong width and NaN/infinite values are errors naming file, line and
 * field
 * (`value[k]` for the k-th number); the error for unknown ids names the first and counts them
 * all. Items without a row get `present = 0`. A setting of `config` that is unknown or out of
 * range is a `SettingError`, thrown before the file is read.
 *
 * @example
 * ```ts
 * const image = readDenseFeatures("img.txt", dataset.itemIds, {
 *   name: "image", dim: 512, provenance: { source: "CLIP ViT-B/32", normalisation: "L2" },
 * });
 * ```
 */
export function readDenseFeatures(
  path: string,
  itemIds: string[],
  config: DenseFeatureConfig,
): ModalityFeatures {
  validateDenseFeatureConfig(config);
  const index = new Map(itemIds.map((id, i) => [id, i]));
  const rows = readLines(path);
  const valuesOf = ({ line, content }: NumberedLine) => {
    const values = splitValues(content, path, line, (k) => k === 0 ? "item_id" : `value[${k - 1}]`);
    // "a,0.1,0.2" (or "a;0.1;0.2", "a|0.1|0.2") is one value: without this it read as a 0-wide
    // first row ("feature width 0") or an unknown item id "a,0.1,0.2".
    const separator = values.length === 1 ? foreignSeparator(values[0]) : undefined;
    if (separator) {
      throw oneValueRefusal({ path, line, field: "item_id" }, values[0], "numbers", separator);
    }
    return values;
  };
  if (rows.length > 0) refuseHeaderLine(path, rows[0], valuesOf(rows[0]), index);
  let dim = config.dim;
  /** What set the width, for a row that disagrees: either may be the odd one. */
  let expected = `expected ${dim}`;
  if (dim === undefined) {
    // Said on every route: the command line's --features and FileDatasetSpec.features cannot
    // give a width ("no dim given" told their users to give what they cannot), so the message
    // says the file is empty and what fills it, and names the one setting that can stand in.
    if (rows.length === 0) throw new DataError(path, 1, "value", EMPTY_FEATURE_FILE);
    dim = valuesOf(rows[0]).length - 1;
    expected = `but line ${rows[0].line} (the first row, which sets the width) has ${dim}: one ` +
      "of the two lines is wrong";
  }
  if (!Number.isInteger(dim) || dim < 1) {
    // Only the first row sets a width of 0 (config.dim is checked to be at least 1): say what
    // that row lacks, which the width alone did not.
    throw new DataError(
      path,
      rows[0]?.line ?? 1,
      "value",
      `feature width ${dim} is not positive: the first row holds the item id ` +
        `"${rows[0].content.trim()}" and no values; a row is "item_id v1 v2 ..."`,
    );
  }
  const values = new Float32Array(itemIds.length * dim);
  const present = new Uint8Array(itemIds.length);
  // Counted to the end, so that one error says how many rows to remove (a file exported for a
  // whole catalogue names many items that the interactions do not).
  let firstUnknown: { line: number; id: string } | undefined;
  let unknownRows = 0;
  for (const row of rows) {
    const { line } = row;
    const [id, ...numbers] = valuesOf(row);
    const item = index.get(id);
    if (item === undefined) {
      firstUnknown ??= { line, id };
      unknownRows++;
      continue;
    }
    if (present[item]) throw new DataError(path, line, "item_id", `duplicate item id "${id}"`);
    if (numbers.length !== dim) {
      throw new DataError(
        path,
        line,
        `value[${Math.min(numbers.length, dim)}]`,
        `${numbers.length} values, ${expected}`,
      );
    }
    numbers.forEach((text, k) => {
      values[item * dim! + k] = finiteNumber(text, { file: path, line, field: `value[${k}]` }, {
        float32: true,
      });
    });
    present[item] = 1;
  }
  if (firstUnknown) {
    throw new DataError(
      path,
      firstUnknown.line,
      "item_id",
      `unknown item id "${firstUnknown.id}" (not in the dataset's interactions${
        quotedIdHint(firstUnknown.id)
      }); ${unknownRows} ${unknownRows === 1 ? "row names an item" : "rows name items"} the ` +
        "interactions do not: remove them",
    );
  }
  const covered = present.reduce((n, x) => n + x, 0);
  if (config.requireAllItems && covered !== itemIds.length) {
    throw new DataError(
      path,
      0,
      "item_id",
      `rows for ${covered} items, the dataset has ${itemIds.length} (the first without a row: ` +
        `"${itemIds[present.indexOf(0)]}"; DenseFeatureConfig.requireAllItems is true)`,
    );
  }
  return { name: config.name, kind: "dense", dim, values, present, provenance: config.provenance };
}

/**
 * Why an id that starts and ends with a double quote is unknown: a feature file has no quoting, so
 * `"i1" 0.5` names the item `"i1"`, quotes included.
 */
function quotedIdHint(id: string): string {
  return id.length > 1 && id.startsWith('"') && id.endsWith('"')
    ? `; quoted? a feature file has no quoting, so the quotes are part of the id`
    : "";
}

/**
 * Adds a modality to a dataset after checking its shape against the item count; returns a new
 * dataset with a new fingerprint. `source` names the modality's file in errors.
 *
 * @example
 * ```ts
 * const withImage = attachModality(dataset, image, "img.txt");
 * ```
 */
export function attachModality(
  dataset: InteractionDataset,
  modality: ModalityFeatures,
  source: string,
): InteractionDataset {
  if (modality.present.length !== dataset.numItems) {
    throw new DataError(
      source,
      0,
      "present",
      `${modality.present.length} items, dataset has ${dataset.numItems}`,
    );
  }
  if (modality.values.length !== dataset.numItems * modality.dim) {
    throw new DataError(
      source,
      0,
      "values",
      `${modality.values.length} values, expected ${dataset.numItems} x ${modality.dim}`,
    );
  }
  requireNewModalityName(dataset.modalities, modality.name, {
    file: source,
    line: 0,
    field: "name",
  });
  const result: InteractionDataset = {
    ...dataset,
    modalities: [...dataset.modalities, modality],
    // The protocol card names the source: the feature file is part of it.
    metadata: {
      ...dataset.metadata,
      source: `${dataset.metadata.source} + ${modality.name} from ${source}`,
      fingerprint: "",
    },
  };
  result.metadata.fingerprint = datasetFingerprint(result);
  return result;
}
