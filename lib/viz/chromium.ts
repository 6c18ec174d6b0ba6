/**
 * Headless Chromium runs for screenshots and page checks. Each run gets a fresh profile directory
 * and flags that keep it from touching the network on its own (updates, sync, first-run pages).
 *
 * Chromium's sandbox stays on, except where it cannot work: as root (Chromium refuses to start a
 * sandboxed browser as root, e.g. in CI containers) or when `ChromiumConfig.sandbox` is false. A
 * sandboxed start that fails because the sandbox is unavailable (no user namespaces) is retried
 * once without it, with a warning naming the reason.
 */

/** Options shared by every headless run. */
export interface ChromiumConfig {
  /** Browser executable. Default: `$DEMURE_CHROMIUM`, else `/usr/bin/chromium`. */
  executable?: string;
  /** Virtual time the page gets to run its scripts, in ms. Default: 30000. */
  virtualTimeBudgetMs?: number;
  /** Viewport `[width, height]` in CSS pixels. Default: `[1200, 900]`. */
  windowSize?: [number, number];
  /** Chromium's sandbox. Default: on, unless running as root (see the module documentation). */
  sandbox?: boolean;
}

/** Whether a run uses Chromium's sandbox: `configured` if set, else on unless `uid` is 0 (root). */
export function chromiumSandbox(configured: boolean | undefined, uid: number | null): boolean {
  return configured ?? uid !== 0;
}

let sandboxWarned = false;

/** What a headless run printed. */
export interface ChromiumRun {
  /** Exit code. */
  code: number;
  /** What it printed on stdout. */
  stdout: string;
  /** What it printed on stderr. */
  stderr: string;
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
  const candidate = executable ?? Deno.env.get("DEMURE_CHROMIUM") ?? "/usr/bin/chromium";
  try {
    return Deno.statSync(candidate).isFile ? candidate : null;
  } catch {
    return null;
  }
}

/**
 * Run headless Chromium with the workspace's isolation flags plus `extraArgs`, with a fresh
 * `--user-data-dir` that is removed afterwards. Every host name resolves to nothing, so a page
 * that tried to fetch from the internet fails visibly instead of silently succeeding.
 *
 * @example
 * ```ts
 * const run = await runHeadlessChromium(["--dump-dom", "file:///tmp/page.html"]);
 * ```
 */
export async function runHeadlessChromium(
  extraArgs: string[],
  config: ChromiumConfig = {},
): Promise<ChromiumRun> {
  const executable = findChromium(config.executable);
  if (executable === null) {
    throw new Error(
      "runHeadlessChromium: no Chromium at /usr/bin/chromium (or $DEMURE_CHROMIUM); " +
        "install Debian's chromium package",
    );
  }
  const [width, height] = config.windowSize ?? [1200, 900];
  let uid: number | null;
  try {
    uid = Deno.uid();
  } catch {
    uid = null; // no permission to ask: assume not root, keep the sandbox (falls back if needed)
  }
  const sandbox = chromiumSandbox(config.sandbox, uid);
  const run = async (withSandbox: boolean): Promise<ChromiumRun> => {
    const profile = await Deno.makeTempDir({ prefix: "demure-chromium-" });
    try {
      return await runOnce(executable, profile, withSandbox, width, height, config, extraArgs);
    } finally {
      await Deno.remove(profile, { recursive: true });
    }
  };
  const first = await run(sandbox);
  if (!sandbox || first.code === 0 || !/sandbox/i.test(first.stderr)) return first;
  if (!sandboxWarned) {
    sandboxWarned = true;
    const reason = first.stderr.split("\n").find((line) => /sandbox/i.test(line))?.trim();
    console.warn(
      `headless Chromium: the sandbox is unavailable here (${reason}); running without it`,
    );
  }
  return await run(false);
}

async function runOnce(
  executable: string,
  profile: string,
  sandbox: boolean,
  width: number,
  height: number,
  config: ChromiumConfig,
  extraArgs: string[],
): Promise<ChromiumRun> {
  const args = [
    "--headless",
    ...(sandbox ? [] : ["--no-sandbox"]),
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
    `--virtual-time-budget=${config.virtualTimeBudgetMs ?? 30000}`,
    ...extraArgs,
  ];
  const output = await new Deno.Command(executable, {
    args,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}
