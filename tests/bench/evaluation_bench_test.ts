/**
 * bench/evaluation_bench.ts registers, without running any (mutation round ID): a full-ranking
 * and an attribution benchmark on each default backend (wasm, then cpu), each 5 timed runs after
 * 1 warm-up, grouped by pass and backend.
 */
import { assertEquals } from "@std/assert";
import { runScript } from "../cli/_run_script.ts";

Deno.test("evaluation_bench: both passes on wasm and cpu by default, 5 runs after 1 warm-up", async () => {
  const { code, stdout, stderr } = await runScript(
    "tests/bench/_evaluation_bench_registrations.ts",
    [],
  );
  assertEquals([code, stderr], [0, ""]);
  const passes = (backend: string) => [
    {
      name: `full-ranking evaluation, 671 users x 3496 items, ${backend}`,
      group: `eval-${backend}`,
      n: 5,
      warmup: 1,
    },
    {
      name: `attribution pass (gradient x input), 256 users, ${backend}`,
      group: `attribution-${backend}`,
      n: 5,
      warmup: 1,
    },
  ];
  assertEquals(JSON.parse(stdout), [...passes("wasm"), ...passes("cpu")]);
});
