/**
 * The plotly.js browser bundle as text, for inlining into self-contained pages. plotly.js cannot
 * be imported into Deno (it needs a DOM), so it is read as a file from an npm package.
 *
 * The default is plotly.js's own minified *cartesian* bundle (`plotly.js-cartesian-dist-min`, the
 * same release as `plotly.js-dist`): 1.5 MB instead of the full unminified bundle's 10.1 MB, so a
 * rendered notebook page stays well under 5 MB and can be mailed. It holds the trace types `bar`,
 * `box`, `contour`, `heatmap`, `histogram`, `histogram2d`, `histogram2dcontour`, `image`, `pie`,
 * `scatter`, `scatterternary` and `violin`: every type a {@linkcode Figure} can hold (heatmap,
 * scatter, bar). A figure with another trace type (3-D, maps) needs the full bundle: pass
 * {@linkcode FULL_PLOTLY_BUNDLE} as the path (e.g. `writeHtmlReport`'s `plotlyPath`).
 */
import type { Figure } from "./figure.ts";

/** The bundle inlined by default: minified, cartesian trace types (about 1.5 MB). */
export const DEFAULT_PLOTLY_BUNDLE: URL = new URL(
  "../../node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js",
  import.meta.url,
);

/** Every trace type of plotly.js, unminified (about 10 MB). */
export const FULL_PLOTLY_BUNDLE: URL = new URL(
  "../../node_modules/plotly.js-dist/plotly.js",
  import.meta.url,
);

/** Trace types the default bundle draws. */
export const DEFAULT_BUNDLE_TRACE_TYPES: readonly string[] = Object.freeze([
  "bar",
  "box",
  "contour",
  "heatmap",
  "histogram",
  "histogram2d",
  "histogram2dcontour",
  "image",
  "pie",
  "scatter",
  "scatterternary",
  "violin",
]);

/**
 * Trace types of `figure` that the default bundle cannot draw (none for the builders' figures):
 * a page with such a figure needs {@linkcode FULL_PLOTLY_BUNDLE}.
 *
 * @example
 * ```ts
 * tracesOutsideDefaultBundle({ data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} }); // []
 * ```
 */
export function tracesOutsideDefaultBundle(figure: Figure): string[] {
  const types = (figure.data as Array<{ type?: string }>).map((trace) => trace.type ?? "scatter");
  return [...new Set(types.filter((type) => !DEFAULT_BUNDLE_TRACE_TYPES.includes(type)))];
}

const cache = new Map<string, string>();

/**
 * Read the plotly.js bundle at `path` (default: the minified cartesian bundle), made safe for an
 * inline `<script>` element. Cached per path for the life of the process (one kernel session).
 *
 * @example
 * ```ts
 * const bundle = await loadPlotlyBundle();
 * const html = `<script>${bundle}</script>`;
 * ```
 */
export async function loadPlotlyBundle(
  path: string | URL = DEFAULT_PLOTLY_BUNDLE,
): Promise<string> {
  const key = path.toString();
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let source: string;
  try {
    source = await Deno.readTextFile(path);
  } catch (error) {
    throw new Error(
      `loadPlotlyBundle: cannot read ${key} (${
        (error as Error).message
      }); run the set-up step (./run.sh installs the npm packages of package.json)`,
    );
  }
  const safe = inlineScriptText(source);
  cache.set(key, safe);
  return safe;
}

/**
 * Escape JavaScript so it cannot end or confuse an inline `<script>` element: `</script` and
 * `<!--` only occur inside strings, comments or regexes, where `<\/` and `<\!` mean the same.
 * Non-ASCII characters (plotly.js has a few, all in strings, regexes and comments, where `\uXXXX`
 * means the same) are escaped too: the Deno kernel's messages then carry ASCII only, which avoids
 * its intermittent "Invalid Signature" on the bundle's large display message.
 *
 * @example
 * ```ts
 * inlineScriptText('"</script>"'); // '"<\\/script>"'
 * inlineScriptText('"µ"'); // '"\\u00b5"'
 * ```
 */
export function inlineScriptText(source: string): string {
  return asciiOnly(source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--"));
}

/**
 * JSON for embedding in a script: `<` becomes `\u003c` and non-ASCII characters `\uXXXX` (see
 * {@linkcode inlineScriptText}), which JSON strings read back unchanged.
 *
 * @example
 * ```ts
 * inlineJson({ label: "</script>" }); // '{"label":"\\u003c/script>"}'
 * ```
 */
export function inlineJson(value: unknown): string {
  return asciiOnly(JSON.stringify(value).replace(/</g, "\\u003c"));
}

/** Every non-ASCII UTF-16 code unit as `\uXXXX` (the same character in JS and JSON text). */
function asciiOnly(text: string): string {
  return text.replace(
    /[\u0080-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
