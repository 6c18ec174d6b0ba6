/**
 * What `scripts/check_lab.ts` makes of a browser launch that went wrong: the one line that says
 * why a launch failed, and the one puppeteer error it may drop. Kept apart and pure (but for the
 * listener) so that both are tested on the exact error shapes
 * (tests/notebook_runner/check_lab_launch_test.ts).
 *
 * Why an error is dropped at all: puppeteer cleans up a launch that failed or was ended
 * (`@puppeteer/browsers`, `Process.close`) without anyone awaiting it, and when it has not yet
 * seen the browser exit it asks Node's `process.kill(pid, 0)`. Deno allows that only with
 * `--allow-run` for every program; under the check-lab task's scoped `--allow-run` it throws
 * `NotCapable`, and that unhandled rejection ended the check before the server was stopped (the
 * server, the browser and the profile folder left). The check ends that browser itself
 * (procps's `kill`), so the refused kill has nothing left to do.
 */

/**
 * The one line a launch that failed by itself ends with: the browser's path and the cause (the
 * first line of the launch's error, named by its class unless a plain Error).
 */
export function launchFailure(chromium: string, error: unknown): string {
  const first = (text: string) => text.trim().split("\n")[0];
  const cause = !(error instanceof Error)
    ? first(String(error))
    : error.name === "Error"
    ? first(error.message)
    : `${error.name}: ${first(error.message)}`;
  return `Chromium ${chromium} did not start: ${cause}`;
}

/**
 * Why this process cannot start `command` (the browser, or setpriv before it), or undefined. Asked
 * before the launch because puppeteer hears of it only as an `error` event of the child process
 * that nobody listens to: Deno's refusal (a program outside `--allow-run`) or the system's
 * (`spawn ... EACCES`) was thrown uncaught, and the check died with the server running.
 */
export function cannotStart(command: string): string | undefined {
  if (Deno.permissions.querySync({ name: "run", command }).state !== "granted") {
    return `--allow-run does not name ${command}`;
  }
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(command);
  } catch (error) {
    return `${command}: ${(error as Error).message}`;
  }
  // Any execute bit: the system decides the rest (a refusal then closes the browser's pipe).
  if (!info.isFile || ((info.mode ?? 0o111) & 0o111) === 0) {
    const mode = info.mode === null ? "" : ` (mode ${(info.mode & 0o777).toString(8)})`;
    return `${command} is not an executable file${mode}`;
  }
  return undefined;
}

/**
 * Whether `reason` is Deno refusing Node's `process.kill` for want of `--allow-run` (a
 * `NotCapable` thrown from `process.kill`), and nothing else: any other `NotCapable` (a file
 * outside `--allow-read`, a program outside `--allow-run`) says something is wrong.
 */
export function isRefusedKill(reason: unknown): boolean {
  return reason instanceof Deno.errors.NotCapable &&
    /^\s*at process\.kill \(node:process\b/m.test(reason.stack ?? "");
}

/**
 * From now on, drops an unhandled rejection that {@linkcode isRefusedKill} recognises while
 * `ended()` says the check has ended the launch itself (a stop, a launch that failed); any other
 * stays fatal, as before.
 */
export function dropRefusedKills(ended: () => boolean): void {
  globalThis.addEventListener("unhandledrejection", (event) => {
    if (ended() && isRefusedKill(event.reason)) event.preventDefault();
  });
}
