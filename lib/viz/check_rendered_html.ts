import { checkInteger } from "../util/settings.ts";
import { FIGURE_CLASS } from "./figure_html.ts";
import { unresolvedPageReferences } from "./page_references.ts";
import {
  type ChromiumConfig,
  chromiumExecutable,
  chromiumLaunch,
  makeBrowserDir,
  runHeadlessChromium,
} from "./chromium.ts";

/** What {@linkcode checkRenderedHtml} found in one page. */
export interface HtmlCheckReport {
  /** The checked file. */
  path: string;
  /** Figure divs in the page source (`class="demure-plot"`). */
  expectedFigures: number;
  /** Figure divs that hold a Plotly `main-svg` after the page's scripts ran. */
  renderedFigures: number;
  /** Resource URLs in tags or CSS of the source or the final DOM that point off the machine. */
  externalReferences: string[];
  /** http(s)/ws(s) requests the page itself started (from Chromium's net log). */
  networkRequests: string[];
  /** Uncaught script errors printed to the console. */
  scriptErrors: string[];
  /** Links to places the page lacks, and images, resources or links that name a file beside the
   * page (see {@linkcode unresolvedPageReferences}): broken once the page is read on its own. */
  unresolvedReferences: string[];
  /** Size of the page file. */
  bytes: number;
  /** The largest size allowed (see {@linkcode MAX_PAGE_BYTES}). */
  maxBytes: number;
  /** True when every figure drew, nothing external was referenced, requested or thrown, every
   * reference resolves inside the page, and the page is at most `maxBytes`. */
  ok: boolean;
}

/**
 * A rendered page must stay small enough to mail as an attachment: 5 MB (10^6 bytes), plotly.js
 * included. The minified cartesian bundle (1.5 MB) leaves room for the figures' data.
 */
export const MAX_PAGE_BYTES = 5_000_000;

const RESOURCE_ATTRIBUTE =
  /<(?:script|link|img|iframe|source|video|audio|embed|object|track|input)\b[^>]*?\b(?:src|href|srcset|data|poster)\s*=\s*["']?\s*((?:https?:|wss?:|ftp:)?\/\/[^"'\s>]+)/gi;
const CSS_URL = /(?:url\(\s*["']?|@import\s+["'])((?:https?:|wss?:|ftp:)?\/\/[^"')\s]+)/gi;

function withoutScriptBodies(html: string): string {
  return html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, "$1</script>");
}

/**
 * URLs off the machine that the markup would load: `src`/`href`/... of resource tags and CSS
 * `url()`/`@import`. Script bodies are skipped (plotly.js mentions URLs it never fetches here);
 * `<a href>` links are navigation, not loads, and are allowed.
 *
 * @example
 * ```ts
 * externalResourceUrls('<img src="https://x.org/a.png">'); // ["https://x.org/a.png"]
 * ```
 */
export function externalResourceUrls(html: string): string[] {
  const markup = withoutScriptBodies(html);
  const found = new Set<string>();
  for (const match of markup.matchAll(RESOURCE_ATTRIBUTE)) found.add(match[1]);
  for (const match of markup.matchAll(CSS_URL)) found.add(match[1]);
  return [...found].sort();
}

/**
 * How many figure divs the markup has, and how many of them contain a drawn Plotly `main-svg`.
 * Each figure's content runs from its opening tag to the next figure's opening tag.
 *
 * @example
 * ```ts
 * countFigures('<div class="demure-plot"><svg class="main-svg"></svg></div><div class="demure-plot"></div>');
 * // { figures: 2, drawn: 1 }
 * ```
 */
export function countFigures(html: string): { figures: number; drawn: number } {
  const markup = withoutScriptBodies(html);
  const opening = new RegExp(`<div\\b[^>]*\\bclass="${FIGURE_CLASS}(?:\\s[^"]*)?"`, "g");
  const starts = [...markup.matchAll(opening)].map((match) => match.index);
  let drawn = 0;
  starts.forEach((start, index) => {
    const end = index + 1 < starts.length ? starts[index + 1] : markup.length;
    if (markup.slice(start, end).includes("main-svg")) drawn += 1;
  });
  return { figures: starts.length, drawn };
}

interface NetLogEvent {
  type: number;
  params?: { url?: string; initiator?: string };
}

interface NetLog {
  constants?: { logEventTypes?: Record<string, number> };
  events: NetLogEvent[];
}

/**
 * Requests started by the page (not by the browser itself, whose own requests carry initiator
 * "not an origin") to a network scheme, from a Chromium `--log-net-log` file. A log whose
 * constants give no number for `URL_REQUEST_START_JOB` is an error: no event could match it.
 */
export function pageRequestsFromNetLog(netLogText: string): string[] {
  let log: NetLog;
  try {
    log = JSON.parse(netLogText) as NetLog;
  } catch {
    // Chromium may exit before closing the JSON; the event list is still complete.
    log = JSON.parse(netLogText.replace(/,?\s*$/, "") + "]}") as NetLog;
  }
  // Without the type's number no event matches: the check would pass whatever the page fetched.
  const startJob = log.constants?.logEventTypes?.["URL_REQUEST_START_JOB"];
  if (typeof startJob !== "number") {
    throw new Error(
      "pageRequestsFromNetLog: the net log's constants.logEventTypes has no URL_REQUEST_START_JOB " +
        "number, so its page requests cannot be read",
    );
  }
  const requests = new Set<string>();
  for (const event of log.events) {
    const url = event.params?.url;
    if (event.type !== startJob || url === undefined) continue;
    if (!/^(?:https?|wss?|ftp):/i.test(url)) continue;
    if (event.params?.initiator === "not an origin") continue;
    requests.add(url);
  }
  return [...requests].sort();
}

/**
 * Open `path` in headless Chromium (fresh profile, every host name unresolvable), let scripts run,
 * and check that every figure drew and the page loads nothing from off the machine.
 *
 * @example
 * ```ts
 * const report = await checkRenderedHtml("build/notebooks/00_smoke.html");
 * if (!report.ok) console.error(report);
 * ```
 */
export async function checkRenderedHtml(
  path: string,
  config: ChromiumConfig = {},
  maxBytes: number = MAX_PAGE_BYTES,
): Promise<HtmlCheckReport> {
  // NaN failed every page and Infinity turned the size check off, both without a word.
  checkInteger("checkRenderedHtml maxBytes", maxBytes, { min: 1 });
  const absolute = await Deno.realPath(path);
  const source = await Deno.readTextFile(absolute);
  const bytes = (await Deno.stat(absolute)).size;
  const launch = chromiumLaunch(chromiumExecutable(config), config.sandbox);
  const workDir = await makeBrowserDir("demure-check-", launch);
  try {
    // Chromium opens a copy in its own folder: it may run as another user (see chromium.ts), who
    // cannot be assumed to read the project. A self-contained page needs nothing beside it.
    const copy = `${workDir}/${absolute.slice(absolute.lastIndexOf("/") + 1)}`;
    await Deno.writeTextFile(copy, source);
    const netLogPath = `${workDir}/net.json`;
    const run = await runHeadlessChromium(
      [
        "--enable-logging=stderr",
        "--v=0",
        `--log-net-log=${netLogPath}`,
        "--dump-dom",
        `file://${copy}`,
      ],
      config,
      launch,
    ).catch((error: Error) => {
      throw new Error(`checkRenderedHtml: ${path}: ${error.message}`, { cause: error });
    });
    if (run.code !== 0 || run.stdout.length === 0) {
      throw new Error(
        `checkRenderedHtml: Chromium failed on ${path} (exit ${run.code}): ${
          run.stderr.slice(-2000)
        }`,
      );
    }
    const expected = countFigures(source).figures;
    const rendered = countFigures(run.stdout).drawn;
    const externalReferences = [
      ...new Set([...externalResourceUrls(source), ...externalResourceUrls(run.stdout)]),
    ].sort();
    let networkRequests: string[];
    try {
      networkRequests = pageRequestsFromNetLog(await Deno.readTextFile(netLogPath));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`checkRenderedHtml: ${path}: ${message}`, { cause: error });
    }
    const scriptErrors = [
      ...run.stderr.matchAll(/:CONSOLE[^\]]*\] "(Uncaught.*?)", source: ([^\n]*)/g),
    ].map((match) => `${match[1]} at ${match[2]}`);
    // Read from the source: the page as it is mailed or opened, before any script ran.
    const unresolvedReferences = unresolvedPageReferences(source);
    return {
      path,
      expectedFigures: expected,
      renderedFigures: rendered,
      externalReferences,
      networkRequests,
      scriptErrors,
      unresolvedReferences,
      bytes,
      maxBytes,
      ok: rendered === expected && externalReferences.length === 0 &&
        networkRequests.length === 0 && scriptErrors.length === 0 &&
        unresolvedReferences.length === 0 && bytes <= maxBytes,
    };
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
}
