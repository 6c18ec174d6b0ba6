/**
 * The Chromium run that mutation round 53 found unpinned: a run that ended in time leaves no
 * timer behind (a pending kill timer kept every caller's process alive for the whole
 * ChromiumConfig.timeoutMs after the page was done); the test's op sanitizer sees a pending one.
 */
import { assertEquals } from "@std/assert";
import { type ChromiumLaunch, runHeadlessChromium } from "../../lib/viz/chromium.ts";
import { inTempDir } from "./_temp_dir.ts";

Deno.test({
  name: "runHeadlessChromium: a run that ended in time leaves no kill timer pending",
  sanitizeOps: true,
  fn: () =>
    inTempDir("chromium-mutants53-", async (dir) => {
      const executable = `${dir}/chromium`;
      await Deno.writeTextFile(executable, "#!/bin/sh\necho drawn\n");
      await Deno.chmod(executable, 0o755);
      const launch: ChromiumLaunch = {
        command: executable,
        prefixArgs: [],
        sandbox: false,
        user: null,
      };
      const run = await runHeadlessChromium([], { executable, timeoutMs: 600_000 }, launch);
      assertEquals([run.code, run.stdout], [0, "drawn\n"]);
    }),
});
