/** The `SettingError` a call throws, for tests that read its setting, value and message. */
import { assert, assertThrows } from "@std/assert";
import { SettingError } from "../lib/util/settings.ts";

/** The SettingError `body` throws (any other outcome fails the test). */
export function settingError(body: () => unknown): SettingError {
  const error = assertThrows(body, SettingError);
  assert(error instanceof SettingError);
  return error;
}
