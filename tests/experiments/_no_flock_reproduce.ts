/**
 * `reproduce` with its arguments, on a results folder whose file system gives no file locks
 * (every flock fails: `noFlock`). Run by tests/experiments/claim_lock_test.ts.
 */
import { noFlock } from "./_no_flock.ts";

Deno.FsFile.prototype.lockSync = Deno.FsFile.prototype.tryLockSync = noFlock;
await import("../../scripts/reproduce.ts");
