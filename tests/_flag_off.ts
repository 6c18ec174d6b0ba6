/**
 * For the test modules that check what an on/off variable's default (off) does: refuses to run
 * them with it on, naming it, instead of unsetting it. `deno test --parallel` runs every test
 * module in one process, so an unset there would change the environment the other modules and
 * the programs they start see.
 */
import { envFlag } from "../lib/util/env_flag.ts";

/** Throws unless the kernel flag `name` is off (unset, "", "0" or "false") in this process. */
export function requireFlagOff(name: string, module: string): void {
  if (envFlag(name)) {
    throw new Error(
      `${name}=${JSON.stringify(Deno.env.get(name))}: ${module} checks what its default (off) ` +
        `does; run it without ${name}`,
    );
  }
}
