/**
 * historyKeys's refusal names the bound (1024 windows per user), not the window it met: a window
 * far past the bound still reads "more than 1024 windows".
 */
import { assertThrows } from "@std/assert";
import { historyKeys } from "../../lib/demure/_batch_pairs.ts";

Deno.test("historyKeys: a window far past the bound is refused naming the bound of 1024, and the user", () => {
  const batch = {
    users: Int32Array.of(5, 7),
    items: new Int32Array(2),
    valid: Float32Array.of(1, 1),
    batchSize: 2,
    length: 1,
    windows: Int32Array.of(0, 1500),
  };
  assertThrows(() => historyKeys(batch), Error, "Demure: user 7 has more than 1024 windows");
});
