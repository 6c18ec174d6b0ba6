/**
 * Run by check_lab_launch_test.ts under scoped permissions (as the check-lab task runs): makes the
 * errors whose shape scripts/check_lab_launch.ts recognises, for real, and reports on them.
 *
 * - `shapes`: prints one JSON object, each error's `isRefusedKill`: Node's `process.kill(1, 0)`
 *   refused (the call puppeteer makes), a file read refused, a program start refused.
 * - `drop <kind> <ended>`: installs `dropRefusedKills(() => ended === "yes")`, leaves a rejection
 *   of `kind` (`kill` or `read`) unhandled, and prints "survived" if the process lives on.
 */
import process from "node:process";
import { dropRefusedKills, isRefusedKill } from "../../scripts/check_lab_launch.ts";

/** The error `work` throws (it must throw). */
function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal: run this with scoped --allow-run and --allow-read");
}

// Signal 0 only asks whether the process exists (puppeteer asks it of the browser); Deno allows a
// process to signal itself, so another is asked: init, always there.
const refusedKill = () => thrownBy(() => process.kill(1, 0));
const refusedRead = () => thrownBy(() => Deno.readTextFileSync("/etc/hostname"));
const refusedRun = () => thrownBy(() => new Deno.Command("/usr/bin/false").outputSync());

const [mode, kind, ended] = Deno.args;
if (mode === "shapes") {
  console.log(JSON.stringify({
    kill: isRefusedKill(refusedKill()),
    read: isRefusedKill(refusedRead()),
    run: isRefusedKill(refusedRun()),
  }));
} else if (mode === "drop") {
  dropRefusedKills(() => ended === "yes");
  const reason = kind === "kill" ? refusedKill() : refusedRead();
  void Promise.reject(reason); // as puppeteer's unawaited clean-up leaves it
  // Unhandled rejections are judged once the microtasks have run, before any timer fires.
  setTimeout(() => console.log("survived"), 0);
} else {
  throw new Error(`unknown mode ${mode}: shapes | drop <kill|read> <yes|no>`);
}
