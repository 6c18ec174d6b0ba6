/**
 * Browser checks in headless Chromium: a report page with two figures draws both and loads
 * nothing external; the same page without plotly.js draws none (so the check can fail); a figure
 * screenshots to a PNG of the requested size. Skipped, with the reason, when Chromium is missing.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import {
  chromiumLaunch,
  findChromium,
  findUser,
  planChromiumLaunch,
  runHeadlessChromium,
  SETPRIV,
} from "../../lib/viz/chromium.ts";
import { checkRenderedHtml } from "../../lib/viz/check_rendered_html.ts";
import { inTempDir } from "./_temp_dir.ts";
import {
  contributionHeatmap,
  figureDivHtml,
  figureToPng,
  groupedBars,
  loadPlotlyBundle,
  writeHtmlReport,
} from "../../lib/viz/mod.ts";

const chromium = findChromium();
const ignore = chromium === null;
if (ignore) console.warn("chromium tests skipped: no /usr/bin/chromium (apt-get install chromium)");

/** A test that needs Chromium (skipped without it), in a fresh work folder. */
function browserTest(name: string, fn: (workDir: string) => Promise<void>): void {
  Deno.test({ name, ignore, fn: () => inTempDir("chromium-test-", fn) });
}

const heatmap = contributionHeatmap({
  values: [0.1, -0.2, 0.3, 0.0, 0.5, 0.4],
  numPositions: 3,
  modalityNames: ["id", "text"],
});
const bars = groupedBars({
  categories: ["HR@10", "NDCG@10"],
  series: [{ name: "A", values: [0.1, 0.05], errors: [0.01, 0.004] }],
});

browserTest(
  "chromium: a two-figure report draws both figures, offline, without errors",
  async (workDir) => {
    const page = `${workDir}/report.html`;
    await writeHtmlReport(page, [
      { kind: "text", markdown: "# Two figures" },
      { kind: "figure", figure: heatmap },
      { kind: "figure", figure: bars },
    ]);
    const report = await checkRenderedHtml(page);
    assertEquals(report.expectedFigures, 2);
    assertEquals(report.renderedFigures, 2);
    assertEquals(report.externalReferences, []);
    assertEquals(report.networkRequests, []);
    assertEquals(report.scriptErrors, []);
    assert(report.ok);
    // Small enough to mail: the minified cartesian plotly.js (1.5 MB), not the full 10 MB.
    assert(report.bytes < 2_000_000, `${report.bytes} bytes`);
    const tooSmallLimit = await checkRenderedHtml(page, {}, report.bytes - 1);
    assertEquals(tooSmallLimit.ok, false, "a page over the size limit fails");

    // Negative control: without the inlined plotly.js nothing draws and the check says so.
    const html = await Deno.readTextFile(page);
    const stripped = html.replace(/<script>[\s\S]*?<\/script>\n<\/head>/, "</head>");
    assert(stripped.length < html.length / 10, "plotly.js bundle was not removed");
    const brokenPage = `${workDir}/broken.html`;
    await Deno.writeTextFile(brokenPage, stripped);
    const broken = await checkRenderedHtml(brokenPage);
    assertEquals(broken.expectedFigures, 2);
    assertEquals(broken.renderedFigures, 0);
    assertEquals(broken.ok, false);
  },
);

browserTest(
  "chromium: figureToPng writes a PNG of width x height x scale pixels",
  async (workDir) => {
    const path = `${workDir}/heatmap.png`;
    await figureToPng(heatmap, path, { width: 400, height: 300, scale: 1 });
    const bytes = await Deno.readFile(path);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // IHDR starts at byte 16: width and height as big-endian uint32.
    assertEquals([view.getUint32(16), view.getUint32(20)], [400, 300]);
    // A drawn heatmap has many colours; a blank page would be one.
    assert(bytes.length > 5000, `PNG suspiciously small (${bytes.length} bytes)`);
  },
);

browserTest(
  "chromium: a figure drawn before plotly.js loads, and two figures of one id, all draw",
  async (workDir) => {
    // A live notebook re-uses an element id from an earlier kernel session, and its plotly.js may
    // come after a figure's output: each script draws into its own div, once the page has loaded.
    const page = `${workDir}/late.html`;
    const figure = figureDivHtml(bars, { elementId: "figure" });
    await Deno.writeTextFile(
      page,
      `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${figure}${figure}` +
        `<script>${await loadPlotlyBundle()}</script></body></html>`,
    );
    const report = await checkRenderedHtml(page);
    assertEquals([report.expectedFigures, report.renderedFigures], [2, 2]);
    assertEquals(report.scriptErrors, []);
  },
);

browserTest(
  "chromium: a page with a script error, a request or a resource off the machine fails",
  async (workDir) => {
    const page = `${workDir}/errors.html`;
    await Deno.writeTextFile(
      page,
      `<!DOCTYPE html><html><body><p>x</p><script>throw new Error("boom-t36")</script>` +
        `<script>var i = document.createElement("img"); i.src = "https://img.example.org/p.png";` +
        `document.body.appendChild(i);</script></body></html>`,
    );
    const report = await checkRenderedHtml(page);
    assertEquals(report.scriptErrors.length, 1, `${report.scriptErrors}`);
    assertStringIncludes(report.scriptErrors[0], "Uncaught Error: boom-t36 at file://");
    // Added by a script: only the final DOM names it, and the page asked for it.
    assertEquals(report.externalReferences, ["https://img.example.org/p.png"]);
    assertEquals(report.networkRequests, ["https://img.example.org/p.png"]);
    assertEquals(report.ok, false);
  },
);

const user = { name: "demure-browser", uid: 999, gid: 995 };

Deno.test("Chromium's sandbox is on; as root Chromium runs as the browser user", () => {
  const direct = planChromiumLaunch("/usr/bin/chromium", undefined, 1000, null);
  assertEquals(direct, { command: "/usr/bin/chromium", prefixArgs: [], sandbox: true, user: null });
  assertEquals(planChromiumLaunch("/c", undefined, null, null).sandbox, true, "uid unknown");
  const root = planChromiumLaunch("/usr/bin/chromium", undefined, 0, user);
  assertEquals(root.command, SETPRIV);
  assertEquals(root.prefixArgs, [
    "--reuid=999",
    "--regid=995",
    "--clear-groups",
    "--",
    "/usr/bin/chromium",
  ]);
  assertEquals([root.sandbox, root.user], [true, user]);
  const noUser = planChromiumLaunch("/c", undefined, 0, null);
  assertEquals([noUser.command, noUser.sandbox], ["/c", false]);
  assert(noUser.reason?.includes("demure-browser"), noUser.reason);
  assertEquals(planChromiumLaunch("/c", false, 1000, null).sandbox, false);
  assertEquals(planChromiumLaunch("/c", false, 0, user).sandbox, false);
});

Deno.test("findUser reads /etc/passwd entries; never root", () => {
  const passwd = "root:x:0:0:root:/root:/bin/bash\n" +
    "demure-browser:x:999:995::/nonexistent:/usr/sbin/nologin\nbroken:x:abc:1::/:/bin/sh\n" +
    // Found by mutation round XX (XX02): a group id that is not a number is no entry either.
    "nogroup:x:7:staff::/:/bin/sh\n";
  assertEquals(findUser(passwd, "demure-browser"), user);
  assertEquals(findUser(passwd, "root"), null);
  assertEquals(findUser(passwd, "broken"), null);
  assertEquals(findUser(passwd, "nogroup"), null);
  assertEquals(findUser(passwd, "absent"), null);
});

Deno.test({
  name: "Chromium runs with its sandbox (as root: as the browser user, when it exists)",
  ignore: findChromium() === null,
  fn: async () => {
    const launch = chromiumLaunch(findChromium()!);
    const run = await runHeadlessChromium(["--dump-dom", "data:text/html,<p>sandbox-check</p>"]);
    assertEquals(run.code, 0, run.stderr);
    assert(run.stdout.includes("sandbox-check"), run.stdout);
    // Where the plan is a sandbox (not root, or root with the browser user, as after
    // scripts/setup.sh), Chromium really started with it: no fallback to --no-sandbox.
    if (launch.sandbox) assertEquals(run.sandbox, true, run.stderr);
    if (Deno.uid() === 0 && launch.sandbox) assertEquals(launch.command, SETPRIV);
  },
});

browserTest(
  "chromium: a page whose script never yields is stopped at timeoutMs, the page named",
  async (workDir) => {
    // It held checkRenderedHtml (and deno task check-html) for good: Chromium never exited.
    const page = `${workDir}/busy.html`;
    await Deno.writeTextFile(page, "<!DOCTYPE html><p>x</p><script>while (true) {}</script>");
    await assertRejects(
      () => checkRenderedHtml(page, { timeoutMs: 3000 }),
      Error,
      `checkRenderedHtml: ${page}: runHeadlessChromium: Chromium ran past 3000 ms`,
    );
  },
);
