/**
 * The attribution methods' names in words, the one home for what a table, figure or page shows
 * instead of a method's key (`gradient_x_input` reads "gradient × input").
 *
 * @example
 * ```ts
 * attributionMethodName("gradient_x_input"); // "gradient × input"
 * ```
 */
import { ATTRIBUTION_METHODS, type AttributionMethod } from "./types.ts";

/** Each {@linkcode AttributionMethod}'s name in words. */
export const ATTRIBUTION_METHOD_NAMES: Readonly<Record<AttributionMethod, string>> = Object.freeze({
  gradient_x_input: "gradient × input",
  mask_gradient: "mask gradient",
  gradient_norm: "gradient norm",
  integrated_gradients: "integrated gradients",
  occlusion: "occlusion",
});

/**
 * The name in words of `method`, a key as a result file or a summary holds it (a string there).
 * An unknown key is an error that lists the known ones, so a renamed method is not shown raw.
 *
 * @example
 * ```ts
 * rows.map((row) => [attributionMethodName(row.method), row.rocAuc.mean]);
 * ```
 */
export function attributionMethodName(method: string): string {
  if (!(ATTRIBUTION_METHODS as readonly string[]).includes(method)) {
    throw new Error(
      `attributionMethodName: unknown attribution method "${method}" (known: ` +
        `${ATTRIBUTION_METHODS.join(", ")})`,
    );
  }
  return ATTRIBUTION_METHOD_NAMES[method as AttributionMethod];
}
