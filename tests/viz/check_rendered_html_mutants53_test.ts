/**
 * checkRenderedHtml behaviour that mutation round 53 found unpinned: a net log whose
 * URL_REQUEST_START_JOB is present but not a number (null, or the number written as text) is
 * refused as unreadable, like one without it; read as given, no event would match it and the check
 * would pass whatever the page fetched. A drawn page with more figures than its source is no pass
 * (every figure drew only when the counts agree), and a link is read from the page as it is
 * opened, before any script ran: a target that only a script adds leaves it unresolved.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { checkRenderedHtml, pageRequestsFromNetLog } from "../../lib/viz/check_rendered_html.ts";
import { inTempDir } from "./_temp_dir.ts";

/** A stand-in Chromium in `dir` that writes a net log with no events and prints `dom` as the page. */
async function standIn(dir: string, dom: string): Promise<string> {
  const executable = `${dir}/chromium`;
  const netLog = `{"constants":{"logEventTypes":{"URL_REQUEST_START_JOB":7}},"events":[]}`;
  await Deno.writeTextFile(
    executable,
    `#!/bin/sh\nfor a in "$@"; do case "$a" in\n` +
      `  --log-net-log=*) printf '%s' '${netLog}' > "\${a#--log-net-log=}";;\n` +
      `esac; done\nprintf '%s' '${dom}'\n`,
  );
  await Deno.chmod(executable, 0o755);
  return executable;
}

const DRAWN = '<div class="demure-plot" id="f"><svg class="main-svg"></svg></div>';

Deno.test("net log: an URL_REQUEST_START_JOB that is null or text is refused, not matched against nothing", () => {
  for (const startJob of [null, "7"]) {
    const log = JSON.stringify({
      constants: { logEventTypes: { URL_REQUEST_START_JOB: startJob } },
      events: [{ type: 7, params: { url: "https://tracker.example.org/", initiator: "null" } }],
    });
    assertThrows(
      () => pageRequestsFromNetLog(log),
      Error,
      "pageRequestsFromNetLog: the net log's constants.logEventTypes has no URL_REQUEST_START_JOB",
    );
  }
});

Deno.test("checkRenderedHtml: a drawn page with more figures than its source is no pass", async () => {
  await inTempDir("check-html-mutants53-", async (dir) => {
    const page = `${dir}/page.html`;
    await Deno.writeTextFile(page, '<div class="demure-plot" id="f"></div>');
    const executable = await standIn(dir, DRAWN + DRAWN);
    const report = await checkRenderedHtml(page, { executable, sandbox: false });
    assertEquals([report.expectedFigures, report.renderedFigures, report.ok], [1, 2, false]);
  });
});

Deno.test("checkRenderedHtml: a link target that only a script adds is still a missing place", async () => {
  await inTempDir("check-html-mutants53-", async (dir) => {
    const page = `${dir}/page.html`;
    const link = '<a href="#notes">notes</a>';
    await Deno.writeTextFile(page, `<div class="demure-plot" id="f"></div>${link}`);
    const executable = await standIn(dir, `${DRAWN}${link}<p id="notes"></p>`);
    const report = await checkRenderedHtml(page, { executable, sandbox: false });
    assertEquals(report.unresolvedReferences, ["link to a missing place: #notes"]);
    assertEquals(report.ok, false);
  });
});
