/**
 * The audit of lib/util/settings.ts (session 48): every check refuses each kind of bad value a
 * notebook or a hand-written config can hold (NaN, the infinities, a number as text, null,
 * undefined, a boolean, a BigInt, an object), each with a `SettingError` naming the setting, the
 * value and the range; and a message is made whatever the value is (a circular object under a
 * misspelt name, a BigInt inside an object, a circular list and a function used to throw a
 * TypeError, recurse without end, or print the function's whole source instead).
 */
import { assert, assertEquals } from "@std/assert";
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
  checkSettingNames,
  SettingError,
} from "../../lib/util/settings.ts";
import { settingError } from "../_setting_error.ts";

/** Values no numeric setting takes, whatever its range. */
const NOT_NUMBERS: readonly unknown[] = [
  NaN,
  Infinity,
  -Infinity,
  "1",
  "0.5",
  null,
  undefined,
  true,
  1n,
  [1],
  { value: 1 },
];

Deno.test("checkNumber and checkInteger: no value that is not a finite number passes, even an unbounded range", () => {
  for (const value of NOT_NUMBERS) {
    for (const check of [checkNumber, checkInteger]) {
      const error = settingError(() => check("X.n", value));
      assertEquals(error.setting, "X.n");
      assert(Object.is(error.value, value), `${String(error.value)}`);
      assert(error.message.startsWith("X.n is "), error.message);
    }
  }
});

Deno.test("checkInteger: a non-integer is refused inside the range, both ends are accepted", () => {
  checkInteger("X.k", 1, { min: 1, max: 3 });
  checkInteger("X.k", 3, { min: 1, max: 3 });
  const error = settingError(() => checkInteger("X.k", 1.5, { min: 1, max: 3 }));
  assertEquals(error.message, "X.k is 1.5; allowed: an integer >= 1 and <= 3");
});

Deno.test("checkOneOf and checkBoolean: look-alikes of an allowed value are refused", () => {
  for (const value of ["SASREC", " sasrec", "", null, undefined, 0, ["sasrec"]]) {
    const error = settingError(() => checkOneOf("M.backbone", value, ["sasrec", "gru4rec"]));
    assertEquals(error.allowed, 'one of "sasrec", "gru4rec"');
  }
  for (const value of ["true", "false", 0, 1, null, undefined, new Boolean(true)]) {
    assertEquals(settingError(() => checkBoolean("X.flag", value)).allowed, "true or false");
  }
  checkBoolean("X.flag", true);
  checkBoolean("X.flag", false);
});

Deno.test("SettingError: a circular object under a misspelt name is named, not a TypeError from JSON", () => {
  const model: Record<string, unknown> = { dim: 64 };
  model.self = model;
  const error = settingError(() => checkSettingNames("TrainerConfig", { model }, { seed: true }));
  assertEquals(error.setting, "TrainerConfig.model");
  assertEquals(
    error.message,
    "TrainerConfig.model is an object with the keys dim, self; allowed: one of the settings seed",
  );
});

Deno.test("SettingError: a BigInt reads as one, alone or inside an object or a list", () => {
  assertEquals(
    settingError(() => checkInteger("TrainerConfig.batchSize", 5n, { min: 1 })).message,
    "TrainerConfig.batchSize is 5n; allowed: an integer >= 1",
  );
  assertEquals(
    settingError(() => checkBoolean("X.flag", { a: 5n })).message,
    'X.flag is {"a":"5n"}; allowed: true or false',
  );
  assertEquals(
    settingError(() => checkBoolean("X.flag", [1, 5n])).message,
    "X.flag is [1, 5n]; allowed: true or false",
  );
});

Deno.test("SettingError: a circular list is shown once, not recursed into", () => {
  const list: unknown[] = [1];
  list.push(list);
  assertEquals(
    settingError(() => checkBoolean("X.flag", list)).message,
    "X.flag is [1, [...]]; allowed: true or false",
  );
});

Deno.test("SettingError: a function is named, not printed as its source", () => {
  function schedule() {
    return 1 + 2;
  }
  assertEquals(
    settingError(() => checkBoolean("X.flag", schedule)).message,
    "X.flag is a function (schedule); allowed: true or false",
  );
  assertEquals(
    new SettingError("X.flag", Object.defineProperty(() => 0, "name", { value: "" }), "none")
      .message,
    "X.flag is a function; allowed: none",
  );
});

Deno.test("SettingError: an object whose toJSON fails or gives nothing is shown by its keys", () => {
  const throwing = {
    kind: "x",
    toJSON() {
      throw new Error("no");
    },
  };
  assertEquals(
    new SettingError("X.v", throwing, "none").message,
    "X.v is an object with the keys kind, toJSON; allowed: none",
  );
  const empty = { toJSON: () => undefined };
  assertEquals(
    new SettingError("X.v", empty, "none").message,
    "X.v is an object with the keys toJSON; allowed: none",
  );
  // A plain object reads as before.
  assertEquals(new SettingError("X.v", { a: 1 }, "none").message, 'X.v is {"a":1}; allowed: none');
});
