import type { Figure, HeatmapTrace } from "./figure.ts";
import type { SettingNames } from "../util/settings.ts";
import { assertKnownFields, assertLength, assertOneOfOrAbsent } from "./_validate.ts";

/** Input of {@linkcode contributionHeatmap}. */
export interface ContributionHeatmapInput {
  /** `[position, modality]` row-major contributions, oldest history position first. */
  values: ArrayLike<number>;
  /** Number of history positions (rows) in `values`. */
  numPositions: number;
  /** One name per modality column of `values` (e.g. ["id", "text", "genre"]). */
  modalityNames: string[];
  /**
   * `[position, modality]`, 0 where there is nothing to show (padding, or the item lacks the
   * modality): drawn as a gap, and `values` there is not read; 1 elsewhere (any other entry is
   * refused). Default: every cell valid.
   */
  valid?: ArrayLike<number>;
  /**
   * One label per position (e.g. item titles), made unique by prefixing the position number,
   * since Plotly merges equal category labels. Default: `"t-k"`, k steps before the last item.
   */
  positionLabels?: string[];
  /** Default: `"Contribution by history position and modality"`. */
  title?: string;
  /** Default: `"contribution"`. */
  colorBarTitle?: string;
  /**
   * `"signed"`: diverging blue-white-red centred on 0; `"magnitude"`: Viridis from 0 (from the
   * minimum when a value is negative), so that equal values get equal colours across figures
   * (an all-ones mask is drawn at the top of the scale, not at its middle).
   * Default: `"signed"` when any value is negative, else `"magnitude"`.
   */
  scale?: "signed" | "magnitude";
}

/** Every {@linkcode ContributionHeatmapInput.scale}, for the callers that check a scale they are given. */
export const HEATMAP_SCALES: readonly NonNullable<ContributionHeatmapInput["scale"]>[] = [
  "signed",
  "magnitude",
];

const DIVERGING: Array<[number, string]> = [[0, "#2166ac"], [0.5, "#f7f7f7"], [1, "#b2182b"]];

/**
 * Heatmap of attribution scores: x = history position (oldest left), y = modality.
 *
 * @example
 * ```ts
 * // 3 positions x 2 modalities, [position, modality] row-major
 * const figure = contributionHeatmap({
 *   values: [0.1, -0.2, 0.3, 0.0, 0.5, 0.4],
 *   numPositions: 3,
 *   modalityNames: ["id", "text"],
 * });
 * figure.data[0]; // z = [[0.1, 0.3, 0.5], [-0.2, 0.0, 0.4]]
 * ```
 */
export function contributionHeatmap(input: ContributionHeatmapInput): Figure {
  checkInput(input);
  const numModalities = input.modalityNames.length;
  const isValid = (index: number) => validAt(input, index);
  const x = Array.from(
    { length: input.numPositions },
    (_, position) =>
      input.positionLabels
        ? `${position + 1}. ${input.positionLabels[position]}`
        : `t-${input.numPositions - 1 - position}`,
  );
  const z = input.modalityNames.map((_, modality) =>
    Array.from(
      { length: input.numPositions },
      (_, position) => {
        const index = position * numModalities + modality;
        return isValid(index) ? input.values[index] : null;
      },
    )
  );
  const trace: HeatmapTrace = {
    type: "heatmap",
    z,
    x,
    y: [...input.modalityNames],
    colorbar: { title: { text: input.colorBarTitle ?? "contribution" } },
    hovertemplate: "%{y} @ %{x}<br>%{z:.4g}<extra></extra>",
    ...colourScale(input),
  };
  return {
    data: [trace],
    layout: {
      title: { text: input.title ?? "Contribution by history position and modality" },
      xaxis: { title: { text: "history position (oldest → most recent)" }, automargin: true },
      yaxis: { title: { text: "modality" }, automargin: true, autorange: "reversed" },
      margin: { t: 60 },
    },
  };
}

/** The name errors are reported under. */
const BUILDER = "contributionHeatmap";

const HEATMAP_FIELDS: SettingNames<ContributionHeatmapInput> = {
  values: true,
  numPositions: true,
  modalityNames: true,
  valid: true,
  positionLabels: true,
  title: true,
  colorBarTitle: true,
  scale: true,
};

/** Throws unless the fields are known, the sizes agree and every valid value is finite. */
function checkInput(input: ContributionHeatmapInput): void {
  assertKnownFields(BUILDER, "the input", input, HEATMAP_FIELDS);
  assertOneOfOrAbsent(BUILDER, "scale", input.scale, HEATMAP_SCALES);
  const numModalities = input.modalityNames.length;
  if (!Number.isInteger(input.numPositions) || input.numPositions <= 0) {
    throw new Error(
      `${BUILDER}: numPositions must be a positive integer, got ${input.numPositions}`,
    );
  }
  if (numModalities === 0) throw new Error(`${BUILDER}: modalityNames is empty`);
  assertLength(BUILDER, "values", input.values, input.numPositions * numModalities);
  if (input.valid) {
    assertLength(BUILDER, "valid", input.valid, input.numPositions * numModalities);
    // Anything else hid its cell in silence (NaN > 0 and -1 > 0 are false) or drew a mask meant
    // as something else (a weight of 0.5).
    for (let index = 0; index < input.valid.length; index++) {
      if (input.valid[index] !== 0 && input.valid[index] !== 1) {
        throw new Error(
          `${BUILDER}: valid[${index}] is ${input.valid[index]}, expected 0 (nothing to show) or 1`,
        );
      }
    }
  }
  for (let index = 0; index < input.values.length; index++) {
    if (validAt(input, index) && !Number.isFinite(input.values[index])) {
      throw new Error(
        `${BUILDER}: values[${index}] is ${input.values[index]}, expected a finite number`,
      );
    }
  }
  if (input.positionLabels) {
    assertLength(BUILDER, "positionLabels", input.positionLabels, input.numPositions);
  }
}

/** Whether the pair at `index` is drawn (no `valid` mask: every pair). */
function validAt(input: ContributionHeatmapInput, index: number): boolean {
  return input.valid === undefined || input.valid[index] > 0;
}

/**
 * The colour scale: diverging around 0 for signed values, else Viridis from 0 to the largest
 * value (`input.scale` overrides which).
 */
function colourScale(
  input: ContributionHeatmapInput,
): Pick<HeatmapTrace, "colorscale" | "zmid" | "zmin" | "zmax"> {
  let anyNegative = false;
  let largest = 0;
  for (let index = 0; index < input.values.length; index++) {
    if (!validAt(input, index)) continue;
    if (input.values[index] < 0) anyNegative = true;
    largest = Math.max(largest, input.values[index]);
  }
  const scale = input.scale ?? (anyNegative ? "signed" : "magnitude");
  if (scale === "signed") return { colorscale: DIVERGING, zmid: 0 };
  // Plotly ignores zmin unless zmax is given too (and larger).
  return anyNegative
    ? { colorscale: "Viridis" }
    : { colorscale: "Viridis", zmin: 0, zmax: largest > 0 ? largest : 1 };
}
