/**
 * reproduceOptions read in-process (the bad values, which exit, are reproduce_cli_test's): what a
 * worker and a main process run, and how `--features` splits a name from a path.
 */
import { assertEquals } from "@std/assert";
import { reproduceOptions } from "../../scripts/reproduce_options.ts";
import { WORKER_FLAG } from "../../scripts/reproduce_workers.ts";

Deno.test("reproduceOptions: a worker is one process; its main process starts the workers asked for", () => {
  // A worker's arguments lose --workers (workerArgs): were it to take the default count instead of
  // 1, every worker would start workers of its own, without end.
  assertEquals(reproduceOptions(["--quick", "--select", WORKER_FLAG]).workers, 1);
  assertEquals(reproduceOptions(["--quick", "--select", WORKER_FLAG]).isWorker, true);
  assertEquals(reproduceOptions(["--quick", "--select", "--workers=3"]).workers, 3);
  assertEquals(reproduceOptions(["--quick", "--cell=0"]).workers, 1);
});

Deno.test("reproduceOptions: a feature's name ends at the first '=' (a path may hold one)", () => {
  const { dataset } = reproduceOptions([
    "--dataset=data/d.txt",
    "--format=sequence",
    "--features=image=data/dt=2024/image.txt,text=data/text.txt",
  ]);
  assertEquals(dataset, {
    kind: "file",
    path: "data/d.txt",
    format: "sequence",
    features: [
      { name: "image", path: "data/dt=2024/image.txt" },
      { name: "text", path: "data/text.txt" },
    ],
  });
});

Deno.test("reproduceOptions: DEMURE_SELECTION_WAIT_S takes both ends of 0..a week", () => {
  const before = Deno.env.get("DEMURE_SELECTION_WAIT_S");
  try {
    for (const seconds of [0, 7 * 24 * 3600]) {
      Deno.env.set("DEMURE_SELECTION_WAIT_S", String(seconds));
      assertEquals(reproduceOptions(["--quick", "--list-cells"]).selectionWaitSeconds, seconds);
    }
  } finally {
    if (before === undefined) Deno.env.delete("DEMURE_SELECTION_WAIT_S");
    else Deno.env.set("DEMURE_SELECTION_WAIT_S", before);
  }
});
