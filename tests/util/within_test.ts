import { assertEquals } from "@std/assert";
import { within } from "../../lib/util/within.ts";

// Deno's op sanitizer fails a test that leaves a timer pending: both cases also check the clear.
Deno.test("within: the value when the promise settles first, and no timer is left", async () => {
  assertEquals(await within(Promise.resolve(7), 60_000), 7);
});

Deno.test("within: null when the time passes first", async () => {
  let resolveLate: (value: number) => void = () => {};
  const late = new Promise<number>((resolve) => resolveLate = resolve);
  assertEquals(await within(late, 1), null);
  resolveLate(1);
});
