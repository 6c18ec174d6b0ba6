/**
 * scripts/check_lab.ts stopped by a signal (Ctrl-C, a CI timeout's SIGTERM, a closed terminal's
 * SIGHUP) stops what it started: the server (which runs in a session of its own, so the signal
 * never reaches it) with every process under it, the browser, and the browser's profile folder
 * (where the browser's TMPDIR points, so its temporary files go too); then it says so on one line
 * and exits 128 + the signal's number. Before, a SIGINT or SIGTERM
 * while the server started, or a SIGINT once the browser ran (puppeteer's own listener exited at
 * once), left the server running; a SIGTERM or SIGHUP once the browser ran was an ordinary failure
 * (status 1, the closed browser's errors as FAIL lines).
 *
 * On stand-ins, in seconds, without Jupyter or Chromium: lab_fake_jupyter.py as the server (two
 * children, one that ignores SIGTERM) or a Python that never answers, and a shell script as
 * Chromium that records its pid and profile folder and never speaks the DevTools protocol (so
 * puppeteer's launch waits). The check runs through _check_lab_stand_in.ts, on ports of its own,
 * with the check-lab task's scoped permissions (under which puppeteer's own kill of the browser
 * threw, and the check died leaving everything running). One test, where /usr/bin/chromium is
 * installed, stops the check while real Chromium loads the page (the browser up, closed over the
 * DevTools protocol), the server still the stand-in.
 *
 * Also a browser that fails by itself, no signal sent (a stand-in that exits at once, one that
 * closes its DevTools pipe and hangs, one not executable, one outside --allow-run): one line
 * naming the browser and the cause, nothing left running. Before, these died on an uncaught
 * error (puppeteer's `process.kill` refused, its spawn's `error` event unheard) with the server
 * running, or ended on puppeteer's stack.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { childrenOf, fakeJupyter, fakePython, running } from "./_lab_stand_ins.ts";
import { labTestPorts, type LabTestSlot } from "./_lab_test_ports.ts";
import { pathExists } from "../../lib/util/path_exists.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
/** The longest wait for a stand-in to say it runs: far beyond the seconds it takes. */
const WAIT_CAP_MS = 90_000;

/**
 * A stand-in Chromium: writes its environment to `$FAKE_CHROMIUM_FILE.env` and "<pid> <profile
 * folder>" to `$FAKE_CHROMIUM_FILE`, then runs `end` (by default it waits, never speaking the
 * DevTools protocol, so puppeteer's launch waits).
 */
async function fakeChromium(dir: string, end = "exec sleep 120"): Promise<string> {
  const path = `${dir}/chromium`;
  await Deno.writeTextFile(
    path,
    `#!/bin/sh
for arg; do case "$arg" in --user-data-dir=*) profile="\${arg#--user-data-dir=}";; esac; done
env > "$FAKE_CHROMIUM_FILE.env"
echo "$$ $profile" > "$FAKE_CHROMIUM_FILE.part" && mv "$FAKE_CHROMIUM_FILE.part" "$FAKE_CHROMIUM_FILE"
${end}
`,
  );
  await Deno.chmod(path, 0o755);
  return path;
}

/** As root, no browser user: the stand-in Chromium runs as root (the browser user could not read it). */
const STAND_IN_AS_ROOT = { DEMURE_CHROMIUM_USER: "no-such-user-for-check-lab-stop-test" };

/** A check run on stand-ins, its output read as it comes. */
interface CheckRun {
  process: Deno.ChildProcess;
  /** Resolves when it has exited and both streams ended. */
  done: Promise<{ code: number; stdout: string; stderr: string }>;
  exited(): boolean;
}

/**
 * The check-lab task's command line (deno.json) running _check_lab_stand_in.ts, its --allow-run
 * widened by the stand-ins `programs` only: under these scoped permissions puppeteer's own kill
 * threw (`process.kill` needs --allow-run for every program) and the check died, leaving all.
 */
function taskArgs(programs: (string | undefined)[]): string[] {
  const task = (JSON.parse(Deno.readTextFileSync(`${projectRoot}/deno.json`)) as {
    tasks: Record<string, string>;
  }).tasks["check-lab"];
  const words = task.split(/\s+/).slice(1); // without "deno"
  assertEquals(words.at(-1), "scripts/check_lab.ts", task);
  const run = words.findIndex((word) => word.startsWith("--allow-run="));
  assert(run > 0 && !words.includes("-A") && !words.includes("--allow-all"), task);
  words[run] += programs.filter((program) => program !== undefined).map((program) => `,${program}`)
    .join("");
  words[words.length - 1] = "tests/notebook_runner/_check_lab_stand_in.ts";
  return words;
}

/**
 * Starts the check with `env` added, on the ports of `slot`, its build folder in `dir`; the task's
 * `--allow-run` widened by the stand-ins (`allowed`: by default both).
 */
function startCheck(
  dir: string,
  slot: LabTestSlot,
  env: Record<string, string>,
  allowed: (string | undefined)[] = [env.DEMURE_JUPYTER_PYTHON, env.DEMURE_CHROMIUM],
): CheckRun {
  const { first, count } = labTestPorts(slot);
  const process = new Deno.Command(Deno.execPath(), {
    args: taskArgs(allowed),
    cwd: projectRoot,
    env: {
      CHECK_LAB_TEST_PORTS: `${first}:${count}`,
      CHECK_LAB_TEST_BUILD: `${dir}/build`,
      DEMURE_RERUN: "0",
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let exited = false;
  const text = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();
  const done = Promise.all([process.status, text(process.stdout), text(process.stderr)]).then(
    ([status, stdout, stderr]) => {
      exited = true;
      return { code: status.code, stdout, stderr };
    },
  );
  return { process, done, exited: () => exited };
}

/** Waits for `probe` to return a value, at most {@linkcode WAIT_CAP_MS}; fails if the check ends. */
async function waitFor<T>(check: CheckRun, what: string, probe: () => T | undefined): Promise<T> {
  for (let waited = 0; waited < WAIT_CAP_MS; waited += 100) {
    const value = probe();
    if (value !== undefined) return value;
    if (check.exited()) {
      const { code, stdout, stderr } = await check.done;
      throw new Error(`the check exited (${code}) before ${what}:\n${stdout}${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${what} within ${WAIT_CAP_MS / 1000} s`);
}

/** The text of `path`, or undefined while it does not exist. */
function readIfThere(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

/** `check`'s end, awaited at most `capMs`. */
async function exitWithin(check: CheckRun, capMs: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), capMs);
  });
  const end = await Promise.race([check.done, late]).finally(() => clearTimeout(timer));
  if (end === undefined) throw new Error(`the check still runs ${capMs / 1000} s after the signal`);
  return end;
}

/**
 * Ends whatever of `pids` and `check` still runs, and removes the browser's profile folder if the
 * check left it (a failed test leaves nothing behind).
 */
async function cleanUp(
  check: CheckRun | undefined,
  pids: number[],
  profile?: string,
): Promise<void> {
  if (check !== undefined && !check.exited()) {
    try {
      check.process.kill("SIGKILL");
    } catch {
      // it has just exited
    }
  }
  await check?.done.catch(() => {});
  for (const pid of pids.filter(running)) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch {
      // it has just exited
    }
  }
  if (profile !== undefined && pathExists(profile)) await Deno.remove(profile, { recursive: true });
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  const status = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }[signal];
  Deno.test(`check_lab: ${signal} while the browser runs stops the browser, the server and its processes, removes the profile, exits ${status}`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "check_lab_stop_" });
    const started: number[] = [];
    let check: CheckRun | undefined;
    let profile: string | undefined;
    try {
      const { python, env } = await fakeJupyter(dir);
      const record = `${dir}/chromium_started`;
      check = startCheck(dir, "check_lab: stopped while the browser runs", {
        ...env,
        DEMURE_JUPYTER_PYTHON: python,
        DEMURE_CHROMIUM: await fakeChromium(dir),
        FAKE_CHROMIUM_FILE: record,
        ...STAND_IN_AS_ROOT,
      });
      const [browser, folder] = await waitFor(check, "a started browser", () => {
        const line = readIfThere(record);
        return line === undefined ? undefined : line.trim().split(" ");
      });
      profile = folder;
      const [server] = childrenOf(check.process.pid, "lab_fake_jupyter.py");
      assert(server !== undefined, "no server process under the check");
      const serverChildren = childrenOf(server, "");
      started.push(Number(browser), server, ...serverChildren);
      assertEquals(serverChildren.length, 2, "the stand-in server's two children");
      // (Once the pids are noted, so that a failure still ends them.) Chromium's temporary
      // files (its /tmp/org.chromium.* folder) go in the profile removed.
      const browserEnv = Deno.readTextFileSync(`${record}.env`).split("\n");
      const tmpdir = browserEnv.find((line) => line.startsWith("TMPDIR="));
      assertEquals(tmpdir, `TMPDIR=${profile}`, "the browser's TMPDIR");
      assert(pathExists(profile), `no profile folder ${profile}`);
      check.process.kill(signal);
      const { code, stdout, stderr } = await check.done;
      assertEquals(started.filter(running), [], `still running after the check:\n${stderr}`);
      assertEquals(pathExists(profile), false, `the profile folder ${profile} is left`);
      assertEquals(code, status, stdout + stderr);
      assert(
        stderr.endsWith(`check_lab: stopped by ${signal} before the check finished\n`),
        stderr,
      );
      assert(!stderr.includes("FAIL"), stderr);
    } finally {
      await cleanUp(check, started, profile);
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("check_lab: SIGTERM while the server starts stops the server and exits 143", async () => {
  const dir = await Deno.makeTempDir({ prefix: "check_lab_stop_" });
  const started: number[] = [];
  let check: CheckRun | undefined;
  try {
    // A server that never answers: the check waits in startLabServer (up to 60 s).
    const record = `${dir}/server_started`;
    const python = await fakePython(
      dir,
      `echo $$ > ${record}.part && mv ${record}.part ${record}
exec sleep 120`,
    );
    check = startCheck(dir, "check_lab: stopped while the server starts", {
      DEMURE_JUPYTER_PYTHON: python,
      DEMURE_CHROMIUM: await fakeChromium(dir),
      FAKE_CHROMIUM_FILE: `${dir}/chromium_started`,
      ...STAND_IN_AS_ROOT,
    });
    const server = await waitFor(check, "a started server", () => {
      const line = readIfThere(record);
      return line === undefined ? undefined : Number(line.trim());
    });
    started.push(server);
    check.process.kill("SIGTERM");
    // Without the stop passed to startLabServer, the server was still stopped, but only at the
    // start's own timeout (60 s): the exit is awaited for half of that, far beyond the second it
    // takes.
    const { code, stdout, stderr } = await exitWithin(check, 30_000);
    assertEquals(running(server), false, `the server ${server} runs after the check:\n${stderr}`);
    assertEquals(code, 143, stdout + stderr);
    assert(stderr.endsWith("check_lab: stopped by SIGTERM before the check finished\n"), stderr);
  } finally {
    await cleanUp(check, started);
    await Deno.remove(dir, { recursive: true });
  }
});

/** Every live descendant of `pid`, children first. */
function descendants(pid: number): number[] {
  return childrenOf(pid, "").flatMap((child) => [child, ...descendants(child)]);
}

const CHROMIUM = "/usr/bin/chromium";

/** The profile folder (`--user-data-dir=`) on the command line of `pid`, if any. */
function profileOf(pid: number): string | undefined {
  const flag = "--user-data-dir=";
  return readIfThere(`/proc/${pid}/cmdline`)?.split("\0").find((arg) => arg.startsWith(flag))
    ?.slice(flag.length);
}

Deno.test({
  name: "check_lab: SIGTERM while Chromium loads the page closes Chromium and stops the server",
  // The one test here with a real browser: the path of a browser that is up (closed over the
  // DevTools protocol), under the task's permissions. The server is still the stand-in.
  ignore: !pathExists(CHROMIUM),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "check_lab_stop_" });
    const started: number[] = [];
    let check: CheckRun | undefined;
    let profile: string | undefined;
    try {
      const requests = `${dir}/requests`;
      const { python, env } = await fakeJupyter(dir, { FAKE_REQUEST_FILE: requests });
      check = startCheck(dir, "check_lab: stopped while Chromium loads the page", {
        ...env,
        DEMURE_JUPYTER_PYTHON: python,
      });
      // The stand-in answers the page with 403, so the check waits for Jupyter's page (120 s).
      await waitFor(check, "the browser asking for the notebook", () => {
        const paths = readIfThere(requests);
        return paths?.includes(`/notebooks/00_smoke.ipynb`) ? true : undefined;
      });
      started.push(...descendants(check.process.pid));
      // Debian's /usr/bin/chromium is a script: the browser is the process given the profile.
      profile = started.map(profileOf).find((folder) => folder !== undefined);
      assert(
        profile !== undefined && pathExists(profile),
        `no browser with a profile folder: ${profile}`,
      );
      check.process.kill("SIGTERM");
      const { code, stdout, stderr } = await check.done;
      assertEquals(started.filter(running), [], `still running after the check:\n${stderr}`);
      assertEquals(pathExists(profile), false, `the profile folder ${profile} is left`);
      assertEquals(code, 143, stdout + stderr);
      assert(
        stderr.endsWith("check_lab: stopped by SIGTERM before the check finished\n"),
        stderr,
      );
    } finally {
      await cleanUp(check, started, profile);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** Waits until the test creates `$FAKE_CHROMIUM_FILE.go` (its pids are noted by then). */
const AWAIT_GO = 'while [ ! -e "$FAKE_CHROMIUM_FILE.go" ]; do sleep 0.1; done';

/**
 * Browsers that fail by themselves, no signal sent: each ends the launch at once. The second's
 * DevTools pipe closes while it still runs (as when Chromium's browser process dies under a
 * wrapper): puppeteer's clean-up of the failed launch then asked `process.kill`, which the task's
 * permissions refuse, and the check died on "Uncaught (in promise) NotCapable" with the server
 * running and the profile left. The first gave a FAIL line with puppeteer's stack.
 */
const FAILING_BROWSERS = [
  {
    how: "exits at once",
    slot: "check_lab: a browser that exits at once",
    end: `${AWAIT_GO}\necho "stand-in chromium: cannot start" >&2\nexit 3`,
  },
  {
    how: "closes its pipe and hangs",
    slot: "check_lab: a browser that closes its pipe and hangs",
    end: `${AWAIT_GO}\nexec 3>&- 4>&-\nexec sleep 120`,
  },
] as const;

for (const { how, slot, end } of FAILING_BROWSERS) {
  Deno.test(`check_lab: a browser that ${how} fails the check on one line naming the browser, the server stopped and the profile removed`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "check_lab_launch_" });
    const started: number[] = [];
    let check: CheckRun | undefined;
    let profile: string | undefined;
    try {
      const { python, env } = await fakeJupyter(dir);
      const record = `${dir}/chromium_started`;
      const chromium = await fakeChromium(dir, end);
      check = startCheck(dir, slot, {
        ...env,
        DEMURE_JUPYTER_PYTHON: python,
        DEMURE_CHROMIUM: chromium,
        FAKE_CHROMIUM_FILE: record,
        ...STAND_IN_AS_ROOT,
      });
      const [browser, folder] = await waitFor(check, "a started browser", () => {
        const line = readIfThere(record);
        return line === undefined ? undefined : line.trim().split(" ");
      });
      profile = folder;
      // The server, its two children and the browser, before the browser fails.
      started.push(...descendants(check.process.pid));
      assert(started.includes(Number(browser)), `the browser ${browser} is not under the check`);
      assertEquals(childrenOf(check.process.pid, "lab_fake_jupyter.py").length, 1, "no server");
      await Deno.writeTextFile(`${record}.go`, "");
      const { code, stdout, stderr } = await exitWithin(check, WAIT_CAP_MS);
      assertEquals(started.filter(running), [], `still running after the check:\n${stderr}`);
      assertEquals(pathExists(profile), false, `the profile folder ${profile} is left`);
      assertEquals(code, 1, stdout + stderr);
      const fails = stderr.split("\n").filter((line) => line.startsWith("FAIL"));
      const prefix = `FAIL Chromium ${chromium} did not start: `;
      assertEquals(fails.length, 1, stderr);
      assert(fails[0].startsWith(prefix) && fails[0].length > prefix.length, stderr);
      assert(!stderr.includes("NotCapable") && !/\n\s+at /.test(stderr), stderr);
      assertStringIncludes(stdout, "FAILED: 00_smoke.ipynb", stdout);
    } finally {
      await cleanUp(check, started, profile);
      await Deno.remove(dir, { recursive: true });
    }
  });
}

/**
 * Browsers this process cannot start at all. Puppeteer heard of them only as an `error` event of
 * the child process that nobody listened to: "Uncaught Error: spawn ... EACCES", "Uncaught
 * NotCapable: Requires run access", the server left running. Now the check says so before the
 * server starts.
 */
const UNSTARTABLE_BROWSERS = [
  {
    how: "is not executable",
    slot: "check_lab: a browser that is not executable",
    mode: 0o644,
    allowed: true,
    cause: (path: string) => `${path} is not an executable file (mode 644)`,
  },
  {
    how: "is outside --allow-run",
    slot: "check_lab: a browser outside --allow-run",
    mode: 0o755,
    allowed: false,
    cause: (path: string) => `--allow-run does not name ${path}`,
  },
] as const;

for (const { how, slot, mode, allowed, cause } of UNSTARTABLE_BROWSERS) {
  Deno.test(`check_lab: a browser that ${how} ends the check on one line before the server starts`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "check_lab_launch_" });
    let check: CheckRun | undefined;
    try {
      const { python, env } = await fakeJupyter(dir);
      const chromium = await fakeChromium(dir);
      await Deno.chmod(chromium, mode);
      check = startCheck(dir, slot, {
        ...env,
        DEMURE_JUPYTER_PYTHON: python,
        DEMURE_CHROMIUM: chromium,
        FAKE_CHROMIUM_FILE: `${dir}/chromium_started`,
        ...STAND_IN_AS_ROOT,
      }, [python, allowed ? chromium : undefined]);
      const { code, stdout, stderr } = await exitWithin(check, WAIT_CAP_MS);
      assertEquals(code, 1, stdout + stderr);
      assert(
        stderr.endsWith(`check_lab: Chromium ${chromium} cannot be started: ${cause(chromium)}\n`),
        stderr,
      );
      assert(!stderr.includes("Uncaught"), stderr);
      assertEquals(stdout, "", "the server started");
      assertEquals(pathExists(`${dir}/build/server.log`), false, "the server started");
    } finally {
      await cleanUp(check, []);
      await Deno.remove(dir, { recursive: true });
    }
  });
}
