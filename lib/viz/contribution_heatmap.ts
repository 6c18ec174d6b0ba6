import type { Figure, HeatmapTrace } from "./figure.ts";
import { assertLength } from "./_validate.ts";

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
   * modality): drawn as a gap, and `values` there is not read. Default: every cell valid.
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
  const builder = "contributionHeatmap";
  const numModalities = input.modalityNames.length;
  if (!Number.isInteger(input.numPositions) || input.numPositions <= 0) {
    throw new Error(
      `${builder}: numPositions must be a positive integer, got ${input.numPositions}`,
    );
  }
  if (numModalities === 0) throw new Error(`${builder}: modalityNames is empty`);
  assertLength(builder, "values", input.values, input.numPositions * numModalities);
  if (input.valid) {
    assertLength(builder, "valid", input.valid, input.numPositions * numModalities);
  }
  const isValid = (index: number) => input.valid === undefined || input.valid[index] > 0;
  for (let index = 0; index < input.values.length; index++) {
    if (isValid(index) && !Number.isFinite(input.values[index])) {
      throw new Error(
        `${builder}: values[${index}] is ${input.values[index]}, expected a finite number`,
      );
    }
  }
  if (input.positionLabels) {
    assertLength(builder, "positionLabels", input.positionLabels, input.numPositions);
  }
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
  let anyNegative = false;
  let largest = 0;
  for (let index = 0; index < input.values.length; index++) {
    if (!isValid(index)) continue;
    if (input.values[index] < 0) anyNegative = true;
    largest = Math.max(largest, input.values[index]);
  }
  const scale = input.scale ?? (anyNegative ? "signed" : "magnitude");
  const trace: HeatmapTrace = {
    type: "heatmap",
    z,
    x,
    y: [...input.modalityNames],
    colorbar: { title: { text: input.colorBarTitle ?? "contribution" } },
    hovertemplate: "%{y} @ %{x}<br>%{z:.4g}<extra></extra>",
  };
  if (scale === "signed") {
    trace.colorscale = DIVERGING;
    trace.zmid = 0;
  } else {
    trace.colorscale = "Viridis";
    if (!anyNegative) {
      // Plotly ignores zmin unless zmax is given too (and larger).
      trace.zmin = 0;
      trace.zmax = largest > 0 ? largest : 1;
    }
  }
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
