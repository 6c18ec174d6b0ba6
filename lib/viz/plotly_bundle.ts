/**
 * The plotly.js browser bundle as text, for inlining into self-contained pages. plotly.js cannot
 * be imported into Deno (it needs a DOM), so it is read as a file from the npm package.
 */

const DEFAULT_BUNDLE_URL = new URL("../../node_modules/plotly.js-dist/plotly.js", import.meta.url);

const cache = new Map<string, string>();

/**
 * Read `plotly.js-dist/plotly.js` (about 10 MB), made safe for an inline `<script>` element.
 * Cached per path for the life of the process (one kernel session).
 *
 * @example
 * ```ts
 * const bundle = await loadPlotlyBundle();
 * const html = `<script>${bundle}</script>`;
 * ```
 */
export async function loadPlotlyBundle(path: string | URL = DEFAULT_BUNDLE_URL): Promise<string> {
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
      }); run the set-up step so node_modules/plotly.js-dist exists`,
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
 * its intermittent "Invalid Signature" on the bundle's 10 MB display message.
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
