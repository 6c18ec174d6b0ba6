/**
 * `scripts/snapshot_running_cell.ts "" out.json` read "/last.json", the file system root's
 * checkpoint, not one in the current folder, and its message named "/last.json". An empty folder
 * or output file is now one line naming which is empty, status 2, before anything is read or
 * written.
 */
import { assertEquals } from "@std/assert";
import { runScript } from "./_run_script.ts";

const USAGE = "usage: snapshot_running_cell.ts <checkpoint dir> <out.json>";

Deno.test("snapshot_running_cell: an empty checkpoint folder or output file is named, status 2", async () => {
  const parent = await Deno.makeTempDir({ prefix: "snapshot_empty_audit_" });
  try {
    const cases: [string[], string][] = [
      [["", `${parent}/out.json`], "the checkpoint folder"],
      [[parent, ""], "the output file"],
      [["", ""], "the checkpoint folder"],
    ];
    for (const [args, named] of cases) {
      const run = await runScript("scripts/snapshot_running_cell.ts", args);
      assertEquals(
        [run.code, run.stdout, run.stderr],
        [2, "", `snapshot_running_cell: ${named} is empty (${USAGE}); see --help\n`],
        JSON.stringify(args),
      );
    }
    assertEquals([...Deno.readDirSync(parent)], []);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
