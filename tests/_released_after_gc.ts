/**
 * The memory tests' check that long work keeps nothing of a finished unit of work (a training run,
 * a plan's cell, an attribution) reachable: the objects it made are held through `WeakRef`s, the
 * caller drops them, and after a forced garbage collection every one must be gone. A module-level
 * cache, a listener or timer left registered, or a closure kept by a global that still reaches one
 * of them keeps it alive, whatever its size: a count of survivors, not a threshold on bytes.
 *
 * Needs `gc` (V8's `--expose-gc`), so it runs in a process of its own (`evalInSubprocess` with
 * `DENO_V8_FLAGS: "--expose-gc"`); the test file's own process has no `gc`.
 */

/** The environment a child needs for {@linkcode survivorsAfterGc}. */
export const EXPOSE_GC_ENV: Readonly<Record<string, string>> = Object.freeze({
  DENO_V8_FLAGS: "--expose-gc",
});

/**
 * The names of `refs` whose objects are still alive after forced collections. A `WeakRef`'s
 * target is kept until the current job ends, so the collections run after a timer turn.
 */
export async function survivorsAfterGc(refs: Record<string, WeakRef<object>>): Promise<string[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("survivorsAfterGc: run with DENO_V8_FLAGS=--expose-gc");
  for (let round = 0; round < 3; round++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
  }
  return Object.entries(refs).filter(([, ref]) => ref.deref() !== undefined).map(([name]) => name);
}
