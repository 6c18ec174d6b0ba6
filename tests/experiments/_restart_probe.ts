/**
 * Run by reproduce_restart_test.ts. `parent FLAG...`: starts this file again as `child` through
 * `runAgain` with the flags FLAG... and exits with its status; `parent-then-signal` then sends itself the signal
 * PROBE_SIGNAL, which must end it. `child report ...`: prints whether
 * it may read "/" and its arguments as JSON, exits 5. `child wait`: prints "ready" and waits for
 * SIGTERM, on which it prints so and exits 7 (a SIGINT ends it as Deno's default does).
 */
import { runAgain } from "../../scripts/reproduce_restart.ts";

const [role, ...rest] = Deno.args;
const self = new URL(import.meta.url).pathname;
if (role === "parent" || role === "parent-then-signal") {
  const split = rest.indexOf("--");
  const status = await runAgain(rest.slice(0, split), self, ["child", ...rest.slice(split + 1)]);
  if (role === "parent-then-signal") {
    // runAgain has returned: its listeners are gone, and each signal ends this process again.
    const signal = Deno.env.get("PROBE_SIGNAL") as Deno.Signal;
    Deno.kill(Deno.pid, signal);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    console.log(`${signal} did not end the first process`);
  }
  Deno.exit(status);
} else if (rest[0] === "report") {
  const read = Deno.permissions.querySync({ name: "read", path: "/" }).state;
  console.log(JSON.stringify({ read, args: rest }));
  Deno.exit(5);
} else {
  Deno.addSignalListener("SIGTERM", () => {
    console.log("child got SIGTERM");
    Deno.exit(7);
  });
  console.log("ready");
  setTimeout(() => {}, 10_000); // an orphan (the first process gone) ends by itself
}
