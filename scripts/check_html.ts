/**
 * Open rendered HTML pages in headless Chromium and check that every Plotly figure drew, that
 * nothing is loaded from off the machine (no external resource URL, no network request, no
 * uncaught script error), that every link and image resolves inside the page (no link to a place
 * it lacks, no image or link to a file beside it) and that each page is small enough to mail (at
 * most 5 MB).
 *
 *   deno run -A scripts/check_html.ts                    # every build/notebooks/*.html
 *                                                        # (with and without code: *.report.html)
 *   deno run -A scripts/check_html.ts results/report.html
 *   deno run -A scripts/check_html.ts --jobs 2     # pages checked at once (default 3)
 *
 * Exit status 1 when any page fails; 0 with a note when Chromium is missing only if
 * --allow-missing-chromium is given (otherwise missing Chromium is a failure).
 */
import { fileURLToPath } from "node:url";
import { integerOption, parseOptions, runScript, UsageError } from "./cli/options.ts";
import { readProblem } from "./cli/read_problem.ts";
import { findChromium } from "../mod.ts";
import { checkRenderedHtml, chromiumSetting, type HtmlCheckReport } from "../lib/viz/mod.ts";

const projectRoot = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

/** Chromium pages at once without `--jobs`, and the most allowed (more only contend for cores). */
const JOBS = { default: 3, max: 64 } as const;

async function defaultPages(): Promise<string[]> {
  const directory = `${projectRoot}/build/notebooks`;
  const pages: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      if (entry.isFile && entry.name.endsWith(".html")) pages.push(`${directory}/${entry.name}`);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return pages.sort();
}

async function main(): Promise<number> {
  const { values, positionals: named } = parseOptions(Deno.args, {
    "allow-missing-chromium": { type: "boolean", default: false },
    jobs: { type: "string", default: String(JOBS.default) },
    help: { type: "boolean", short: "h", default: false },
  }, { allowPositionals: true });
  if (values.help) {
    console.log(
      "usage: deno task check-html [--jobs N] [--allow-missing-chromium] [page.html ...]\n" +
        "  (default pages: build/notebooks/*.html, the *.report.html pages without code included;\n" +
        `  N pages at once, 1..${JOBS.max}, default ${JOBS.default})\n` +
        "  --allow-missing-chromium  no Chromium is a note and exit 0 (default: a failure, exit 1)\n" +
        "  -h, --help                print this text",
    );
    return 0;
  }
  const allowMissing = values["allow-missing-chromium"];
  const jobs = integerOption("jobs", values.jobs, 1, JOBS.max);
  if (findChromium() === null) {
    // The path looked at: DEMURE_CHROMIUM's when set (it replaces the default, lib/viz/chromium.ts).
    const setting = chromiumSetting();
    console.error(
      setting !== undefined
        ? `check_html: no Chromium at ${setting} (DEMURE_CHROMIUM)`
        : "check_html: no Chromium at /usr/bin/chromium; install Debian's chromium",
    );
    return allowMissing ? 0 : 1;
  }
  // A named page that is missing, outside the task's reads or not HTML is one line before any
  // Chromium starts (it was a NotFound or NotCapable stack, or "ok: 0/0 figures" for README.md).
  for (const page of named) {
    const problem = /\.html?$/i.test(page)
      ? readProblem(page, "file")
      : "not an HTML page (a .html or .htm file)";
    if (problem !== undefined) throw new UsageError(`${page}: ${problem}`);
  }
  const pages = named.length > 0 ? named : await defaultPages();
  if (pages.length === 0) {
    console.error("check_html: no pages (run scripts/run_notebooks.ts first)");
    return 1;
  }
  // Chromium mostly waits (start-up, virtual time), so a few pages at once save wall time.
  const reports: Promise<HtmlCheckReport>[] = [];
  const running = new Set<Promise<HtmlCheckReport>>();
  for (const page of pages) {
    if (running.size >= jobs) await Promise.race(running);
    const check = checkRenderedHtml(page);
    running.add(check);
    check.finally(() => running.delete(check)).catch(() => {});
    reports.push(check);
  }
  let failed = 0;
  for (const [index, pending] of reports.entries()) {
    const page = pages[index];
    const report = await pending;
    const summary = `${report.renderedFigures}/${report.expectedFigures} figures drawn, ` +
      `${report.externalReferences.length} external references, ` +
      `${report.networkRequests.length} network requests, ${report.scriptErrors.length} script errors, ` +
      `${report.unresolvedReferences.length} unresolved references, ` +
      `${(report.bytes / 1e6).toFixed(2)} MB (at most ${report.maxBytes / 1e6} MB)`;
    if (report.ok) {
      console.log(`ok ${page}: ${summary}`);
    } else {
      failed += 1;
      console.error(`FAILED ${page}: ${summary}`);
      for (const url of report.externalReferences) console.error(`  external reference: ${url}`);
      for (const url of report.networkRequests) console.error(`  network request: ${url}`);
      for (const error of report.scriptErrors) console.error(`  script error: ${error}`);
      for (const reference of report.unresolvedReferences) console.error(`  ${reference}`);
    }
  }
  console.log(`${pages.length - failed} pages ok, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) await runScript("check_html", main);
