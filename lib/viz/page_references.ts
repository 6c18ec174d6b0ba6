/**
 * References inside a rendered page that break when the page is read on its own (mailed, opened
 * from a download folder, or checked from the copy Chromium gets): a link to a place in the page
 * that does not exist, and an image or other resource, or a link, that names a file beside the
 * page. Off-machine URLs are {@linkcode externalResourceUrls}'s concern; this module only reads
 * the markup, no browser.
 *
 * @module
 */

/** Tags whose `src`/`href`/`srcset`/`data`/`poster` the browser loads to show the page. */
const RESOURCE_REFERENCE =
  /<(script|link|img|iframe|source|video|audio|embed|object|track|input)\b[^>]*?\b(src|href|srcset|data|poster)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
const LINK_REFERENCE = /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
const TARGET_NAME = /<[a-z][\w-]*\b[^>]*?\b(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

/** A URL with a scheme (`data:`, `https:`, `mailto:`, ...) or a network path (`//host/...`). */
const WITH_SCHEME_OR_HOST = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

function withoutScriptBodies(html: string): string {
  return html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, "$1</script>");
}

/** An attribute's value as the browser reads it (the entities markup escapes, decoded). */
function attributeValue(raw: string): string {
  return raw
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&apos;", "'")
    .replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

function percentDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Whether a reference needs a file beside the page (no scheme, no host, not only a fragment). */
function namesFileBesidePage(url: string): boolean {
  const trimmed = url.trim();
  if (/^file:/i.test(trimmed)) return true;
  return trimmed !== "" && !trimmed.startsWith("#") && !WITH_SCHEME_OR_HOST.test(trimmed);
}

/**
 * The URLs of a `srcset` ("small.png 1x, data:image/png;base64,AAAA 2x"), read as HTML does: a
 * URL runs to the next white space (a `data:` URL may hold commas), its descriptors to the next
 * comma.
 */
function srcsetUrls(value: string): string[] {
  const urls: string[] = [];
  let rest = value;
  for (;;) {
    rest = rest.replace(/^[\s,]+/, "");
    if (rest === "") return urls;
    const url = rest.match(/^\S+/)![0];
    urls.push(url.replace(/,+$/, ""));
    rest = url.endsWith(",")
      ? rest.slice(url.length)
      : rest.slice(url.length).replace(/^[^,]*/, "");
  }
}

/**
 * What in `html` does not resolve inside the page itself, one line each:
 *
 * - `link to a missing place: #x`: an `<a href="#x">` whose target is no element's `id` (or an
 *   anchor's `name`) in the page, compared as written and percent-decoded, as browsers do;
 * - `resource beside the page: <img src="figures/a.png">`: an image, script, style sheet, frame
 *   or media source loaded from a relative path or `file:` URL (a page that travels alone shows
 *   it missing; figures are inlined, images are `data:` URLs);
 * - `link to a file beside the page: ../docs/notebooks.md`: an `<a href>` to a relative path or
 *   `file:` URL, which a page read on its own cannot follow.
 *
 * `#` alone (the top of the page), `data:` URLs and links off the machine (`https:`, `mailto:`)
 * are not problems here. Script bodies are skipped, as their text is code, not markup.
 *
 * @example
 * ```ts
 * unresolvedPageReferences('<h1 id="top">T</h1><a href="#top">up</a><a href="#gone">x</a>');
 * // ["link to a missing place: #gone"]
 * ```
 */
export function unresolvedPageReferences(html: string): string[] {
  const markup = withoutScriptBodies(html);
  const targets = new Set<string>();
  for (const match of markup.matchAll(TARGET_NAME)) {
    targets.add(attributeValue(match[1] ?? match[2] ?? match[3]));
  }
  const problems = new Set<string>();
  for (const match of markup.matchAll(LINK_REFERENCE)) {
    const href = attributeValue(match[1] ?? match[2] ?? match[3]).trim();
    if (href.startsWith("#")) {
      const fragment = href.slice(1);
      if (fragment === "" || fragment.toLowerCase() === "top") continue;
      const decoded = percentDecoded(fragment);
      if (!targets.has(fragment) && (decoded === undefined || !targets.has(decoded))) {
        problems.add(`link to a missing place: ${href}`);
      }
    } else if (namesFileBesidePage(href)) {
      problems.add(`link to a file beside the page: ${href}`);
    }
  }
  for (const match of markup.matchAll(RESOURCE_REFERENCE)) {
    const [, tag, attribute] = match;
    const value = attributeValue(match[3] ?? match[4] ?? match[5]);
    const urls = attribute.toLowerCase() === "srcset" ? srcsetUrls(value) : [value];
    for (const url of urls) {
      if (namesFileBesidePage(url)) {
        problems.add(`resource beside the page: <${tag.toLowerCase()} ${attribute}="${url}">`);
      }
    }
  }
  return [...problems].sort();
}
