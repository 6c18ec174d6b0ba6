/**
 * The headless runs against a stand-in Chromium (a shell script that logs its arguments and does
 * what each case asks), so that what the browser path does around Chromium is checked without a
 * browser: the sandbox retry, the isolation flags, the profile and work folders removed, what
 * figureToPng refuses and where it writes, and how checkRenderedHtml reads a run.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import {
  browserEnv,
  type ChromiumLaunch,
  findChromium,
  makeBrowserDir,
  runHeadlessChromium,
} from "../../lib/viz/chromium.ts";
import { checkRenderedHtml } from "../../lib/viz/check_rendered_html.ts";
import { figureToPng } from "../../lib/viz/mod.ts";
import type { Figure, FigurePngOptions } from "../../lib/viz/mod.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { inTempDir } from "./_temp_dir.ts";
import { SettingError } from "../../lib/util/settings.ts";

/** A stand-in Chromium in `dir`: each run logs its arguments and HOME, then runs `body` (sh). */
async function standIn(dir: string, body: string): Promise<string> {
  const executable = `${dir}/chromium`;
  await Deno.writeTextFile(
    executable,
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> ${dir}/runs.log; done\n` +
      `printf 'HOME=%s\\n---\\n' "$HOME" >> ${dir}/runs.log\n${body}\n`,
  );
  await Deno.chmod(executable, 0o755);
  return executable;
}

/** Each logged run's arguments (and its `HOME=` line). */
async function runsOf(dir: string): Promise<string[][]> {
  const log = await Deno.readTextFile(`${dir}/runs.log`);
  return log.split("---\n").filter((run) => run !== "").map((run) => run.trimEnd().split("\n"));
}

/** The value of `--name=value` in a run's arguments. */
function flag(run: string[], name: string): string | undefined {
  return run.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** A launch of the stand-in as this process's user, with the sandbox on or off. */
function launchOf(command: string, sandbox: boolean): ChromiumLaunch {
  return { command, prefixArgs: [], sandbox, user: null };
}

/** A fresh folder for the stand-in, its log and what a case writes. */
function inStandInDir(fn: (dir: string) => Promise<void>): Promise<void> {
  return inTempDir("chromium-stand-in-", fn);
}

// Says "no usable sandbox" unless started with --no-sandbox.
const NEEDS_NO_SANDBOX = `case " $* " in *" --no-sandbox "*) echo drawn; exit 0;; esac\n` +
  `echo "[1:1:FATAL:zygote_host_impl_linux.cc] No usable sandbox!" >&2; exit 1`;

Deno.test("runHeadlessChromium: only a start refused for want of a sandbox is retried, once, without it", async () => {
  await inStandInDir(async (dir) => {
    const retried = await runHeadlessChromium(
      ["--dump-dom"],
      {},
      launchOf(await standIn(dir, NEEDS_NO_SANDBOX), true),
    );
    const [first, second] = await runsOf(dir);
    assertEquals(first.includes("--no-sandbox"), false);
    assertEquals(second?.includes("--no-sandbox"), true);
    assertEquals([retried.code, retried.stdout, retried.sandbox], [0, "drawn\n", false]);
  });
  // Any other failure is Chromium's answer, not a reason to drop the sandbox.
  await inStandInDir(async (dir) => {
    const failed = await runHeadlessChromium(
      ["--dump-dom"],
      {},
      launchOf(await standIn(dir, `echo "page crashed" >&2; exit 3`), true),
    );
    assertEquals([(await runsOf(dir)).length, failed.code, failed.sandbox], [1, 3, true]);
  });
  // A run that succeeded stands, whatever its log says about the sandbox.
  await inStandInDir(async (dir) => {
    const body = `echo "sandbox: namespaces in use" >&2; echo drawn; exit 0`;
    const run = await runHeadlessChromium(
      ["--dump-dom"],
      {},
      launchOf(await standIn(dir, body), true),
    );
    assertEquals([(await runsOf(dir)).length, run.code, run.sandbox], [1, 0, true]);
  });
});

Deno.test("runHeadlessChromium: a run of its own profile (HOME inside it), removed afterwards, no host names", async () => {
  await inStandInDir(async (dir) => {
    await runHeadlessChromium(
      ["--dump-dom", "file:///page.html"],
      { windowSize: [640, 480] },
      launchOf(await standIn(dir, NEEDS_NO_SANDBOX), true),
    );
    const runs = await runsOf(dir);
    assertEquals(runs.length, 2);
    const profiles = runs.map((run) => flag(run, "user-data-dir")!);
    assert(profiles[0] !== profiles[1], "each run gets a fresh profile");
    for (const [index, run] of runs.entries()) {
      assertEquals(run.at(-1), `HOME=${profiles[index]}`);
      assertEquals(pathExists(profiles[index]), false, `profile ${profiles[index]} left`);
      for (const expected of ["--headless", "--host-resolver-rules=MAP * ~NOTFOUND"]) {
        assert(run.includes(expected), `${expected} missing from ${run}`);
      }
      assertEquals(flag(run, "window-size"), "640,480");
      assertEquals(flag(run, "virtual-time-budget"), "30000");
      assertEquals(run.at(-2), "file:///page.html", "the caller's arguments come last");
    }
  });
});

Deno.test("findChromium: a folder is no browser", async () => {
  await inStandInDir(async (dir) => {
    assertEquals(findChromium(dir), null);
    assertEquals(findChromium(`${dir}/absent`), null);
    const executable = await standIn(dir, "exit 0");
    assertEquals(findChromium(executable), executable);
  });
});

Deno.test({
  name: "makeBrowserDir: as root the folder is handed to the browser user",
  ignore: Deno.uid() !== 0,
  async fn() {
    const user = { name: "nobody", uid: 65534, gid: 65534 };
    const dir = await makeBrowserDir("make-browser-dir-test-", { ...launchOf("/c", true), user });
    try {
      const info = await Deno.stat(dir);
      assertEquals([info.uid, info.gid], [65534, 65534]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "chromiumLaunch: as root, $DEMURE_CHROMIUM_USER names the browser user",
  ignore: Deno.uid() !== 0,
  async fn() {
    // In a process of its own: the user is looked up once per process, and deno test --parallel
    // runs every test module in one process.
    const module = new URL("../../lib/viz/chromium.ts", import.meta.url).href;
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { chromiumLaunch } from "${module}";` +
        `console.log(JSON.stringify(chromiumLaunch("/bin/sh")));`,
      ],
      env: { DEMURE_CHROMIUM_USER: "no-such-user-t36" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const launch = JSON.parse(new TextDecoder().decode(output.stdout)) as ChromiumLaunch;
    assertEquals([launch.command, launch.sandbox], ["/bin/sh", false]);
    assertStringIncludes(launch.reason ?? "", 'no user "no-such-user-t36"');
  },
});

const bars: Figure = { data: [{ type: "bar", x: ["a"], y: [1] }], layout: { height: 200 } };

/** Keeps the page it was given (beside the log) and writes `shot` as its screenshot. */
function screenshotBody(dir: string, shot: string): string {
  return `for a in "$@"; do case "$a" in\n` +
    `  --screenshot=*) ${shot} > "\${a#--screenshot=}";;\n` +
    `  file://*) cp "\${a#file://}" ${dir}/page.html;;\n` +
    `esac; done`;
}

/** A PNG's signature, then "rest", then the IEND chunk every whole PNG ends with. */
const PNG_BYTES = String.raw`printf '\211PNG\r\n\032\nrest\000\000\000\000IEND\256B\140\202'`;

Deno.test("figureToPng: the page is sized to the image and static; a PNG goes to a new folder", async () => {
  await inStandInDir(async (dir) => {
    const executable = await standIn(dir, screenshotBody(dir, PNG_BYTES));
    const path = `${dir}/new/folder/bars.png`;
    await figureToPng(bars, path, {
      width: 400,
      height: 300,
      chromium: { executable, sandbox: false },
    });
    const bytes = await Deno.readFile(path);
    assertEquals(new TextDecoder().decode(bytes.subarray(8, 12)), "rest");
    assertEquals([...Deno.readDirSync(`${dir}/new/folder`)].map((entry) => entry.name), [
      "bars.png",
    ]);
    const [run] = await runsOf(dir);
    assertEquals(flag(run, "force-device-scale-factor"), "2", "sharp by default");
    assertEquals(flag(run, "window-size"), "400,300");
    const page = await Deno.readTextFile(`${dir}/page.html`);
    // The figure's own height (200) gives way to the image's, or the plot would not fill it.
    assertStringIncludes(page, 'style="width:400px;height:300px;"');
    assertStringIncludes(page, '"staticPlot":true');
    // The folder the page and screenshot were in is gone.
    assertEquals(pathExists(flag(run, "screenshot")!.replace(/\/[^/]*$/, "")), false);
  });
});

Deno.test("figureToPng: the window is the image's size; a Chromium windowSize is refused, not applied", async () => {
  // A chromium.windowSize (for checkRenderedHtml's pages) must not resize the screenshot: the
  // page is laid out at the image's size, a larger window would add white margins.
  // Found by mutation round JN (JN06: the settings' windowSize spread after the image's won).
  // Since session 51 such a windowSize is refused by name rather than silently dropped
  // (tests/layout/options_values_api51_test.ts), and Chromium does not start.
  await inStandInDir(async (dir) => {
    const executable = await standIn(dir, screenshotBody(dir, PNG_BYTES));
    await assertRejects(() =>
      figureToPng(bars, `${dir}/bars.png`, {
        width: 400,
        height: 300,
        chromium: { executable, sandbox: false, windowSize: [1200, 900] },
      })
    );
    assertEquals(pathExists(`${dir}/runs.log`), false);
    await figureToPng(bars, `${dir}/bars.png`, {
      width: 400,
      height: 300,
      chromium: { executable, sandbox: false },
    });
    assertEquals(flag((await runsOf(dir))[0], "window-size"), "400,300");
  });
});

Deno.test("figureToPng: a scale, width or height out of range is a SettingError naming it, before Chromium starts", async () => {
  // A scale of NaN went into `--force-device-scale-factor=NaN`: Chromium took its default (1) and
  // the README image came out at half the size asked, reported as written. A width of NaN was
  // refused as "ChromiumConfig.windowSize[0]", a setting the caller never gave.
  // Found by mutation round JN (JN34).
  const cases: [FigurePngOptions, string][] = [
    [{ scale: NaN }, "FigurePngOptions.scale is NaN"],
    [{ scale: 0 }, "FigurePngOptions.scale is 0"],
    [{ scale: -2 }, "FigurePngOptions.scale is -2"],
    [{ width: NaN }, "FigurePngOptions.width is NaN"],
    [{ width: 0 }, "FigurePngOptions.width is 0"],
    [{ height: 10.5 }, "FigurePngOptions.height is 10.5"],
  ];
  for (const [options, message] of cases) {
    await inStandInDir(async (dir) => {
      const executable = await standIn(dir, screenshotBody(dir, PNG_BYTES));
      const path = `${dir}/out/bars.png`;
      const error = await assertRejects(
        () => figureToPng(bars, path, { ...options, chromium: { executable, sandbox: false } }),
        SettingError,
        message,
      );
      assertStringIncludes(error.message, "allowed:");
      assertEquals(pathExists(`${dir}/runs.log`), false, "Chromium did not start");
      assertEquals(pathExists(`${dir}/out`), false, "nothing written");
    });
  }
  // A fractional scale is a device pixel ratio like any other.
  await inStandInDir(async (dir) => {
    const executable = await standIn(dir, screenshotBody(dir, PNG_BYTES));
    await figureToPng(bars, `${dir}/bars.png`, {
      scale: 1.5,
      chromium: { executable, sandbox: false },
    });
    assertEquals(flag((await runsOf(dir))[0], "force-device-scale-factor"), "1.5");
  });
});

Deno.test("figureToPng: an image it cannot put at the path leaves no temporary file beside it", async () => {
  // The path is a folder: the rename fails, and the checked PNG stayed beside it as
  // "<path>.<pid>.tmp", a file written where none was asked for. Found by mutation round JN (JN35).
  await inStandInDir(async (dir) => {
    const executable = await standIn(dir, screenshotBody(dir, PNG_BYTES));
    const path = `${dir}/out/bars.png`;
    await Deno.mkdir(path, { recursive: true });
    await assertRejects(() =>
      figureToPng(bars, path, { chromium: { executable, sandbox: false } })
    );
    assertEquals([...Deno.readDirSync(`${dir}/out`)].map((entry) => entry.name), ["bars.png"]);
    assertEquals([...Deno.readDirSync(path)], [], "nothing written into the folder");
  });
});

Deno.test("figureToPng: a trace type outside the default bundle gets the full plotly.js", async () => {
  await inStandInDir(async (dir) => {
    const executable = await standIn(dir, screenshotBody(dir, PNG_BYTES));
    const surface = { data: [{ type: "surface", z: [[1]] }], layout: {} } as unknown as Figure;
    await figureToPng(surface, `${dir}/surface.png`, { chromium: { executable, sandbox: false } });
    // The full bundle is about 10 MB, the default (cartesian) one 1.5 MB.
    const { size } = await Deno.stat(`${dir}/page.html`);
    assert(size > 5_000_000, `page of ${size} bytes: the cartesian bundle cannot draw a surface`);
    assertEquals(flag((await runsOf(dir))[0], "window-size"), "1000,600", "the default size");
  });
});

Deno.test("figureToPng: no screenshot or one that is not a PNG is refused, naming the file; nothing written", async () => {
  await inStandInDir(async (dir) => {
    const path = `${dir}/out/bars.png`;
    const notPng = await standIn(dir, screenshotBody(dir, "printf 'GIF89a'"));
    await assertRejects(
      () => figureToPng(bars, path, { chromium: { executable: notPng, sandbox: false } }),
      Error,
      `Chromium's output for ${path} is not a PNG`,
    );
    assertEquals(pathExists(`${dir}/out`), false, "nothing written for a refused image");
    const [run] = await runsOf(dir);
    assertEquals(pathExists(flag(run, "screenshot")!.replace(/\/[^/]*$/, "")), false);
  });
  await inStandInDir(async (dir) => {
    const crashed = await standIn(dir, `echo "GPU process crashed" >&2; exit 3`);
    await assertRejects(
      () =>
        figureToPng(bars, `${dir}/bars.png`, { chromium: { executable: crashed, sandbox: false } }),
      Error,
      `Chromium wrote no screenshot for ${dir}/bars.png (exit 3): GPU process crashed`,
    );
    const [run] = await runsOf(dir);
    assertEquals(pathExists(flag(run, "screenshot")!.replace(/\/[^/]*$/, "")), false);
  });
});

Deno.test("figureToPng: a truncated or altered PNG signature is refused; the scale asked is used", async () => {
  // All 8 signature bytes are checked: a screenshot cut short after "\x89PNG", or one whose last
  // signature byte is wrong, is no PNG.
  for (const shot of [String.raw`printf '\211PNG'`, String.raw`printf '\211PNG\r\n\032X'`]) {
    await inStandInDir(async (dir) => {
      const executable = await standIn(dir, screenshotBody(dir, shot));
      const path = `${dir}/bars.png`;
      await assertRejects(
        () => figureToPng(bars, path, { scale: 1, chromium: { executable, sandbox: false } }),
        Error,
        `Chromium's output for ${path} is not a PNG`,
      );
      assertEquals(pathExists(path), false);
      assertEquals(flag((await runsOf(dir))[0], "force-device-scale-factor"), "1");
    });
  }
});

Deno.test("figureToPng: a screenshot cut short after its signature is refused; nothing written", async () => {
  // A PNG ends with its IEND chunk: a file cut short (a crash while writing) passed the signature
  // check and was written as the figure. Found by mutation round JN (JN37).
  const shots = [
    String.raw`printf '\211PNG\r\n\032\nrest'`,
    String.raw`printf '\211PNG\r\n\032\nrest\000\000\000\000IEND\256B\140'`,
  ];
  for (const shot of shots) {
    await inStandInDir(async (dir) => {
      const executable = await standIn(dir, screenshotBody(dir, shot));
      const path = `${dir}/out/bars.png`;
      await assertRejects(
        () => figureToPng(bars, path, { chromium: { executable, sandbox: false } }),
        Error,
        `Chromium's output for ${path} is not a whole PNG (no IEND chunk at its end)`,
      );
      assertEquals(pathExists(`${dir}/out`), false);
    });
  }
});

Deno.test("figureToPng: a crash names the end of Chromium's log, where its fatal line is", async () => {
  await inStandInDir(async (dir) => {
    const body =
      `i=0; while [ $i -lt 100 ]; do echo "[warning] noise line $i of the start-up log" >&2; ` +
      `i=$((i+1)); done; echo "FATAL: the real reason" >&2; exit 3`;
    const executable = await standIn(dir, body);
    const error = await assertRejects(
      () => figureToPng(bars, `${dir}/bars.png`, { chromium: { executable, sandbox: false } }),
      Error,
      "FATAL: the real reason",
    );
    // Bounded: the last 2000 characters of a long log, not all of it.
    assert(error.message.length < 2300, `${error.message.length} characters`);
  });
});

Deno.test("figureToPng: a bare file name is written in the working folder", async () => {
  // In a process of its own: the working folder is the whole process's, and deno test --parallel
  // runs every test module in one process.
  await inStandInDir(async (dir) => {
    const executable = await standIn(dir, screenshotBody(dir, PNG_BYTES));
    const module = new URL("../../lib/viz/figure_png.ts", import.meta.url).href;
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { figureToPng } from "${module}";` +
        `await figureToPng({ data: [], layout: {} }, "bare.png", ` +
        `{ chromium: { executable: ${JSON.stringify(executable)}, sandbox: false } });`,
      ],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
    const bytes = await Deno.readFile(`${dir}/bare.png`);
    assertEquals(new TextDecoder().decode(bytes.subarray(8, 12)), "rest");
    // No folder made from the name: beside it only what the stand-in keeps.
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name).sort(), [
      "bare.png",
      "chromium",
      "page.html",
      "runs.log",
    ]);
  });
});

Deno.test("figureToPng: the image replaces the file at the path, renamed over it, not written into it", async () => {
  // Written to a temporary file and renamed over `path`, so that no reader sees half an image: a
  // hard link to the old image still holds the old one, and no temporary file is left.
  await inStandInDir(async (dir) => {
    const executable = await standIn(dir, screenshotBody(dir, PNG_BYTES));
    const path = `${dir}/bars.png`;
    await Deno.writeTextFile(path, "old image");
    await Deno.link(path, `${dir}/old.png`);
    await figureToPng(bars, path, { chromium: { executable, sandbox: false } });
    assertEquals(await Deno.readTextFile(`${dir}/old.png`), "old image");
    assertEquals(new TextDecoder().decode((await Deno.readFile(path)).subarray(8, 12)), "rest");
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name).sort(), [
      "bars.png",
      "chromium",
      "old.png",
      "page.html",
      "runs.log",
    ]);
  });
});

/** Prints `dom` as the dumped page, writes `events` as the net log and `stderr` to stderr. */
function checkBody(dom: string, events: string, stderr = ""): string {
  const netLog = `{"constants":{"logEventTypes":{"URL_REQUEST_START_JOB":7}},"events":[${events}]}`;
  return `for a in "$@"; do case "$a" in\n` +
    `  --log-net-log=*) printf '%s' '${netLog}' > "\${a#--log-net-log=}";;\n` +
    `esac; done\nprintf '%s' '${dom}'\nprintf '%s\\n' '${stderr}' >&2`;
}

const DRAWN = '<div class="demure-plot" id="f"><svg class="main-svg"></svg></div>';

Deno.test("checkRenderedHtml: a page at exactly the size limit passes; its work folder goes", async () => {
  await inStandInDir(async (dir) => {
    const page = `${dir}/page.html`;
    await Deno.writeTextFile(page, '<div class="demure-plot" id="f"></div>');
    const executable = await standIn(dir, checkBody(DRAWN, ""));
    const { size } = await Deno.stat(page);
    const report = await checkRenderedHtml(page, { executable, sandbox: false }, size);
    assertEquals([report.expectedFigures, report.renderedFigures, report.ok], [1, 1, true]);
    const byDefault = await checkRenderedHtml(page, { executable, sandbox: false });
    assertEquals(byDefault.maxBytes, 5_000_000, "small enough to mail");
    const [run] = await runsOf(dir);
    assertEquals(pathExists(flag(run, "log-net-log")!.replace(/\/[^/]*$/, "")), false);
  });
});

Deno.test("checkRenderedHtml: a size limit that is no whole number >= 1 is a SettingError, before any browser", async () => {
  // NaN failed every page and Infinity turned the size check off, both without a word.
  for (const maxBytes of [NaN, Infinity, 0, 2.5]) {
    const error = await assertRejects(
      () => checkRenderedHtml("/nonexistent/page.html", { executable: "/nonexistent" }, maxBytes),
      SettingError,
    );
    assertStringIncludes(error.message, "checkRenderedHtml maxBytes");
  }
});

Deno.test("checkRenderedHtml: a script error, a page request or a resource added by a script fails the page", async () => {
  const cases: [
    string,
    string,
    string,
    (report: Awaited<ReturnType<typeof checkRenderedHtml>>) => void,
  ][] = [
    [
      DRAWN,
      "",
      '[1205/225532.1:INFO:CONSOLE(3)] "Uncaught TypeError: x is not a function", source: file:///p.html (3)',
      (report) =>
        assertEquals(report.scriptErrors, [
          "Uncaught TypeError: x is not a function at file:///p.html (3)",
        ]),
    ],
    [
      DRAWN,
      '{"type":7,"params":{"url":"https://cdn.example.org/x.js","initiator":"null"}}',
      "",
      (report) => assertEquals(report.networkRequests, ["https://cdn.example.org/x.js"]),
    ],
    [
      `${DRAWN}<img src="https://img.example.org/p.png">`,
      "",
      "",
      (report) => assertEquals(report.externalReferences, ["https://img.example.org/p.png"]),
    ],
  ];
  for (const [dom, events, stderr, check] of cases) {
    await inStandInDir(async (dir) => {
      const page = `${dir}/page.html`;
      await Deno.writeTextFile(page, '<div class="demure-plot" id="f"></div>');
      const executable = await standIn(dir, checkBody(dom, events, stderr));
      const report = await checkRenderedHtml(page, { executable, sandbox: false });
      check(report);
      assertEquals([report.renderedFigures, report.ok], [1, false]);
    });
  }
});

Deno.test("checkRenderedHtml: a run that printed no page is an error naming the page; its folder goes", async () => {
  await inStandInDir(async (dir) => {
    const page = `${dir}/page.html`;
    await Deno.writeTextFile(page, "<p>x</p>");
    const executable = await standIn(dir, `echo "renderer gone" >&2; exit 0`);
    await assertRejects(
      () => checkRenderedHtml(page, { executable, sandbox: false }),
      Error,
      `Chromium failed on ${page} (exit 0): renderer gone`,
    );
    const [run] = await runsOf(dir);
    assertEquals(pathExists(flag(run, "log-net-log")!.replace(/\/[^/]*$/, "")), false);
  });
});

Deno.test("checkRenderedHtml: the figures expected are the source's; one a script removed is not drawn", async () => {
  await inStandInDir(async (dir) => {
    const page = `${dir}/page.html`;
    const figures = '<div class="demure-plot" id="a"></div><div class="demure-plot" id="b"></div>';
    await Deno.writeTextFile(page, figures);
    const executable = await standIn(dir, checkBody(DRAWN, ""));
    const report = await checkRenderedHtml(page, { executable, sandbox: false });
    assertEquals([report.expectedFigures, report.renderedFigures, report.ok], [2, 1, false]);
  });
});

Deno.test("runHeadlessChromium: a run past timeoutMs is killed and fails, naming the limit; its profile goes", async () => {
  await inStandInDir(async (dir) => {
    // A page whose script never yields keeps Chromium running whatever its virtual time budget.
    const hung = await standIn(dir, "echo loading >&2; exec sleep 20");
    const run = runHeadlessChromium(["--dump-dom"], { timeoutMs: 300 }, launchOf(hung, true));
    // Killed, not waited for: it ends long before the stand-in would end by itself (20 s).
    let waiting: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<string>((resolve) => {
      waiting = setTimeout(() => resolve("still running after 10 s"), 10_000);
    });
    const ended = await Promise.race([run.then(() => "resolved", (error: Error) => error), waited]);
    clearTimeout(waiting);
    await run.catch(() => {});
    assert(ended instanceof Error, String(ended));
    assertStringIncludes(
      ended.message,
      "Chromium ran past 300 ms (ChromiumConfig.timeoutMs) and was killed: loading",
    );
    const [logged] = await runsOf(dir);
    assertEquals(pathExists(flag(logged, "user-data-dir")!), false);
  });
  // figureToPng names the image it was making.
  await inStandInDir(async (dir) => {
    const hung = await standIn(dir, "exec sleep 20");
    const path = `${dir}/bars.png`;
    const error = await assertRejects(
      () =>
        figureToPng(bars, path, { chromium: { executable: hung, sandbox: false, timeoutMs: 300 } }),
      Error,
      `figureToPng: ${path}: runHeadlessChromium: Chromium ran past 300 ms`,
    );
    // Chromium's own error stays its cause (its stack points into the run, not here).
    // Found by mutation round JN (JN36).
    assert(error.cause instanceof Error, "the run's error is the cause");
    assertStringIncludes(error.cause.message, "runHeadlessChromium: Chromium ran past 300 ms");
    assert(!error.cause.message.startsWith("figureToPng"));
  });
  for (const timeoutMs of [0, -1, NaN, 2 ** 31]) {
    await assertRejects(
      () => runHeadlessChromium([], { timeoutMs }, launchOf("/bin/true", true)),
      SettingError,
      "ChromiumConfig.timeoutMs",
    );
  }
});

Deno.test("runHeadlessChromium: a budget, size, sandbox or name out of range is a SettingError before Chromium starts", async () => {
  await inStandInDir(async (dir) => {
    const chromium = await standIn(dir, "echo ran");
    // Each went into Chromium's flags as it was (`--window-size=b,i` for "big"), or, for the
    // sandbox and a misspelt name, ran at the default.
    const cases: [Record<string, unknown>, string][] = [
      [
        { virtualTimeBudgetMs: -5 },
        "ChromiumConfig.virtualTimeBudgetMs is -5; allowed: an integer",
      ],
      [{ virtualTimeBudgetMs: NaN }, "ChromiumConfig.virtualTimeBudgetMs is NaN"],
      [{ virtualTimeBudgetMs: 2.5 }, "ChromiumConfig.virtualTimeBudgetMs is 2.5"],
      [{ windowSize: "big" }, 'ChromiumConfig.windowSize is "big"; allowed: [width, height]'],
      [{ windowSize: [800] }, "ChromiumConfig.windowSize is [800]"],
      [{ windowSize: [0, 600] }, "ChromiumConfig.windowSize[0] (width) is 0"],
      [{ windowSize: [800, 1.5] }, "ChromiumConfig.windowSize[1] (height) is 1.5"],
      [{ sandbox: "no" }, 'ChromiumConfig.sandbox is "no"; allowed: true or false'],
      [{ timeoutMS: 10 }, "ChromiumConfig.timeoutMS is 10; allowed: one of the settings"],
      // Found by mutation round XX (XX15, XX16, XX17): the edges of the ranges.
      [{ virtualTimeBudgetMs: 0 }, "ChromiumConfig.virtualTimeBudgetMs is 0"],
      [{ virtualTimeBudgetMs: 2 ** 31 }, "ChromiumConfig.virtualTimeBudgetMs is 2147483648"],
      [
        { windowSize: [800, 600, 1] },
        "ChromiumConfig.windowSize is [800, 600, 1]; allowed: [width, height]",
      ],
    ];
    for (const [config, message] of cases) {
      await assertRejects(
        () => runHeadlessChromium([], config, launchOf(chromium, true)),
        SettingError,
        message,
      );
    }
    assertEquals(await pathExists(`${dir}/runs.log`), false, "Chromium was started");
  });
});

Deno.test("runHeadlessChromium: by default 1200x900, a 30 s budget and every isolation flag", async () => {
  // Found by mutation round XX (XX22, XX23): only --headless and the host rules were pinned, so a
  // dropped --disable-background-networking (Chromium phoning home) went unnoticed.
  await inStandInDir(async (dir) => {
    await runHeadlessChromium(["--dump-dom"], {}, launchOf(await standIn(dir, "exit 0"), true));
    const [run] = await runsOf(dir);
    for (
      const expected of [
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND",
      ]
    ) {
      assert(run.includes(expected), `${expected} missing from ${run}`);
    }
    assertEquals(run.includes("--no-sandbox"), false);
    assertEquals([flag(run, "window-size"), flag(run, "virtual-time-budget")], [
      "1200,900",
      "30000",
    ]);
  });
});

Deno.test("runHeadlessChromium: a run already without the sandbox is not retried; any capitalisation of 'sandbox' is", async () => {
  // Found by mutation round XX (XX18, XX20).
  await inStandInDir(async (dir) => {
    const body = `echo "[1:1:FATAL:zygote_host_impl_linux.cc] No usable sandbox!" >&2; exit 1`;
    const run = await runHeadlessChromium([], {}, launchOf(await standIn(dir, body), false));
    assertEquals([(await runsOf(dir)).length, run.code, run.sandbox], [1, 1, false]);
  });
  await inStandInDir(async (dir) => {
    const body = `case " $* " in *" --no-sandbox "*) exit 0;; esac\n` +
      `echo "Sandbox: clone failed: Operation not permitted" >&2; exit 1`;
    const run = await runHeadlessChromium([], {}, launchOf(await standIn(dir, body), true));
    assertEquals([(await runsOf(dir)).length, run.code, run.sandbox], [2, 0, false]);
  });
});

Deno.test("runHeadlessChromium: a killed run's error ends with the end of what Chromium printed", async () => {
  // Found by mutation round XX (XX25): the last 2000 characters say why it hung, not the first.
  await inStandInDir(async (dir) => {
    const body = `head -c 3000 /dev/zero | tr '\\0' x >&2; echo " last-words" >&2; exec sleep 20`;
    const hung = await standIn(dir, body);
    const error = await assertRejects(
      // 3 s: the stand-in must have printed before the kill, also on a loaded machine.
      () => runHeadlessChromium([], { timeoutMs: 3000 }, launchOf(hung, true)),
      Error,
      "and was killed: xxx",
    );
    assert(error.message.endsWith("x last-words\n"), error.message.slice(-80));
    assert(error.message.length < 2200, `${error.message.length} characters`);
  });
});

Deno.test("browserEnv: home, config, cache and temporary files each inside the profile, apart", () => {
  // Found by mutation round XX (XX09). TMPDIR: Chromium's /tmp/org.chromium.* folders.
  assertEquals(browserEnv("/p"), {
    HOME: "/p",
    XDG_CONFIG_HOME: "/p/.config",
    XDG_CACHE_HOME: "/p/.cache",
    TMPDIR: "/p",
  });
});

/** `chromiumLaunch("/bin/sh", sandbox)` twice in a process of its own, with `env`. */
async function launchInOwnProcess(
  env: Record<string, string>,
  sandbox?: boolean,
): Promise<{ launch: ChromiumLaunch; stderr: string }> {
  const module = new URL("../../lib/viz/chromium.ts", import.meta.url).href;
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { chromiumLaunch } from "${module}";` +
      `chromiumLaunch("/bin/sh", ${sandbox});` +
      `console.log(JSON.stringify(chromiumLaunch("/bin/sh", ${sandbox})));`,
    ],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    launch: JSON.parse(decoder.decode(output.stdout)) as ChromiumLaunch,
    stderr: decoder.decode(output.stderr),
  };
}

Deno.test("chromiumLaunch: the reason the sandbox is off is said once per process", async () => {
  // Found by mutation round XX (XX10): each figure of a report repeated it.
  const { launch, stderr } = await launchInOwnProcess({}, false);
  assertEquals(launch.sandbox, false);
  assertEquals(stderr.match(/without its sandbox/g)?.length, 1, stderr);
});

Deno.test({
  name: "chromiumLaunch: as root, an empty $DEMURE_CHROMIUM_USER counts as unset",
  ignore: Deno.uid() !== 0,
  async fn() {
    // Found by mutation round XX (XX07): "" was looked up as a user name, found nowhere, and
    // Chromium ran without its sandbox.
    const empty = await launchInOwnProcess({ DEMURE_CHROMIUM_USER: "" });
    const unset = await launchInOwnProcess({});
    assertEquals(empty.launch, unset.launch);
  },
});

Deno.test("checkRenderedHtml: a run that exits non-zero fails even with a page printed; the error keeps stderr's end", async () => {
  await inStandInDir(async (dir) => {
    const page = `${dir}/page.html`;
    await Deno.writeTextFile(page, '<div class="demure-plot" id="f"></div>');
    // 3000 characters of noise, then the line that says what went wrong: the message keeps the end.
    const executable = await standIn(
      dir,
      `printf '%s' '${DRAWN}'\nhead -c 3000 /dev/zero | tr '\\0' x >&2\necho " renderer crashed" >&2\nexit 3`,
    );
    const prefix = `checkRenderedHtml: Chromium failed on ${page} (exit 3): `;
    const error = await assertRejects(
      () => checkRenderedHtml(page, { executable, sandbox: false }),
      Error,
      `${prefix}xxx`,
    );
    assert(error.message.endsWith("x renderer crashed\n"), error.message.slice(-100));
    assertEquals(error.message.length, prefix.length + 2000);
  });
});

Deno.test("checkRenderedHtml: opens a copy in its work folder; a resource only the source names fails; bytes are the file's", async () => {
  await inStandInDir(async (dir) => {
    const page = `${dir}/page.html`;
    // A script may remove the <link> before the DOM is dumped: the source still asked for it.
    await Deno.writeTextFile(
      page,
      '<div class="demure-plot" id="f"></div><link rel="stylesheet" href="https://css.example.org/a.css"><p>é ±</p>',
    );
    const executable = await standIn(dir, checkBody(DRAWN, ""));
    const report = await checkRenderedHtml(page, { executable, sandbox: false });
    assertEquals(report.externalReferences, ["https://css.example.org/a.css"]);
    assertEquals([report.renderedFigures, report.ok], [1, false]);
    const source = await Deno.readTextFile(page);
    assertEquals(report.bytes, (await Deno.stat(page)).size);
    assertEquals(report.bytes, source.length + 2, "é and ± take two bytes each");
    const [run] = await runsOf(dir);
    const workDir = flag(run, "log-net-log")!.replace(/\/[^/]*$/, "");
    assertEquals(run.filter((arg) => arg.startsWith("file://")), [`file://${workDir}/page.html`]);
  });
});

Deno.test("checkRenderedHtml: a console message that is no uncaught error does not fail the page", async () => {
  await inStandInDir(async (dir) => {
    const page = `${dir}/page.html`;
    await Deno.writeTextFile(page, '<div class="demure-plot" id="f"></div>');
    const log = '[1205/225532.1:INFO:CONSOLE(3)] "figure f drawn", source: file:///p.html (3)';
    const executable = await standIn(dir, checkBody(DRAWN, "", log));
    const report = await checkRenderedHtml(page, { executable, sandbox: false });
    assertEquals([report.scriptErrors, report.ok], [[], true]);
  });
});

Deno.test("checkRenderedHtml: a net log it cannot read the requests of is an error naming the page", async () => {
  await inStandInDir(async (dir) => {
    const page = `${dir}/page.html`;
    await Deno.writeTextFile(page, '<div class="demure-plot" id="f"></div>');
    const netLog = '{"constants":{"logEventTypes":{}},"events":[]}';
    const executable = await standIn(
      dir,
      `for a in "$@"; do case "$a" in\n` +
        `  --log-net-log=*) printf '%s' '${netLog}' > "\${a#--log-net-log=}";;\n` +
        `esac; done\nprintf '%s' '${DRAWN}'`,
    );
    await assertRejects(
      () => checkRenderedHtml(page, { executable, sandbox: false }),
      Error,
      `checkRenderedHtml: ${page}: pageRequestsFromNetLog: the net log's constants.logEventTypes has no`,
    );
    const [run] = await runsOf(dir);
    assertEquals(pathExists(flag(run, "log-net-log")!.replace(/\/[^/]*$/, "")), false);
  });
});
