/**
 * Run by reproduce_restart_test.ts. `parent FLAG...`: starts this file again as `child` through
 * `runAgain` with the flags FLAG... and exits with its status. `child report ...`: prints whether
 * it may read "/" and its arguments as JSON, exits 5. `child wait`: prints "ready" and waits for
 * SIGTERM, on which it prints so and exits 7 (a SIGINT ends it as Deno's default does).
 */
import { runAgain } from "../../scripts/reproduce_restart.ts";

const [role, ...rest] = Deno.args;
const self = new URL(import.meta.url).pathname;
if (role === "parent") {
  const split = rest.indexOf("--");
  Deno.exit(await runAgain(rest.slice(0, split), self, ["child", ...rest.slice(split + 1)]));
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
