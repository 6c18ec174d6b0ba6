/**
 * withDenoStandIns (tests/_deno_stand_ins.ts), which the tests that replace one of Deno's
 * functions share: the stand-in is in place for the action only, and Deno's own is back after it
 * returns, throws, or its promise settles (not before: an async action still sees the stand-in).
 * A restore that failed would leave every later test of the one suite process with the stand-in.
 */
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { withDenoStandIns } from "../_deno_stand_ins.ts";

const { cwd } = Deno;
const standIn = () => "/stand-in";

Deno.test("withDenoStandIns: the stand-in for the action, Deno's own back after it returns or throws", () => {
  assertEquals(withDenoStandIns({ cwd: standIn }, () => Deno.cwd()), "/stand-in");
  assertEquals(Deno.cwd, cwd);
  assertThrows(
    () =>
      withDenoStandIns({ cwd: standIn }, () => {
        throw new Error("action failed");
      }),
    Error,
    "action failed",
  );
  assertEquals(Deno.cwd, cwd);
});

Deno.test("withDenoStandIns: an async action keeps the stand-in until its promise settles", async () => {
  const seen = await withDenoStandIns({ cwd: standIn }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return Deno.cwd();
  });
  assertEquals([seen, Deno.cwd], ["/stand-in", cwd]);
  await assertRejects(
    () =>
      withDenoStandIns({ cwd: standIn }, async () => {
        await Promise.resolve();
        throw new Error("async action failed");
      }),
    Error,
    "async action failed",
  );
  assertEquals(Deno.cwd, cwd);
});
