/**
 * figureToPng's edges the stand-in tests (chromium_stand_in_test.ts) left open, against a
 * stand-in Chromium of its own (a shell script that logs its arguments and writes a PNG): a
 * missing browser, a height of 0, the Chromium settings besides the window size, the bundle a
 * cartesian figure gets, and which error a failed write reports. Found by mutation round NC.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { figureToPng } from "../../lib/viz/mod.ts";
import type { Figure, FigurePngOptions } from "../../lib/viz/mod.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { inTempDir } from "./_temp_dir.ts";

const bars: Figure = { data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} };

/** A whole PNG: its signature, a few bytes, then the IEND chunk. */
const PNG = String.raw`printf '\211PNG\r\n\032\nrest\000\000\000\000IEND\256B\140\202'`;

/**
 * A stand-in Chromium in `dir` that logs its arguments (one a line) to `dir/runs.log`, keeps the
 * page it was given as `dir/page.html` and writes a whole PNG as its screenshot.
 */
async function standIn(dir: string): Promise<string> {
  const executable = `${dir}/chromium`;
  await Deno.writeTextFile(
    executable,
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> ${dir}/runs.log; done\n` +
      `for a in "$@"; do case "$a" in\n` +
      `  --screenshot=*) ${PNG} > "\${a#--screenshot=}";;\n` +
      `  file://*) cp "\${a#file://}" ${dir}/page.html;;\n` +
      `esac; done\n`,
  );
  await Deno.chmod(executable, 0o755);
  return executable;
}

/** The value of `--name=value` among the logged arguments. */
async function flagOf(dir: string, name: string): Promise<string | undefined> {
  const args = (await Deno.readTextFile(`${dir}/runs.log`)).split("\n");
  return args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

Deno.test("figureToPng: a height of 0 is refused as FigurePngOptions.height, before Chromium starts", async () => {
  // Left to Chromium's own check it was refused as ChromiumConfig.windowSize[1], a setting the
  // caller never gave. Found by mutation round NC (NC01).
  await inTempDir("demure-png-nc-", async (dir) => {
    const executable = await standIn(dir);
    const error = await assertRejects(
      () =>
        figureToPng(bars, `${dir}/out/bars.png`, {
          height: 0,
          chromium: { executable, sandbox: false },
        }),
      SettingError,
      "FigurePngOptions.height is 0",
    );
    assertStringIncludes(error.message, "allowed:");
    assertEquals(pathExists(`${dir}/runs.log`), false, "Chromium did not start");
    assertEquals(pathExists(`${dir}/out`), false, "nothing written");
  });
});

Deno.test("figureToPng: a cartesian figure's page inlines the 1.5 MB bundle, not the 10 MB one", async () => {
  // Found by mutation round NC (NC02: the full bundle for every figure).
  await inTempDir("demure-png-nc-", async (dir) => {
    const executable = await standIn(dir);
    await figureToPng(bars, `${dir}/bars.png`, { chromium: { executable, sandbox: false } });
    const { size } = await Deno.stat(`${dir}/page.html`);
    assert(size < 2_000_000, `page of ${size} bytes: the full bundle was inlined`);
  });
});

Deno.test("figureToPng: the Chromium settings besides the window size reach the run", async () => {
  // Only windowSize is the image's own; a virtual time budget (a figure that draws slowly) is the
  // caller's. Found by mutation round NC (NC03: the settings were replaced, not extended).
  await inTempDir("demure-png-nc-", async (dir) => {
    const executable = await standIn(dir);
    await figureToPng(bars, `${dir}/bars.png`, {
      width: 300,
      height: 200,
      chromium: { executable, sandbox: false, virtualTimeBudgetMs: 5000 },
    });
    assertEquals(await flagOf(dir, "virtual-time-budget"), "5000");
    assertEquals(await flagOf(dir, "window-size"), "300,200");
  });
});

Deno.test("figureToPng: no browser at the configured path is an error naming it; nothing written", async () => {
  // A missing browser must not fall back to another one (or to a bare "chromium" on the PATH).
  // Found by mutation round NC (NC07).
  await inTempDir("demure-png-nc-", async (dir) => {
    const missing = `${dir}/no-chromium`;
    await assertRejects(
      () =>
        figureToPng(bars, `${dir}/out/bars.png`, {
          chromium: { executable: missing, sandbox: false },
        }),
      Error,
      `no Chromium at ${missing} (ChromiumConfig.executable)`,
    );
    assertEquals([...Deno.readDirSync(dir)], [], "no output folder, no work folder left");
  });
});

Deno.test("figureToPng: a write that fails reports the write's error, not its clean-up's", async () => {
  // The temporary file's place is taken by a folder that is not empty: the write fails, and so
  // does the removal of the temporary file after it. The caller must see why the write failed.
  // The temporary file is the path's own, "<path>.<pid>.tmp" (a name shared by every image of a
  // folder, or of two processes, would let one render's file replace another's).
  // Found by mutation round NC (NC04: the clean-up's "Directory not empty" replaced it; NC10:
  // one temporary name for the whole folder).
  await inTempDir("demure-png-nc-", async (dir) => {
    const executable = await standIn(dir);
    const path = `${dir}/bars.png`;
    const blocker = `${path}.${Deno.pid}.tmp`;
    await Deno.mkdir(blocker);
    await Deno.writeTextFile(`${blocker}/keep`, "x");
    const error = await assertRejects(() =>
      figureToPng(bars, path, { chromium: { executable, sandbox: false } })
    );
    assert(!/not empty/i.test(error.message), error.message);
    assertStringIncludes(error.message.toLowerCase(), "is a directory");
    assertEquals(pathExists(path), false);
    assertEquals(await Deno.readTextFile(`${blocker}/keep`), "x");
  });
});

Deno.test("figureToPng: an infinite scale or width is refused by its name, before Chromium starts", async () => {
  // "--force-device-scale-factor=Infinity" is no ratio Chromium can draw at.
  // Found by mutation round NC (NC42: only a scale of 0 or below was refused).
  const cases: [FigurePngOptions, string][] = [
    [{ scale: Infinity }, "FigurePngOptions.scale is Infinity"],
    [{ width: Infinity }, "FigurePngOptions.width is Infinity"],
  ];
  for (const [options, message] of cases) {
    await inTempDir("demure-png-nc-", async (dir) => {
      const executable = await standIn(dir);
      await assertRejects(
        () =>
          figureToPng(bars, `${dir}/bars.png`, {
            ...options,
            chromium: { executable, sandbox: false },
          }),
        SettingError,
        message,
      );
      assertEquals(pathExists(`${dir}/runs.log`), false, "Chromium did not start");
    });
  }
});
