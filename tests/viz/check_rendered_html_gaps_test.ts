/**
 * checkRenderedHtml behaviour that mutation round ME found unpinned, against a stand-in Chromium
 * (a shell script; no browser needed): a scheme-relative URL in CSS and an ftp request are loads
 * off the machine; the report names the page as it was given (not its real path) and the size
 * limit it was checked against; a run that fails to finish names the page it was checking; the
 * body of a script with attributes is no markup; a resource in both the source and the page is
 * named once.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import {
  checkRenderedHtml,
  externalResourceUrls,
  pageRequestsFromNetLog,
} from "../../lib/viz/check_rendered_html.ts";
import { inTempDir } from "./_temp_dir.ts";

/** A stand-in Chromium in `dir` that runs `body` (sh). */
async function standIn(dir: string, body: string): Promise<string> {
  const executable = `${dir}/chromium`;
  await Deno.writeTextFile(executable, `#!/bin/sh\n${body}\n`);
  await Deno.chmod(executable, 0o755);
  return executable;
}

/** A stand-in body that writes a net log with no events and prints `dom` as the page. */
function drawnBody(dom: string): string {
  const netLog = `{"constants":{"logEventTypes":{"URL_REQUEST_START_JOB":7}},"events":[]}`;
  return `for a in "$@"; do case "$a" in\n` +
    `  --log-net-log=*) printf '%s' '${netLog}' > "\${a#--log-net-log=}";;\n` +
    `esac; done\nprintf '%s' '${dom}'`;
}

const DRAWN = '<div class="demure-plot" id="f"><svg class="main-svg"></svg></div>';

Deno.test("external URL scan: a scheme-relative URL in CSS url() or @import is a load too", () => {
  // `//host/x` takes the page's scheme: opened over http(s) it fetches from off the machine.
  const html = `<style>@import "//fonts.x/a.css"; body{background:url(//img.x/b.png)}</style>`;
  assertEquals(externalResourceUrls(html), ["//fonts.x/a.css", "//img.x/b.png"]);
});

Deno.test("net log: an ftp request the page started is a request off the machine", () => {
  const log = JSON.stringify({
    constants: { logEventTypes: { URL_REQUEST_START_JOB: 7 } },
    events: [{ type: 7, params: { url: "ftp://files.example.org/data.csv", initiator: "null" } }],
  });
  assertEquals(pageRequestsFromNetLog(log), ["ftp://files.example.org/data.csv"]);
});

Deno.test("checkRenderedHtml: the report names the page as given and the size limit it was held to", async () => {
  await inTempDir("check-html-gaps-", async (dir) => {
    await Deno.writeTextFile(`${dir}/real.html`, '<div class="demure-plot" id="f"></div>');
    // A link: the page as the caller named it, not the file it resolves to.
    const page = `${dir}/page.html`;
    await Deno.symlink(`${dir}/real.html`, page);
    const executable = await standIn(dir, drawnBody(DRAWN));
    const report = await checkRenderedHtml(page, { executable, sandbox: false }, 1000);
    assertEquals([report.path, report.maxBytes, report.ok], [page, 1000, true]);
    const tooSmall = await checkRenderedHtml(page, { executable, sandbox: false }, 10);
    assertEquals([tooSmall.maxBytes, tooSmall.bytes > 10, tooSmall.ok], [10, true, false]);
  });
});

Deno.test("checkRenderedHtml: a run that does not finish is an error naming the page, its cause kept", async () => {
  await inTempDir("check-html-gaps-", async (dir) => {
    const page = `${dir}/page.html`;
    await Deno.writeTextFile(page, "<p>x</p>");
    const executable = await standIn(dir, "exec sleep 20");
    const error = await assertRejects(
      () => checkRenderedHtml(page, { executable, sandbox: false, timeoutMs: 300 }),
      Error,
      `checkRenderedHtml: ${page}: runHeadlessChromium: Chromium ran past 300 ms`,
    );
    assert(error.cause instanceof Error, "the run's error is the cause");
    assertStringIncludes(error.cause.message, "Chromium ran past 300 ms");
  });
});

Deno.test("external URL scan: the body of a script with attributes is code, not markup", () => {
  // plotly.js builds markup in strings; a bundle inlined as <script charset="utf-8"> is no load.
  const html =
    `<script charset="utf-8">var t = '<img src="https://never.loaded/x.png">';</script>` +
    `<script type="text/javascript">var s = "url(https://never.loaded/y.png)";</script>`;
  assertEquals(externalResourceUrls(html), []);
});

Deno.test("checkRenderedHtml: a resource in both the source and the drawn page is named once", async () => {
  await inTempDir("check-html-gaps-", async (dir) => {
    const img = '<img src="https://img.example.org/p.png">';
    const page = `${dir}/page.html`;
    await Deno.writeTextFile(page, `<div class="demure-plot" id="f"></div>${img}`);
    const executable = await standIn(dir, drawnBody(DRAWN + img));
    const report = await checkRenderedHtml(page, { executable, sandbox: false });
    assertEquals(report.externalReferences, ["https://img.example.org/p.png"]);
    assertEquals(report.ok, false);
  });
});
