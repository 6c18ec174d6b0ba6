/**
 * A line to the terminal that never throws: after a hangup (SIGHUP) the terminal is gone and every
 * write fails (EIO), which must not keep a script that was stopped from stopping what it started
 * (the notebook server and its kernels, a browser). Used by scripts/lab.ts and scripts/check_lab.ts.
 */
export function say(text: string, stream: "stdout" | "stderr" = "stdout"): void {
  try {
    (stream === "stdout" ? console.log : console.error)(text);
  } catch {
    // nobody left to read it
  }
}
