/**
 * `deno task check-html` through its own command line: a page count outside 1..64 is one line and
 * exit 2 before Chromium is looked for (0 pages at once would check nothing); a missing Chromium
 * is a failure unless --allow-missing-chromium; a page that fails its check fails the run.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { runScript } from "./_run_script.ts";
import { findChromium } from "../../lib/viz/chromium.ts";

const root = new URL("../../", import.meta.url).pathname;

/** `deno run <permissions> scripts/check_html.ts ...args` with `env` added to its environment. */
async function checkHtmlWith(env: Record<string, string>, permissions: string[], args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, "scripts/check_html.ts", ...args],
    cwd: root,
    env,
    stdin: "null",
    signal: AbortSignal.timeout(120_000),
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** `deno run -A scripts/check_html.ts ...args` with `env` added to its environment. */
function checkHtml(env: Record<string, string>, ...args: string[]) {
  return checkHtmlWith(env, ["-A"], args);
}

Deno.test("check_html: --jobs outside 1..64 is one line and exit 2, before any page", async () => {
  for (const jobs of ["0", "65", "1.5"]) {
    const { code, stdout, stderr } = await runScript("scripts/check_html.ts", [
      "--jobs",
      jobs,
      "/nonexistent/page.html",
    ]);
    assertEquals(
      [code, stdout, stderr],
      [2, "", `check_html: --jobs ${jobs}: must be an integer in 1..64; see --help\n`],
    );
  }
});

Deno.test("check_html: no Chromium fails the run, unless --allow-missing-chromium", async () => {
  const missing = { DEMURE_CHROMIUM: "/nonexistent/chromium" };
  const page = "/nonexistent/page.html";
  const failed = await checkHtml(missing, page);
  // The path looked at is the setting's, not the default's.
  assertEquals(
    [failed.code, failed.stdout, failed.stderr],
    [1, "", "check_html: no Chromium at /nonexistent/chromium (DEMURE_CHROMIUM)\n"],
  );
  const allowed = await checkHtml(missing, "--allow-missing-chromium", page);
  assertEquals([allowed.code, allowed.stdout], [0, ""]);
});

Deno.test("check_html: an empty DEMURE_CHROMIUM counts as unset: the default Chromium is used", async () => {
  // Before, "" was the path looked at: "no Chromium at  (DEMURE_CHROMIUM)", exit 1, with Debian's
  // chromium installed. The missing page answers only once a Chromium is found.
  const { code, stdout, stderr } = await checkHtml(
    { DEMURE_CHROMIUM: "" },
    "results/ful/report.html",
  );
  const expected = findChromium("/usr/bin/chromium") === null
    ? [1, "", "check_html: no Chromium at /usr/bin/chromium; install Debian's chromium\n"]
    : [2, "", "check_html: results/ful/report.html: no such file; see --help\n"];
  assertEquals([code, stdout, stderr], expected);
});

Deno.test({
  name: "check_html: a page that fails its check fails the run, after every page is checked",
  ignore: findChromium() === null,
  async fn() {
    const folder = await Deno.makeTempDir({ prefix: "check_html_pages_" });
    try {
      const [bad, good] = [`${folder}/a_bad.html`, `${folder}/b_good.html`];
      const undrawn = `${folder}/c_undrawn.html`;
      // An image it loads, and one in a template (inert: referenced, never requested).
      Deno.writeTextFileSync(
        bad,
        '<html><body><img src="https://example.com/x.png">' +
          '<template><img src="https://example.com/t.png"></template></body></html>',
      );
      Deno.writeTextFileSync(good, "<html><body><p>nothing from off the machine</p></body></html>");
      // A figure's place that Plotly never drew: 0 of 1 drawn, not "1/0" (found by mutation
      // round FE, FE37).
      Deno.writeTextFileSync(undrawn, '<html><body><div class="demure-plot"></div></body></html>');
      const { code, stdout, stderr } = await checkHtml({}, "--jobs=1", bad, good, undrawn);
      assertEquals(code, 1, stderr);
      // Each count in its place (FE39).
      assertStringIncludes(
        stderr,
        `FAILED ${bad}: 0/0 figures drawn, 2 external references, 1 network requests, ` +
          "0 script errors, 0 unresolved references, 0.00 MB (at most 5 MB)\n" +
          "  external reference: https://example.com/t.png\n" +
          "  external reference: https://example.com/x.png\n" +
          "  network request: https://example.com/x.png\n",
      );
      assertStringIncludes(
        stdout,
        `ok ${good}: 0/0 figures drawn, 0 external references, 0 network requests, ` +
          "0 script errors, 0 unresolved references, 0.00 MB (at most 5 MB)\n",
      );
      assertStringIncludes(
        stderr,
        `FAILED ${undrawn}: 0/1 figures drawn, 0 external references, 0 network requests, ` +
          "0 script errors, 0 unresolved references, 0.00 MB (at most 5 MB)\n",
      );
      assertStringIncludes(stdout, "1 pages ok, 2 failed");
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});

Deno.test("check_html: a named page that is missing, unreadable or not HTML is one line, exit 2", async () => {
  // A stand-in "Chromium" that only fails: the checks must answer before any browser starts.
  const env = { DEMURE_CHROMIUM: "/bin/false" };
  const permissions = ["--allow-read=.,/bin/false", "--allow-env", "--allow-write=/tmp"];
  const cases: [string, string][] = [
    ["results/ful/report.html", "no such file"],
    ["results/ful/report.htm", "no such file"],
    ["/etc/hostname.html", "outside the task's --allow-read (add its folder: docs/permissions.md)"],
    ["docs/figures", "not an HTML page (a .html or .htm file)"],
    ["README.md", "not an HTML page (a .html or .htm file)"],
    ["docs/report.html.md", "not an HTML page (a .html or .htm file)"],
  ];
  for (const [page, problem] of cases) {
    const { code, stdout, stderr } = await checkHtmlWith(env, ["--no-prompt", ...permissions], [
      page,
    ]);
    assertEquals(
      [code, stdout, stderr],
      [2, "", `check_html: ${page}: ${problem}; see --help\n`],
    );
  }
  // Every named page is checked, not only the first: a good page, then a missing one.
  const folder = Deno.makeTempDirSync({ prefix: "check_html_named_" });
  try {
    const good = `${folder}/good.html`;
    Deno.writeTextFileSync(good, "<html><body></body></html>");
    const missing = "results/ful/report.html";
    const { code, stdout, stderr } = await checkHtmlWith(
      env,
      ["--no-prompt", `--allow-read=.,/bin/false,${folder}`, "--allow-env", "--allow-write=/tmp"],
      [good, missing],
    );
    assertEquals(
      [code, stdout, stderr],
      [2, "", `check_html: ${missing}: no such file; see --help\n`],
    );
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

/**
 * A stand-in Chromium in `folder` (made open to every user: Chromium may run as another one,
 * lib/viz/chromium.ts): it notes in `folder/at_once` how many of it run at once, answers the page
 * as its rendered DOM, and reports as page requests the URLs the page lists in
 * `<!-- net: URL -->` comments. A check without Chromium or the network, in seconds.
 */
async function standInChromium(folder: string): Promise<string> {
  await Deno.chmod(folder, 0o777);
  const chromium = `${folder}/chromium`;
  const event = `{"type":1,"params":{"url":"%s","initiator":"file://"}}`;
  Deno.writeTextFileSync(
    chromium,
    `#!/bin/sh
for arg in "$@"; do
  case "$arg" in
    --log-net-log=*) log="\${arg#--log-net-log=}" ;;
    file://*) page="\${arg#file://}" ;;
  esac
done
mkdir "${folder}/running.$$"
ls "${folder}" | grep -c '^running\\.' >> "${folder}/at_once"
sleep 0.3
rmdir "${folder}/running.$$"
events=$(sed -n 's/.*<!-- net: \\([^ ]*\\) -->.*/\\1/p' "$page" | xargs -r printf '${event},')
printf '{"constants":{"logEventTypes":{"URL_REQUEST_START_JOB":1}},"events":[%s]}' "\${events%,}" > "$log"
cat "$page"
`,
  );
  await Deno.chmod(chromium, 0o755);
  return chromium;
}

Deno.test("check_html: --jobs N checks at most N pages at once", async () => {
  // The limit is the ceiling, whatever the timing (found by mutation round FE: a ">" for ">="
  // ran N + 1 browsers at once).
  const folder = await Deno.makeTempDir({ prefix: "check_html_jobs_" });
  try {
    const chromium = await standInChromium(folder);
    const pages = ["a", "b", "c", "d", "e"].map((name) => `${folder}/${name}.html`);
    for (const page of pages) Deno.writeTextFileSync(page, "<html><body></body></html>");
    const { code, stdout, stderr } = await checkHtml(
      { DEMURE_CHROMIUM: chromium },
      "--jobs",
      "2",
      ...pages,
    );
    assertEquals(code, 0, stdout + stderr);
    assertStringIncludes(stdout, "5 pages ok, 0 failed");
    const atOnce = Deno.readTextFileSync(`${folder}/at_once`).trim().split("\n").map(Number);
    assertEquals(atOnce.length, 5, `${atOnce}`);
    assertEquals(Math.max(...atOnce) <= 2, true, `browsers at once: ${atOnce}`);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("check_html: each count of a page's summary in its place, and each reference and request listed", async () => {
  // Without Chromium (the test above with it is skipped where it is missing): found by mutation
  // round FE (FE37, FE39, FE40).
  const folder = await Deno.makeTempDir({ prefix: "check_html_summary_" });
  try {
    const chromium = await standInChromium(folder);
    const [bad, good, undrawn, unresolved] = ["a_bad", "b_good", "c_undrawn", "d_unresolved"].map(
      (name) => `${folder}/${name}.html`,
    );
    // An image it loads, and one in a template (inert: referenced, never requested).
    Deno.writeTextFileSync(
      bad,
      '<html><body><!-- net: https://example.com/x.png --><img src="https://example.com/x.png">' +
        '<template><img src="https://example.com/t.png"></template></body></html>',
    );
    Deno.writeTextFileSync(good, "<html><body><p>nothing from off the machine</p></body></html>");
    Deno.writeTextFileSync(undrawn, '<html><body><div class="demure-plot"></div></body></html>');
    // An image beside the page and a link to a heading it lacks: nothing off the machine, yet
    // broken once the page is read on its own.
    Deno.writeTextFileSync(
      unresolved,
      '<html><body><img src="figures/a.png"><a href="#gone">see</a></body></html>',
    );
    const { code, stdout, stderr } = await checkHtml(
      { DEMURE_CHROMIUM: chromium },
      bad,
      good,
      undrawn,
      unresolved,
    );
    const tail = "0 script errors, 0 unresolved references, 0.00 MB (at most 5 MB)";
    assertEquals([code, stderr], [
      1,
      `FAILED ${bad}: 0/0 figures drawn, 2 external references, 1 network requests, ${tail}\n` +
      "  external reference: https://example.com/t.png\n" +
      "  external reference: https://example.com/x.png\n" +
      "  network request: https://example.com/x.png\n" +
      `FAILED ${undrawn}: 0/1 figures drawn, 0 external references, 0 network requests, ${tail}\n` +
      `FAILED ${unresolved}: 0/0 figures drawn, 0 external references, 0 network requests, ` +
      "0 script errors, 2 unresolved references, 0.00 MB (at most 5 MB)\n" +
      "  link to a missing place: #gone\n" +
      '  resource beside the page: <img src="figures/a.png">\n',
    ]);
    assertEquals(
      stdout,
      `ok ${good}: 0/0 figures drawn, 0 external references, 0 network requests, ${tail}\n` +
        "1 pages ok, 3 failed\n",
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
