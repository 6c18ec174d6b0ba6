/**
 * A stored cell's shape is checked when it is read: a record passes, a file missing a field or
 * holding a field of another shape names it (with the file, through ResultStore.get).
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { checkCellResult } from "../../lib/experiments/cell_result_check.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";

const record = JSON.parse(
  Deno.readTextFileSync(
    new URL(
      "../../results-of-record/full/cells/full__MovieLens__SASRec-MM__seed=0.json",
      import.meta.url,
    ),
  ),
) as { key: string; settings: unknown; result: Record<string, unknown> };

Deno.test("checkCellResult: a record passes; each broken field is named", () => {
  assertEquals(checkCellResult(record.result) as unknown, record.result);
  const broken = (change: (r: Record<string, unknown>) => void) => {
    const copy = structuredClone(record.result);
    change(copy);
    return assertThrows(() => checkCellResult(copy)).message;
  };
  assert(broken((r) => delete r.test).startsWith('field "test" is undefined'));
  assert(
    broken((r) => (r.valid as Record<string, unknown>)["HR@10"] = "x").includes("valid.HR@10"),
  );
  assert(broken((r) => r.seed = -1).startsWith('field "seed" is -1'));
  assert(
    broken((r) => (r.perUserTest as Record<string, number[]>)["NDCG@10"].pop())
      .includes("perUserTest.NDCG@10"),
  );
  assert(broken((r) => r.capBound = "no").startsWith('field "capBound"'));
});

Deno.test("ResultStore.get with the check names the file and the field", () => {
  const dir = Deno.makeTempDirSync();
  const store = new ResultStore(dir);
  const result = structuredClone(record.result);
  delete result.test;
  store.put(record.key, record.settings, result);
  const error = assertThrows(() => store.get(record.key, record.settings, checkCellResult));
  assert(error.message.startsWith(store.pathOf(record.key)), error.message);
  assert(error.message.includes('field "test" is undefined'), error.message);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("checkCellResult: every checked field is named when broken, an overflowing number included", () => {
  const broken = (change: (r: Record<string, unknown>) => void) => {
    const copy = structuredClone(record.result);
    change(copy);
    return assertThrows(() => checkCellResult(copy)).message;
  };
  const metrics = (r: Record<string, unknown>, field: string) =>
    r[field] as Record<string, unknown>;
  assert(broken((r) => delete r.dataset).startsWith('field "dataset" is undefined'));
  assert(broken((r) => r.maxEpochs = 2.5).startsWith('field "maxEpochs" is 2.5'));
  assert(broken((r) => r.epochsRun = -1).startsWith('field "epochsRun" is -1'));
  // A test block without NDCG@10 (the metric every table reads) is refused.
  assert(broken((r) => delete metrics(r, "test")["NDCG@10"]).startsWith('field "test"'));
  // JSON's 1e999 reads as Infinity: a number, but no metric.
  const overflow = JSON.parse('{"x": 1e999}').x;
  assert(broken((r) => metrics(r, "test")["HR@10"] = overflow).includes('"test.HR@10" is null'));
  assert(broken((r) => (r.users as unknown[])[0] = "u1").startsWith('field "users"'));
  assert(
    broken((r) => (r.perUserTest as Record<string, number[]>)["HR@10"].pop())
      .includes("perUserTest.HR@10"),
  );
  assert(broken((r) => r.history = {}).startsWith('field "history"'));
  assert(broken((r) => r.protocol = "x").startsWith('field "protocol"'));
});

Deno.test("checkCellResult: the system, bestEpoch, the result and perUserTest themselves are checked, a long value is cut", () => {
  const broken = (change: (r: Record<string, unknown>) => void) => {
    const copy = structuredClone(record.result);
    change(copy);
    return assertThrows(() => checkCellResult(copy)).message;
  };
  assert(broken((r) => r.system = 3).startsWith('field "system" is 3'));
  assert(broken((r) => r.bestEpoch = -1).startsWith('field "bestEpoch" is -1'));
  // The result itself: null and an array are no cell (they would pass `typeof "object"`).
  assert(assertThrows(() => checkCellResult(null)).message.startsWith('field "result" is null'));
  assert(assertThrows(() => checkCellResult([])).message.startsWith('field "result" is []'));
  assert(broken((r) => delete r.perUserTest).startsWith('field "perUserTest" is undefined'));
  // A per-user value read from 1e999 is Infinity: a number, but no metric.
  const overflow = JSON.parse('{"x": 1e999}').x;
  const users = (record.result.users as unknown[]).length;
  assertEquals(
    broken((r) => (r.perUserTest as Record<string, number[]>)["HR@10"][0] = overflow)
      .split(", expected ")[1],
    `${users} finite numbers (one per user)`,
  );
  // The value shown is cut at 60 characters: a hand-edited file can hold a huge field.
  const long = "x".repeat(100);
  assertEquals(
    broken((r) => r.history = long),
    `field "history" is ${JSON.stringify(long).slice(0, 60)}, expected an array of epochs`,
  );
});

Deno.test("checkCellResult: user ids are whole numbers, a per-user array as long as the users, trainSeconds a number >= 0", () => {
  const broken = (change: (r: Record<string, unknown>) => void) => {
    const copy = structuredClone(record.result);
    change(copy);
    return assertThrows(() => checkCellResult(copy)).message;
  };
  assert(broken((r) => (r.users as number[])[0] = 1.5).startsWith('field "users"'));
  assert(
    broken((r) => (r.perUserTest as Record<string, number[]>)["NDCG@10"].push(0))
      .includes("perUserTest.NDCG@10"),
  );
  // The summary adds it up: a missing one made the total NaN.
  assertEquals(
    broken((r) => delete r.trainSeconds),
    'field "trainSeconds" is undefined, expected a number of seconds >= 0',
  );
  assert(broken((r) => r.trainSeconds = -1).startsWith('field "trainSeconds" is -1'));
  assert(broken((r) => r.trainSeconds = "60").startsWith('field "trainSeconds" is "60"'));
  const zero = structuredClone(record.result);
  zero.trainSeconds = 0;
  assertEquals(checkCellResult(zero).trainSeconds, 0);
});

Deno.test("checkCellResult: the second branch of each check names its field (valid's NDCG@10, an infinite time, users or per-user values of another kind, a null protocol)", () => {
  const broken = (change: (r: Record<string, unknown>) => void) => {
    const copy = structuredClone(record.result);
    change(copy);
    return assertThrows(() => checkCellResult(copy)).message;
  };
  // The selection reads validation NDCG@10: a valid block without it is refused like test's.
  assert(
    broken((r) => delete (r.valid as Record<string, unknown>)["NDCG@10"])
      .startsWith('field "valid" is {'),
  );
  // JSON's 1e999 reads as Infinity: a number, but no time (the total would be Infinity).
  const overflow = JSON.parse('{"x": 1e999}').x;
  assertEquals(
    broken((r) => r.trainSeconds = overflow),
    'field "trainSeconds" is null, expected a number of seconds >= 0',
  );
  // Users and per-user values of another kind are named, not a TypeError on `.every`.
  assertEquals(
    broken((r) => r.users = { 0: 1 }),
    'field "users" is {"0":1}, expected an array of user ids',
  );
  const users = (record.result.users as unknown[]).length;
  assert(
    broken((r) => (r.perUserTest as Record<string, unknown>)["NDCG@10"] = { length: users })
      .startsWith('field "perUserTest.NDCG@10" is {"length":'),
  );
  // null is `typeof "object"` but no protocol card.
  assertEquals(
    broken((r) => r.protocol = null),
    'field "protocol" is null, expected an object',
  );
});

Deno.test("checkCellResult: an array is no protocol card and no per-user block, and is named as such", () => {
  // Found by mutation round NF (NF29, NF30): `typeof [] === "object"`; an array protocol passed
  // such a check, and an array perUserTest was named as its missing NDCG@10 instead.
  const broken = (change: (r: Record<string, unknown>) => void) => {
    const copy = structuredClone(record.result);
    change(copy);
    return assertThrows(() => checkCellResult(copy)).message;
  };
  assertEquals(broken((r) => r.protocol = []), 'field "protocol" is [], expected an object');
  assertEquals(broken((r) => r.perUserTest = []), 'field "perUserTest" is [], expected an object');
});
