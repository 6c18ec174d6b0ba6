/**
 * Chromium behaviour that mutation round LE found unpinned, against a stand-in Chromium (a shell
 * script; no browser needed): which executable is found (an explicit one before
 * `$DEMURE_CHROMIUM`, no device or other non-file taken for a browser) and what the error names
 * when there is none; the window's height range and a two-character string as the size; the
 * retry without the sandbox keeping the launch's `setpriv` prefix; the warning naming the line
 * that says why.
 */
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import {
  chromiumExecutable,
  type ChromiumLaunch,
  findChromium,
  findUser,
  runHeadlessChromium,
} from "../../lib/viz/chromium.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { inTempDir } from "./_temp_dir.ts";

const module = new URL("../../lib/viz/chromium.ts", import.meta.url).href;

/** A stand-in Chromium in `dir`: each run appends its arguments to runs.log, then runs `body`. */
async function standIn(dir: string, body: string): Promise<string> {
  const executable = `${dir}/chromium`;
  await Deno.writeTextFile(
    executable,
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> ${dir}/runs.log; done\n` +
      `printf -- '---\\n' >> ${dir}/runs.log\n${body}\n`,
  );
  await Deno.chmod(executable, 0o755);
  return executable;
}

/** Each logged run's arguments. */
async function runsOf(dir: string): Promise<string[][]> {
  const log = await Deno.readTextFile(`${dir}/runs.log`);
  return log.split("---\n").filter((run) => run !== "").map((run) => run.trimEnd().split("\n"));
}

/** `code` run by `deno eval` with `env` added: its status and what it printed. */
async function evalWith(
  code: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", `import * as chromium from "${module}";\n${code}`],
    env,
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

// Says "no usable sandbox" (after a line that does not) unless started with --no-sandbox.
const NEEDS_NO_SANDBOX = `case " $* " in *" --no-sandbox "*) echo drawn; exit 0;; esac\n` +
  `echo "[1:1:ERROR:gpu_init.cc] no GPU" >&2\n` +
  `echo "[1:1:FATAL:zygote_host_impl_linux.cc] No usable sandbox!" >&2; exit 1`;

Deno.test("findUser: only the entry of exactly that login, not one it begins", () => {
  // Found by mutation round LE (LE40).
  const passwd = "demure-browser-old:x:1001:1001::/nonexistent:/usr/sbin/nologin\n" +
    "demure-browser:x:999:995::/nonexistent:/usr/sbin/nologin\n";
  assertEquals(findUser(passwd, "demure-browser"), { name: "demure-browser", uid: 999, gid: 995 });
  assertEquals(findUser(passwd, "demure"), null);
});

Deno.test("findChromium: a device or other non-file is no browser", () => {
  // Found by mutation round LE (LE49): only "not a folder" was pinned.
  assertEquals(findChromium("/dev/null"), null);
});

Deno.test("findChromium: an executable given wins over $DEMURE_CHROMIUM, which wins over the default", () =>
  inTempDir("chromium-le-gaps-", async (dir) => {
    // Found by mutation round LE (LE41). In processes of their own: the setting is read from
    // the environment.
    const given = await standIn(dir, "exit 0");
    const found = await evalWith(
      `console.log(chromium.findChromium(${JSON.stringify(given)}));\n` +
        "console.log(chromium.findChromium());",
      { DEMURE_CHROMIUM: "/bin/sh" },
    );
    assertEquals([found.code, found.stdout], [0, `${given}\n/bin/sh\n`], found.stderr);
  }));

Deno.test("chromiumExecutable: no Chromium names the path looked at, and where it came from", () =>
  inTempDir("chromium-le-gaps-", async (dir) => {
    // Found by mutation round LE (LE50): it always named /usr/bin/chromium, also when the path
    // looked at was ChromiumConfig.executable's or $DEMURE_CHROMIUM's.
    const missing = `${dir}/absent`;
    assertEquals(
      assertThrows(() => chromiumExecutable({ executable: missing })).message,
      `runHeadlessChromium: no Chromium at ${missing} (ChromiumConfig.executable)`,
    );
    const fromEnv = await evalWith(
      "try { chromium.chromiumExecutable(); } catch (e) { console.log(e.message); }",
      { DEMURE_CHROMIUM: missing },
    );
    assertEquals(
      [fromEnv.code, fromEnv.stdout],
      [0, `runHeadlessChromium: no Chromium at ${missing} ($DEMURE_CHROMIUM)\n`],
      fromEnv.stderr,
    );
  }));

Deno.test("runHeadlessChromium: a height below 1 and a two-character string as the size are SettingErrors", () =>
  inTempDir("chromium-le-gaps-", async (dir) => {
    // Found by mutation round LE (LE45, LE48): "ab" has two entries too.
    const chromium = await standIn(dir, "exit 0");
    const launch: ChromiumLaunch = { command: chromium, prefixArgs: [], sandbox: true, user: null };
    const cases: [Record<string, unknown>, string][] = [
      [{ windowSize: [800, 0] }, "ChromiumConfig.windowSize[1] (height) is 0"],
      [{ windowSize: "ab" }, 'ChromiumConfig.windowSize is "ab"; allowed: [width, height]'],
    ];
    for (const [config, message] of cases) {
      await assertRejects(() => runHeadlessChromium([], config, launch), SettingError, message);
    }
    assertEquals(
      await Deno.stat(`${dir}/runs.log`).then(() => true, () => false),
      false,
      "Chromium was started",
    );
  }));

Deno.test("runHeadlessChromium: the retry without the sandbox runs the same launch (setpriv and its ids) with --no-sandbox", () =>
  inTempDir("chromium-le-gaps-", async (dir) => {
    // Found by mutation round LE (LE43). The stand-in plays setpriv: the ids, then the browser.
    const setpriv = await standIn(dir, NEEDS_NO_SANDBOX);
    const prefixArgs = ["--reuid=4242", "--regid=4242", "--clear-groups", "--", `${dir}/browser`];
    const user = { name: "demure-browser", uid: Deno.uid() ?? 0, gid: Deno.gid() ?? 0 };
    const run = await runHeadlessChromium(["--dump-dom"], {}, {
      command: setpriv,
      prefixArgs,
      sandbox: true,
      user,
    });
    const [first, second] = await runsOf(dir);
    assertEquals([first.slice(0, 5), second?.slice(0, 5)], [prefixArgs, prefixArgs]);
    assertEquals([first.includes("--no-sandbox"), second.includes("--no-sandbox")], [false, true]);
    assertEquals([run.code, run.stdout, run.sandbox], [0, "drawn\n", false]);
  }));

Deno.test("runHeadlessChromium: the warning of a retry names the line about the sandbox, not the log's first", () =>
  inTempDir("chromium-le-gaps-", async (dir) => {
    // Found by mutation round LE (LE42). In a process of its own: the warning is said once.
    const chromium = await standIn(dir, NEEDS_NO_SANDBOX);
    const launch = { command: chromium, prefixArgs: [], sandbox: true, user: null };
    const result = await evalWith(
      `const run = await chromium.runHeadlessChromium([], {}, ${JSON.stringify(launch)});\n` +
        "console.log(run.code);",
      {},
    );
    assertEquals([result.code, result.stdout], [0, "0\n"], result.stderr);
    assert(
      result.stderr.includes(
        "headless Chromium: the sandbox is unavailable here " +
          "([1:1:FATAL:zygote_host_impl_linux.cc] No usable sandbox!); running without it",
      ),
      result.stderr,
    );
  }));
