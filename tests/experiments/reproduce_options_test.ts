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

Deno.test("reproduceOptions: DEMURE_SELECTION_WAIT_S takes both ends of 0..a week", async () => {
  // Read in a process of its own: `deno test --parallel` runs every test module in this one, so a
  // variable set here would reach the reproductions other modules start meanwhile (a week's wait).
  const options = new URL("../../scripts/reproduce_options.ts", import.meta.url).href;
  const program = `const { reproduceOptions } = await import(${JSON.stringify(options)});\n` +
    'console.log(reproduceOptions(["--quick", "--list-cells"]).selectionWaitSeconds);';
  for (const seconds of [0, 7 * 24 * 3600]) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--quiet", program],
      env: { DEMURE_SELECTION_WAIT_S: String(seconds) },
      stdin: "null",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 0, stderr);
    assertEquals(new TextDecoder().decode(output.stdout).trim(), String(seconds));
  }
});
