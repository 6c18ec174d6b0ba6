/**
 * `within`: a promise's value when it settles in time, null when the time passes first, a rejection
 * passed through; its timer is cleared either way (a pending one keeps a process alive: a script
 * lingered up to 20 s before it could exit).
 */
import { assertEquals, assertRejects } from "@std/assert";
import { within } from "../../lib/util/mod.ts";

/** Runs `body`, then returns how many timers it set are neither cleared nor fired yet. */
async function pendingTimersAfter(body: () => Promise<void>): Promise<number> {
  const { setTimeout, clearTimeout } = globalThis;
  const pending = new Set<unknown>();
  globalThis.setTimeout = ((callback: () => void, ms?: number) => {
    const id: unknown = setTimeout(() => {
      pending.delete(id);
      callback();
    }, ms);
    pending.add(id);
    return id;
  }) as typeof globalThis.setTimeout;
  globalThis.clearTimeout = ((id?: unknown) => {
    pending.delete(id);
    clearTimeout(id as number);
  }) as typeof globalThis.clearTimeout;
  try {
    await body();
  } finally {
    Object.assign(globalThis, { setTimeout, clearTimeout });
  }
  for (const id of pending) clearTimeout(id as number);
  return pending.size;
}

Deno.test("within: the value of a promise that settles in time; its timer is cleared", async () => {
  const pending = await pendingTimersAfter(async () => {
    assertEquals(await within(Promise.resolve(7), 60_000), 7);
    assertEquals(await within(Promise.resolve(null), 60_000), null);
  });
  assertEquals(pending, 0);
});

Deno.test("within: null when the time passes first", async () => {
  let release = () => {};
  const late = new Promise<string>((resolve) => release = () => resolve("late"));
  assertEquals(await within(late, 5), null);
  release();
});

Deno.test("within: a rejection passes through, and its timer is cleared", async () => {
  const pending = await pendingTimersAfter(async () => {
    const error = await assertRejects(() => within(Promise.reject(new Error("failed")), 60_000));
    assertEquals(error.message, "failed");
  });
  assertEquals(pending, 0);
});

Deno.test("within: its one timer is set for `ms`, neither shorter nor longer", async () => {
  // A stub records each timer's delay: a limit cut to nothing would answer null before a slow
  // promise could settle, and one read in seconds would keep a stuck child waiting for hours.
  const { setTimeout } = globalThis;
  const delays: (number | undefined)[] = [];
  globalThis.setTimeout = ((callback: () => void, ms?: number) => {
    delays.push(ms);
    return setTimeout(callback, ms);
  }) as typeof globalThis.setTimeout;
  try {
    assertEquals(await within(Promise.resolve("done"), 1_234), "done");
  } finally {
    globalThis.setTimeout = setTimeout;
  }
  assertEquals(delays, [1_234]);
});

Deno.test("within: refuses a limit a timer cannot hold, naming it, instead of answering null at once", async () => {
  // Found by mutation round NA: setTimeout fires after 1 ms for NaN, a negative delay and any
  // delay past 2^31 - 1 ms (Infinity included), so within(p, Infinity) gave up at once.
  const pending = await pendingTimersAfter(async () => {
    for (const ms of [Infinity, 2 ** 31, Number.NaN, -1]) {
      const error = await assertRejects(() => within(new Promise(() => {}), ms), RangeError);
      assertEquals(
        error.message,
        `within: ms must be a number of milliseconds >= 0 and <= 2147483647, got ${ms}`,
      );
    }
    // The edges are held: 0 and the longest delay a timer takes.
    assertEquals(await within(Promise.resolve("now"), 0), "now");
    assertEquals(await within(Promise.resolve("later"), 2 ** 31 - 1), "later");
  });
  assertEquals(pending, 0, "a refused limit sets no timer");
});
