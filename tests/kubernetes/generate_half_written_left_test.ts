/**
 * `deno task kubernetes` on a full disk (a file-size limit of 0, tests/_full_disk.ts) refuses in one
 * line naming the file it could not write, as its other refusals do, instead of an uncaught stack;
 * it still leaves the earlier run's folder whole and no staging folder.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import { runWithFileSizeLimit } from "../_full_disk.ts";
import { generate, root } from "./_generate.ts";

const words = (JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)) as {
  tasks: Record<string, string>;
}).tasks.kubernetes.split(/\s+/).slice(1);

Deno.test("deno task kubernetes: a full disk is one line naming the file, exit 1", async () => {
  const top = `build/k8s-half-written-left-${crypto.randomUUID().slice(0, 8)}`;
  const removeMade = removalOfMade(`${root}/${top}`);
  try {
    const out = `${top}/out`;
    // A whole run first: the earlier folder to keep, and Deno's cache written before the limit.
    const first = generate(["--image", "i:1", "--quick", "--out", out]);
    assertEquals(first.code, 0, first.stderr);
    const before = [...Deno.readDirSync(`${root}/${out}`)].map((entry) => entry.name).sort();
    const run = await runWithFileSizeLimit(
      0,
      [...words, "--image", "i:2", "--quick", "--out", out],
      root,
    );
    assertEquals(run.code, 1, run.stderr);
    assertEquals(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
    assertMatch(
      run.stderr,
      new RegExp(
        `^kubernetes: ${out}/stage0\\.json: not written \\(File too large.*; ${out} is unchanged\\n$`,
      ),
    );
    assert(!run.stderr.includes("Uncaught"), run.stderr);
    assertEquals([...Deno.readDirSync(`${root}/${out}`)].map((entry) => entry.name).sort(), before);
    assertEquals([...Deno.readDirSync(`${root}/${top}`)].map((entry) => entry.name), ["out"]);
  } finally {
    removeMade();
  }
});
