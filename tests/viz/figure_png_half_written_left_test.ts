/**
 * figureToPng on a disk that fills while the image is written (a file-size limit of 3 MiB,
 * tests/_full_disk.ts): the folders it made for the image are removed again, no temporary is left
 * (the folders stayed, empty). A stand-in Chromium moves a whole 4 MB PNG into place as its
 * screenshot (a rename, which the limit does not refuse), so that the page (the 1.5 MB bundle)
 * is written under the limit and the image's own write is cut short.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { runOnFullDisk } from "../_full_disk.ts";
import { projectModule } from "../_eval_in_subprocess.ts";
import { inTempDir } from "./_temp_dir.ts";

Deno.test("figureToPng: an image cut short by a full disk leaves no folder it made", async () => {
  await inTempDir("demure-png-full-", async (dir) => {
    const png = new Uint8Array(4_000_000);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    png.set([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82], png.length - 12);
    await Deno.writeFile(`${dir}/big.png`, png);
    const executable = `${dir}/chromium`;
    await Deno.writeTextFile(
      executable,
      `#!/bin/sh\nfor a in "$@"; do case "$a" in\n` +
        `  --screenshot=*) mv ${dir}/big.png "\${a#--screenshot=}";;\n` +
        `esac; done\n`,
    );
    await Deno.chmod(executable, 0o755);
    const run = await runOnFullDisk(
      `import { figureToPng } from ${projectModule("lib/viz/mod.ts")};
       const [dir, executable] = Deno.args;
       const bars = { data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} };
       try {
         await figureToPng(bars, dir + "/new/deeper/bars.png", {
           chromium: { executable, sandbox: false },
         });
         console.log("written");
       } catch (error) {
         console.log(error.message);
       }`,
      [dir, executable],
      3 * 1024,
    );
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, "File too large");
    // The Chromium stand-in took its screenshot: it was the image's write that failed.
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name), ["chromium"]);
  });
});
