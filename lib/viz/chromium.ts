/**
 * Headless Chromium runs for screenshots and page checks. Each run gets a fresh profile directory
 * and flags that keep it from touching the network on its own (updates, sync, first-run pages).
 *
 * Chromium's sandbox stays on. Chromium refuses a sandboxed start as root (CI containers, the
 * sprint machines), so a root process starts it as an unprivileged user instead: `setpriv` to the
 * user `demure-browser` (created by `scripts/setup.sh`; `$DEMURE_CHROMIUM_USER` names another),
 * which then sandboxes its renderers in user and pid namespaces under seccomp-bpf. The profile and
 * the folder Chromium writes into belong to that user ({@linkcode makeBrowserDir}). Only where that
 * user does not exist, or `ChromiumConfig.sandbox` is false, does Chromium run with `--no-sandbox`
 * (said once, with the reason). A sandboxed start that fails because the sandbox is unavailable
 * (no user namespaces) is retried once without it, with a warning naming the reason. A run that
 * takes longer than `ChromiumConfig.timeoutMs` is killed and fails.
 */
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOptionalText,
  checkSettingNames,
  SettingError,
  type SettingNames,
  withDefaults,
} from "../util/settings.ts";
import { envText } from "../util/env_text.ts";

/** Options shared by every headless run. */
export interface ChromiumConfig {
  /** Browser executable. Default: `$DEMURE_CHROMIUM`, else `/usr/bin/chromium`. */
  executable?: string;
  /**
   * Virtual time the page gets to run its scripts, in ms. Default: 30000
   * ({@linkcode DEFAULT_CHROMIUM_CONFIG}).
   */
  virtualTimeBudgetMs?: number;
  /** Viewport `[width, height]` in CSS pixels. Default: `[1200, 900]`. */
  windowSize?: [number, number];
  /** Chromium's sandbox. Default: true (on; see the module documentation). */
  sandbox?: boolean;
  /**
   * Wall-clock time a run may take, in ms, before Chromium is killed and the run fails. Default:
   * {@linkcode DEFAULT_CHROMIUM_TIMEOUT_MS}.
   */
  timeoutMs?: number;
}

/**
 * How long a headless run may take by default: 2 minutes. A figure or a rendered notebook page
 * takes a few seconds; the virtual time budget does not end a script that never yields (a page
 * with `while (true) {}` held `check_html.ts` for good, Chromium never exiting).
 */
export const DEFAULT_CHROMIUM_TIMEOUT_MS = 120_000;

/**
 * The defaults of {@linkcode ChromiumConfig} that do not depend on the machine (`executable` is
 * `$DEMURE_CHROMIUM`, else `/usr/bin/chromium`): 30 s of virtual time, a 1200x900 viewport, the
 * sandbox on, {@linkcode DEFAULT_CHROMIUM_TIMEOUT_MS} of wall-clock time.
 */
export const DEFAULT_CHROMIUM_CONFIG: Readonly<Required<Omit<ChromiumConfig, "executable">>> =
  Object.freeze({
    virtualTimeBudgetMs: 30000,
    windowSize: Object.freeze([1200, 900]) as [number, number],
    sandbox: true,
    timeoutMs: DEFAULT_CHROMIUM_TIMEOUT_MS,
  });

/** A {@linkcode ChromiumConfig} with its defaults filled in and checked. */
type ResolvedChromiumConfig = Required<Omit<ChromiumConfig, "executable">> & ChromiumConfig;

/** The user a root process runs Chromium as, unless `$DEMURE_CHROMIUM_USER` names another. */
export const DEFAULT_BROWSER_USER = "demure-browser";
/** util-linux's `setpriv`, which drops root to the browser user (it `exec`s: one process). */
export const SETPRIV = "/usr/bin/setpriv";

/** An unprivileged user from `/etc/passwd`. */
export interface BrowserUser {
  /** Login name. */
  name: string;
  /** Numeric user id (never 0). */
  uid: number;
  /** Numeric primary group id. */
  gid: number;
}

/** `name`'s entry in the text of `/etc/passwd`, or `null` when absent or root (uid 0). */
export function findUser(passwd: string, name: string): BrowserUser | null {
  for (const line of passwd.split("\n")) {
    const [login, , uid, gid] = line.split(":");
    if (login !== name || !/^\d+$/.test(uid ?? "") || !/^\d+$/.test(gid ?? "")) continue;
    return Number(uid) === 0 ? null : { name, uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

/** How a headless run starts: the command, the arguments before Chromium's own, the sandbox. */
export interface ChromiumLaunch {
  /** The program to start: Chromium itself, or {@linkcode SETPRIV}. */
  command: string;
  /** Arguments before Chromium's flags (for `setpriv`: the ids, then Chromium's path). */
  prefixArgs: string[];
  /** Whether Chromium's sandbox is on (off means `--no-sandbox`). */
  sandbox: boolean;
  /** The user Chromium runs as when started by root; it must own the profile. */
  user: BrowserUser | null;
  /** Why the sandbox is off, when it is. */
  reason?: string;
}

/**
 * How to start `executable`. `configured` is `ChromiumConfig.sandbox`; `uid` this process's user
 * id (`null`: unknown, taken as not root); `user` the browser user found (only used as root).
 */
export function planChromiumLaunch(
  executable: string,
  configured: boolean | undefined,
  uid: number | null,
  user: BrowserUser | null,
  userName: string = DEFAULT_BROWSER_USER,
): ChromiumLaunch {
  if (configured === false) {
    return {
      command: executable,
      prefixArgs: [],
      sandbox: false,
      user: null,
      reason: "switched off (ChromiumConfig.sandbox: false)",
    };
  }
  if (uid !== 0) return { command: executable, prefixArgs: [], sandbox: true, user: null };
  if (user === null) {
    return {
      command: executable,
      prefixArgs: [],
      sandbox: false,
      user: null,
      reason: `running as root and there is no user "${userName}" to run Chromium as ` +
        "(scripts/setup.sh creates it; $DEMURE_CHROMIUM_USER names another)",
    };
  }
  return {
    command: SETPRIV,
    prefixArgs: [
      `--reuid=${user.uid}`,
      `--regid=${user.gid}`,
      "--clear-groups",
      "--",
      executable,
    ],
    sandbox: true,
    user,
  };
}

/** This process's user id, or `null` without permission to ask (`--allow-sys=uid`). */
function currentUid(): number | null {
  try {
    return Deno.uid();
  } catch {
    return null;
  }
}

let cachedUser: { user: BrowserUser | null; name: string } | undefined;

/** The browser user when running as root (looked up once in `/etc/passwd`), else `null`. */
function browserUser(uid: number | null): { user: BrowserUser | null; name: string } {
  if (uid !== 0) return { user: null, name: DEFAULT_BROWSER_USER };
  if (cachedUser === undefined) {
    const name = envText("DEMURE_CHROMIUM_USER") ?? DEFAULT_BROWSER_USER;
    let passwd = "";
    try {
      passwd = Deno.readTextFileSync("/etc/passwd");
    } catch {
      // unreadable (e.g. no --allow-read=/etc/passwd): no user found, said in the warning
    }
    cachedUser = { user: findUser(passwd, name), name };
  }
  return cachedUser;
}

/**
 * How this process starts `executable` (see {@linkcode planChromiumLaunch}); for callers that start
 * Chromium themselves (the live notebook check drives it through puppeteer).
 */
export function chromiumLaunch(executable: string, configured?: boolean): ChromiumLaunch {
  const uid = currentUid();
  const { user, name } = browserUser(uid);
  const launch = planChromiumLaunch(executable, configured, uid, user, name);
  if (!launch.sandbox) warnOnce(`headless Chromium runs without its sandbox: ${launch.reason}`);
  return launch;
}

/**
 * A fresh temporary folder Chromium may write into (its profile, screenshots, logs): when Chromium
 * runs as the browser user, the folder is handed to that user. Remove it with `Deno.remove`.
 */
export async function makeBrowserDir(prefix: string, launch: ChromiumLaunch): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  if (launch.user) await Deno.chown(dir, launch.user.uid, launch.user.gid);
  return dir;
}

/**
 * The environment of a Chromium run in `profile`: its home, caches and temporary files inside the
 * profile, so that nothing is written elsewhere (and the browser user, who has no home, has one).
 * `TMPDIR`: Chromium keeps its singleton socket in a `org.chromium.Chromium.*` folder there and
 * removes it on a normal exit only; every run ended by a signal (a stop, a timeout's SIGKILL) left
 * one in /tmp (79 had piled up on the sprint machine).
 */
export function browserEnv(profile: string): Record<string, string> {
  return {
    HOME: profile,
    XDG_CONFIG_HOME: `${profile}/.config`,
    XDG_CACHE_HOME: `${profile}/.cache`,
    TMPDIR: profile,
  };
}

const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

/** What a headless run printed. */
export interface ChromiumRun {
  /** Exit code. */
  code: number;
  /** What it printed on stdout. */
  stdout: string;
  /** What it printed on stderr. */
  stderr: string;
  /** Whether it ran with Chromium's sandbox (false: `--no-sandbox`). */
  sandbox: boolean;
}

/**
 * `$DEMURE_CHROMIUM`, the Chromium to use instead of `/usr/bin/chromium`, or undefined when it is
 * unset. An empty value counts as unset, as for the other paths and names read from the
 * environment (the numbers refuse one, naming their range): it was taken as the path "", so
 * `DEMURE_CHROMIUM= deno task check-html` named no path ("no Chromium at", two spaces,
 * "(DEMURE_CHROMIUM)") and failed with Debian's chromium installed.
 */
export function chromiumSetting(): string | undefined {
  return envText("DEMURE_CHROMIUM");
}

/**
 * The Chromium executable to use, or `null` when it is not installed (callers skip with a reason).
 *
 * @example
 * ```ts
 * const chromium = findChromium();
 * if (chromium === null) console.log("chromium missing: apt-get install chromium");
 * ```
 */
export function findChromium(executable?: string): string | null {
  const candidate = executable ?? chromiumSetting() ?? "/usr/bin/chromium";
  try {
    return Deno.statSync(candidate).isFile ? candidate : null;
  } catch {
    return null;
  }
}

/** Every setting of {@linkcode ChromiumConfig}: a misspelt one ran at its default. */
const CHROMIUM_CONFIG_NAMES: SettingNames<ChromiumConfig> = {
  executable: true,
  virtualTimeBudgetMs: true,
  windowSize: true,
  sandbox: true,
  timeoutMs: true,
};

/**
 * `config` with its defaults ({@linkcode DEFAULT_CHROMIUM_CONFIG}), or a `SettingError` for a
 * setting out of range, before anything starts: a budget or a size that is not a positive integer
 * went into Chromium's flags as it was (`--virtual-time-budget=NaN`, `--window-size=b,i` for
 * `"big"`), and a `sandbox` of `"no"` ran sandboxed. Left out or undefined is the default; null is
 * a value, refused (a `timeoutMs` of null ran with the default limit).
 */
export function resolveChromiumConfig(config: ChromiumConfig): ResolvedChromiumConfig {
  checkSettingNames("ChromiumConfig", config, CHROMIUM_CONFIG_NAMES);
  const resolved = withDefaults<ResolvedChromiumConfig>(DEFAULT_CHROMIUM_CONFIG, config);
  // At most setTimeout's largest delay (about 24.8 days): a longer one fires at once.
  checkNumber("ChromiumConfig.timeoutMs", resolved.timeoutMs, { above: 0, max: 2 ** 31 - 1 });
  checkInteger("ChromiumConfig.virtualTimeBudgetMs", resolved.virtualTimeBudgetMs, {
    min: 1,
    max: 2 ** 31 - 1,
  });
  const size = resolved.windowSize;
  if (!Array.isArray(size) || size.length !== 2) {
    throw new SettingError("ChromiumConfig.windowSize", size, "[width, height]");
  }
  checkInteger("ChromiumConfig.windowSize[0] (width)", size[0], { min: 1 });
  checkInteger("ChromiumConfig.windowSize[1] (height)", size[1], { min: 1 });
  checkBoolean("ChromiumConfig.sandbox", resolved.sandbox);
  return resolved;
}

/**
 * Run headless Chromium with the workspace's isolation flags plus `extraArgs`, with a fresh
 * `--user-data-dir` that is removed afterwards. Every host name resolves to nothing, so a page
 * that tried to fetch from the internet fails visibly instead of silently succeeding. Files the
 * run reads or writes belong in a folder from {@linkcode makeBrowserDir} (pass the same `launch`).
 *
 * @example
 * ```ts
 * const run = await runHeadlessChromium(["--dump-dom", "data:text/html,<p>hi</p>"]);
 * ```
 */
export async function runHeadlessChromium(
  extraArgs: string[],
  config: ChromiumConfig = {},
  launch: ChromiumLaunch = chromiumLaunch(chromiumExecutable(config), config.sandbox),
): Promise<ChromiumRun> {
  const resolved = resolveChromiumConfig(config);
  const [width, height] = resolved.windowSize;
  const run = async (how: ChromiumLaunch): Promise<ChromiumRun> => {
    const profile = await makeBrowserDir("demure-chromium-", how);
    try {
      return await runOnce(how, profile, width, height, resolved, extraArgs);
    } finally {
      await Deno.remove(profile, { recursive: true });
    }
  };
  const first = await run(launch);
  if (!launch.sandbox || first.code === 0 || !/sandbox/i.test(first.stderr)) return first;
  const reason = first.stderr.split("\n").find((line) => /sandbox/i.test(line))?.trim();
  warnOnce(`headless Chromium: the sandbox is unavailable here (${reason}); running without it`);
  return await run({ ...launch, sandbox: false, reason: `unavailable: ${reason}` });
}

/**
 * The executable `config` names, or an error naming the path looked at and where it came from
 * (what to install, for the default). It named /usr/bin/chromium whatever path was looked at, so a
 * mistyped `ChromiumConfig.executable` or `$DEMURE_CHROMIUM` read as Chromium not installed.
 */
export function chromiumExecutable(config: ChromiumConfig = {}): string {
  // null was read as "not given" (the default browser); a path is what it takes.
  checkOptionalText("ChromiumConfig.executable", config.executable, "a path (a string)");
  const executable = findChromium(config.executable);
  if (executable === null) {
    const setting = chromiumSetting();
    const where = config.executable !== undefined
      ? `${config.executable} (ChromiumConfig.executable)`
      : setting !== undefined
      ? `${setting} ($DEMURE_CHROMIUM)`
      : "/usr/bin/chromium; install Debian's chromium package";
    throw new Error(`runHeadlessChromium: no Chromium at ${where}`);
  }
  return executable;
}

async function runOnce(
  launch: ChromiumLaunch,
  profile: string,
  width: number,
  height: number,
  config: ResolvedChromiumConfig,
  extraArgs: string[],
): Promise<ChromiumRun> {
  const args = [
    ...launch.prefixArgs,
    "--headless",
    ...(launch.sandbox ? [] : ["--no-sandbox"]),
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
    `--user-data-dir=${profile}`,
    `--window-size=${width},${height}`,
    `--virtual-time-budget=${config.virtualTimeBudgetMs}`,
    ...extraArgs,
  ];
  const child = new Deno.Command(launch.command, {
    args,
    env: browserEnv(profile),
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  // Killing the browser process ends its renderers too (they exit with it), so the pipes close.
  const limitMs = config.timeoutMs;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // it exited just now
    }
  }, limitMs);
  let output: Deno.CommandOutput;
  try {
    output = await child.output();
  } finally {
    clearTimeout(timer);
  }
  const decoder = new TextDecoder();
  const stderr = decoder.decode(output.stderr);
  if (timedOut) {
    throw new Error(
      `runHeadlessChromium: Chromium ran past ${limitMs} ms (ChromiumConfig.timeoutMs) and was ` +
        `killed: ${stderr.slice(-2000)}`,
    );
  }
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr,
    sandbox: launch.sandbox,
  };
}
