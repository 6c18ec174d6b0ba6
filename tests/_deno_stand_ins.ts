/**
 * Runs a test's action with some of Deno's functions replaced by stand-ins (a file open that
 * fails, a removal that records what it saw), and puts Deno's own back afterwards, also when the
 * action throws or its promise rejects. One home for the replace-and-restore each test wrote out
 * (run_plan_mutants52_test.ts and claim_takeover_race_test.ts each restored `Deno.openSync`).
 *
 * Stand-ins change the one process every test module runs in: keep them to the action.
 */

/** Deno's functions to replace: each a stand-in of the same type. */
export type DenoStandIns = { [K in keyof typeof Deno]?: (typeof Deno)[K] };

/**
 * Runs `action` with each function of `standIns` in place of Deno's own, which are put back
 * when it returns, throws, or (for an action that returns a promise) settles. A stand-in that
 * calls Deno's own takes it before: `const { openSync } = Deno;`.
 */
export function withDenoStandIns<T>(standIns: DenoStandIns, action: () => T): T {
  const names = Object.keys(standIns) as (keyof typeof Deno)[];
  const originals = names.map((name) =>
    [name, Object.getOwnPropertyDescriptor(Deno, name)!] as const
  );
  for (const name of names) {
    Object.defineProperty(Deno, name, {
      value: standIns[name],
      configurable: true,
      writable: true,
    });
  }
  const restore = () => {
    for (const [name, descriptor] of originals) Object.defineProperty(Deno, name, descriptor);
  };
  let result: T;
  try {
    result = action();
  } catch (error) {
    restore();
    throw error;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}
