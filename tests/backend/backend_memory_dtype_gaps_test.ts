/**
 * The cpu memory accessor reads an array of the tensor's own dtype (mutation round OB): an int32
 * tensor whose values sit in a Float32Array is read through an Int32Array copy, as the
 * HostValues contract says, not handed over as floats. A fake backend holds that state.
 */
import { assert, assertEquals } from "@std/assert";
import { memoryFor } from "../../lib/backend/kernels/_backend_memory.ts";

Deno.test("cpu: an int32 tensor kept as a Float32Array is read as an Int32Array", () => {
  const kept = new Float32Array([1.5, -2.5, 7]);
  const backend = {
    data: { get: () => ({ values: kept }) },
    makeTensorInfo: () => ({ dataId: {}, shape: [], dtype: "int32" }),
  };
  const values = memoryFor("cpu", backend).read({ dataId: {}, shape: [3], dtype: "int32" });
  assert(values instanceof Int32Array, values.constructor.name);
  assertEquals(Array.from(values), [1, -2, 7]);
});
