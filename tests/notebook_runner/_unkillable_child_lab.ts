/**
 * `./run.sh lab` (scripts/lab.ts) with its arguments, in which a process running `sleep` (the
 * stand-in server's child that ignores SIGTERM, tests/notebook_runner/lab_fake_jupyter.py) looks
 * like one that outlives SIGKILL: its /proc stat is read as it was while it ran. No test can make
 * such a process (uninterruptible sleep). Run by tests/notebook_runner/lab_stand_in_test.ts.
 */
import { main } from "../../scripts/lab.ts";
import { runScript } from "../../scripts/cli/options.ts";

const { readTextFileSync } = Deno;
const asRunning = new Map<string, string>();
Deno.readTextFileSync = (path) => {
  const name = String(path);
  if (!/^\/proc\/\d+\/stat$/.test(name)) return readTextFileSync(path);
  const frozen = asRunning.get(name);
  if (frozen !== undefined) return frozen;
  const text = readTextFileSync(path);
  if (text.includes(" (sleep) ")) asRunning.set(name, text);
  return text;
};
await runScript("lab", main);
