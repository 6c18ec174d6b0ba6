/** Mutation round MG: the generated-dataset checks' edges the earlier rounds left open. */
import { assertEquals, assertThrows } from "@std/assert";
import { checkGeneratedModalityName, generatedDataset } from "../../lib/data/generated.ts";
import { SettingError } from "../../lib/util/settings.ts";

Deno.test("checkGeneratedModalityName refuses a name that is not a string, and takes nothing (MG38)", () => {
  const taken = new Set<string>();
  for (const name of [undefined, 3, null]) {
    const error = assertThrows(
      () => checkGeneratedModalityName("workload.modalities[0].name", name, taken),
      SettingError,
    );
    assertEquals(error.message.startsWith("workload.modalities[0].name is "), true);
  }
  assertEquals(taken.size, 0);
});

Deno.test("generatedDataset states its tie-break as none needed, one interaction a time step (MG40)", () => {
  const dataset = generatedDataset({
    name: "toy",
    numItems: 2,
    sequences: [Int32Array.of(0, 1)],
    contentModalities: [],
    source: "a test",
    preprocessing: ["none"],
  });
  assertEquals(dataset.metadata.tieBreak, "none needed (one interaction per time step)");
  assertEquals(dataset.timestamps?.map((t) => Array.from(t)), [[0, 1]]);
});
