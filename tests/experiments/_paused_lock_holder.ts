/**
 * Takes the claim lock file `Deno.args[0]` as `withClaimLock` does (lib/experiments/_claim_lock.ts:
 * opened, created if absent, and flocked exclusively), writes the file `Deno.args[1]` to say so,
 * then stops itself (SIGSTOP) while holding it: a process paused with Ctrl-Z, a suspended batch
 * job. Run by `pauseLockHolder` (_paused_lock.ts).
 */
const [lockPath, lockedMarker] = Deno.args;
const file = Deno.openSync(lockPath, { read: true, write: true, create: true });
file.lockSync(true);
Deno.writeTextFileSync(lockedMarker, "locked");
Deno.kill(Deno.pid, "SIGSTOP");
// Resumed (SIGCONT), it exits: its lock is released.
