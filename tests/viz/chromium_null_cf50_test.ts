/**
 * `ChromiumConfig` fills its defaults by the rule of every configuration object
 * (docs/configuration.md): a setting left out or given as `undefined` takes
 * `DEFAULT_CHROMIUM_CONFIG`'s value, and `null` is a value, refused with a `SettingError` naming
 * the setting, the value and what is allowed, before Chromium starts. A `timeoutMs` of null ran
 * with the default limit, and an `executable` of null looked for the default browser, silently;
 * so did `FigurePngOptions`' width, height and scale (drawn at 1000 x 600, scale 2).
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import {
  type ChromiumConfig,
  chromiumExecutable,
  type ChromiumLaunch,
  DEFAULT_CHROMIUM_CONFIG,
  DEFAULT_CHROMIUM_TIMEOUT_MS,
  runHeadlessChromium,
} from "../../lib/viz/chromium.ts";
import {
  DEFAULT_FIGURE_PNG_OPTIONS,
  type Figure,
  type FigurePngOptions,
  figureToPng,
} from "../../lib/viz/mod.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { settingError } from "../_setting_error.ts";
import { inTempDir } from "./_temp_dir.ts";

/** A stand-in browser in `dir` that prints its arguments, started without a sandbox. */
async function echoingBrowser(dir: string): Promise<ChromiumLaunch> {
  const command = `${dir}/chromium`;
  await Deno.writeTextFile(command, '#!/bin/sh\necho "$*"\n');
  await Deno.chmod(command, 0o755);
  return { command, prefixArgs: [], sandbox: false, user: null };
}

Deno.test("ChromiumConfig: null is refused for every setting with a default, before Chromium starts", async () => {
  // A browser that does not exist: a null let through fails to start it (not a SettingError).
  const launch: ChromiumLaunch = {
    command: "/nonexistent/chromium",
    prefixArgs: [],
    sandbox: false,
    user: null,
  };
  const cases: [keyof ChromiumConfig, string][] = [
    ["timeoutMs", "a finite number > 0 and <= 2147483647"],
    ["virtualTimeBudgetMs", "an integer >= 1 and <= 2147483647"],
    ["windowSize", "[width, height]"],
    ["sandbox", "true or false"],
  ];
  for (const [field, allowed] of cases) {
    const config = { [field]: null } as unknown as ChromiumConfig;
    const error = await assertRejects(
      () => runHeadlessChromium(["--dump-dom"], config, launch),
      SettingError,
      `ChromiumConfig.${field} is null; allowed: ${allowed}`,
    ) as SettingError;
    assertEquals([error.setting, error.value], [`ChromiumConfig.${field}`, null]);
  }
});

Deno.test("ChromiumConfig.executable: null or a non-string is refused, not read as the default browser", () => {
  for (const executable of [null, 42, ["/usr/bin/chromium"]]) {
    const error = settingError(() =>
      chromiumExecutable({ executable } as unknown as ChromiumConfig)
    );
    assertEquals([error.setting, error.value], ["ChromiumConfig.executable", executable]);
    assertStringIncludes(error.message, "allowed: a path (a string)");
  }
});

Deno.test("ChromiumConfig: left out or undefined runs with DEFAULT_CHROMIUM_CONFIG", async () => {
  assertEquals(DEFAULT_CHROMIUM_CONFIG, {
    virtualTimeBudgetMs: 30000,
    windowSize: [1200, 900],
    sandbox: true,
    timeoutMs: DEFAULT_CHROMIUM_TIMEOUT_MS,
  });
  await inTempDir("chromium-null-cf50-", async (dir) => {
    const launch = await echoingBrowser(dir);
    const flags = async (config: ChromiumConfig) =>
      (await runHeadlessChromium(["--dump-dom"], config, launch)).stdout;
    const leftOut = await flags({});
    assertStringIncludes(leftOut, "--window-size=1200,900");
    assertStringIncludes(leftOut, "--virtual-time-budget=30000");
    const undefinedOnes = await flags({
      timeoutMs: undefined,
      virtualTimeBudgetMs: undefined,
      windowSize: undefined,
    });
    // The profile folder differs per run; every other flag is the same.
    const withoutProfile = (text: string) => text.replace(/--user-data-dir=\S+/, "");
    assertEquals(withoutProfile(undefinedOnes), withoutProfile(leftOut));
    const given = await flags({ virtualTimeBudgetMs: 5, windowSize: [3, 4] });
    assertStringIncludes(given, "--window-size=3,4");
    assertStringIncludes(given, "--virtual-time-budget=5");
  });
});

Deno.test("FigurePngOptions: null is refused, naming the setting; DEFAULT_FIGURE_PNG_OPTIONS holds the defaults", async () => {
  assertEquals(DEFAULT_FIGURE_PNG_OPTIONS, { width: 1000, height: 600, scale: 2 });
  const figure: Figure = { data: [], layout: {} };
  await inTempDir("figure-png-null-cf50-", async (dir) => {
    const cases: [keyof FigurePngOptions, string][] = [
      ["width", "an integer >= 1"],
      ["height", "an integer >= 1"],
      ["scale", "a finite number > 0"],
      ["chromium", "ChromiumConfig settings (an object)"],
    ];
    for (const [field, allowed] of cases) {
      const options = { [field]: null } as unknown as FigurePngOptions;
      const error = await assertRejects(
        () => figureToPng(figure, `${dir}/figure.png`, options),
        SettingError,
        `FigurePngOptions.${field} is null; allowed: ${allowed}`,
      ) as SettingError;
      assertEquals([error.setting, error.value], [`FigurePngOptions.${field}`, null]);
    }
    // Refused before anything is written.
    assertEquals([...Deno.readDirSync(dir)], []);
  });
});
