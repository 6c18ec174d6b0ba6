/**
 * Run by claims_test.ts with the `reproduce` task's permissions: installs the release of claims on
 * SIGINT/SIGTERM (as scripts/reproduce.ts does), claims `key` in the store `directory`, prints
 * `held <key>` and waits to be stopped. With `--with-worker` it first starts a worker process of
 * itself (scripts/reproduce_workers.ts, with the task's permissions, as reproduce.ts does) that
 * holds `<key>-worker`, prints `held <key>` once both hold their key, and on the signal stops the
 * worker, claims `<key>-next` (as its cell loop may while it waits), then gives up its claims and
 * exits. The worker (`--as-worker`) stops as on SIGTERM when its main process is gone, and says so
 * in `<directory>/workers.log`.
 */
import { releaseClaimsOnSignal } from "../../lib/experiments/claim_release.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import {
  startWorkers,
  stopWhenMainProcessGone,
  workerLog,
  type Workers,
} from "../../scripts/reproduce_workers.ts";
import { taskPermissions } from "../../scripts/task_permissions.ts";

const [directory, key, withWorker] = Deno.args;
let worker: Workers | undefined;
// As reproduce.ts: the store's folder stands for the results folder.
const stopLog = workerLog(directory);
const stopAs = releaseClaimsOnSignal({
  log: stopLog.line,
  onStop: async () => {
    if (!worker) return;
    if (!(await worker.stopAndWait(30))) console.error("the worker is still running");
    // As reproduce's own cell loop may do while it waits for its workers: claim the next cell.
    new ResultStore(directory).claim(`${key}-next`);
  },
});
const workerHolds = Promise.withResolvers<void>();
if (withWorker === "--with-worker") {
  const tasks = (JSON.parse(Deno.readTextFileSync("deno.json")) as {
    tasks: Record<string, string>;
  }).tasks;
  worker = startWorkers({
    count: 1,
    runArgs: [
      "run",
      ...taskPermissions(tasks.reproduce, []),
      decodeURIComponent(new URL(import.meta.url).pathname),
    ],
    scriptArgs: [directory, `${key}-worker`, "--as-worker"],
    writeLine: (_worker, line) => {
      console.log(`[worker] ${line}`);
      if (line.startsWith("held ")) workerHolds.resolve();
    },
  });
} else workerHolds.resolve();
// As reproduce.ts's workers: stop as on SIGTERM once the main process is gone.
if (withWorker === "--as-worker") stopWhenMainProcessGone(stopLog, () => stopAs("SIGTERM"));
const holder = new ResultStore(directory).claim(key);
if (holder) throw new Error(`${key} is held by ${JSON.stringify(holder)}`);
await workerHolds.promise;
console.log(`held ${key}`);
// Waits to be stopped: the timer keeps the process alive until the test's signal.
setInterval(() => {}, 60_000);
