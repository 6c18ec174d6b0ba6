/**
 * `deno task check-html`'s options, through its own command line: a page count outside 1..64 is
 * one line and exit 2 before Chromium is looked for (0 pages at once would check nothing).
 */
import { assertEquals } from "@std/assert";
import { runScript } from "./_run_script.ts";

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
