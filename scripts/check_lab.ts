/// <reference lib="dom" />
// (The callbacks passed to page.evaluate run in the browser page.)
/**
 * The live notebook server, tested the way a person uses it: start `./run.sh lab`'s server (quick
 * mode in its kernels), open `00_smoke.ipynb` in Debian's Chromium driven through the DevTools
 * protocol (`puppeteer-core`, pointed at the system browser; nothing downloads a browser), click
 * Cell → Run All, and check what the page shows:
 *
 * - the kernel shown is "Deno" and it is idle again at the end;
 * - every code cell ran (a number in its prompt), none shows an error, each has an output;
 * - every Plotly figure drew in the live page (an `svg.main-svg` inside each `div.demure-plot`);
 * - the progress line was updated in place: one output that showed several states, the last one
 *   final (a display appended per update, or never updated, fails);
 * - the notebook file on disk is unchanged (autosave is switched off: committed notebooks carry no
 *   outputs).
 *
 * A screenshot of the page goes to `build/lab/00_smoke.png`, the server's log to
 * `build/lab/server.log`. Then the browser and the server are shut down, and the check fails if any
 * process it started (browser, server, kernel) is still running.
 *
 * Stopped by Ctrl-C (SIGINT), SIGTERM (a CI timeout) or SIGHUP (a closed terminal) at any point, it
 * stops what it started: the server (which runs in a session of its own, so the terminal's signal
 * never reaches it) and its kernels, also while the server is still starting; the browser, also
 * while it is starting; its profile folder. Then it prints `check_lab: stopped by SIGTERM before
 * the check finished` (after a `FAIL` line for any process still running) and exits 128 + the
 * signal's number: 130, 143 or 129 (`STOP_SIGNAL_STATUS`, lib/util/stop_signals.ts).
 *
 *   deno task check-lab [--timeout 150]
 */
import { fileURLToPath } from "node:url";
import { integerOption, parseOptions, runScript, ScriptFailure } from "./cli/options.ts";
import { say } from "./cli/say.ts";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { browserEnv, chromiumLaunch, findChromium, makeBrowserDir } from "../lib/viz/mod.ts";
import {
  descendantsOf,
  isAlive,
  type LabPortRange,
  labProblem,
  type LabServer,
  signalIfAlive,
  startLabServer,
} from "../lib/notebook_runner/mod.ts";
import { listenForStopSignals, STOP_SIGNAL_STATUS, within } from "../lib/util/mod.ts";
import { cannotStart, dropRefusedKills, launchFailure } from "./check_lab_launch.ts";
import {
  notebookProblems,
  pageProblems,
  type PageState,
  rerunForSignature,
  shutdownProblems,
} from "./check_lab_problems.ts";

const projectRoot = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
const NOTEBOOK = "00_smoke.ipynb";
/** The label of the smoke notebook's progress line. */
const PROGRESS_LABEL = "toy fit";

/**
 * No GPU, nothing fetched on its own. The sandbox stays on: as root Chromium runs as the browser
 * user (`chromiumLaunch`, lib/viz/chromium.ts).
 */
const CHROMIUM_FLAGS = [
  "--headless",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * What a test changes of a run (tests/notebook_runner/_check_lab_stand_in.ts runs the check on a
 * stand-in Jupyter and Chromium): the server's ports and the folder of the log and screenshot.
 */
export interface CheckLabSetup {
  /** The ports the server may take; default the lab's (`DEFAULT_LAB_PORTS`, 8888-8937). */
  portRange?: LabPortRange;
  /** Where the screenshot and the server's log go; default `build/lab`. */
  buildDir?: string;
}

/** The run's files: the folder, the server's log, the screenshot. */
interface CheckLabFiles {
  build: string;
  serverLog: string;
  screenshot: string;
}

function checkLabFiles(build: string): CheckLabFiles {
  return { build, serverLog: `${build}/server.log`, screenshot: `${build}/00_smoke.png` };
}

/**
 * Ends the check with `message` as its one line (`check_lab: <message>`, status 1). A plain Error
 * was an uncaught exception: Deno's "error: Uncaught", the stack, and the prefix written twice.
 */
function fail(message: string): never {
  throw new ScriptFailure(message);
}

/** Seconds the page may take to run the notebook when `--timeout` is not given. */
const DEFAULT_TIMEOUT_S = 150;

/** The check's `--help` text (its default is {@linkcode DEFAULT_TIMEOUT_S}'s, the parser's). */
export const CHECK_LAB_USAGE =
  `usage: deno task check-lab [--timeout SECONDS]   (1..3600, default ${DEFAULT_TIMEOUT_S})`;

/** The check's command line: `--help`, or the seconds the page may take to run the notebook. */
export function checkLabOptions(
  args: string[],
): { help: true } | { help: false; timeoutS: number } {
  const { values } = parseOptions(args, {
    timeout: { type: "string", default: String(DEFAULT_TIMEOUT_S) },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) return { help: true };
  // Seconds for the page to run the notebook; an hour is far beyond any real wait.
  return { help: false, timeoutS: integerOption("timeout", values.timeout, 1, 3600) };
}

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Everything the assertions read, from the DOM as rendered. */
function readPage(page: Page, progressLabel: string): Promise<PageState> {
  return page.evaluate((label: string) => {
    const text = (element: Element | null) => element?.textContent?.trim() ?? "";
    const cells = [...document.querySelectorAll("#notebook-container .cell.code_cell")].map(
      (cell) => ({
        prompt: text(cell.querySelector(".input_prompt")),
        outputs: cell.querySelectorAll(".output_area").length,
        errors: cell.querySelectorAll(".output_error").length,
        text: text(cell.querySelector(".output_wrapper")).slice(0, 300),
      }),
    );
    const plots = [...document.querySelectorAll("div.demure-plot")];
    const progressOutputs = [...document.querySelectorAll(".output_subarea")]
      .map((element) => text(element))
      .filter((line) => line.startsWith(label));
    const seen = (globalThis as unknown as { __progressSeen?: Set<string> }).__progressSeen;
    return {
      kernelName: text(document.querySelector("#kernel_indicator .kernel_indicator_name")),
      kernelIdle: document.querySelector("#kernel_indicator_icon")?.classList.contains(
        "kernel_idle_icon",
      ) ?? false,
      cells,
      plots: plots.length,
      plotsDrawn: plots.filter((plot) => plot.querySelector("svg.main-svg") !== null).length,
      progressOutputs,
      progressSeen: seen ? [...seen] : [],
    };
  }, progressLabel);
}

/** Records every state the progress output passes through (updates are too fast to poll). */
function watchProgress(page: Page, progressLabel: string): Promise<void> {
  return page.evaluate((label: string) => {
    const seen = new Set<string>();
    (globalThis as unknown as { __progressSeen: Set<string> }).__progressSeen = seen;
    const record = () => {
      for (const element of document.querySelectorAll(".output_subarea")) {
        const line = element.textContent?.trim() ?? "";
        if (line.startsWith(label)) seen.add(line);
      }
    };
    new MutationObserver(record).observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  }, progressLabel);
}

async function runNotebookInBrowser(
  browser: Browser,
  server: LabServer,
  timeoutMs: number,
  files: CheckLabFiles,
): Promise<PageState> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const consoleErrors: string[] = [];
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  await page.goto(`${server.baseUrl}/notebooks/${NOTEBOOK}?token=${server.token}`, {
    waitUntil: "load",
    // Generous: on a loaded 2-core machine (CI next to two training processes) the server took 20 s
    // to start and the page more than 30 s to load; idle, it loads in about 2 s.
    timeout: 120_000,
  });
  // Loaded, kernel connected and idle; then autosave off, so the file on disk stays clean.
  await page.waitForFunction(
    () => {
      const jupyter = (globalThis as unknown as {
        Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } };
      }).Jupyter;
      return jupyter?.notebook?.kernel?.is_connected() === true &&
        document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
    },
    { timeout: 120_000, polling: 250 },
  );
  await page.evaluate(() => {
    (globalThis as unknown as {
      Jupyter: { notebook: { set_autosave_interval(ms: number): void } };
    }).Jupyter.notebook.set_autosave_interval(0);
  });
  await watchProgress(page, PROGRESS_LABEL);
  // The menu, as a person would: Cell → Run All.
  await page.click("#celllink");
  await page.waitForSelector("#run_all_cells", { visible: true });
  await page.click("#run_all_cells > a");
  let timedOut = false;
  await page.waitForFunction(
    () => {
      const prompts = [...document.querySelectorAll("#notebook-container .code_cell .input_prompt")]
        .map((prompt) => prompt.textContent ?? "");
      return prompts.length > 0 && prompts.every((prompt) => /In\s*\[\d+\]/.test(prompt)) &&
        document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
    },
    { timeout: timeoutMs, polling: 250 },
  ).catch(() => timedOut = true); // the state below says which cell did not finish
  // Figures draw after their output is inserted; give each a moment to finish.
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll("div.demure-plot")].every((plot) =>
        plot.querySelector("svg.main-svg") !== null
      ),
    { timeout: 20_000, polling: 250 },
  ).catch(() => {}); // reported by the assertions below, with counts
  // The notebook scrolls inside the page, so a full-page shot needs a viewport as tall as it.
  const height = await page.evaluate(() =>
    (document.querySelector("#notebook-container")?.scrollHeight ?? 900) + 150
  );
  await page.setViewport({ width: 1280, height: Math.min(20_000, Math.max(900, height)) });
  await new Promise((resolve) => setTimeout(resolve, 1000)); // figures resize to the new viewport
  await Deno.mkdir(files.build, { recursive: true });
  await page.screenshot({ path: files.screenshot, fullPage: true });
  const state = await readPage(page, PROGRESS_LABEL);
  return { ...state, timedOut, pageErrors: consoleErrors };
}

/**
 * `work`'s value, or a rejection with `stop`'s reason as soon as `stop` aborts. The work goes on
 * unheard until what it waits for is ended (the browser: closed, or ended by `endLaunch`).
 */
function untilStopped<T>(work: Promise<T>, stop: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stopped = () => reject(stop.reason);
    if (stop.aborted) stopped();
    stop.addEventListener("abort", stopped, { once: true });
    work.then(resolve, reject).finally(() => stop.removeEventListener("abort", stopped));
  });
}

/** How long a stop waits for an interrupted browser launch to end, at most (it takes a second). */
const LAUNCH_END_MS = 30_000;

/**
 * Ends the browser of a launch that a stop interrupted or that failed by itself, and waits for the
 * launch to settle: its browser, if it is up after all (to be closed as usual), else undefined.
 *
 * Not through puppeteer: its kill (the `signal` of `launch`, its own signal handlers, its clean-up
 * of a failed launch) asks `process.kill`, which Deno allows only with `--allow-run` for every
 * program; under the task's scoped permissions it threw (scripts/check_lab_launch.ts) and the check
 * died, leaving the server and the browser running. So every process this one started outside the
 * server's tree (the browser: puppeteer starts it as a child of this process) is killed through
 * procps's `kill` (`signalIfAlive`) until the launch settles: its pipe closes with the browser and
 * it rejects. A launch that had not yet started its browser starts it meanwhile, and the next round
 * ends it. A launch that failed may leave its browser running (its pipe closed first): the round
 * after the launch settled ends that one, and it is awaited.
 */
async function endLaunch(
  launching: Promise<Browser>,
  server: LabServer,
): Promise<Browser | undefined> {
  const settled = launching.then((browser) => ({ browser }), () => ({ browser: undefined }));
  const started = performance.now();
  // The first look comes before any kill: a launch that has just succeeded is closed as usual.
  for (let waitMs = 0; performance.now() - started < LAUNCH_END_MS; waitMs = 250) {
    const outcome = await within(settled, waitMs);
    if (outcome?.browser !== undefined) return outcome.browser;
    const serverSide = new Set([server.pid, ...descendantsOf(server.pid).map(({ pid }) => pid)]);
    const browserSide = descendantsOf(Deno.pid).filter(({ pid }) => !serverSide.has(pid));
    for (const id of browserSide) signalIfAlive(id, "SIGKILL");
    if (outcome !== null) {
      // Gone once reaped, a moment after SIGKILL; what is not is named by the shut-down check.
      for (let wait = 0; wait < 20 && browserSide.some(isAlive); wait++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return undefined;
    }
  }
  return undefined; // what still runs is named by the check for processes left
}

/**
 * One run of the check: server up, the notebook run in the browser, everything shut down, also
 * when `stop` aborts (a stop signal): then what it interrupted is no problem of the page, and the
 * problems returned are only those of the shut-down (a process left running).
 */
async function checkOnce(
  chromium: string,
  timeoutS: number,
  setup: CheckLabSetup,
  files: CheckLabFiles,
  stop: AbortSignal,
): Promise<string[]> {
  const started = performance.now();
  // Aborted while Jupyter starts (in a session of its own: the terminal's signals never reach it),
  // startLabServer stops what it started before it rejects.
  const server = await startLabServer({
    projectRoot,
    env: { DEMURE_QUICK: "1" },
    logFile: files.serverLog,
    portRange: setup.portRange,
    signal: stop,
  });
  // A terminal gone (SIGHUP) must not keep the server from being stopped: `say` never throws.
  say(
    `server up on port ${server.port} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  const launch = chromiumLaunch(chromium);
  const profile = await makeBrowserDir("check-lab-chromium-", launch);
  let launching: Promise<Browser> | undefined;
  let launchFailed = false;
  let browser: Browser | undefined;
  let problems: string[] = [];
  // endLaunch ends the browser of a launch that was stopped or failed: puppeteer's own kill of it,
  // refused under the task's permissions, is dropped then (scripts/check_lab_launch.ts).
  dropRefusedKills(() => stop.aborted || launchFailed);
  try {
    stop.throwIfAborted(); // stopped since the server answered
    // puppeteer's own flags, after the launcher's (setpriv's ids and Chromium's path, as root).
    const flags = [...CHROMIUM_FLAGS, ...(launch.sandbox ? [] : ["--no-sandbox"])];
    launching = puppeteer.launch({
      executablePath: launch.command,
      ignoreDefaultArgs: true,
      args: [
        ...launch.prefixArgs,
        ...puppeteer.defaultArgs({ headless: true, userDataDir: profile, args: flags }),
      ],
      env: { ...Deno.env.toObject(), ...browserEnv(profile) },
      headless: true,
      pipe: true,
      // This check's listeners stop the browser (endLaunch, browser.close): puppeteer's own
      // exited at once on SIGINT (status 130) before the server was stopped, and under the
      // task's permissions their kill threw (see endLaunch).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    // Set as the launch rejects, before puppeteer's unawaited clean-up of it can reject.
    launching.catch(() => launchFailed = true);
    browser = await untilStopped(launching, stop);
    const state = await untilStopped(
      runNotebookInBrowser(browser, server, timeoutS * 1000, files),
      stop,
    );
    problems = pageProblems(state);
    console.log(
      `kernel ${state.kernelName}; ${state.cells.length} code cells ran; ` +
        `${state.plotsDrawn}/${state.plots} figures drawn; progress states seen: ` +
        `${state.progressSeen.length} (last "${state.progressOutputs.at(-1) ?? ""}")`,
    );
  } catch (error) {
    if (stop.aborted) {
      // what it interrupted is no problem of the page
    } else if (browser === undefined && launching !== undefined) {
      problems.push(launchFailure(chromium, error)); // its stack is puppeteer's, not the cause
    } else {
      problems.push((error as Error).stack ?? String(error));
    }
  } finally {
    // A launch stopped or failed: its browser ended (endLaunch); once up, closed as usual.
    if (browser === undefined && launching !== undefined) {
      browser = await endLaunch(launching, server);
    }
    // A close that fails (the browser gone) must not keep the server from being stopped.
    await browser?.close().catch((error) => {
      if (!stop.aborted) problems.push(`closing the browser: ${(error as Error).message}`);
    });
    const report = await server.stop();
    await Deno.remove(profile, { recursive: true });
    // Anything this process started (browser, its helpers, the server, kernels under it).
    const left = descendantsOf(Deno.pid).filter(isAlive).map(({ pid }) => pid);
    problems.push(...shutdownProblems(report, left));
  }
  return problems;
}

/**
 * The check, its exit status returned (exported for tests/notebook_runner/_check_lab_stand_in.ts,
 * which runs it with `setup`).
 */
export async function main(setup: CheckLabSetup = {}): Promise<number> {
  const options = checkLabOptions(Deno.args);
  if (options.help) {
    console.log(CHECK_LAB_USAGE);
    return 0;
  }
  const { timeoutS } = options;
  const chromium = findChromium() ?? fail("no Chromium (apt-get install chromium)");
  // Before the server starts: one that cannot be started at all is said at once (see cannotStart).
  const refused = cannotStart(chromiumLaunch(chromium).command);
  if (refused !== undefined) fail(`Chromium ${chromium} cannot be started: ${refused}`);
  // From here on a stop signal stops what the check started (see checkOnce) and ends it with
  // STOP_SIGNAL_STATUS: a check that did not finish has not passed.
  const stopRequest = listenForStopSignals();
  const problem = await labProblem();
  if (problem) fail(problem);
  const notebookPath = `${projectRoot}/notebooks/${NOTEBOOK}`;
  const before = await sha256(notebookPath);
  const files = checkLabFiles(setup.buildDir ?? `${projectRoot}/build/lab`);
  await Deno.mkdir(files.build, { recursive: true });
  const started = performance.now();
  const run = () =>
    checkOnce(chromium, timeoutS, setup, files, stopRequest.signal).catch((error): string[] => {
      if (!stopRequest.signal.aborted) throw error;
      return []; // stopped while the server started: startLabServer stopped it
    });
  let problems = await run();
  // The Deno kernel intermittently signs one message wrongly; Jupyter then drops it ("Invalid
  // Signature" in its log) and that output never reaches the page. Not a fault of the workspace
  // (the notebook runner retries the same way): one more run, said out loud.
  if (
    !stopRequest.signal.aborted &&
    rerunForSignature(problems, await Deno.readTextFile(files.serverLog))
  ) {
    console.log(
      `note: the kernel sent a message with an invalid signature (${files.serverLog}); rerun`,
    );
    for (const line of problems) console.log(`  first run: ${line.split("\n")[0]}`);
    problems = await run();
  }
  const stoppedBy = stopRequest.stoppedBy();
  if (stoppedBy !== undefined) {
    // What the stop left running, then the one line that says why the check ended.
    for (const line of problems) say(`FAIL ${line}`, "stderr");
    say(`check_lab: stopped by ${stoppedBy} before the check finished`, "stderr");
    return STOP_SIGNAL_STATUS[stoppedBy];
  }
  problems.push(...notebookProblems(notebookPath, before, await sha256(notebookPath)));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const line of problems) console.error(`FAIL ${line}`);
  console.log(
    `${problems.length === 0 ? "ok" : "FAILED"}: ${NOTEBOOK} in Chromium via the lab server ` +
      `(${seconds} s; screenshot ${files.screenshot})`,
  );
  return problems.length === 0 ? 0 : 1;
}

if (import.meta.main) await runScript("check_lab", () => main());
