import { assertEquals, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";

await initBackend({ verbose: false });

Deno.test("a parameter made twice is refused naming it, and the first one stays as it was", () => {
  const store = new ParameterStore(0);
  store.constant("proj/bias", [2], 3);
  const error = assertThrows(() => store.constantVector("proj/bias", 2, 0), Error);
  assertEquals(error.message, 'ParameterStore: parameter "proj/bias" created twice');
  assertEquals(store.names(), ["proj/bias"]);
  assertEquals(Array.from(store.get("proj/bias").dataSync()), [3, 3]);
  store.dispose();
});
