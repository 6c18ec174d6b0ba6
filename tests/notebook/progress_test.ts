import { assertEquals } from "@std/assert";
import { createProgress, formatProgressLine } from "../../lib/notebook/progress.ts";

Deno.test("progress: line shows counter, bar, percent, metrics and note", () => {
  assertEquals(
    formatProgressLine("SASRec", { step: 5, total: 10, metrics: { loss: 0.123456, epoch: 5 } }),
    "SASRec 5/10 [##########----------] 50% loss=0.1235 epoch=5",
  );
  assertEquals(formatProgressLine("sweep", { step: 3, note: "early stop" }), "sweep 3 early stop");
  assertEquals(
    formatProgressLine("x", { step: 1, total: 3 }),
    "x 1/3 [#######-------------] 33%",
  );
});

Deno.test("progress: in a terminal prints every n-th event, the final one, and flushes on done", async () => {
  const lines: string[] = [];
  const progress = createProgress({
    label: "fit",
    total: 5,
    printEvery: 2,
    print: (line) => lines.push(line),
  });
  for (let step = 1; step <= 5; step++) progress.report({ step });
  await progress.done();
  assertEquals(lines.map((line) => line.split(" ")[1]), ["2/5", "4/5", "5/5"]);

  const unfinished: string[] = [];
  const open = createProgress({
    label: "scan",
    printEvery: 10,
    print: (line) => unfinished.push(line),
  });
  open.report({ step: 1 });
  open.report({ step: 2 });
  assertEquals(unfinished, []);
  await open.done();
  assertEquals(unfinished, ["scan 2"]);
});
