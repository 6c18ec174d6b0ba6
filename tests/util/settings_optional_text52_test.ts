import { assertEquals } from "@std/assert";
import { checkOptionalText } from "../../lib/util/settings.ts";
import { settingError } from "../_setting_error.ts";

Deno.test("checkOptionalText: a text (the empty one too) or undefined passes; null and other kinds are refused, naming what is allowed", () => {
  for (const value of [undefined, "", "a caption"]) checkOptionalText("X.caption", value);
  for (const value of [null, 1, 0, {}, ["a"], false, () => "a"]) {
    const error = settingError(() => checkOptionalText("X.path", value, "a path (a string)"));
    assertEquals([error.setting, error.value, error.allowed], [
      "X.path",
      value,
      "a path (a string)",
    ]);
  }
  const error = settingError(() => checkOptionalText("X.caption", null));
  assertEquals(error.message, "X.caption is null; allowed: a text");
});
